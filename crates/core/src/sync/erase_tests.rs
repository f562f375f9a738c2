//! Deleted means erased: after the undo window the server keeps a tombstone without content,
//! and a phone that pulls it keeps nothing more.

use super::client;
use super::erase::UNDO_WINDOW_MILLIS;
use super::mem_server::MemServer;
use super::merge::Writer;
use super::wire::{RejectCode, PUSH_BYTES};
use crate::household::{Household, Resident};
use crate::store::conformance::{full_visit, household};
use crate::store::{KvStore, LocalDb, MemoryStore, RecordKind};
use crate::UnixMillis;

const AT: i64 = 1_795_714_200_000;
const NAME: &str = "王秀英奶奶";
const PHONE: &str = "13812345678";
const WORDS: &str = "膝盖疼，想要一副拐杖";

fn writer(user: &'static str, device: &'static str) -> Writer<'static> {
    Writer {
        user,
        device,
        coordinator: false,
        revoked: false,
    }
}

fn sync(server: &mut MemServer, db: &LocalDb<'_, MemoryStore>, w: Writer<'_>) -> usize {
    let mut refused = 0;
    while let Some(batch) = client::next_push(db, 100, PUSH_BYTES).unwrap() {
        let answer = server.push(w, &batch.request).unwrap();
        refused += client::on_pushed(db, &batch, &answer).unwrap();
    }
    loop {
        let page = server.pull(client::cursor(db), 100, &client::digest_except(db));
        client::on_pulled(db, &page, UnixMillis(AT)).unwrap();
        if !page.more {
            return refused;
        }
    }
}

fn personal_household() -> Household {
    let mut h = household(1);
    h.residents = vec![Resident {
        name: NAME.into(),
        phone: PHONE.into(),
        ..Resident::default()
    }];
    h.notes = WORDS.into();
    h.author = "u-1".into();
    h
}

/// A server and two phones (a: u-1 on d-a, b: u-2 on d-b) both holding `h`, saved on a.
fn two_phones_holding(h: &Household) -> (MemServer, MemoryStore, MemoryStore) {
    let mut server = MemServer::default();
    let (a_store, b_store) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    a.save_household(h, UnixMillis(AT)).unwrap();
    sync(&mut server, &a, writer("u-1", "d-a"));
    sync(&mut server, &b, writer("u-2", "d-b"));
    (server, a_store, b_store)
}

/// Everything a phone's storage holds, as one text.
fn everything(store: &MemoryStore) -> String {
    let mut all = String::new();
    for k in store.keys("").unwrap() {
        let v = store.get(&k).unwrap().unwrap_or_default();
        let v = crate::store::pack::unpack(&v).map_or_else(|| v.clone(), |u| u.into_owned());
        all.push_str(&k);
        all.push_str(&v);
    }
    all
}

fn holds_personal(text: &str) -> bool {
    [NAME, PHONE, WORDS].iter().any(|p| text.contains(p))
}

#[test]
fn a_deletion_past_the_undo_window_erases_the_content_on_the_server_and_on_phones() {
    let mut server = MemServer::default();
    let (a_store, b_store) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    let (wa, wb) = (writer("u-1", "d-a"), writer("u-2", "d-b"));
    let h = personal_household();
    let mut v = full_visit(1, &h, WORDS);
    v.residents_words = WORDS.into();
    a.save_household(&h, UnixMillis(AT)).unwrap();
    a.save_visit(&v, UnixMillis(AT)).unwrap();
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    assert!(holds_personal(&everything(&b_store)));

    a.delete(RecordKind::Visit, v.id, UnixMillis(AT + 1))
        .unwrap();
    a.delete(RecordKind::Household, h.id, UnixMillis(AT + 2))
        .unwrap();
    sync(&mut server, &a, wa);
    // Within the window nothing is erased: the deletion can still be undone.
    assert_eq!(server.erase_deleted(UnixMillis(AT + UNDO_WINDOW_MILLIS)), 0);
    assert!(holds_personal(
        &serde_json::to_string(&server.docs).unwrap()
    ));

    let later = UnixMillis(AT + 2 + UNDO_WINDOW_MILLIS);
    assert_eq!(server.erase_deleted(later), 2);
    let stored = serde_json::to_string(&server.docs).unwrap();
    assert!(!holds_personal(&stored), "{stored}");
    for doc in server.docs.values() {
        assert!(doc.erased && doc.is_deleted());
        doc.check().expect("an erased record still reads");
    }
    // Erased once: a second sweep changes nothing (no new revision for phones to pull).
    let clock = server.clock;
    assert_eq!(server.erase_deleted(UnixMillis(later.0 + 1)), 0);
    assert_eq!(server.clock, clock);

    // Phones pull the erased copies over theirs; nothing personal is left on them.
    sync(&mut server, &a, wa);
    sync(&mut server, &b, wb);
    for (name, store) in [("a", &a_store), ("b", &b_store)] {
        let all = everything(store);
        assert!(!holds_personal(&all), "phone {name}: {all}");
        let db = LocalDb::new(store);
        assert!(db.deleted_ids().unwrap().contains(&h.id));
        assert!(db.deleted_ids().unwrap().contains(&v.id));
    }
}

#[test]
fn after_the_erasure_a_late_change_or_undo_is_refused_and_kept_on_the_phone() {
    let h = personal_household();
    let (mut server, a_store, b_store) = two_phones_holding(&h);
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    let (wa, wb) = (writer("u-1", "d-a"), writer("u-2", "d-b"));
    // b goes offline and edits; a deletes; the window passes.
    let mut edited: Household = b.households().get(&h.id.to_string()).unwrap().unwrap();
    edited.notes = "新的备注".into();
    b.save_household(&edited, UnixMillis(AT + 5)).unwrap();
    a.delete(RecordKind::Household, h.id, UnixMillis(AT + 1))
        .unwrap();
    sync(&mut server, &a, wa);
    assert_eq!(
        server.erase_deleted(UnixMillis(AT + 1 + UNDO_WINDOW_MILLIS)),
        1
    );
    assert_eq!(sync(&mut server, &b, wb), 1, "the late edit is refused");
    let aside = client::quarantined(&b).unwrap();
    assert_eq!(aside[0].reason.code, RejectCode::Invalid);
    assert!(aside[0].reason.message.contains("erased"));
    // Kept on b, to export: the volunteer's work is never silently dropped.
    let (_, _, json) = client::quarantined_record(&b, &aside[0]).expect("kept");
    assert!(json.contains("新的备注"));
    // An undo too late is refused as well; a deletion is simply done.
    a.restore(RecordKind::Household, h.id, UnixMillis(AT + 10))
        .unwrap();
    assert_eq!(sync(&mut server, &a, wa), 1);
    assert!(server.docs[&h.id].is_deleted());
}

#[test]
fn a_disputed_deletion_is_not_final() {
    let h = personal_household();
    let (mut server, a_store, b_store) = two_phones_holding(&h);
    let (a, b) = (LocalDb::new(&a_store), LocalDb::new(&b_store));
    let (wa, wb) = (writer("u-1", "d-a"), writer("u-2", "d-b"));
    // Both offline: a deletes, b undeletes nothing but deletes-and-restores (its own undo):
    // a conflict on the deleted state that a coordinator settles.
    a.delete(RecordKind::Household, h.id, UnixMillis(AT + 3))
        .unwrap();
    b.delete(RecordKind::Household, h.id, UnixMillis(AT + 1))
        .unwrap();
    b.restore(RecordKind::Household, h.id, UnixMillis(AT + 2))
        .unwrap();
    sync(&mut server, &b, wb);
    sync(&mut server, &a, wa);
    let doc = &server.docs[&h.id];
    assert!(doc.is_deleted() && doc.deleted.in_conflict());
    assert_eq!(
        server.erase_deleted(UnixMillis(AT + 10 * UNDO_WINDOW_MILLIS)),
        0
    );
    assert!(holds_personal(
        &serde_json::to_string(&server.docs).unwrap()
    ));
}
