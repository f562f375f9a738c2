//! The window (`sync::window`): pruning never removes a change the server has not taken or a
//! conflict to settle, and after any schedule of colleagues' changes, days passing, the team
//! changing its window, the volunteer's scope (`sync::scope`) changing, households moving
//! between communities and lost cursors, what a phone holds after a sync is exactly what
//! the window and the scope keep of the server's records — with the digests agreeing (no
//! repair).

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::client;
use super::mem_server::MemServer;
use super::merge::Writer;
use super::window::{self, Facts, Window};
use super::wire::PUSH_BYTES;
use crate::household::Household;
use crate::store::conformance::{full_visit, household};
use crate::store::{LocalDb, MemoryStore, RecordKind};
use crate::visit::{FollowUp, Visit};
use crate::{Day, RecordId, UnixMillis};

fn day0() -> Day {
    Day::parse("2026-01-01").unwrap()
}

fn visit(n: u32, h: &Household, day: Day, follow_up: Option<bool>) -> Visit {
    let mut v = full_visit(n, h, "聊天");
    v.day = day;
    v.follow_up = follow_up.map(|open| FollowUp {
        what: "送药".into(),
        due: day.add_days(7),
        done_on: (!open).then(|| day.add_days(3)),
    });
    v
}

/// Every record id the phone holds (households, visits, events).
fn held(db: &LocalDb<'_, MemoryStore>) -> BTreeSet<RecordId> {
    RecordKind::ALL
        .into_iter()
        .flat_map(|k| db.collection(k).ids().unwrap())
        .map(|id| RecordId::parse(&id).unwrap())
        .filter(|id| present(db, *id))
        .collect()
}

/// What the app shows of a phone: each record as stored, and the deleted ids.
type View = (
    std::collections::BTreeMap<(String, RecordId), String>,
    BTreeSet<RecordId>,
);

/// The app's view read from scratch (as at start).
fn view_of(db: &LocalDb<'_, MemoryStore>) -> View {
    let mut records = std::collections::BTreeMap::new();
    for kind in RecordKind::ALL {
        let c = db.collection(kind);
        for key in c.ids().unwrap() {
            if let Some(raw) = c.get_raw(&key).unwrap() {
                records.insert((format!("{kind:?}"), RecordId::parse(&key).unwrap()), raw);
            }
        }
    }
    (records, db.deleted_ids().unwrap().into_iter().collect())
}

/// The app's view patched as the app does after a sync: only the records sync said it
/// touched are read again.
fn patch(view: &mut View, db: &LocalDb<'_, MemoryStore>, touched: &[(RecordKind, RecordId)]) {
    for &(kind, id) in touched {
        let key = id.to_string();
        match db.collection(kind).get_raw(&key).unwrap() {
            Some(raw) => view.0.insert((format!("{kind:?}"), id), raw),
            None => view.0.remove(&(format!("{kind:?}"), id)),
        };
        if db.tombstones().get_raw(&key).unwrap().is_some() {
            view.1.insert(id);
        } else {
            view.1.remove(&id);
        }
    }
}

fn present(db: &LocalDb<'_, MemoryStore>, id: RecordId) -> bool {
    let key = id.to_string();
    RecordKind::ALL
        .into_iter()
        .any(|k| db.collection(k).get_raw(&key).unwrap().is_some())
}

#[derive(Debug, Clone)]
enum Before {
    /// Synced (stored as pulled, rev > 0).
    Synced,
    /// Saved here, not yet pushed.
    Waiting,
    /// Synced, with a conflict the server reported.
    Conflict,
}

proptest! {
    /// Whatever the phone holds, pruning keeps every change not yet taken and every conflict,
    /// keeps exactly the synced records the rule keeps, and a second prune removes nothing.
    #[test]
    fn pruning_keeps_what_the_rule_keeps_and_every_unsynced_change(
        visits in prop::collection::vec(
            (0..4usize, 0..400i64, prop::option::of(any::<bool>()), any::<bool>(),
             prop_oneof![6 => Just(Before::Synced), 2 => Just(Before::Waiting), 1 => Just(Before::Conflict)]),
            0..40),
        days in 30u32..200,
    ) {
        let store = MemoryStore::new();
        let db = LocalDb::new(&store);
        let hs: Vec<Household> = (0..4).map(household).collect();
        for h in &hs {
            db.households().put(h).unwrap();
        }
        let at = UnixMillis(1_800_000_000_000);
        let mut waiting = BTreeSet::new();
        let mut conflicted = BTreeSet::new();
        for (n, (h, back, follow_up, deleted, before)) in visits.iter().enumerate() {
            let mut v = visit(100 + n as u32, &hs[*h], day0().add_days(400 - back), *follow_up);
            match before {
                Before::Waiting => {
                    db.save_visit(&v, at).unwrap();
                    waiting.insert(v.id);
                }
                Before::Synced | Before::Conflict => {
                    v.rev = 1 + n as u64;
                    db.visits().put(&v).unwrap();
                }
            }
            if *deleted {
                if matches!(before, Before::Waiting) {
                    db.delete(RecordKind::Visit, v.id, at).unwrap();
                } else {
                    db.tombstones()
                        .put(&crate::store::Tombstone { kind: RecordKind::Visit, id: v.id, at })
                        .unwrap();
                }
            }
            if matches!(before, Before::Conflict) {
                let c = serde_json::value::RawValue::from_string(r#"{"notes":[{"value":"甲","at":1,"by":"u-a","device":"d"}]}"#.to_owned()).unwrap();
                super::conflicts::remember(&db, v.id, Some(&*c)).unwrap();
                conflicted.insert(v.id);
            }
        }
        let today = day0().add_days(400);
        let w = Window::ending(today, days);
        let facts = window::phone_facts(&db).unwrap();
        let extras = window::extras(&facts);
        let pruned = window::prune(&db, w, None).unwrap();
        for f in &facts {
            let keep = window::keeps(w, f, &extras) || waiting.contains(&f.id) || conflicted.contains(&f.id);
            prop_assert_eq!(present(&db, f.id), keep, "{:?}", f);
            if !keep {
                prop_assert!(db.tombstones().get_raw(&f.id.to_string()).unwrap().is_none());
            }
        }
        prop_assert_eq!(pruned.removed.len(), facts.len() - facts.iter().filter(|f| present(&db, f.id)).count());
        for h in &hs {
            prop_assert!(present(&db, h.id), "households are never pruned by the window");
        }
        prop_assert!(window::prune(&db, w, None).unwrap().removed.is_empty(), "a second prune removes nothing");
        // Every waiting change still goes to the server with its record.
        prop_assert_eq!(db.outbox().pending().unwrap().0.len(), visits.iter().filter(|v| matches!(v.4, Before::Waiting)).count() + visits.iter().filter(|v| matches!(v.4, Before::Waiting) && v.3).count());
    }
}

#[test]
fn a_period_from_the_server_has_the_phones_own_copies_on_top() {
    let h = household(1);
    let (a, b, c, d) = (
        visit(1, &h, day0(), None),
        visit(2, &h, day0(), None),
        visit(3, &h, day0(), None),
        visit(4, &h, day0(), None),
    );
    let mut b_here = b.clone();
    b_here.notes = "改过，未同步".into();
    // The server has a, b and c; the phone changed b, deleted c and saved d offline.
    let got = window::overlay(
        vec![a.clone(), b.clone(), c.clone()],
        &[b_here.clone(), c.clone(), d.clone()],
        &[c.id].into_iter().collect(),
    );
    assert_eq!(got, vec![a, b_here, d]);
    let w = Window { from: day0() };
    assert!(w.holds_from(day0()) && !w.holds_from(day0().add_days(-1)));
}

#[test]
fn extras_are_each_households_latest_visit_and_open_follow_ups() {
    let h = household(1);
    let f = |n: u32, back: i64, open: bool, deleted: bool| Facts {
        id: visit(n, &h, day0(), None).id,
        kind: RecordKind::Visit,
        day: Some(day0().add_days(-back)),
        household: Some(h.id),
        open_follow_up: open,
        deleted,
    };
    let facts = [
        f(1, 300, true, false),
        f(2, 200, false, false),
        f(3, 100, false, true),
        f(4, 250, false, false),
    ];
    let extras = window::extras(&facts);
    let ids = |ns: &[usize]| {
        ns.iter()
            .map(|&n| facts[n].id)
            .collect::<std::collections::HashSet<_>>()
    };
    // 3 is later but deleted: 2 is the latest; 1 has an open follow-up.
    assert_eq!(extras, ids(&[0, 1]));
    let w = Window::ending(day0(), 120);
    assert!(w.covers(None) && w.covers(Some(day0())) && w.covers(Some(day0().add_days(-119))));
    assert!(!w.covers(Some(day0().add_days(-120))));
}

// ---- The phone against the in-memory server, over random schedules ----

#[derive(Debug, Clone)]
enum Step {
    /// The coordinator (whose phone keeps everything) logs a visit `back` days ago, at
    /// household `h`, with a follow-up (open or done) or none.
    Colleague(usize, i64, Option<bool>),
    /// The coordinator closes, reopens or deletes one of the visits.
    ColleagueEdit(usize, u8),
    /// The volunteer logs a visit `back` days ago (kept until pushed, whatever its day).
    Mine(usize, i64),
    /// The volunteer's phone syncs (push, pull, prune), the pull in pages of `limit`.
    Sync(usize),
    /// Days pass.
    Advance(i64),
    /// The team sets its window.
    SetDays(u32),
    LoseCursor,
    /// The volunteer is made coordinator (whose phone keeps everything), or back.
    Promote(bool),
    /// The coordinator gives the volunteer these of the three communities (none: all).
    SetScope([bool; 3]),
    /// The coordinator moves household `h` to community `c`.
    Move(usize, usize),
    /// The volunteer adds a household in community `c` (theirs, so in their scope).
    MineHousehold(usize),
}

const COMMUNITIES: [&str; 3] = ["幸福社区", "和平社区", "光明社区"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..5usize, 0..500i64, prop::option::of(any::<bool>())).prop_map(|(h, b, f)| Step::Colleague(h, b, f)),
        2 => (0..40usize, 0..3u8).prop_map(|(v, k)| Step::ColleagueEdit(v, k)),
        2 => (0..5usize, 0..300i64).prop_map(|(h, b)| Step::Mine(h, b)),
        4 => (1..6usize).prop_map(Step::Sync),
        2 => (1..90i64).prop_map(Step::Advance),
        1 => prop_oneof![Just(30u32), Just(60), Just(120), Just(365)].prop_map(Step::SetDays),
        1 => Just(Step::LoseCursor),
        1 => any::<bool>().prop_map(Step::Promote),
        2 => any::<[bool; 3]>().prop_map(Step::SetScope),
        2 => (0..8usize, 0..3usize).prop_map(|(h, c)| Step::Move(h, c)),
        1 => (0..3usize).prop_map(Step::MineHousehold),
    ]
}

struct Team {
    server: MemServer,
    coord: MemoryStore,
    phone: MemoryStore,
    today: Day,
    next: u32,
    at: i64,
    households: Vec<Household>,
    mine: BTreeSet<RecordId>,
    /// The volunteer's phone keeps a window (false: made coordinator).
    windowed: bool,
    /// What the app shows of the volunteer's phone, kept as the app keeps it: its own saves
    /// added, and after each sync only what the sync reported touched read again.
    view: View,
}

const COORD: Writer<'static> = Writer {
    user: "u-coord",
    device: "dev-coord",
    coordinator: true,
    revoked: false,
};
const ME: Writer<'static> = Writer {
    user: "u-a",
    device: "dev-a",
    coordinator: false,
    revoked: false,
};

impl Team {
    fn new() -> Team {
        let mut t = Team {
            server: MemServer::default(),
            coord: MemoryStore::new(),
            phone: MemoryStore::new(),
            today: day0(),
            next: 1000,
            at: 1_800_000_000_000,
            households: Vec::new(),
            mine: BTreeSet::new(),
            windowed: true,
            view: View::default(),
        };
        for n in 0..5 {
            let mut h = household(n);
            h.author = "u-coord".into();
            h.address.community = COMMUNITIES[n as usize % 3].into();
            let at = t.tick();
            LocalDb::new(&t.coord).save_household(&h, at).unwrap();
            t.households.push(h);
        }
        t.sync_coord();
        t
    }

    /// The app shows what it saved (`state.rs`: `show_saved`).
    fn saw_saved(&mut self, kind: RecordKind, id: RecordId) {
        patch(&mut self.view, &LocalDb::new(&self.phone), &[(kind, id)]);
    }

    fn tick(&mut self) -> UnixMillis {
        self.at += 1000;
        self.server.now = self.at as u64 * 1000;
        UnixMillis(self.at)
    }

    fn push(&mut self, coord: bool) {
        let (store, w) = if coord {
            (&self.coord, COORD)
        } else {
            (&self.phone, ME)
        };
        let db = LocalDb::new(store);
        while let Some(batch) = client::next_push(&db, 10, PUSH_BYTES).unwrap() {
            let answer = self.server.push(w, &batch.request).unwrap();
            client::on_pushed(&db, &batch, &answer).unwrap();
        }
    }

    fn pull(&mut self, coord: bool, limit: usize) {
        let store = if coord { &self.coord } else { &self.phone };
        let db = LocalDb::new(store);
        let today = (!coord && self.windowed).then_some(self.today);
        let (mut touched, mut everything) = (Vec::new(), false);
        for _ in 0..1000 {
            let scope = client::pull_scope(&db, today);
            let page = self.server.pull_scoped(
                client::cursor(&db),
                limit,
                &client::digest_except(&db),
                scope,
                (!coord).then_some(ME.user),
            );
            let pulled = client::on_pulled(&db, &page, UnixMillis(self.at)).unwrap();
            assert!(!pulled.repair, "the digests disagree: a repair started");
            touched.extend(pulled.touched);
            everything |= pulled.everything;
            if !page.more && !pulled.again {
                touched.extend(client::prune(&db).unwrap().removed);
                if !coord {
                    if everything {
                        self.view = view_of(&db);
                    } else {
                        patch(&mut self.view, &db, &touched);
                    }
                }
                return;
            }
        }
        panic!("the pull never ended");
    }

    fn sync_coord(&mut self) {
        self.push(true);
        self.pull(true, 50);
    }

    fn coord_visits(&self) -> Vec<Visit> {
        let db = LocalDb::new(&self.coord);
        let mut v = db.visits().load_all::<Visit>().unwrap().records;
        v.sort_by_key(|v| v.id);
        v
    }

    fn run(&mut self, s: &Step) {
        let at = self.tick();
        match *s {
            Step::Colleague(h, back, follow_up) => {
                self.next += 1;
                let mut v = visit(
                    self.next,
                    &self.households[h],
                    self.today.add_days(-back),
                    follow_up,
                );
                v.author = "u-coord".into();
                (v.created_at, v.updated_at) = (at, at);
                LocalDb::new(&self.coord).save_visit(&v, at).unwrap();
                self.sync_coord();
            }
            Step::ColleagueEdit(n, what) => {
                let visits = self.coord_visits();
                let Some(mut v) = visits.get(n % visits.len().max(1)).cloned() else {
                    return;
                };
                let db = LocalDb::new(&self.coord);
                match what {
                    0 => {
                        if let Some(f) = v.follow_up.as_mut() {
                            f.done_on = if f.done_on.is_some() {
                                None
                            } else {
                                Some(v.day)
                            };
                        }
                        v.updated_at = at;
                        db.save_visit(&v, at).unwrap();
                    }
                    1 => {
                        v.day = v.day.add_days(-40);
                        v.updated_at = at;
                        db.save_visit(&v, at).unwrap();
                    }
                    _ => {
                        if db.deleted_ids().unwrap().contains(&v.id) {
                            db.restore(RecordKind::Visit, v.id, at).unwrap();
                        } else {
                            db.delete(RecordKind::Visit, v.id, at).unwrap();
                        }
                    }
                }
                self.sync_coord();
            }
            Step::Mine(h, back) => {
                self.next += 1;
                let mut v = visit(
                    self.next,
                    &self.households[h],
                    self.today.add_days(-back),
                    None,
                );
                v.author = "u-a".into();
                (v.created_at, v.updated_at) = (at, at);
                LocalDb::new(&self.phone).save_visit(&v, at).unwrap();
                self.mine.insert(v.id);
                self.saw_saved(RecordKind::Visit, v.id);
            }
            Step::Sync(limit) => {
                self.push(false);
                self.pull(false, limit);
                self.check();
            }
            Step::Advance(days) => self.today = self.today.add_days(days),
            Step::SetDays(d) => self.server.window_days = d,
            Step::LoseCursor => client::forget_cursor(&LocalDb::new(&self.phone)).unwrap(),
            Step::Promote(coordinator) => self.windowed = !coordinator,
            Step::SetScope(given) => {
                let communities = super::scope::Communities {
                    communities: (0..3)
                        .filter(|&c| given[c])
                        .map(|c| COMMUNITIES[c].to_owned())
                        .collect(),
                };
                self.server
                    .communities
                    .insert(ME.user.to_owned(), communities.parse().unwrap());
            }
            Step::Move(h, c) => {
                let h = h % self.households.len();
                let db = LocalDb::new(&self.coord);
                let Some(mut moved) = db
                    .households()
                    .get::<Household>(&self.households[h].id.to_string())
                    .unwrap()
                else {
                    return;
                };
                moved.address.community = COMMUNITIES[c].into();
                moved.updated_at = at;
                db.save_household(&moved, at).unwrap();
                self.households[h] = moved;
                self.sync_coord();
            }
            Step::MineHousehold(c) => {
                self.next += 1;
                let mut h = household(self.next);
                h.author = ME.user.into();
                h.address.community = COMMUNITIES[c].into();
                (h.created_at, h.updated_at) = (at, at);
                LocalDb::new(&self.phone).save_household(&h, at).unwrap();
                self.mine.insert(h.id);
                self.saw_saved(RecordKind::Household, h.id);
                self.households.push(h);
            }
        }
    }

    /// Right after a sync: the phone holds exactly what the window keeps of the server's
    /// records, and everything the volunteer saved is on the server.
    fn check(&self) {
        let db = LocalDb::new(&self.phone);
        assert_eq!(
            self.view,
            view_of(&db),
            "the app's view, patched from what sync touched, is what the phone holds"
        );
        if !self.windowed {
            assert!(client::stored_window(&db).is_none());
            let all: BTreeSet<RecordId> = self.server.docs.keys().copied().collect();
            assert_eq!(
                held(&db),
                all,
                "a coordinator's phone holds the whole history"
            );
            return;
        }
        let w = client::stored_window(&db).expect("the server applied a window");
        let days = if self.server.window_days == 0 {
            window::DEFAULT_DAYS
        } else {
            self.server.window_days
        };
        assert_eq!(w, Window::ending(self.today, days));
        let facts: Vec<Facts> = self.server.docs.values().map(|d| d.facts()).collect();
        let extras = window::extras(&facts);
        let scope = super::scope::Scope::of(
            self.server
                .communities
                .get(ME.user)
                .cloned()
                .unwrap_or_default(),
            ME.user,
        );
        assert_eq!(client::stored_scope(&db), scope);
        let inside: std::collections::HashSet<RecordId> = self
            .server
            .docs
            .values()
            .filter(|d| {
                d.kind == RecordKind::Household
                    && scope
                        .as_ref()
                        .is_none_or(|s| s.holds(d.community().unwrap(), &d.created_by))
            })
            .map(|d| d.id)
            .collect();
        let want: BTreeSet<RecordId> = facts
            .iter()
            .filter(|f| window::keeps(w, f, &extras) && super::scope::in_scope(f, &inside))
            .map(|f| f.id)
            .collect();
        assert_eq!(
            held(&db),
            want,
            "the phone holds what the window and the scope keep"
        );
        for id in &self.mine {
            assert!(
                self.server.docs.contains_key(id),
                "a saved visit reached the server"
            );
        }
        assert!(db.outbox().is_empty().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("DOORSTEP_SYNC_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_phone_holds_what_its_window_and_scope_keep_after_any_schedule(steps in prop::collection::vec(step(), 1..40)) {
        let mut team = Team::new();
        for s in &steps {
            team.run(s);
        }
        team.run(&Step::Sync(4));
        team.run(&Step::Sync(4));
    }
}
