//! Repair after a server restored from a backup, step by step with the in-memory server
//! (the model test covers the same at random; these read as the story).

use super::client;
use super::mem_server::MemServer;
use super::merge::Writer;
use super::push::PushError;
use super::repair;
use super::wire::PUSH_BYTES;
use crate::household::Household;
use crate::store::conformance::{full_visit, household};
use crate::store::{KvStore, LocalDb, MemoryStore, RecordKind};
use crate::visit::Visit;
use crate::{RecordId, UnixMillis};

const A: Writer = Writer {
    user: "u-1",
    device: "d-a",
    coordinator: false,
    revoked: false,
};
const B: Writer = Writer {
    user: "u-2",
    device: "d-b",
    coordinator: false,
    revoked: false,
};

/// One sync as the app runs it: push (a gap starts a repair and the next push resumes),
/// repair, pull (which may start a repair: then repair, push and pull again). Returns how
/// many repairs ran.
fn exchange(server: &mut MemServer, db: &LocalDb<'_, MemoryStore>, w: Writer<'_>) -> usize {
    let mut repairs = 0;
    for _ in 0..5 {
        while let Some(batch) = client::next_push(db, 10, PUSH_BYTES).unwrap() {
            match server.push(w, &batch.request) {
                Ok(answer) => {
                    client::on_pushed(db, &batch, &answer).unwrap();
                }
                Err(PushError::Gap { .. }) => repair::on_gap(db).unwrap(),
                Err(e) => panic!("{e}"),
            }
            if repair::under_way(db).is_some() {
                repairs += 1;
                while let Some(after) = repair::under_way(db) {
                    repair::on_ids(db, &server.ids(after, 2)).unwrap();
                }
            }
        }
        loop {
            let page = server.pull(client::cursor(db), 2, &client::digest_except(db));
            let pulled = client::on_pulled(db, &page, UnixMillis(1)).unwrap();
            if pulled.repair {
                repairs += 1;
                while let Some(after) = repair::under_way(db) {
                    repair::on_ids(db, &server.ids(after, 2)).unwrap();
                }
                break;
            }
            if !page.more {
                return repairs;
            }
        }
    }
    panic!("did not settle");
}

fn visit(n: u32, h: &Household, author: &str) -> Visit {
    let mut v = full_visit(n, h, "聊天");
    v.author = author.into();
    v
}

fn ids(server: &MemServer) -> Vec<RecordId> {
    server.docs.keys().copied().collect()
}

#[test]
fn a_quiet_world_never_repairs() {
    let mut server = MemServer::default();
    let (sa, sb) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&sa), LocalDb::new(&sb));
    let h = household(1);
    a.save_household(&h, UnixMillis(10)).unwrap();
    for n in 0..6 {
        server.now += 1_000;
        let db = if n % 2 == 0 { &a } else { &b };
        let w = if n % 2 == 0 { A } else { B };
        let mut v = visit(10 + n, &h, w.user);
        v.created_at = UnixMillis(20 + i64::from(n));
        db.save_visit(&v, UnixMillis(20 + i64::from(n))).unwrap();
        assert_eq!(exchange(&mut server, db, w), 0);
    }
    assert_eq!(exchange(&mut server, &a, A), 0);
    assert_eq!(exchange(&mut server, &b, B), 0);
    assert_eq!(server.docs.len(), 7);
}

#[test]
fn a_restored_server_gets_back_what_it_lost_once_each() {
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let h = household(1);
    db.save_household(&h, UnixMillis(10)).unwrap();
    let v1 = visit(1, &h, "u-1");
    db.save_visit(&v1, UnixMillis(11)).unwrap();
    server.now = 1_000;
    exchange(&mut server, &db, A);
    let backup = server.clone();
    // After the backup: a new visit, an edit, a deletion — all acknowledged.
    let v2 = visit(2, &h, "u-1");
    db.save_visit(&v2, UnixMillis(20)).unwrap();
    let mut edited = v1.clone();
    edited.notes = "备份之后改的".into();
    edited.updated_at = UnixMillis(v1.updated_at.0 + 1_000);
    db.save_visit(&edited, UnixMillis(21)).unwrap();
    server.now = 2_000;
    exchange(&mut server, &db, A);
    db.delete(RecordKind::Visit, v2.id, UnixMillis(22)).unwrap();
    server.now = 3_000;
    exchange(&mut server, &db, A);
    assert!(server.docs[&v2.id].is_deleted());

    server = backup;
    server.now = 4_000;
    // The reset starts one; the numbers the server forgot make a gap, another.
    assert!(exchange(&mut server, &db, A) >= 1);
    assert_eq!(ids(&server).len(), 3);
    let got = |id: RecordId| server.docs[&id].record();
    assert_eq!(got(v1.id)["notes"], "备份之后改的");
    assert!(
        server.docs[&v2.id].is_deleted(),
        "the deletion came back too"
    );
    assert!(db.outbox().is_empty().unwrap());
    assert_eq!(exchange(&mut server, &db, A), 0, "and then it is quiet");
    // A phone that never saw the lost changes gets them.
    let other = MemoryStore::new();
    let b = LocalDb::new(&other);
    exchange(&mut server, &b, B);
    let seen: Visit = b.visits().get(&v1.id.to_string()).unwrap().unwrap();
    assert_eq!(seen.notes, "备份之后改的");
}

#[test]
fn a_server_that_forgot_acknowledged_changes_answers_gap_and_the_phone_resumes() {
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let h = household(1);
    db.save_household(&h, UnixMillis(10)).unwrap();
    exchange(&mut server, &db, A);
    let backup = server.clone();
    let v1 = visit(1, &h, "u-1");
    db.save_visit(&v1, UnixMillis(11)).unwrap();
    server.now = 2_000;
    exchange(&mut server, &db, A);
    server = backup;
    // Saved after the restore, numbered after the forgotten one: a gap.
    let v2 = visit(2, &h, "u-1");
    db.save_visit(&v2, UnixMillis(20)).unwrap();
    server.now = 3_000;
    let req = client::next_push(&db, 10, PUSH_BYTES)
        .unwrap()
        .unwrap()
        .request;
    assert!(matches!(server.push(A, &req), Err(PushError::Gap { .. })));
    assert!(exchange(&mut server, &db, A) >= 1);
    let mut want = vec![h.id, v1.id, v2.id];
    want.sort();
    assert_eq!(ids(&server), want);
    assert!(
        store.get("doorstep/v1/sync/resume").unwrap().is_none(),
        "resume is asked once"
    );
}

#[test]
fn a_colleagues_visit_a_volunteer_cannot_send_again_waits_in_problems() {
    let mut server = MemServer::default();
    let (sa, sb) = (MemoryStore::new(), MemoryStore::new());
    let (a, b) = (LocalDb::new(&sa), LocalDb::new(&sb));
    let backup = server.clone();
    let h = household(1);
    a.save_household(&h, UnixMillis(10)).unwrap();
    let v = visit(1, &h, "u-1");
    a.save_visit(&v, UnixMillis(11)).unwrap();
    server.now = 1_000;
    exchange(&mut server, &a, A);
    exchange(&mut server, &b, B);
    // The author's phone is lost; the server is restored to before the visit.
    server = backup;
    server.now = 2_000;
    exchange(&mut server, &b, B);
    // The household (anyone may add one) is back; the visit is B's problem to hand on.
    assert_eq!(ids(&server), vec![h.id]);
    let q = client::quarantined(&b).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].change.map(|c| c.record_id()), Some(v.id));
    assert!(b
        .visits()
        .get::<Visit>(&v.id.to_string())
        .unwrap()
        .is_some());
    assert_eq!(
        exchange(&mut server, &b, B),
        0,
        "a refused record starts no repair loop"
    );
    // A coordinator's phone holding it sends it under its author.
    let coordinator = Writer {
        user: "u-c",
        device: "d-c",
        coordinator: true,
        revoked: false,
    };
    let sc = MemoryStore::new();
    let c = LocalDb::new(&sc);
    c.save_visit(&v, UnixMillis(11)).unwrap();
    exchange(&mut server, &c, coordinator);
    assert_eq!(server.docs[&v.id].created_by, "u-1");
}

#[test]
fn a_person_the_server_made_and_lost_leaves_the_phone_rather_than_going_back() {
    use super::legacy;
    let mut server = MemServer::default();
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let h = household(1);
    db.save_household(&h, UnixMillis(10)).unwrap();
    server.now = 1_000;
    exchange(&mut server, &db, A);
    let backup = server.clone();
    // After the backup the server makes a roster person (an old name on a visit) and the
    // phone pulls it.
    let mut wanted = std::collections::BTreeMap::new();
    wanted.insert(
        crate::roster::legacy_person_id("老周"),
        legacy::Wanted::Name("老周".into()),
    );
    let made = legacy::to_make(&wanted, &Default::default(), UnixMillis(1_795_714_200_000));
    server.now = 2_000;
    server.clock = super::push::next_rev(server.clock, server.now);
    let doc = legacy::apply(
        None,
        &made[0],
        None,
        server.clock,
        UnixMillis(1_795_714_200_000),
    )
    .unwrap()
    .unwrap();
    server.docs.insert(doc.id, doc);
    exchange(&mut server, &db, A);
    let people = db.collection(RecordKind::Person);
    assert!(people.get_raw(&made[0].id.to_string()).unwrap().is_some());

    // Restored: the phone would have to send it in the server's name. It lets it go, and
    // the team settles with nothing refused.
    server = backup;
    server.now = 3_000;
    assert!(exchange(&mut server, &db, A) >= 1);
    assert!(!server.docs.contains_key(&made[0].id));
    assert!(people.get_raw(&made[0].id.to_string()).unwrap().is_none());
    assert!(db.outbox().is_empty().unwrap());
    assert!(client::quarantined(&db).unwrap().is_empty());
    assert_eq!(exchange(&mut server, &db, A), 0, "and then it is quiet");
}
