//! Model-based test of sync: three phones (two volunteers and a coordinator of one team) and
//! the in-memory server, driven by random schedules of saves, pushes and pulls with lost
//! requests, lost answers, duplicates, late deliveries, crashes mid-write and lost cursors.
//! I1–I6 of shared/sync-design.md are checked after every step and once everyone has synced.
//!
//! `DOORSTEP_SYNC_CASES=100000 cargo test -p doorstep-core --release model` runs a long run.

mod checks;
mod crashy;
mod hostile;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use crashy::Crashy;

use proptest::prelude::*;

use super::client;
use super::mem_server::MemServer;
use super::merge::Writer;
use super::push::PushError;
use super::repair;
use super::wire::{PushRequest, PUSH_BYTES};
use crate::household::Household;
use crate::store::conformance::{full_visit, household};
use crate::store::{LocalDb, MemoryStore, RecordKind};
use crate::visit::Visit;
use crate::{RecordId, UnixMillis};

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
    /// The operator backs the server's database up…
    Snapshot,
    /// …and later restores it: everything after the backup is lost on the server.
    RestoreServer,
    /// The app is installed again: the phone signs in as a new device, keeping its storage,
    /// or (`true`, only when everything is synced and no backup was ever restored) starting
    /// empty.
    Reinstall(usize, bool),
    /// One page of a repair, crashing after `n` writes when given.
    Repair(usize, Option<usize>),
    /// A hostile phone of the team pushes something the server must refuse.
    Hostile(hostile::Evil),
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
        1 => p.clone().prop_map(Step::LoseCursor),
        1 => Just(Step::Snapshot),
        1 => Just(Step::RestoreServer),
        1 => (p.clone(), any::<bool>()).prop_map(|(p, w)| Step::Reinstall(p, w)),
        2 => (p, prop::option::of(0..4usize)).prop_map(|(p, n)| Step::Repair(p, n)),
        2 => hostile::evil().prop_map(Step::Hostile),
    ]
}

struct Phone {
    store: MemoryStore,
    user: String,
    device: String,
    coordinator: bool,
    /// Requests held in the network, with the device that sent them.
    delayed: Vec<(String, PushRequest)>,
    cursor_seen: u64,
    /// Changes numbered up to here were acknowledged by a server that lost them since (a
    /// restore), or under the device this phone was before a reinstall.
    floor: u64,
    was_repairing: bool,
    reinstalls: u32,
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
            revoked: false,
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
    backup: Option<MemServer>,
    /// A backup was restored or a phone reinstalled: repairs may be needed from then on.
    disturbed: bool,
    restored: bool,
    /// Records (or a visit's last version) that only the server held when its backup was
    /// restored: no sync can bring those back.
    lost_to_restore: BTreeSet<RecordId>,
    /// The hostile phone's last number, and what it got through, if anything.
    evil_seq: u64,
    hostile_failure: Option<String>,
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
                floor: 0,
                was_repairing: false,
                reinstalls: 0,
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
            backup: None,
            disturbed: false,
            restored: false,
            lost_to_restore: BTreeSet::new(),
            evil_seq: 0,
            hostile_failure: None,
        }
    }

    fn tick(&mut self) -> UnixMillis {
        self.clock += 1000;
        self.server.now = self.clock as u64 * 1000;
        self.server.latest = Some(super::inbound::latest(UnixMillis(self.clock)));
        UnixMillis(self.clock)
    }

    fn run(&mut self, step: &Step) {
        let at = self.tick();
        match *step {
            Step::Hostile(ref e) => {
                if let Err(fail) = self.hostile(e, at) {
                    self.hostile_failure.get_or_insert(fail.to_string());
                }
            }
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
                self.lost_to_restore.remove(&visit.id);
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
                self.lost_to_restore.remove(&visit.id);
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
                if let Some((device, req)) = self.phones[p].delayed.pop() {
                    self.deliver_late(p, &device, &req);
                }
            }
            Step::Pull(p, limit) => {
                let db = LocalDb::new(&self.phones[p].store);
                let page =
                    self.server
                        .pull(client::cursor(&db), limit, &client::digest_except(&db));
                client::on_pulled(&db, &page, at).unwrap();
            }
            Step::CrashPull(p, n) => {
                let phone = &self.phones[p];
                let crashy = Crashy {
                    inner: &phone.store,
                    budget: Cell::new(n),
                };
                let db = LocalDb::new(&crashy);
                let page = self
                    .server
                    .pull(client::cursor(&db), 2, &client::digest_except(&db));
                let _ = client::on_pulled(&db, &page, at);
            }
            Step::LoseCursor(p) => {
                client::forget_cursor(&LocalDb::new(&self.phones[p].store)).unwrap();
                self.phones[p].cursor_seen = 0;
            }
            Step::Snapshot => self.backup = Some(self.server.clone()),
            Step::RestoreServer => {
                let Some(backup) = self.backup.clone() else {
                    return;
                };
                for phone in &mut self.phones {
                    let applied = self.server.last_seq.get(&phone.device).copied();
                    phone.floor = phone.floor.max(applied.unwrap_or(0));
                }
                // Held as its author last left it (content and deleted state) by a phone
                // that may send it again.
                let held = |id: RecordId, want: Option<&(Visit, bool)>| {
                    self.phones.iter().any(|ph| {
                        let db = LocalDb::new(&ph.store);
                        let key = id.to_string();
                        match want {
                            None => db
                                .households()
                                .get::<Household>(&key)
                                .is_ok_and(|h| h.is_some()),
                            Some((want, deleted)) => {
                                let gone = db.deleted_ids().unwrap().contains(&id);
                                db.visits().get::<Visit>(&key).ok().flatten().is_some_and(
                                    |mut v| {
                                        v.rev = want.rev;
                                        (ph.coordinator || v.author == ph.user)
                                            && &v == want
                                            && gone == *deleted
                                    },
                                )
                            }
                        }
                    })
                };
                let lost: Vec<RecordId> = self
                    .households
                    .iter()
                    .filter(|id| !held(**id, None))
                    .chain(
                        self.visits
                            .iter()
                            .filter(|(id, v)| !held(**id, Some(v)))
                            .map(|(id, _)| id),
                    )
                    .copied()
                    .collect();
                self.lost_to_restore.extend(lost);
                self.server = backup;
                self.disturbed = true;
                self.restored = true;
            }
            Step::Reinstall(p, wipe) => {
                let phone = &mut self.phones[p];
                let applied = self.server.last_seq.get(&phone.device).copied();
                phone.floor = phone.floor.max(applied.unwrap_or(0));
                phone.reinstalls += 1;
                phone.device = format!("dev-{p}-{}", phone.reinstalls);
                // Wiping after a restore would lose what only this phone still holds
                // (a known limit, docs/sync-protocol.md).
                let db = LocalDb::new(&phone.store);
                if wipe && !self.restored && !client::has_unsynced(&db) {
                    phone.store = MemoryStore::new();
                    phone.saved.clear();
                    phone.floor = 0;
                    phone.cursor_seen = 0;
                }
                self.disturbed = true;
            }
            Step::Repair(p, crash) => {
                let phone = &mut self.phones[p];
                let crashy = Crashy {
                    inner: &phone.store,
                    budget: Cell::new(crash.unwrap_or(usize::MAX)),
                };
                let db = LocalDb::new(&crashy);
                if let Some(after) = repair::under_way(&db) {
                    let page = self.server.ids(after, 3);
                    let _ = repair::on_ids(&db, &page);
                }
                // Forgetting the cursor is the repair's last step.
                phone.cursor_seen = phone.cursor_seen.min(client::cursor(&db));
            }
        }
    }

    /// A request that was held in the network arrives: what it carries was applied already,
    /// or is next — or, after a restore, the server finds a gap and refuses it whole.
    fn deliver_late(&mut self, p: usize, device: &str, req: &PushRequest) {
        let phone = &self.phones[p];
        let w = Writer {
            device,
            ..phone.writer()
        };
        match self.server.push(w, req) {
            Ok(_) => {}
            Err(PushError::Gap { .. }) if self.restored => {}
            Err(e) => panic!("a late push is skipped or applied, never refused: {e}"),
        }
    }

    /// Runs a phone's repair to its end, with no faults.
    fn repair(&mut self, p: usize) {
        let db = LocalDb::new(&self.phones[p].store);
        while let Some(after) = repair::under_way(&db) {
            repair::on_ids(&db, &self.server.ids(after, 3)).unwrap();
        }
        self.phones[p].cursor_seen = 0;
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
        let Some(batch) = client::next_push(&db, BATCH, PUSH_BYTES).unwrap() else {
            return;
        };
        let w = Writer {
            user: &phone.user,
            device: &phone.device,
            coordinator: phone.coordinator,
            revoked: false,
        };
        let send = |server: &mut MemServer| match server.push(w, &batch.request) {
            Ok(answer) => Some(answer),
            Err(PushError::Gap { .. }) => None,
            Err(e) => panic!("push refused: {e}"),
        };
        // The server lost what it had acknowledged: resume, and repair.
        let gap = || repair::on_gap(&db).unwrap();
        match fault {
            Fault::DropRequest => {}
            Fault::DropResponse => {
                send(&mut self.server);
            }
            Fault::Delay => phone
                .delayed
                .push((phone.device.clone(), batch.request.clone())),
            Fault::None | Fault::Duplicate => {
                let mut answer = send(&mut self.server);
                if matches!(fault, Fault::Duplicate) && answer.is_some() {
                    answer = send(&mut self.server);
                }
                match answer {
                    Some(a) => {
                        client::on_pushed(&db, &batch, &a).unwrap();
                    }
                    None => gap(),
                }
            }
            Fault::CrashDuringAck(n) => {
                let crashy = Crashy {
                    inner: &phone.store,
                    budget: Cell::new(n),
                };
                let crashy = LocalDb::new(&crashy);
                match send(&mut self.server) {
                    Some(answer) => {
                        let _ = client::on_pushed(&crashy, &batch, &answer);
                    }
                    None => {
                        let _ = repair::on_gap(&crashy);
                    }
                }
            }
        }
    }

    /// Everyone syncs with no faults, as the app does (push, repair, pull), round after
    /// round until a round changes nothing: a repair on one phone sends records the others
    /// then pull.
    fn settle(&mut self) {
        for p in 0..PHONES {
            while let Some((device, req)) = self.phones[p].delayed.pop() {
                self.deliver_late(p, &device, &req);
            }
        }
        for _round in 0..10 {
            let mut busy = false;
            for p in 0..PHONES {
                busy |= self.push_all(p);
                let at = self.tick();
                for _ in 0..1000 {
                    let db = LocalDb::new(&self.phones[p].store);
                    let page =
                        self.server
                            .pull(client::cursor(&db), 2, &client::digest_except(&db));
                    let pulled = client::on_pulled(&db, &page, at).unwrap();
                    if pulled.repair {
                        busy = true;
                        self.repair(p);
                        self.push_all(p);
                    } else if !page.more {
                        break;
                    }
                }
            }
            if !busy {
                return;
            }
        }
        panic!("sync did not settle in 10 rounds");
    }

    /// Pushes until nothing waits (repairing first when the server asks). Whether anything
    /// was pushed.
    fn push_all(&mut self, p: usize) -> bool {
        let mut any = false;
        for _ in 0..1000 {
            if repair::under_way(&LocalDb::new(&self.phones[p].store)).is_some() {
                self.repair(p);
            }
            if client::next_push(&LocalDb::new(&self.phones[p].store), BATCH, PUSH_BYTES)
                .unwrap()
                .is_none()
            {
                break;
            }
            any = true;
            self.push(p, Fault::None);
        }
        any
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
