//! The records on this phone, loaded once at start and kept in signals; every change goes
//! through `LocalDb` (record + outbox) first and reaches the signals only once stored.

use std::collections::HashSet;
use std::time::Duration;

use doorstep_core::event::Event;
use doorstep_core::household::{Household, Stamp};
use doorstep_core::labels::Partner;
use doorstep_core::roster::Person;
use doorstep_core::store::{LocalDb, Metered, RecordKind, StorageUse, StoreError, Tombstone};
use doorstep_core::sync::window::Window;
use doorstep_core::sync::{client, conflicts, Synced};
use doorstep_core::units::Unit;
use doorstep_core::visit::join_names;
use doorstep_core::visit::Visit;
use doorstep_core::{Day, Lang, RecordId};
use leptos::prelude::*;

use crate::browser::{mark, measure, now};
use crate::local_store::{all_keys, yield_to_browser, LocalStore};

#[derive(Clone, Copy)]
pub struct Db {
    pub households: RwSignal<Vec<Household>>,
    pub visits: RwSignal<Vec<Visit>>,
    pub events: RwSignal<Vec<Event>>,
    /// The team's roster and partner units (every phone holds all of them).
    pub people: RwSignal<Vec<Person>>,
    pub units: RwSignal<Vec<Unit>>,
    pub deleted: RwSignal<HashSet<RecordId>>,
    /// Changes saved on this phone and not yet synced.
    pub pending: RwSignal<usize>,
    /// Whether `pending` has been counted since start (until then it is not known to be 0,
    /// and nothing may say "all synced").
    pub counted: RwSignal<bool>,
    /// Records with such a change (the rest that carry a server revision are synced).
    pub unsent: RwSignal<HashSet<RecordId>>,
    /// Why loading failed, if it did (storage disabled …).
    pub load_error: RwSignal<Option<StoreError>>,
    /// Records that could not be read (kept as they are).
    pub unreadable: RwSignal<usize>,
    /// How full localStorage is; measured after start and after each change.
    pub storage_use: RwSignal<Option<StorageUse>>,
    /// The first day of synced visits and events this phone keeps (`None`: all of them).
    pub window: RwSignal<Option<Window>>,
    /// The communities whose households this phone holds (`None`: all of them).
    pub scope: RwSignal<Option<Vec<String>>>,
}

/// Minutes east of UTC of the phone's time zone (Beijing: 480).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// Today in the phone's time zone.
pub fn today() -> Day {
    Day::from_unix_millis(now(), utc_offset_minutes())
}

pub fn stamp() -> Stamp {
    Stamp {
        now: now(),
        today: today(),
        user: crate::session::user_id(),
    }
}

impl Db {
    pub fn load() -> Self {
        let db = Db {
            households: RwSignal::new(Vec::new()),
            visits: RwSignal::new(Vec::new()),
            events: RwSignal::new(Vec::new()),
            people: RwSignal::new(Vec::new()),
            units: RwSignal::new(Vec::new()),
            deleted: RwSignal::new(HashSet::new()),
            pending: RwSignal::new(0),
            counted: RwSignal::new(false),
            unsent: RwSignal::new(HashSet::new()),
            load_error: RwSignal::new(None),
            unreadable: RwSignal::new(0),
            storage_use: RwSignal::new(None),
            window: RwSignal::new(None),
            scope: RwSignal::new(None),
        };
        db.open();
        db
    }

    /// Reads what the phone holds (at start, and after the PIN opened sealed data).
    pub fn open(&self) {
        mark("doorstep:load");
        let opened = self.read_all();
        measure("doorstep:load", "doorstep:load");
        match opened {
            Ok(()) => {
                self.load_error.set(None);
                // Walking every key takes tens of ms with 10,000 visits: after the first
                // screen.
                let db = *self;
                set_timeout(move || db.census(), Duration::from_millis(300));
            }
            Err(e) if is_locked(&e) => {}
            Err(e) => self.load_error.set(Some(e)),
        }
    }

    /// The app locked and the data key left memory: so do the records.
    pub fn forget(&self) {
        self.households.set(Vec::new());
        self.visits.set(Vec::new());
        self.events.set(Vec::new());
        self.people.set(Vec::new());
        self.units.set(Vec::new());
        self.deleted.set(HashSet::new());
        self.unsent.set(HashSet::new());
        self.pending.set(0);
        self.counted.set(false);
    }

    /// Opens the store for one change, counting what it adds to the storage used.
    fn open_metered(&self) -> Result<Metered<LocalStore>, StoreError> {
        Ok(Metered::new(LocalStore::open()?))
    }

    /// Adds a change's units to the storage figure (also after a failed, rolled-back one).
    fn account(&self, store: &Metered<LocalStore>) {
        let delta = store.delta_units();
        self.storage_use.update(|u| {
            if let Some(u) = u {
                u.used_units = u.used_units.saturating_add_signed(delta);
            }
        });
    }

    /// Reads the records again (after a pull stored some) and recounts the changes waiting.
    pub fn reload(&self) {
        match self.read_all() {
            Err(e) if !is_locked(&e) => self.load_error.set(Some(e)),
            _ => {}
        }
        self.recount();
    }

    /// After a sync: reads again only the records it stored or removed (`touched`), and
    /// recounts what waits. A record no longer stored leaves its list.
    pub fn patch(&self, touched: &[(RecordKind, RecordId)]) {
        if !touched.is_empty() {
            if let Ok(store) = LocalStore::open() {
                let local = LocalDb::new(&store);
                for kind in RecordKind::ALL {
                    let ids = touched
                        .iter()
                        .filter(|(k, _)| *k == kind)
                        .map(|(_, id)| *id);
                    doorstep_core::with_kind!(kind, T => patch_list(T::list(self), &local, ids));
                }
                let tombstones = local.tombstones();
                self.deleted.update(|d| {
                    for (_, id) in touched {
                        match tombstones.get::<Tombstone>(&id.to_string()) {
                            Ok(Some(_)) => d.insert(*id),
                            _ => d.remove(id),
                        };
                    }
                });
            }
        }
        self.recount();
    }

    /// Counts the changes waiting to be pushed, and the records they are about.
    pub fn recount(&self) {
        self.recount_among(None);
    }

    /// [`Db::recount`], from the keys a walk already listed when there is one.
    fn recount_among(&self, keys: Option<&[String]>) {
        if let Ok(store) = LocalStore::open() {
            let local = LocalDb::new(&store);
            // A sync may set the window or the scope without changing a record.
            self.read_bounds(&local);
            let pending = match keys {
                Some(keys) => local.outbox().pending_among(keys),
                None => local.outbox().pending(),
            };
            if let Ok((ms, bad)) = pending {
                self.pending.set(ms.len() + bad.len());
                self.unsent
                    .set(ms.iter().map(|m| m.change.record_id()).collect());
                self.counted.set(true);
            }
        }
    }

    /// Whether the server has this record as it is on the phone.
    pub fn is_synced(&self, id: RecordId, rev: u64) -> bool {
        rev > 0 && !self.unsent.with(|u| u.contains(&id))
    }

    /// The first screen's data: what the indexes list (no walk over every key).
    fn read_all(&self) -> Result<(), StoreError> {
        let store = LocalStore::open()?;
        let local = LocalDb::new(&store);
        let households = local.households().load_indexed::<Household>()?;
        let visits = local.visits().load_indexed::<Visit>()?;
        let events = local.events().load_indexed::<Event>()?;
        let people = local
            .collection(RecordKind::Person)
            .load_indexed::<Person>()?;
        let units = local.collection(RecordKind::Unit).load_indexed::<Unit>()?;
        let tombstones = local.tombstones().load_indexed::<Tombstone>()?;
        self.unreadable.set(
            households.unreadable.len()
                + visits.unreadable.len()
                + events.unreadable.len()
                + people.unreadable.len()
                + units.unreadable.len(),
        );
        self.events.set(events.records);
        self.people.set(people.records);
        self.units.set(units.records);
        self.households.set(households.records);
        self.visits.set(visits.records);
        self.deleted
            .set(tombstones.records.into_iter().map(|t| t.id).collect());
        self.read_bounds(&local);
        Ok(())
    }

    /// What the server last bounded this phone to: its window and its scope.
    fn read_bounds(&self, local: &LocalDb<'_, LocalStore>) {
        let window = client::stored_window(local);
        if self.window.get_untracked() != window {
            self.window.set(window);
        }
        let scope = client::stored_scope(local).map(|s| s.communities);
        if self.scope.get_untracked() != scope {
            self.scope.set(scope);
        }
    }

    /// One walk over every key, after start and in slices (`local_store::all_keys`):
    /// storage used, changes waiting to sync, and records an index missed (a crash mid-save,
    /// or two tabs saving at once) — shown too.
    fn census(&self) {
        let db = *self;
        leptos::task::spawn_local(async move { db.census_walk().await });
    }

    async fn census_walk(self) {
        mark("doorstep:census");
        let Ok((keys, units)) = all_keys().await else {
            return;
        };
        self.storage_use.set(Some(StorageUse::local_storage(units)));
        yield_to_browser().await;
        self.recount_among(Some(&keys));
        // Each collection's index read and compared on its own turn.
        for kind in RecordKind::ALL {
            yield_to_browser().await;
            let Ok(store) = LocalStore::open() else {
                return;
            };
            let c = LocalDb::new(&store).collection(kind);
            doorstep_core::with_kind!(kind, T => adopt(T::list(&self), c.adopt_orphans(&keys)));
        }
        yield_to_browser().await;
        let Ok(store) = LocalStore::open() else {
            return;
        };
        let local = LocalDb::new(&store);
        if let Ok(ts) = local.tombstones().adopt_orphans::<Tombstone>(&keys) {
            if !ts.is_empty() {
                self.deleted
                    .update(|d| d.extend(ts.into_iter().map(|t| t.id)));
            }
        }
        measure("doorstep:census", "doorstep:census");
    }

    pub fn household(&self, id: RecordId) -> Option<Household> {
        self.households
            .with(|hs| hs.iter().find(|h| h.id == id).cloned())
    }

    pub fn visit(&self, id: RecordId) -> Option<Visit> {
        self.visits
            .with(|vs| vs.iter().find(|v| v.id == id).cloned())
    }

    /// Stores the household (new or edited), then shows it.
    pub fn save_household(&self, h: Household) -> Result<(), StoreError> {
        self.put(self.households, h)
    }

    /// Stores a visit (new or edited), then shows it.
    pub fn save_visit(&self, v: Visit) -> Result<(), StoreError> {
        self.put(self.visits, v)
    }

    /// Stores an event (new or edited), then shows it.
    pub fn save_event(&self, e: Event) -> Result<(), StoreError> {
        self.put(self.events, e)
    }

    /// Stores a roster person (new, edited or merged), then shows it.
    pub fn save_person(&self, p: Person) -> Result<(), StoreError> {
        self.put(self.people, p)
    }

    /// Stores a partner unit (new or edited), then shows it.
    pub fn save_unit(&self, u: Unit) -> Result<(), StoreError> {
        self.put(self.units, u)
    }

    /// The partner units, without deleted ones, by name.
    pub fn live_units(&self) -> Vec<Unit> {
        let mut us = self.live(|_: &Unit| true);
        us.sort_by(|a, b| a.name.cmp(&b.name));
        us
    }

    /// The records of a kind that `keep` keeps, without deleted ones, as held.
    fn live<T: Listed>(&self, keep: impl Fn(&T) -> bool) -> Vec<T> {
        let deleted = self.deleted.get();
        T::list(self).with(|xs| {
            xs.iter()
                .filter(|x| !deleted.contains(&x.id()) && keep(x))
                .cloned()
                .collect()
        })
    }

    /// The roster, without deleted people, by name.
    pub fn live_people(&self) -> Vec<Person> {
        let mut ps = self.live(|_: &Person| true);
        ps.sort_by(|a, b| a.name.cmp(&b.name));
        ps
    }

    /// Settles a sync conflict on a field of a record with one of its values (`json`): saved
    /// as a change that names the field even when the value shown is kept.
    pub fn settle(
        &self,
        kind: RecordKind,
        id: RecordId,
        field: &str,
        json: &str,
    ) -> Result<(), StoreError> {
        doorstep_core::with_kind!(kind, T => self.settle_in(T::list(self), id, field, json))
    }

    fn settle_in<T: Synced + Send + Sync + 'static>(
        &self,
        list: RwSignal<Vec<T>>,
        id: RecordId,
        field: &str,
        json: &str,
    ) -> Result<(), StoreError> {
        let unusable = || StoreError::Other(format!("unusable value for {field}"));
        let record = list
            .with_untracked(|xs| xs.iter().find(|x| x.id() == id).cloned())
            .ok_or_else(unusable)?;
        let store = self.open_metered()?;
        let result = conflicts::settle(&LocalDb::new(&store), record, field, json, now());
        self.account(&store);
        let saved = result?.ok_or_else(unusable)?;
        self.show_saved(list, saved);
        Ok(())
    }

    /// Deletes a record by tombstone (kept for undo and for sync).
    pub fn delete(&self, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
        let store = self.open_metered()?;
        let result = LocalDb::new(&store).delete(kind, id, now());
        self.account(&store);
        result?;
        self.pending.update(|n| *n += 1);
        self.unsent.update(|u| {
            u.insert(id);
        });
        self.deleted.update(|d| {
            d.insert(id);
        });
        Ok(())
    }

    /// Undoes a delete.
    pub fn restore(&self, kind: RecordKind, id: RecordId) -> Result<(), StoreError> {
        let store = self.open_metered()?;
        let result = LocalDb::new(&store).restore(kind, id, now());
        self.account(&store);
        result?;
        self.pending.update(|n| *n += 1);
        self.unsent.update(|u| {
            u.insert(id);
        });
        self.deleted.update(|d| {
            d.remove(&id);
        });
        Ok(())
    }

    /// Writes through `LocalDb` (record and outbox); only a stored record reaches the list.
    fn put<T: Synced + Send + Sync + 'static>(
        &self,
        list: RwSignal<Vec<T>>,
        record: T,
    ) -> Result<(), StoreError> {
        mark("doorstep:save");
        let store = self.open_metered()?;
        let result = LocalDb::new(&store).save(&record, now());
        self.account(&store);
        result?;
        self.show_saved(list, record);
        measure("doorstep:save", "doorstep:save");
        Ok(())
    }

    /// A stored change: counted as waiting to sync, and its record shown.
    fn show_saved<T: Synced + Send + Sync + 'static>(&self, list: RwSignal<Vec<T>>, record: T) {
        self.pending.update(|n| *n += 1);
        self.unsent.update(|u| {
            u.insert(record.id());
        });
        list.update(|xs| match xs.iter_mut().find(|x| x.id() == record.id()) {
            Some(slot) => *slot = record,
            None => xs.push(record),
        });
    }

    /// Visits that are not deleted and match `keep`, newest first.
    pub fn live_visits(&self, keep: impl Fn(&Visit) -> bool) -> Vec<Visit> {
        let mut vs = self.live(keep);
        vs.sort_by_key(|v| std::cmp::Reverse((v.day, v.created_at)));
        vs
    }

    /// Events that are not deleted and match `keep`, newest first.
    pub fn live_events(&self, keep: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut es = self.live(keep);
        es.sort_by_key(|e| std::cmp::Reverse((e.day, e.created_at)));
        es
    }

    /// The conflicts a pull reported on a record, to settle.
    pub fn conflicts_of(&self, id: RecordId) -> Vec<conflicts::FieldConflict> {
        LocalStore::open()
            .map(|s| conflicts::conflicts(&LocalDb::new(&s), id))
            .unwrap_or_default()
    }

    /// Every record with a conflict to settle.
    pub fn conflicted_ids(&self) -> Vec<RecordId> {
        LocalStore::open()
            .map(|s| conflicts::conflicted_ids(&LocalDb::new(&s)))
            .unwrap_or_default()
    }

    /// The changes the server refused, each with the record as stored here (kind, JSON).
    pub fn refused(&self) -> Vec<(client::Quarantined, Option<(RecordKind, String)>)> {
        let Ok(store) = LocalStore::open() else {
            return Vec::new();
        };
        let local = LocalDb::new(&store);
        client::quarantined(&local)
            .unwrap_or_default()
            .into_iter()
            .map(|q| {
                let record = client::quarantined_record(&local, &q).map(|(k, _, json)| (k, json));
                (q, record)
            })
            .collect()
    }

    /// Queues a refused change again, then recounts what waits.
    pub fn retry_refused(&self, seq: u64) {
        if let Ok(store) = LocalStore::open() {
            let _ = client::retry(&LocalDb::new(&store), seq, crate::browser::now());
        }
        self.recount();
    }

    /// After the PIN lockout: what the server has leaves the phone; unsynced changes stay
    /// until the next sign-in sends them.
    pub fn wipe_synced(&self) {
        if let Ok(store) = LocalStore::open() {
            let _ = client::wipe_synced(&LocalDb::new(&store));
        }
        self.reload();
    }

    /// The roster as held (merges followed by its lookups).
    pub fn roster(&self) -> doorstep_core::roster::Roster {
        doorstep_core::roster::Roster::new(self.people.get())
    }

    /// The roster and the units, for showing who and which units a record names.
    pub fn names(&self) -> doorstep_core::names::Names {
        doorstep_core::names::Names::new(self.roster(), self.units.get())
    }

    /// Who a record names, on one line ("张三、李四"): roster names after merges.
    pub fn people_line(&self, ids: &[RecordId], old_names: &[String], lang: Lang) -> String {
        join_names(&self.names().people(ids, old_names, lang), lang)
    }

    /// Which units a record names, on one line.
    pub fn units_line(&self, ids: &[RecordId], partners: &[Partner], lang: Lang) -> String {
        join_names(&self.names().units(ids, partners, lang), lang)
    }

    /// The name of a roster person or a unit, by id (after merges for people).
    pub fn name_of(&self, id: RecordId) -> Option<String> {
        let names = self.names();
        names
            .roster()
            .name(id)
            .map(str::to_owned)
            .or_else(|| names.unit(id).map(|u| u.name.clone()))
    }

    /// Visits of one household, newest first, without deleted ones.
    pub fn visits_of(&self, household: RecordId) -> Vec<Visit> {
        self.live_visits(|v| v.household_id == household)
    }
}

/// Where the app keeps the records of a kind in memory.
pub trait Listed: Synced + Send + Sync + 'static {
    fn list(db: &Db) -> RwSignal<Vec<Self>>;
}

impl Listed for Household {
    fn list(db: &Db) -> RwSignal<Vec<Self>> {
        db.households
    }
}

impl Listed for Visit {
    fn list(db: &Db) -> RwSignal<Vec<Self>> {
        db.visits
    }
}

impl Listed for Event {
    fn list(db: &Db) -> RwSignal<Vec<Self>> {
        db.events
    }
}

impl Listed for Person {
    fn list(db: &Db) -> RwSignal<Vec<Self>> {
        db.people
    }
}

impl Listed for Unit {
    fn list(db: &Db) -> RwSignal<Vec<Self>> {
        db.units
    }
}

/// Puts the stored copies of `ids` in `list` (in place, or added), and drops those no longer
/// stored.
fn patch_list<T: Synced + Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    local: &LocalDb<'_, LocalStore>,
    ids: impl Iterator<Item = RecordId>,
) {
    let c = local.collection(T::KIND);
    let fresh: Vec<(RecordId, Option<T>)> = ids
        .map(|id| (id, c.get::<T>(&id.to_string()).ok().flatten()))
        .collect();
    if fresh.is_empty() {
        return;
    }
    list.update(|xs| {
        // Every entry of an id reads the same final state, so the positions stay right.
        let mut at: std::collections::HashMap<RecordId, usize> =
            xs.iter().enumerate().map(|(i, x)| (x.id(), i)).collect();
        let mut gone = HashSet::new();
        for (id, record) in fresh {
            match (at.get(&id).copied(), record) {
                (Some(i), Some(r)) => xs[i] = r,
                (None, Some(r)) => {
                    at.insert(id, xs.len());
                    xs.push(r);
                }
                (Some(_), None) => {
                    gone.insert(id);
                }
                (None, None) => {}
            }
        }
        if !gone.is_empty() {
            xs.retain(|x| !gone.contains(&x.id()));
        }
    });
}

/// Whether storage failed only because the data is sealed and the PIN not given yet.
fn is_locked(e: &StoreError) -> bool {
    matches!(e, StoreError::Unavailable(why) if why == crate::local_store::LOCKED)
}

fn adopt<T: Send + Sync + 'static>(list: RwSignal<Vec<T>>, found: Result<Vec<T>, StoreError>) {
    if let Ok(found) = found {
        if !found.is_empty() {
            list.update(|xs| xs.extend(found));
        }
    }
}

pub fn use_db() -> Db {
    expect_context::<Db>()
}
