//! The phone's side with the in-memory server: a same-field conflict reaches the phone with
//! every value, and saving one of them settles it everywhere.

use super::mem_server::MemServer;
use super::merge::Writer;
use super::wire::PUSH_BYTES;
use super::Synced;
use super::{client, conflicts};
use crate::household::Household;
use crate::store::conformance::household;
use crate::store::{LocalDb, MemoryStore};
use crate::UnixMillis;

fn sync(server: &mut MemServer, db: &LocalDb<'_, MemoryStore>, w: Writer<'_>) {
    while let Some(batch) = client::next_push(db, 10, PUSH_BYTES).unwrap() {
        let answer = server.push(w, &batch.request).unwrap();
        client::on_pushed(db, &batch, &answer).unwrap();
    }
    loop {
        let page = server.pull(client::cursor(db), 10, &client::digest_except(db));
        client::on_pulled(db, &page, UnixMillis(1)).unwrap();
        if !page.more {
            break;
        }
    }
}

fn edit_notes(db: &LocalDb<'_, MemoryStore>, h: &Household, notes: &str, at: i64) {
    let mut mine: Household = db.households().get(&h.id.to_string()).unwrap().unwrap();
    mine.notes = notes.into();
    db.save_household(&mine, UnixMillis(at)).unwrap();
}

#[test]
fn a_conflict_reaches_the_phone_and_choosing_a_value_settles_it() {
    let mut server = MemServer::default();
    let (a_store, b_store, c_store) = (MemoryStore::new(), MemoryStore::new(), MemoryStore::new());
    let (a, b, c) = (
        LocalDb::new(&a_store),
        LocalDb::new(&b_store),
        LocalDb::new(&c_store),
    );
    let wa = Writer {
        user: "u-a",
        device: "d-a",
        coordinator: false,
        revoked: false,
    };
    let wb = Writer {
        user: "u-b",
        device: "d-b",
        coordinator: false,
        revoked: false,
    };
    let wc = Writer {
        user: "u-c",
        device: "d-c",
        coordinator: true,
        revoked: false,
    };
    let h = household(1);
    a.save_household(&h, UnixMillis(10)).unwrap();
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    // Both edit the notes offline, then sync.
    edit_notes(&a, &h, "耳背", 20);
    edit_notes(&b, &h, "腿脚不便", 30);
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    sync(&mut server, &c, wc);
    assert_eq!(conflicts::conflicted_ids(&c), [h.id]);
    let seen = conflicts::conflicts(&c, h.id);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].field, "notes");
    let mut values = seen[0].values.clone();
    values.sort();
    assert_eq!(values, ["\"耳背\"", "\"腿脚不便\""]);
    // The shown value is the later one; the coordinator keeps the other.
    let shown: Household = c.households().get(&h.id.to_string()).unwrap().unwrap();
    assert_eq!(shown.notes, "腿脚不便");
    let kept = conflicts::settle(&c, shown.clone(), "notes", "\"耳背\"", UnixMillis(40));
    assert_eq!(kept.unwrap().unwrap().notes, "耳背");
    assert_eq!(
        conflicts::settle(&c, shown, "notes", "42", UnixMillis(41)).unwrap(),
        None,
        "a value of the wrong type is refused"
    );
    for (db, w) in [(&c, wc), (&a, wa), (&b, wb)] {
        sync(&mut server, db, w);
    }
    for db in [&a, &b, &c] {
        let got: Household = db.households().get(&h.id.to_string()).unwrap().unwrap();
        assert_eq!(got.notes, "耳背");
        assert!(conflicts::conflicts(db, h.id).is_empty());
        assert!(conflicts::conflicted_ids(db).is_empty());
    }
    assert!(server.docs[&h.id].conflicts().is_empty());
}

#[test]
fn keeping_the_shown_value_also_settles_the_conflict() {
    let mut server = MemServer::default();
    let (a_store, b_store) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    let wa = Writer {
        user: "u-a",
        device: "d-a",
        coordinator: true,
        revoked: false,
    };
    let wb = Writer {
        user: "u-b",
        device: "d-b",
        coordinator: false,
        revoked: false,
    };
    let h = household(2);
    a.save_household(&h, UnixMillis(10)).unwrap();
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    edit_notes(&a, &h, "一", 20);
    edit_notes(&b, &h, "二", 30);
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    sync(&mut server, &a, wa);
    let shown: Household = a.households().get(&h.id.to_string()).unwrap().unwrap();
    // Nothing changed in the record, yet the choice is sent.
    let m = a
        .save_with(&shown, UnixMillis(40), Household::field("notes"))
        .unwrap();
    assert!(
        matches!(m.change, crate::store::Change::Put { fields, .. } if fields == Household::field("notes"))
    );
    sync(&mut server, &a, wa);
    assert!(server.docs[&h.id].conflicts().is_empty());
}

#[test]
fn a_refused_change_is_kept_shown_exportable_and_retryable() {
    use crate::store::conformance::full_visit;
    use crate::visit::Visit;
    let mut server = MemServer::default();
    let (a_store, b_store) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    let wa = Writer {
        user: "u-a",
        device: "d-a",
        coordinator: false,
        revoked: false,
    };
    let wb = Writer {
        user: "u-b",
        device: "d-b",
        coordinator: false,
        revoked: false,
    };
    let mut v = full_visit(1, &household(1), "我的走访");
    v.author = "u-a".into();
    a.save_visit(&v, UnixMillis(10)).unwrap();
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    let mut theirs: Visit = b.visits().get(&v.id.to_string()).unwrap().unwrap();
    theirs.notes = "改了别人的".into();
    b.save_visit(&theirs, UnixMillis(20)).unwrap();
    let mut later = household(2);
    later.notes = "之后的修改照常同步".into();
    b.save_household(&later, UnixMillis(30)).unwrap();
    sync(&mut server, &b, wb);
    // Set aside with the reason; the change after it went through.
    assert!(b.outbox().is_empty().unwrap());
    assert!(server.docs.contains_key(&later.id));
    let q = client::quarantined(&b).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].reason.code, super::wire::RejectCode::Forbidden);
    let (kind, id, json) = client::quarantined_record(&b, &q[0]).unwrap();
    assert_eq!((kind, id), (crate::store::RecordKind::Visit, v.id));
    assert!(json.contains("改了别人的"));
    // Kept on the phone as edited (a pull does not overwrite it).
    let kept: Visit = b.visits().get(&v.id.to_string()).unwrap().unwrap();
    assert_eq!(kept.notes, "改了别人的");
    // Retry queues it again as a whole record.
    assert!(client::retry(&b, q[0].seq, UnixMillis(40)).unwrap());
    assert!(client::quarantined(&b).unwrap().is_empty());
    assert_eq!(b.outbox().len().unwrap(), 1);
}

#[test]
fn wiping_what_is_synced_keeps_every_change_the_server_lacks() {
    use crate::store::conformance::full_visit;
    use crate::visit::Visit;
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let w = Writer {
        user: "u-a",
        device: "d-a",
        coordinator: false,
        revoked: false,
    };
    let synced = household(1);
    db.save_household(&synced, UnixMillis(10)).unwrap();
    let mut old_visit = full_visit(1, &synced, "已同步");
    old_visit.author = "u-a".into();
    db.save_visit(&old_visit, UnixMillis(11)).unwrap();
    sync(&mut server, &db, w);
    // Then, offline: a new visit, and an edit of the synced household.
    let mut new_visit = full_visit(2, &synced, "还没同步");
    new_visit.author = "u-a".into();
    db.save_visit(&new_visit, UnixMillis(20)).unwrap();
    let mut edited: Household = db
        .households()
        .get(&synced.id.to_string())
        .unwrap()
        .unwrap();
    edited.notes = "改过".into();
    db.save_household(&edited, UnixMillis(21)).unwrap();

    assert_eq!(client::wipe_synced(&db).unwrap(), 1);
    let visits: Vec<Visit> = db.visits().load_all().unwrap().records;
    assert_eq!(
        visits.iter().map(|v| v.id).collect::<Vec<_>>(),
        [new_visit.id]
    );
    let kept: Household = db
        .households()
        .get(&synced.id.to_string())
        .unwrap()
        .unwrap();
    assert_eq!(kept.notes, "改过");
    assert_eq!(db.outbox().len().unwrap(), 2);
    assert_eq!(client::cursor(&db), 0);
    // Signing in again: the changes go up, the team's records come back.
    sync(&mut server, &db, w);
    let back: Vec<Visit> = db.visits().load_all().unwrap().records;
    assert_eq!(back.len(), 2);
}

#[test]
fn unsynced_means_queued_or_set_aside() {
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    assert!(!client::has_unsynced(&db));
    db.save_household(&household(1), UnixMillis(1)).unwrap();
    assert!(client::has_unsynced(&db));
}

fn writer() -> Writer<'static> {
    Writer {
        user: "u-1",
        device: "d-1",
        coordinator: false,
        revoked: false,
    }
}

#[test]
fn batches_are_cut_by_bytes_and_every_change_still_arrives() {
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    for n in 1..=10 {
        let mut h = household(n);
        h.notes = "记".repeat(400);
        db.save_household(&h, UnixMillis(n.into())).unwrap();
    }
    let max_bytes = 4_000;
    let mut sent = Vec::new();
    while let Some(batch) = client::next_push(&db, 100, max_bytes).unwrap() {
        assert!(batch.bytes <= max_bytes, "a batch of {} bytes", batch.bytes);
        assert!(serde_json::to_vec(&batch.request.mutations).unwrap().len() <= max_bytes);
        assert!(batch.seqs.len() < 10, "one batch took everything");
        sent.extend(batch.seqs.iter().copied());
        let answer = server.push(writer(), &batch.request).unwrap();
        client::on_pushed(&db, &batch, &answer).unwrap();
    }
    assert_eq!(sent, (1..=10).collect::<Vec<u64>>(), "in order, each once");
    assert_eq!(server.pull(0, 100, &[]).records.len(), 10);
    assert!(client::quarantined(&db).unwrap().is_empty());
}

#[test]
fn a_change_too_large_for_any_push_waits_aside_and_the_rest_go() {
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let small = household(1);
    let mut big = household(2);
    big.notes = "记".repeat(500);
    db.save_household(&small, UnixMillis(1)).unwrap();
    db.save_household(&big, UnixMillis(2)).unwrap();
    db.save_household(&household(3), UnixMillis(3)).unwrap();
    let max_bytes = 1_200;
    while let Some(batch) = client::next_push(&db, 100, max_bytes).unwrap() {
        let answer = server.push(writer(), &batch.request).unwrap();
        client::on_pushed(&db, &batch, &answer).unwrap();
    }
    let aside = client::quarantined(&db).unwrap();
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].seq, 2);
    assert_eq!(aside[0].reason.code, super::wire::RejectCode::TooLarge);
    assert!(aside[0].reason.message.contains("too large"));
    assert_eq!(server.pull(0, 100, &[]).records.len(), 2);
    // Kept whole: with a larger budget (a server that takes it) the retry goes through.
    assert!(client::retry(&db, 2, UnixMillis(4)).unwrap());
    let batch = client::next_push(&db, 100, PUSH_BYTES).unwrap().unwrap();
    let answer = server.push(writer(), &batch.request).unwrap();
    client::on_pushed(&db, &batch, &answer).unwrap();
    assert_eq!(server.pull(0, 100, &[]).records.len(), 3);
    assert!(client::quarantined(&db).unwrap().is_empty());
}

/// A proxy before the server with a smaller body limit than the phone's budget: each 413
/// halves the batch, a change larger than the proxy takes goes aside, and the rest arrive.
#[test]
fn answers_413_shrink_the_batches_until_everything_fits_or_waits_aside() {
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    for n in 1..=12 {
        let mut h = household(n);
        // The others are more than half the large one: set aside they must not be.
        h.notes = "记".repeat(if n == 7 { 400 } else { 250 });
        db.save_household(&h, UnixMillis(n.into())).unwrap();
    }
    let proxy_limit = 1_500;
    let mut budget = PUSH_BYTES;
    let mut answered_413 = 0;
    while let Some(batch) = client::next_push(&db, 100, budget).unwrap() {
        let body = serde_json::to_vec(&batch.request).unwrap().len();
        if body > proxy_limit {
            answered_413 += 1;
            budget = client::budget_after_too_large(&batch).expect("it can shrink");
            continue;
        }
        assert!(body <= proxy_limit);
        let answer = server.push(writer(), &batch.request).unwrap();
        client::on_pushed(&db, &batch, &answer).unwrap();
    }
    assert!(answered_413 > 2);
    let aside = client::quarantined(&db).unwrap();
    assert_eq!(aside.iter().map(|q| q.seq).collect::<Vec<_>>(), [7]);
    assert_eq!(server.pull(0, 100, &[]).records.len(), 11);
}

#[test]
fn a_server_that_takes_no_push_at_all_stops_the_shrinking() {
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    db.save_household(&household(1), UnixMillis(1)).unwrap();
    let batch = client::next_push(&db, 100, 10).unwrap().unwrap();
    assert_eq!(batch.too_large, [1]);
    assert_eq!(client::budget_after_too_large(&batch), None);
}

/// A phone whose clock ran days ahead: the server refuses its record; once the clock is
/// right, the retry brings the record's times back to now and it goes through.
#[test]
fn a_retry_after_the_clock_is_fixed_brings_times_back_and_is_taken() {
    let now = 1_795_714_200_000;
    let mut server = MemServer {
        latest: Some(super::inbound::latest(UnixMillis(now))),
        ..MemServer::default()
    };
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let ahead = UnixMillis(now + 3 * 24 * 60 * 60 * 1000);
    let mut h = household(1);
    h.created_at = ahead;
    h.updated_at = ahead;
    db.save_household(&h, ahead).unwrap();
    let batch = client::next_push(&db, 100, PUSH_BYTES).unwrap().unwrap();
    let answer = server.push(writer(), &batch.request).unwrap();
    assert_eq!(client::on_pushed(&db, &batch, &answer).unwrap(), 1);
    let aside = client::quarantined(&db).unwrap();
    assert!(
        aside[0].reason.message.contains("请检查手机日期"),
        "{:?}",
        aside[0]
    );

    assert!(client::retry(&db, aside[0].seq, UnixMillis(now)).unwrap());
    let mine: Household = db.households().get(&h.id.to_string()).unwrap().unwrap();
    assert_eq!(
        (mine.created_at, mine.updated_at),
        (UnixMillis(now), UnixMillis(now))
    );
    let batch = client::next_push(&db, 100, PUSH_BYTES).unwrap().unwrap();
    let answer = server.push(writer(), &batch.request).unwrap();
    assert_eq!(client::on_pushed(&db, &batch, &answer).unwrap(), 0);
    assert_eq!(server.pull(0, 10, &[]).records.len(), 1);
}
