//! The conformance suite every [`KvStore`] runs: the in-memory store natively and the
//! `localStorage` store in headless Chromium. Use [`kv_conformance!`](crate::kv_conformance)
//! to turn it into one test per case.
//!
//! Cases panic with a message on failure. Each takes a store that is empty under
//! `doorstep/` (the factories make or clear it).

use super::{Collection, KvStore, StoreError};
use crate::quick_visit::QuickVisit;
use crate::{RecordId, UnixMillis};

/// One test per case. `fresh` makes an empty store; `limited` an empty store with a quota
/// of a few MB at most (the browser's own quota, or a configured one).
#[macro_export]
macro_rules! kv_conformance {
    (#[$attr:meta], $fresh:expr, $limited:expr) => {
        mod kv_conformance {
            #[allow(unused_imports)]
            use super::*;
            use $crate::store::conformance as c;
            #[$attr]
            fn get_missing_is_none() {
                c::get_missing_is_none(&($fresh)())
            }
            #[$attr]
            fn set_then_get_roundtrips() {
                c::set_then_get_roundtrips(&($fresh)())
            }
            #[$attr]
            fn overwrite_replaces() {
                c::overwrite_replaces(&($fresh)())
            }
            #[$attr]
            fn remove_deletes() {
                c::remove_deletes(&($fresh)())
            }
            #[$attr]
            fn keys_filter_by_prefix_sorted() {
                c::keys_filter_by_prefix_sorted(&($fresh)())
            }
            #[$attr]
            fn large_value_roundtrips() {
                c::large_value_roundtrips(&($fresh)())
            }
            #[$attr]
            fn quota_error_is_typed_and_keeps_data() {
                c::quota_error_is_typed_and_keeps_data(&($limited)())
            }
            #[$attr]
            fn collection_keeps_order_across_pages() {
                c::collection_keeps_order_across_pages(&($fresh)())
            }
            #[$attr]
            fn collection_resave_does_not_duplicate() {
                c::collection_resave_does_not_duplicate(&($fresh)())
            }
            #[$attr]
            fn collection_failed_save_leaves_no_trace() {
                c::collection_failed_save_leaves_no_trace(&($limited)())
            }
            #[$attr]
            fn collection_finds_unindexed_record() {
                c::collection_finds_unindexed_record(&($fresh)())
            }
        }
    };
}

const P: &str = "doorstep/conformance/";

pub fn visit(n: u32, note: &str) -> QuickVisit {
    let mut random = [0u8; 10];
    random[..4].copy_from_slice(&n.to_be_bytes());
    QuickVisit {
        id: RecordId::mint(UnixMillis(1_700_000_000_000 + i64::from(n)), random),
        address: format!("幸福社区 {n}幢"),
        note: note.to_owned(),
        created_at: UnixMillis(1_700_000_000_000 + i64::from(n)),
    }
}

pub fn get_missing_is_none(s: &dyn KvStore) {
    assert_eq!(s.get(&format!("{P}missing")), Ok(None));
}

pub fn set_then_get_roundtrips(s: &dyn KvStore) {
    let values = [
        "",
        "plain",
        "走访:聊天陪伴,送米 2 袋",
        "line\nbreak \"quoted\" \\ \u{1F600}",
    ];
    for (i, v) in values.iter().enumerate() {
        let key = format!("{P}k{i}");
        s.set(&key, v).expect("set");
        assert_eq!(s.get(&key).expect("get").as_deref(), Some(*v), "value {i}");
    }
}

pub fn overwrite_replaces(s: &dyn KvStore) {
    let key = format!("{P}k");
    s.set(&key, "first").unwrap();
    s.set(&key, "second").unwrap();
    assert_eq!(s.get(&key).unwrap().as_deref(), Some("second"));
}

pub fn remove_deletes(s: &dyn KvStore) {
    let key = format!("{P}k");
    s.set(&key, "v").unwrap();
    s.remove(&key).unwrap();
    assert_eq!(s.get(&key).unwrap(), None);
    s.remove(&key)
        .expect("removing a missing key is not an error");
}

pub fn keys_filter_by_prefix_sorted(s: &dyn KvStore) {
    for k in ["b", "a", "c/x"] {
        s.set(&format!("{P}in/{k}"), "1").unwrap();
    }
    s.set(&format!("{P}out/a"), "1").unwrap();
    let keys = s.keys(&format!("{P}in/")).unwrap();
    let expected: Vec<String> = ["a", "b", "c/x"]
        .iter()
        .map(|k| format!("{P}in/{k}"))
        .collect();
    assert_eq!(keys, expected);
}

pub fn large_value_roundtrips(s: &dyn KvStore) {
    let big = "住户".repeat(50_000);
    s.set(&format!("{P}big"), &big).unwrap();
    assert_eq!(
        s.get(&format!("{P}big")).unwrap().as_deref(),
        Some(big.as_str())
    );
}

/// Fills the store until it refuses, with ever smaller chunks, so that afterwards any
/// write of more than a few characters fails. Returns the filler keys written.
pub fn fill(s: &dyn KvStore) -> Vec<String> {
    let mut keys = Vec::new();
    let mut chunk = 512 * 1024;
    while chunk >= 8 {
        let value = "x".repeat(chunk);
        loop {
            let key = format!("{P}fill/{}", keys.len());
            match s.set(&key, &value) {
                Ok(()) => keys.push(key),
                Err(StoreError::QuotaExceeded) => break,
                Err(e) => panic!("filling the store: expected QuotaExceeded, got {e:?}"),
            }
            assert!(keys.len() < 10_000, "the store never reported it was full");
        }
        chunk /= 8;
    }
    keys
}

fn unfill(s: &dyn KvStore, keys: &[String]) {
    for k in keys {
        s.remove(k).unwrap();
    }
}

pub fn quota_error_is_typed_and_keeps_data(s: &dyn KvStore) {
    s.set(&format!("{P}keep"), "已保存的走访").unwrap();
    let filler = fill(s);
    assert!(!filler.is_empty());
    let err = s.set(&format!("{P}one-more"), &"y".repeat(4096));
    assert_eq!(err, Err(StoreError::QuotaExceeded));
    assert_eq!(s.get(&format!("{P}one-more")).unwrap(), None);
    assert_eq!(
        s.get(&format!("{P}keep")).unwrap().as_deref(),
        Some("已保存的走访")
    );
    for k in &filler {
        assert!(
            s.get(k).unwrap().is_some(),
            "{k} lost after the quota error"
        );
    }
    unfill(s, &filler);
    s.set(&format!("{P}one-more"), "fits again")
        .expect("space freed");
}

pub fn collection_keeps_order_across_pages(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let n = super::INDEX_PAGE_SIZE * 2 + 10;
    let saved: Vec<QuickVisit> = (0..n as u32).map(|i| visit(i, "聊天陪伴")).collect();
    for v in &saved {
        visits.put(v).unwrap();
    }
    let loaded = visits.load_all::<QuickVisit>().unwrap();
    assert!(loaded.unreadable.is_empty());
    assert_eq!(loaded.records, saved);
    let first = saved[0].id.to_string();
    assert_eq!(
        visits.get::<QuickVisit>(&first).unwrap().as_ref(),
        Some(&saved[0])
    );
}

pub fn collection_resave_does_not_duplicate(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let mut v = visit(1, "first");
    visits.put(&v).unwrap();
    v.note = "edited".into();
    visits.put(&v).unwrap();
    let loaded = visits.load_all::<QuickVisit>().unwrap();
    assert_eq!(loaded.records, vec![v]);
}

pub fn collection_failed_save_leaves_no_trace(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let before: Vec<QuickVisit> = (0..5).map(|i| visit(i, "送米一袋")).collect();
    for v in &before {
        visits.put(v).unwrap();
    }
    let filler = fill(s);
    let rejected = visit(99, &"量血压".repeat(300));
    assert_eq!(visits.put(&rejected), Err(StoreError::QuotaExceeded));
    let loaded = visits.load_all::<QuickVisit>().unwrap();
    assert_eq!(
        loaded.records, before,
        "earlier visits intact, the rejected one absent"
    );
    unfill(s, &filler);
    visits.put(&rejected).expect("saves once space is freed");
    assert_eq!(visits.load_all::<QuickVisit>().unwrap().records.len(), 6);
}

pub fn collection_finds_unindexed_record(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let indexed = visit(1, "indexed");
    visits.put(&indexed).unwrap();
    // A crash after the record's write and before the index's: only the record exists.
    let orphan = visit(2, "orphan");
    let key = format!("doorstep/v1/conformance-visits/r/{}", orphan.id);
    s.set(&key, &serde_json::to_string(&orphan).unwrap())
        .unwrap();
    assert_eq!(
        visits.load_all::<QuickVisit>().unwrap().records,
        vec![indexed.clone(), orphan.clone()]
    );
    // Re-indexed: found again without duplicates.
    assert_eq!(visits.ids().unwrap().len(), 2);
    assert_eq!(
        visits.load_all::<QuickVisit>().unwrap().records,
        vec![indexed, orphan]
    );
}
