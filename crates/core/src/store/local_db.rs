//! The app's database on the phone: typed collections plus the outbox, written together so
//! that every saved change is also queued for sync.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::outbox::{Change, Mutation, Outbox, RecordKind};
use super::{Collection, KvStore, Record, StoreError};
use crate::event::Event;
use crate::household::Household;
use crate::sync::{FieldSet, Synced};
use crate::visit::Visit;
use crate::{RecordId, UnixMillis};

pub use super::keys::ROOT;
use super::keys::UNDELETED;
pub const HOUSEHOLDS: &str = "households";
pub const VISITS: &str = "visits";
pub const EVENTS: &str = "events";
pub const PEOPLE: &str = "people";
pub const UNITS: &str = "units";
pub const TOMBSTONES: &str = "tombstones";
// UNDELETED (keys.rs): when this phone last undeleted a record, until the server's state
// comes back — a server restored from a backup that lost the undeletion is told apart from a
// later deletion.

/// A deleted record: hidden from every list until restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub kind: RecordKind,
    pub id: RecordId,
    pub at: UnixMillis,
}

impl Record for Tombstone {
    fn record_id(&self) -> String {
        self.id.to_string()
    }
}

pub struct LocalDb<'s, S: KvStore + ?Sized> {
    store: &'s S,
}

impl<'s, S: KvStore + ?Sized> LocalDb<'s, S> {
    pub fn new(store: &'s S) -> Self {
        LocalDb { store }
    }

    pub fn households(&self) -> Collection<'s, S> {
        Collection::new(self.store, HOUSEHOLDS)
    }

    pub fn visits(&self) -> Collection<'s, S> {
        Collection::new(self.store, VISITS)
    }

    pub fn events(&self) -> Collection<'s, S> {
        Collection::new(self.store, EVENTS)
    }

    pub fn tombstones(&self) -> Collection<'s, S> {
        Collection::new(self.store, TOMBSTONES)
    }

    /// The key-value store underneath (sync keeps its cursor and quarantine there).
    pub(crate) fn kv(&self) -> &'s S {
        self.store
    }

    pub fn outbox(&self) -> Outbox<'s, S> {
        Outbox::new(self.store)
    }

    pub fn collection(&self, kind: RecordKind) -> Collection<'s, S> {
        Collection::new(self.store, kind.collection())
    }

    /// Stores a record (new or edited) and queues the change, naming the fields it touched
    /// so that sync merges them one by one.
    pub fn save<T: Synced>(&self, record: &T, at: UnixMillis) -> Result<Mutation, StoreError> {
        self.save_with(record, at, FieldSet::NONE)
    }

    /// Saves naming also the fields in `also`, changed or not: settling a conflict by keeping
    /// the value shown must still tell the server that this value was chosen.
    pub fn save_with<T: Synced>(
        &self,
        record: &T,
        at: UnixMillis,
        also: FieldSet,
    ) -> Result<Mutation, StoreError> {
        let collection = self.collection(T::KIND);
        let fields = match collection.get::<T>(&record.record_id()) {
            Ok(Some(before)) => record.changed_since(&before).union(also),
            // New, or the stored one is unreadable: send everything.
            _ => FieldSet::ALL,
        };
        let change = Change::Put {
            kind: T::KIND,
            id: record.id(),
            fields,
        };
        self.write(&collection, record, at, change)
    }

    pub fn save_household(&self, h: &Household, at: UnixMillis) -> Result<Mutation, StoreError> {
        self.save(h, at)
    }

    pub fn save_visit(&self, v: &Visit, at: UnixMillis) -> Result<Mutation, StoreError> {
        self.save(v, at)
    }

    pub fn save_event(&self, e: &Event, at: UnixMillis) -> Result<Mutation, StoreError> {
        self.save(e, at)
    }

    /// Deletes by tombstone; the record itself stays, so [`LocalDb::restore`] can undo it.
    pub fn delete(
        &self,
        kind: RecordKind,
        id: RecordId,
        at: UnixMillis,
    ) -> Result<Mutation, StoreError> {
        self.write(
            &self.tombstones(),
            &Tombstone { kind, id, at },
            at,
            Change::Delete { kind, id },
        )
    }

    pub fn restore(
        &self,
        kind: RecordKind,
        id: RecordId,
        at: UnixMillis,
    ) -> Result<Mutation, StoreError> {
        let tombstones = self.tombstones();
        let key = id.to_string();
        let before = tombstones.get_raw(&key)?;
        let mutation = self.outbox().append(at, Change::Restore { kind, id })?;
        if let Err(e) = tombstones.remove(&key) {
            let _ = self.outbox().remove(mutation.seq);
            if let Some(v) = before {
                let _ = tombstones.set_raw(&key, &v);
            }
            return Err(e);
        }
        // Best effort: without it a repair treats the undeletion as older than any deletion.
        let _ = self
            .store
            .set(&format!("{UNDELETED}{id}"), &at.0.to_string());
        Ok(mutation)
    }

    /// Removes every record, tombstone and queued change of this database: signing out of
    /// the phone with an explicit "discard". Returns how many keys were removed.
    pub fn wipe(&self) -> Result<usize, StoreError> {
        super::keys::remove_team(self.store)
    }

    /// When this phone undeleted the record, if the server has not sent its state since.
    pub fn undeleted_at(&self, id: RecordId) -> Option<UnixMillis> {
        let v = self.store.get(&format!("{UNDELETED}{id}")).ok()??;
        v.parse().ok().map(UnixMillis)
    }

    /// The server's state of the record arrived (or the record left the phone).
    pub fn forget_undeleted(&self, id: RecordId) -> Result<(), StoreError> {
        self.store.remove(&format!("{UNDELETED}{id}"))
    }

    /// Ids of deleted records, to leave out of every list.
    pub fn deleted_ids(&self) -> Result<HashSet<RecordId>, StoreError> {
        Ok(self
            .tombstones()
            .load_all::<Tombstone>()?
            .records
            .into_iter()
            .map(|t| t.id)
            .collect())
    }

    /// Queues the change first, then writes the record: a crash in between leaves a change
    /// that still reaches the server (never a record on the phone that would not). If the
    /// record cannot be written, the change is taken back and the error returned.
    fn write<T: Record>(
        &self,
        collection: &Collection<'s, S>,
        record: &T,
        at: UnixMillis,
        change: Change,
    ) -> Result<Mutation, StoreError> {
        let mutation = self.outbox().append(at, change)?;
        if let Err(e) = collection.put(record) {
            let _ = self.outbox().remove(mutation.seq);
            return Err(e);
        }
        Ok(mutation)
    }
}
