//! Model-based test of sync: three phones (two volunteers and a coordinator of one team) and
//! the in-memory server, driven by random schedules of saves, pushes and pulls with lost
//! requests, lost answers, duplicates, late deliveries, crashes mid-write and lost cursors.
//! I1–I6 of shared/sync-design.md are checked after every step and once everyone has synced.
//!
//! `DOORSTEP_SYNC_CASES=100000 cargo test -p doorstep-core --release model` runs a long run.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;

use super::client::{self, Quarantined};
use super::mem_server::MemServer;
use super::merge::Writer;
use super::wire::PushRequest;
use crate::household::Household;
use crate::store::conformance::{full_visit, household};
use crate::store::{KvStore, LocalDb, MemoryStore, RecordKind, StoreError, Tombstone};
use crate::visit::Visit;
use crate::{RecordId, UnixMillis};

/// A store that fails every write after `budget` writes: a crash in the middle of a change.
struct Crashy<'a> {
    inner: &'a MemoryStore,
    budget: Cell<usize>,
}

impl Crashy<'_> {
    fn spend(&self) -> Result<(), StoreError> {
        match self.budget.get() {
            0 => Err(StoreError::Other("crashed".into())),
            n => {
                self.budget.set(n - 1);
                Ok(())
            }
        }
    }
}

impl KvStore for Crashy<'_> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.remove(key)
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.keys(prefix)
    }
}

#[derive(Debug, Clone, Copy)]
enum Fault {
    None,
    DropRequest,
    /// The server committed; the answer never arrived.
    DropResponse,
    Duplicate,
    /// The request is delayed in the network and arrives later (reordered).
    Delay,
    /// The phone crashes while storing the answer, after `n` writes.
    CrashDuringAck(usize),
}

#[derive(Debug, Clone)]
enum Step {
    NewHousehold(usize),
    NewVisit(usize, usize),
    /// A new visit whose save crashes after `n` writes.
    CrashSave(usize, usize, usize),
    EditVisit(usize, usize, u8),
    EditHousehold(usize, usize, u8, u8),
    ToggleDelete(usize, usize),
    /// A volunteer edits another volunteer's visit: the server must refuse it.
    EditOthersVisit(usize, usize),
    Push(usize, Fault),
    DeliverDelayed(usize),
    Pull(usize, usize),
    CrashPull(usize, usize),
    LoseCursor(usize),
}

const PHONES: usize = 3;
const BATCH: usize = 3;

fn step() -> impl Strategy<Value = Step> {
    let p = 0..PHONES;
    let fault = prop_oneof![
        4 => Just(Fault::None),
        1 => Just(Fault::DropRequest),
        1 => Just(Fault::DropResponse),
        1 => Just(Fault::Duplicate),
        1 => Just(Fault::Delay),
        1 => (0..4usize).prop_map(Fault::CrashDuringAck),
    ];
    prop_oneof![
        2 => p.clone().prop_map(Step::NewHousehold),
        3 => (p.clone(), 0..8usize).prop_map(|(p, h)| Step::NewVisit(p, h)),
        1 => (p.clone(), 0..8usize, 0..5usize).prop_map(|(p, h, n)| Step::CrashSave(p, h, n)),
        2 => (p.clone(), 0..8usize, 0..4u8).prop_map(|(p, v, n)| Step::EditVisit(p, v, n)),
        3 => (p.clone(), 0..8usize, 0..3u8, 0..3u8).prop_map(|(p, h, f, v)| Step::EditHousehold(p, h, f, v)),
        1 => (p.clone(), 0..8usize).prop_map(|(p, v)| Step::ToggleDelete(p, v)),
        1 => (0..2usize, 0..8usize).prop_map(|(p, v)| Step::EditOthersVisit(p, v)),
        5 => (p.clone(), fault).prop_map(|(p, f)| Step::Push(p, f)),
        1 => p.clone().prop_map(Step::DeliverDelayed),
        4 => (p.clone(), 1..4usize).prop_map(|(p, n)| Step::Pull(p, n)),
        1 => (p.clone(), 0..4usize).prop_map(|(p, n)| Step::CrashPull(p, n)),
        1 => p.prop_map(Step::LoseCursor),
    ]
}

struct Phone {
    store: MemoryStore,
    user: String,
    device: String,
    coordinator: bool,
    delayed: Vec<PushRequest>,
    cursor_seen: u64,
    /// Numbers of every change whose save returned Ok.
    saved: Vec<u64>,
    forbidden_edits: usize,
}

impl Phone {
    fn writer(&self) -> Writer<'_> {
        Writer {
            user: &self.user,
            device: &self.device,
            coordinator: self.coordinator,
        }
    }
}

struct World {
    server: MemServer,
    phones: Vec<Phone>,
    next_id: u32,
    clock: i64,
    /// Each visit as its author last saved it, and whether the author last deleted it.
    visits: BTreeMap<RecordId, (Visit, bool)>,
    households: BTreeSet<RecordId>,
}

fn live<T: crate::sync::Synced>(db: &LocalDb<'_, MemoryStore>, kind: RecordKind) -> Vec<T> {
    let mut v = db.collection(kind).load_all::<T>().unwrap().records;
    v.sort_by_key(|r| r.id());
    v
}

impl World {
    fn new() -> Self {
        let phones = (0..PHONES)
            .map(|i| Phone {
                store: MemoryStore::new(),
                user: ["u-a", "u-b", "u-coord"][i].into(),
                device: format!("dev-{i}"),
                coordinator: i == 2,
                delayed: Vec::new(),
                cursor_seen: 0,
                saved: Vec::new(),
                forbidden_edits: 0,
            })
            .collect();
        World {
            server: MemServer::default(),
            phones,
            next_id: 0,
            clock: 1_800_000_000_000,
            visits: BTreeMap::new(),
            households: BTreeSet::new(),
        }
    }

    fn tick(&mut self) -> UnixMillis {
        self.clock += 1000;
        UnixMillis(self.clock)
    }

    fn run(&mut self, step: &Step) {
        let at = self.tick();
        match *step {
            Step::NewHousehold(p) => {
                self.next_id += 1;
                let mut h = household(self.next_id);
                h.author = self.phones[p].user.clone();
                h.created_at = at;
                h.updated_at = at;
                let db = LocalDb::new(&self.phones[p].store);
                let m = db.save_household(&h, at).unwrap();
                self.phones[p].saved.push(m.seq);
                self.households.insert(h.id);
            }
            Step::NewVisit(p, h) | Step::CrashSave(p, h, _) => {
                let db = LocalDb::new(&self.phones[p].store);
                let hs: Vec<Household> = live(&db, RecordKind::Household);
                let Some(h) = hs.get(h % hs.len().max(1)) else {
                    return;
                };
                self.next_id += 1;
                let mut v = full_visit(self.next_id, h, "聊天");
                v.author = self.phones[p].user.clone();
                v.created_at = at;
                v.updated_at = at;
                let result = match *step {
                    Step::CrashSave(_, _, n) => {
                        let crashy = Crashy {
                            inner: &self.phones[p].store,
                            budget: Cell::new(n),
                        };
                        LocalDb::new(&crashy).save_visit(&v, at)
                    }
                    _ => db.save_visit(&v, at),
                };
                if let Ok(m) = result {
                    self.phones[p].saved.push(m.seq);
                    self.visits.insert(v.id, (v, false));
                }
            }
            Step::EditVisit(p, v, n) => {
                let Some(mut visit) = self.own_visit(p, v) else {
                    return;
                };
                visit.notes = format!("第{n}次");
                visit.updated_at = at;
                let db = LocalDb::new(&self.phones[p].store);
                let m = db.save_visit(&visit, at).unwrap();
                self.phones[p].saved.push(m.seq);
                let deleted = self.visits[&visit.id].1;
                self.visits.insert(visit.id, (visit, deleted));
            }
            Step::EditHousehold(p, h, field, value) => {
                let db = LocalDb::new(&self.phones[p].store);
                let hs: Vec<Household> = live(&db, RecordKind::Household);
                let Some(mut h) = hs.get(h % hs.len().max(1)).cloned() else {
                    return;
                };
                match field {
                    0 => h.notes = format!("备注{value}"),
                    1 => h.address.room = format!("{value}0{value}"),
                    _ => h.archived = value % 2 == 1,
                }
                h.updated_at = at;
                let m = db.save_household(&h, at).unwrap();
                self.phones[p].saved.push(m.seq);
            }
            Step::ToggleDelete(p, v) => {
                let Some(visit) = self.own_visit(p, v) else {
                    return;
                };
                let db = LocalDb::new(&self.phones[p].store);
                let deleted = db.deleted_ids().unwrap().contains(&visit.id);
                let m = if deleted {
                    db.restore(RecordKind::Visit, visit.id, at)
                } else {
                    db.delete(RecordKind::Visit, visit.id, at)
                }
                .unwrap();
                self.phones[p].saved.push(m.seq);
                self.visits.get_mut(&visit.id).unwrap().1 = !deleted;
            }
            Step::EditOthersVisit(p, v) => {
                let db = LocalDb::new(&self.phones[p].store);
                let user = self.phones[p].user.clone();
                let others: Vec<Visit> = live::<Visit>(&db, RecordKind::Visit)
                    .into_iter()
                    .filter(|x| x.author != user)
                    .collect();
                let Some(mut visit) = others.get(v % others.len().max(1)).cloned() else {
                    return;
                };
                visit.notes = "不是我的走访".into();
                visit.updated_at = at;
                let m = db.save_visit(&visit, at).unwrap();
                self.phones[p].saved.push(m.seq);
                self.phones[p].forbidden_edits += 1;
            }
            Step::Push(p, fault) => self.push(p, fault),
            Step::DeliverDelayed(p) => {
                if let Some(req) = self.phones[p].delayed.pop() {
                    let phone = &self.phones[p];
                    // Late: what it carries was applied already, or is next.
                    self.server
                        .push(phone.writer(), &req)
                        .expect("a late push is skipped or applied, never refused");
                }
            }
            Step::Pull(p, limit) => {
                let db = LocalDb::new(&self.phones[p].store);
                let page = self.server.pull(client::cursor(&db), limit);
                client::on_pulled(&db, &page, at).unwrap();
            }
            Step::CrashPull(p, n) => {
                let phone = &self.phones[p];
                let crashy = Crashy {
                    inner: &phone.store,
                    budget: Cell::new(n),
                };
                let db = LocalDb::new(&crashy);
                let page = self.server.pull(client::cursor(&db), 2);
                let _ = client::on_pulled(&db, &page, at);
            }
            Step::LoseCursor(p) => {
                client::forget_cursor(&LocalDb::new(&self.phones[p].store)).unwrap();
                self.phones[p].cursor_seen = 0;
            }
        }
    }

    fn own_visit(&self, p: usize, v: usize) -> Option<Visit> {
        let db = LocalDb::new(&self.phones[p].store);
        let user = &self.phones[p].user;
        let mine: Vec<Visit> = live::<Visit>(&db, RecordKind::Visit)
            .into_iter()
            .filter(|x| &x.author == user && self.visits.contains_key(&x.id))
            .collect();
        mine.get(v % mine.len().max(1)).cloned()
    }

    fn push(&mut self, p: usize, fault: Fault) {
        let phone = &mut self.phones[p];
        let db = LocalDb::new(&phone.store);
        let Some(batch) = client::next_push(&db, BATCH).unwrap() else {
            return;
        };
        let w = Writer {
            user: &phone.user,
            device: &phone.device,
            coordinator: phone.coordinator,
        };
        let send = |server: &mut MemServer| server.push(w, &batch.request).unwrap();
        match fault {
            Fault::DropRequest => {}
            Fault::DropResponse => {
                send(&mut self.server);
            }
            Fault::Delay => phone.delayed.push(batch.request.clone()),
            Fault::None | Fault::Duplicate => {
                let mut answer = send(&mut self.server);
                if matches!(fault, Fault::Duplicate) {
                    answer = send(&mut self.server);
                }
                client::on_pushed(&db, &batch, &answer).unwrap();
            }
            Fault::CrashDuringAck(n) => {
                let answer = send(&mut self.server);
                let crashy = Crashy {
                    inner: &phone.store,
                    budget: Cell::new(n),
                };
                let _ = client::on_pushed(&LocalDb::new(&crashy), &batch, &answer);
            }
        }
    }

    /// Checked after every step.
    fn check_always(&mut self) -> Result<(), TestCaseError> {
        for phone in &mut self.phones {
            let db = LocalDb::new(&phone.store);
            // I1: a saved change is queued, set aside, or applied by the server.
            let (pending, _) = db.outbox().pending().unwrap();
            let queued: BTreeSet<u64> = pending.iter().map(|m| m.seq).collect();
            let aside: BTreeSet<u64> = client::quarantined(&db)
                .unwrap()
                .iter()
                .map(|q| q.seq)
                .collect();
            let applied = self
                .server
                .last_seq
                .get(&phone.device)
                .copied()
                .unwrap_or(0);
            for s in &phone.saved {
                prop_assert!(
                    queued.contains(s) || aside.contains(s) || *s <= applied,
                    "I1: change {s} of {} was dropped",
                    phone.device
                );
            }
            // I4: the cursor never moves backwards (unless lost on purpose).
            let c = client::cursor(&db);
            prop_assert!(c >= phone.cursor_seen, "I4: cursor went back");
            phone.cursor_seen = c;
        }
        // I2: a visit has one author and one phone, so duplicates never make a conflict.
        for doc in self
            .server
            .docs
            .values()
            .filter(|d| d.kind == RecordKind::Visit)
        {
            let own_only = doc.fields.values().all(|f| !f.in_conflict());
            prop_assert!(own_only, "I2: visit {} conflicts with itself", doc.id);
        }
        Ok(())
    }

    /// Everyone syncs with no faults: pushes first, then pulls.
    fn settle(&mut self) {
        for p in 0..PHONES {
            while let Some(req) = self.phones[p].delayed.pop() {
                let w = self.phones[p].writer();
                self.server.push(w, &req).unwrap();
            }
            for _ in 0..1000 {
                if client::next_push(&LocalDb::new(&self.phones[p].store), BATCH)
                    .unwrap()
                    .is_none()
                {
                    break;
                }
                self.push(p, Fault::None);
            }
        }
        for p in 0..PHONES {
            let at = self.tick();
            let db = LocalDb::new(&self.phones[p].store);
            loop {
                let page = self.server.pull(client::cursor(&db), 2);
                client::on_pulled(&db, &page, at).unwrap();
                if !page.more {
                    break;
                }
            }
        }
    }

    fn check_settled(&self) -> Result<(), TestCaseError> {
        let server_visits: HashMap<RecordId, (Visit, bool)> = self
            .server
            .docs
            .values()
            .filter(|d| d.kind == RecordKind::Visit)
            .map(|d| {
                let v: Visit =
                    serde_json::from_value(serde_json::Value::Object(d.record())).unwrap();
                (d.id, (v, d.is_deleted()))
            })
            .collect();
        // I1 and I5: every saved visit is on the server as its author last saved it, and
        // deleted exactly when its author last deleted it.
        for (id, (want, deleted)) in &self.visits {
            let Some((got, got_deleted)) = server_visits.get(id) else {
                return Err(TestCaseError::fail(format!(
                    "I1: visit {id} never reached the server"
                )));
            };
            let mut want = want.clone();
            want.rev = 0;
            prop_assert_eq!(got, &want, "I1: visit content");
            prop_assert_eq!(got_deleted, deleted, "I5: visit {} deleted state", id);
        }
        for id in &self.households {
            prop_assert!(self.server.docs.contains_key(id), "I1: household {id} lost");
        }
        for phone in &self.phones {
            let db = LocalDb::new(&phone.store);
            prop_assert!(db.outbox().is_empty().unwrap(), "outbox drained");
            // I6: each refused change is set aside, kept, and blocked nothing.
            let aside: Vec<Quarantined> = client::quarantined(&db).unwrap();
            prop_assert_eq!(
                aside.len(),
                phone.forbidden_edits,
                "I6: quarantine of {}",
                &phone.device
            );
            let kept: BTreeSet<RecordId> = aside
                .iter()
                .filter_map(|q| q.change.as_ref())
                .map(|c| match *c {
                    crate::store::Change::Put { id, .. }
                    | crate::store::Change::Delete { id, .. }
                    | crate::store::Change::Restore { id, .. } => id,
                })
                .collect();
            // I3: the phone shows what the server has (except its own refused changes).
            let mut server_hs: Vec<Household> = Vec::new();
            let mut server_vs: Vec<Visit> = Vec::new();
            let mut server_deleted = BTreeSet::new();
            for d in self.server.docs.values().filter(|d| !kept.contains(&d.id)) {
                let value = serde_json::Value::Object(d.record());
                match d.kind {
                    RecordKind::Household => {
                        let mut h: Household = serde_json::from_value(value).unwrap();
                        h.rev = d.rev;
                        server_hs.push(h);
                    }
                    RecordKind::Visit => {
                        let mut v: Visit = serde_json::from_value(value).unwrap();
                        v.rev = d.rev;
                        server_vs.push(v);
                    }
                    RecordKind::Event => {}
                }
                if d.is_deleted() {
                    server_deleted.insert(d.id);
                }
            }
            let local_hs: Vec<Household> = live(&db, RecordKind::Household);
            let local_vs: Vec<Visit> = live::<Visit>(&db, RecordKind::Visit)
                .into_iter()
                .filter(|v| !kept.contains(&v.id))
                .collect();
            prop_assert_eq!(&local_hs, &server_hs, "I3: households on {}", &phone.device);
            prop_assert_eq!(&local_vs, &server_vs, "I3: visits on {}", &phone.device);
            let local_deleted: BTreeSet<RecordId> = db
                .tombstones()
                .load_all::<Tombstone>()
                .unwrap()
                .records
                .iter()
                .map(|t| t.id)
                .filter(|id| !kept.contains(id))
                .collect();
            prop_assert_eq!(
                local_deleted,
                server_deleted,
                "I3/I5: deleted on {}",
                &phone.device
            );
        }
        Ok(())
    }
}

fn cases() -> u32 {
    std::env::var("DOORSTEP_SYNC_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn model_every_schedule_keeps_i1_to_i6(steps in prop::collection::vec(step(), 1..40)) {
        let mut world = World::new();
        for s in &steps {
            world.run(s);
            world.check_always()?;
        }
        world.settle();
        world.check_always()?;
        world.check_settled()?;
    }
}
