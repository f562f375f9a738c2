//! The conformance suite every [`KvStore`] runs: the in-memory store natively and the
//! `localStorage` store in headless Chromium. Use [`kv_conformance!`](crate::kv_conformance)
//! to turn it into one test per case.
//!
//! Cases panic with a message on failure. Each takes a store that is empty under
//! `doorstep/` (the factories make or clear it).

use super::{Change, Collection, KvStore, LocalDb, Outbox, RecordKind, StoreError};
use crate::day::Day;
use crate::household::{Address, Household, Resident};
use crate::labels::Cadence;
use crate::services::Services;
use crate::sync::FieldSet;
use crate::visit::Visit;
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
            fn packed_values_keep_every_unit() {
                c::packed_values_keep_every_unit(&($fresh)())
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
            #[$attr]
            fn outbox_numbers_changes_and_acks_keep_numbering() {
                c::outbox_numbers_changes_and_acks_keep_numbering(&($fresh)())
            }
            #[$attr]
            fn outbox_steps_over_a_number_left_by_a_crash() {
                c::outbox_steps_over_a_number_left_by_a_crash(&($fresh)())
            }
            #[$attr]
            fn db_save_queues_the_change_with_the_record() {
                c::db_save_queues_the_change_with_the_record(&($fresh)())
            }
            #[$attr]
            fn db_failed_save_leaves_neither_record_nor_change() {
                c::db_failed_save_leaves_neither_record_nor_change(&($limited)())
            }
            #[$attr]
            fn db_wipe_removes_the_database_only() {
                c::db_wipe_removes_the_database_only(&($fresh)())
            }
            #[$attr]
            fn db_delete_is_a_tombstone_and_restore_undoes_it() {
                c::db_delete_is_a_tombstone_and_restore_undoes_it(&($fresh)())
            }
        }
    };
}

const P: &str = "doorstep/conformance/";

/// A visit to household 0, numbered `n`.
/// An event of the team on `on` (YYYY-MM-DD), by two volunteers.
pub fn event(
    n: u8,
    kind: crate::labels::EventKind,
    on: &str,
    attendance: u32,
    tallies: crate::event::Tallies,
) -> crate::event::Event {
    crate::event::Event {
        id: RecordId::mint(UnixMillis(1_800_000_000_000), [n; 10]),
        kind,
        title: "活动".into(),
        day: Day::parse(on).unwrap(),
        start_time: None,
        place: String::new(),
        partners: vec![],
        volunteers: vec!["李四".into(), "王五".into()],
        attendance,
        tallies,
        notes: String::new(),
        end_time: None,
        people: vec![],
        units: vec![],
        hours: vec![],
        created_at: UnixMillis(0),
        updated_at: UnixMillis(0),
        author: "u-1".into(),
        rev: 0,
    }
}

pub fn visit(n: u32, note: &str) -> Visit {
    full_visit(n, &household(0), note)
}

pub fn get_missing_is_none(s: &dyn KvStore) {
    assert_eq!(s.get(&format!("{P}missing")), Ok(None));
}

pub fn set_then_get_roundtrips(s: &dyn KvStore) {
    let values = [
        "",
        "plain",
        "走访：聊天陪伴，送米 2 袋",
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

/// Packed records (see [`super::pack`]) use every UTF-16 unit from U+2000 to U+F4FF except
/// surrogates: the store must give each one back unchanged, and a record with text in many
/// scripts must read back equal through a collection.
pub fn packed_values_keep_every_unit(s: &dyn KvStore) {
    let all: String = (0x2000u32..=0xF4FF).filter_map(char::from_u32).collect();
    s.set(&format!("{P}units"), &all).unwrap();
    assert!(
        s.get(&format!("{P}units")).unwrap().as_deref() == Some(all.as_str()),
        "a packed unit changed in the store"
    );
    let visits = Collection::new(s, "conformance-packed");
    let mixed = [
        "王奶奶 said: \"好\" \u{1F600}",
        "ئايگۈل (Uyghur, stays plain)",
        "Zhang San, Li Si; tab\t and newline\n",
    ];
    for (i, note) in mixed.iter().enumerate() {
        visits.put(&visit(i as u32, note)).unwrap();
    }
    let loaded = visits.load_all::<Visit>().unwrap();
    assert!(loaded.unreadable.is_empty());
    let notes: Vec<&str> = loaded.records.iter().map(|v| v.notes.as_str()).collect();
    assert_eq!(notes, mixed);
}

/// Fills the store until it refuses, with ever smaller chunks, so that afterwards any
/// write of more than a few characters fails. Returns the filler keys written.
pub fn fill(s: &dyn KvStore) -> Vec<String> {
    let mut keys = Vec::new();
    let mut chunk = 512 * 1024;
    // Text nothing compresses (a store may compress before it counts: `store::sealed`).
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    let mut noise = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b' ' + (x % 95) as u8)
            })
            .collect()
    };
    while chunk >= 8 {
        let value = noise(chunk);
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
    let saved: Vec<Visit> = (0..n as u32).map(|i| visit(i, "聊天陪伴")).collect();
    for v in &saved {
        visits.put(v).unwrap();
    }
    let loaded = visits.load_all::<Visit>().unwrap();
    assert!(loaded.unreadable.is_empty());
    assert_eq!(loaded.records, saved);
    let first = saved[0].id.to_string();
    assert_eq!(
        visits.get::<Visit>(&first).unwrap().as_ref(),
        Some(&saved[0])
    );
}

pub fn collection_resave_does_not_duplicate(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let mut v = visit(1, "first");
    visits.put(&v).unwrap();
    v.notes = "edited".into();
    visits.put(&v).unwrap();
    let loaded = visits.load_all::<Visit>().unwrap();
    assert_eq!(loaded.records, vec![v]);
}

pub fn collection_failed_save_leaves_no_trace(s: &dyn KvStore) {
    let visits = Collection::new(s, "conformance-visits");
    let before: Vec<Visit> = (0..5).map(|i| visit(i, "送米一袋")).collect();
    for v in &before {
        visits.put(v).unwrap();
    }
    let filler = fill(s);
    let rejected = visit(99, &"量血压".repeat(300));
    assert_eq!(visits.put(&rejected), Err(StoreError::QuotaExceeded));
    let loaded = visits.load_all::<Visit>().unwrap();
    assert_eq!(
        loaded.records, before,
        "earlier visits intact, the rejected one absent"
    );
    unfill(s, &filler);
    visits.put(&rejected).expect("saves once space is freed");
    assert_eq!(visits.load_all::<Visit>().unwrap().records.len(), 6);
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
        visits.load_all::<Visit>().unwrap().records,
        vec![indexed.clone(), orphan.clone()]
    );
    // Re-indexed: found again without duplicates.
    assert_eq!(visits.ids().unwrap().len(), 2);
    assert_eq!(
        visits.load_all::<Visit>().unwrap().records,
        vec![indexed.clone(), orphan.clone()]
    );
    // The app's path: a fast start from the index, then adoption from a walk of the keys.
    let late = visit(3, "late");
    s.set(
        &format!("doorstep/v1/conformance-visits/r/{}", late.id),
        &serde_json::to_string(&late).unwrap(),
    )
    .unwrap();
    assert_eq!(
        visits.load_indexed::<Visit>().unwrap().records,
        vec![indexed.clone(), orphan.clone()]
    );
    let keys = s.keys("doorstep/").unwrap();
    assert_eq!(
        visits.adopt_orphans::<Visit>(&keys).unwrap(),
        vec![late.clone()]
    );
    assert!(visits.adopt_orphans::<Visit>(&keys).unwrap().is_empty());
    assert_eq!(
        visits.load_indexed::<Visit>().unwrap().records,
        vec![indexed, orphan, late]
    );
}

fn id(n: u32, salt: u8) -> RecordId {
    let mut random = [salt; 10];
    random[..4].copy_from_slice(&n.to_be_bytes());
    RecordId::mint(UnixMillis(1_795_714_200_000 + i64::from(n)), random)
}

/// A recorded basis, for fixtures that hold sensitive details (living alone, health).
pub fn duty_of_care() -> crate::household::DataBasis {
    crate::household::DataBasis {
        kind: crate::household::BasisKind::DutyOfCare,
        recorded_on: Day::parse("2026-11-01").expect("a day"),
        recorded_by: "李主任".into(),
    }
}

pub fn household(n: u32) -> Household {
    Household {
        id: id(n, 1),
        address: Address {
            community: "幸福社区".into(),
            building: format!("{n}幢"),
            ..Address::default()
        },
        residents: vec![Resident {
            name: "王奶奶".into(),
            ..Resident::default()
        }],
        needs: vec![],
        notes: String::new(),
        cadence: Cadence::Monthly,
        basis: None,
        archived: false,
        assigned_to: "李四".into(),
        created_at: UnixMillis(1_795_714_200_000),
        updated_at: UnixMillis(1_795_714_200_000),
        author: "u-1".into(),
        rev: 0,
    }
}

pub fn full_visit(n: u32, household: &Household, note: &str) -> Visit {
    Visit {
        id: id(n, 2),
        household_id: household.id,
        day: Day::parse("2026-11-26").unwrap(),
        volunteers: vec!["张三".into()],
        partners: vec![],
        services: Services {
            companionship_chat: true,
            ..Services::default()
        },
        conditions: None,
        needs: vec![],
        needs_text: String::new(),
        residents_words: String::new(),
        follow_up: None,
        notes: note.to_owned(),
        people: vec![],
        units: vec![],
        start_time: Some("09:00".into()),
        end_time: Some("09:40".into()),
        created_at: UnixMillis(1_795_714_200_000),
        updated_at: UnixMillis(1_795_714_200_000),
        author: "u-1".into(),
        rev: 0,
        received_at: UnixMillis(0),
    }
}

const AT: UnixMillis = UnixMillis(1_795_714_200_000);

pub fn outbox_numbers_changes_and_acks_keep_numbering(s: &dyn KvStore) {
    let outbox = Outbox::new(s);
    let h = household(1);
    for _ in 0..3 {
        outbox
            .append(
                AT,
                Change::Put {
                    kind: RecordKind::Household,
                    id: h.id,
                    fields: FieldSet::ALL,
                },
            )
            .unwrap();
    }
    let (pending, bad) = outbox.pending().unwrap();
    assert!(bad.is_empty());
    assert_eq!(pending.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3]);
    // The same from a walk's keys, in any order.
    let mut keys = s.keys("").unwrap();
    keys.reverse();
    let (among, _) = outbox.pending_among(&keys).unwrap();
    assert_eq!(among.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3]);
    for seq in 1..=2 {
        outbox.ack(seq).unwrap();
    }
    assert_eq!(
        outbox
            .pending()
            .unwrap()
            .0
            .iter()
            .map(|m| m.seq)
            .collect::<Vec<_>>(),
        [3]
    );
    // Numbers are never reused, even once everything is acknowledged.
    outbox.ack(3).unwrap();
    assert!(outbox.is_empty().unwrap());
    assert_eq!(
        outbox
            .append(
                AT,
                Change::Delete {
                    kind: RecordKind::Household,
                    id: h.id
                }
            )
            .unwrap()
            .seq,
        4
    );
}

pub fn outbox_steps_over_a_number_left_by_a_crash(s: &dyn KvStore) {
    let outbox = Outbox::new(s);
    let h = household(1);
    outbox
        .append(
            AT,
            Change::Put {
                kind: RecordKind::Household,
                id: h.id,
                fields: FieldSet::ALL,
            },
        )
        .unwrap();
    // A crash after storing mutation 2 and before advancing the counter.
    let stored = super::Mutation {
        seq: 2,
        at: AT,
        change: Change::Delete {
            kind: RecordKind::Household,
            id: h.id,
        },
    };
    s.set(
        "doorstep/v1/outbox/m/00000000000000000002",
        &serde_json::to_string(&stored).unwrap(),
    )
    .unwrap();
    let next = outbox
        .append(
            AT,
            Change::Restore {
                kind: RecordKind::Household,
                id: h.id,
            },
        )
        .unwrap();
    assert_eq!(next.seq, 3);
    let seqs: Vec<u64> = outbox.pending().unwrap().0.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
}

pub fn db_save_queues_the_change_with_the_record(s: &dyn KvStore) {
    let db = LocalDb::new(s);
    let h = household(1);
    let v = full_visit(1, &h, "聊天陪伴");
    assert_eq!(db.save_household(&h, AT).unwrap().seq, 1);
    assert_eq!(db.save_visit(&v, AT).unwrap().seq, 2);
    assert_eq!(
        db.households().load_all::<Household>().unwrap().records,
        vec![h.clone()]
    );
    assert_eq!(
        db.visits().load_all::<Visit>().unwrap().records,
        vec![v.clone()]
    );
    let (pending, _) = db.outbox().pending().unwrap();
    assert_eq!(
        pending[0].change,
        Change::Put {
            kind: RecordKind::Household,
            id: h.id,
            fields: FieldSet::ALL,
        }
    );
    assert_eq!(
        pending[1].change,
        Change::Put {
            kind: RecordKind::Visit,
            id: v.id,
            fields: FieldSet::ALL,
        }
    );
    // An edit names the fields it touched, so sync merges only those.
    let mut edited = h.clone();
    edited.notes = "耳背，敲门要大声".into();
    edited.updated_at.0 += 1;
    let m = db.save_household(&edited, AT).unwrap();
    assert_eq!(
        m.change,
        Change::Put {
            kind: RecordKind::Household,
            id: h.id,
            fields: FieldSet(1 << 3),
        }
    );
}

pub fn db_failed_save_leaves_neither_record_nor_change(s: &dyn KvStore) {
    let db = LocalDb::new(s);
    let h = household(1);
    db.save_household(&h, AT).unwrap();
    let filler = fill(s);
    let big = full_visit(2, &h, &"老人说".repeat(400));
    assert_eq!(db.save_visit(&big, AT), Err(StoreError::QuotaExceeded));
    assert!(db.visits().load_all::<Visit>().unwrap().records.is_empty());
    assert_eq!(
        db.outbox().len().unwrap(),
        1,
        "only the household's change is queued"
    );
    unfill(s, &filler);
    assert_eq!(db.save_visit(&big, AT).unwrap().seq, 2);
}

pub fn db_delete_is_a_tombstone_and_restore_undoes_it(s: &dyn KvStore) {
    let db = LocalDb::new(s);
    let h = household(1);
    let v = full_visit(1, &h, "送米");
    db.save_household(&h, AT).unwrap();
    db.save_visit(&v, AT).unwrap();
    db.delete(RecordKind::Visit, v.id, AT).unwrap();
    assert!(db.deleted_ids().unwrap().contains(&v.id));
    assert_eq!(
        db.visits().load_all::<Visit>().unwrap().records,
        vec![v.clone()],
        "kept for undo"
    );
    db.restore(RecordKind::Visit, v.id, AT).unwrap();
    assert!(db.deleted_ids().unwrap().is_empty());
    let changes: Vec<Change> = db
        .outbox()
        .pending()
        .unwrap()
        .0
        .into_iter()
        .map(|m| m.change)
        .collect();
    assert_eq!(
        changes[2],
        Change::Delete {
            kind: RecordKind::Visit,
            id: v.id
        }
    );
    assert_eq!(
        changes[3],
        Change::Restore {
            kind: RecordKind::Visit,
            id: v.id
        }
    );
}

pub fn db_wipe_removes_the_database_only(s: &dyn KvStore) {
    let db = LocalDb::new(s);
    let h = household(1);
    db.save_household(&h, AT).unwrap();
    db.save_visit(&full_visit(1, &h, "x"), AT).unwrap();
    s.set("doorstep/lang", "en").unwrap();
    assert!(db.wipe().unwrap() >= 4);
    assert!(s.keys("doorstep/v1/").unwrap().is_empty());
    assert!(db.outbox().is_empty().unwrap());
    assert_eq!(s.get("doorstep/lang").unwrap().as_deref(), Some("en"));
}
