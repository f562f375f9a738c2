//! The outbox: every local change, numbered 1, 2, 3 … on this device, kept until the server's
//! acknowledgement covers it (never dropped on a timeout or by age; see shared/sync-design.md).

use serde::{Deserialize, Serialize};

use super::{pack, KvStore, StoreError};
use crate::sync::FieldSet;
use crate::{RecordId, UnixMillis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Household,
    Visit,
    Event,
    /// A roster person (`roster`).
    Person,
    /// A partner unit (`units`).
    Unit,
}

/// One change, by reference. A put names the record; the sync layer reads the record as
/// stored when it pushes. So the outbox does not hold a second copy of every record (it would
/// halve what fits in localStorage), and a record edited twice before a push is sent in its
/// latest form twice (puts are idempotent). If the app stopped between queueing a put and
/// writing the record, the save never returned `Ok`: the push sends what is stored (the
/// version before, or nothing when there is none).
/// Externally tagged (serde's default), which decodes without buffering: smaller WASM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Put {
        kind: RecordKind,
        id: RecordId,
        /// What this change touched (absent: everything, as for a new record).
        #[serde(default, skip_serializing_if = "FieldSet::is_all")]
        fields: FieldSet,
    },
    /// A tombstone: the record is hidden everywhere, and can be restored on purpose.
    Delete {
        kind: RecordKind,
        id: RecordId,
    },
    Restore {
        kind: RecordKind,
        id: RecordId,
    },
    /// The whole record again, because the server lost it (a restored backup; `sync::repair`):
    /// applied only where the server has nothing newer, in its author's name.
    Resend {
        kind: RecordKind,
        id: RecordId,
    },
}

impl Change {
    /// The kind and id of the record the change is about.
    pub fn target(&self) -> (RecordKind, RecordId) {
        match *self {
            Change::Put { kind, id, .. }
            | Change::Delete { kind, id }
            | Change::Restore { kind, id }
            | Change::Resend { kind, id } => (kind, id),
        }
    }

    /// The record the change is about.
    pub fn record_id(&self) -> RecordId {
        match *self {
            Change::Put { id, .. }
            | Change::Delete { id, .. }
            | Change::Restore { id, .. }
            | Change::Resend { id, .. } => id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutation {
    /// Per device, from 1, never reused.
    pub seq: u64,
    pub at: UnixMillis,
    pub change: Change,
}

pub struct Outbox<'s, S: KvStore + ?Sized> {
    store: &'s S,
}

use super::keys::OUTBOX as PREFIX;

fn key(seq: u64) -> String {
    // Zero-padded so that sorted keys are in sequence order.
    format!("{PREFIX}m/{seq:020}")
}

fn next_key() -> String {
    format!("{PREFIX}next")
}

impl<'s, S: KvStore + ?Sized> Outbox<'s, S> {
    pub fn new(store: &'s S) -> Self {
        Outbox { store }
    }

    /// Stores the change under the next number. On `Ok` it is stored; on `Err` it is not.
    pub fn append(&self, at: UnixMillis, change: Change) -> Result<Mutation, StoreError> {
        let next_key = next_key();
        let mut seq = match self.store.get(&next_key)? {
            None => 1,
            Some(v) => v.parse().map_err(|_| StoreError::Corrupt {
                key: next_key.clone(),
            })?,
        };
        // A crash between the two writes below leaves a stored mutation under `seq`: step
        // over it rather than overwrite it.
        while self.store.get(&key(seq))?.is_some() {
            seq += 1;
        }
        let mutation = Mutation { seq, at, change };
        self.store.set(&key(seq), &pack::encode(&mutation)?)?;
        // If this write fails the mutation is still stored, and the loop above skips it.
        let _ = self.store.set(&next_key, &(seq + 1).to_string());
        Ok(mutation)
    }

    /// Mutations not yet acknowledged, in order. Unreadable entries are reported by key and
    /// kept (quarantine is the sync layer's job; nothing is dropped here).
    pub fn pending(&self) -> Result<(Vec<Mutation>, Vec<String>), StoreError> {
        self.pending_first(usize::MAX)
    }

    /// The first `max` of [`Outbox::pending`] (entries readable or not): a push batch reads
    /// only what it sends.
    pub fn pending_first(&self, max: usize) -> Result<(Vec<Mutation>, Vec<String>), StoreError> {
        let keys = self.store.keys(&format!("{PREFIX}m/"))?;
        self.read(keys.into_iter().take(max))
    }

    /// [`Outbox::pending`], from the store's keys a walk already listed (sorted or not): no
    /// second walk.
    pub fn pending_among(
        &self,
        keys: &[String],
    ) -> Result<(Vec<Mutation>, Vec<String>), StoreError> {
        let prefix = format!("{PREFIX}m/");
        let mut mine: Vec<String> = keys
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        mine.sort();
        self.read(mine.into_iter())
    }

    fn read(
        &self,
        keys: impl Iterator<Item = String>,
    ) -> Result<(Vec<Mutation>, Vec<String>), StoreError> {
        let mut ok = Vec::new();
        let mut unreadable = Vec::new();
        for k in keys {
            match self
                .store
                .get(&k)?
                .map(|v| pack::decode::<Mutation>(&v, &k))
            {
                Some(Ok(m)) => ok.push(m),
                Some(Err(_)) => unreadable.push(k),
                None => {}
            }
        }
        Ok((ok, unreadable))
    }

    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.keys(&format!("{PREFIX}m/"))?.len())
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// Removes the mutation numbered `seq` (acknowledged by the server, or rolling back a
    /// save whose record could not be written).
    pub(crate) fn remove(&self, seq: u64) -> Result<(), StoreError> {
        self.store.remove(&key(seq))
    }

    /// Removes a mutation the server has handled. The counter first moves past it, so its
    /// number is never used again (a crash can leave a mutation stored with the counter
    /// behind it; once it is gone, the step-over in `append` would not see it).
    pub fn ack(&self, seq: u64) -> Result<(), StoreError> {
        let next_key = next_key();
        let next: u64 = self
            .store
            .get(&next_key)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        if next <= seq {
            self.store.set(&next_key, &(seq + 1).to_string())?;
        }
        self.store.remove(&key(seq))
    }

    /// The number of a mutation's key, if it is one.
    pub fn seq_of(key: &str) -> Option<u64> {
        key.strip_prefix(PREFIX)?.strip_prefix("m/")?.parse().ok()
    }

    /// The stored text of a mutation (kept as it is when it cannot be read).
    pub(crate) fn get_raw(&self, seq: u64) -> Result<Option<String>, StoreError> {
        self.store.get(&key(seq))
    }
}
