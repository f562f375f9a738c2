//! Sync conflicts on the phone: the fields of a record that two people changed without seeing
//! each other, as the last pull reported them, until a coordinator settles each.

use serde_json::value::RawValue;

use super::fields::Synced;
use crate::store::{KvStore, LocalDb, StoreError};
use crate::{RecordId, UnixMillis};

use crate::store::keys::CONFLICTS;

/// A field changed on two phones without seeing each other: every value, as JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    pub field: String,
    pub values: Vec<String>,
}

/// The conflicts the last pull reported for a record (none when settled or never).
pub fn conflicts<S: KvStore + ?Sized>(db: &LocalDb<'_, S>, id: RecordId) -> Vec<FieldConflict> {
    let Ok(Some(raw)) = db.kv().get(&format!("{CONFLICTS}{id}")) else {
        return Vec::new();
    };
    serde_json::from_str::<std::collections::BTreeMap<String, Vec<Box<RawValue>>>>(&raw)
        .map(|m| {
            m.into_iter()
                .map(|(field, vs)| FieldConflict {
                    field,
                    values: vs.into_iter().map(|v| v.get().to_owned()).collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Settles a conflict on one field of `record` with one of its values (`json`), on this
/// phone: saved as a change that names the field even when the value shown is kept (so the
/// server records the choice), and the phone forgets the record's conflicts (the next pull
/// says what is left). Returns the record as saved; `None` if the value does not fit.
pub fn settle<T: Synced, S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    mut record: T,
    field: &str,
    json: &str,
    now: UnixMillis,
) -> Result<Option<T>, StoreError> {
    if !record.set_field_json(field, json) {
        return Ok(None);
    }
    let at = now.max(record.updated_at());
    record.set_updated_at(at);
    db.save_with(&record, at, T::field(field))?;
    forget_conflicts(db, record.id())?;
    Ok(Some(record))
}

/// The records the last pulls reported in conflict (the coordinator's review lists them).
pub fn conflicted_ids<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Vec<RecordId> {
    db.kv()
        .keys(CONFLICTS)
        .unwrap_or_default()
        .iter()
        .filter_map(|k| RecordId::parse(&k[CONFLICTS.len()..]).ok())
        .collect()
}

/// Forgets a record's conflicts on the phone (settled here; the next pull says what is left).
pub fn forget_conflicts<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    id: RecordId,
) -> Result<(), StoreError> {
    db.kv().remove(&format!("{CONFLICTS}{id}"))
}

/// Keeps what a pull said of a record's conflicts (`None`: it has none).
pub(super) fn remember<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    id: RecordId,
    conflicts: Option<&RawValue>,
) -> Result<(), StoreError> {
    let key = format!("{CONFLICTS}{id}");
    match conflicts {
        Some(c) => db.kv().set(&key, c.get()),
        None => db.kv().remove(&key),
    }
}

/// Forgets every record's conflicts (the team's data leaves the phone).
pub(super) fn forget_all<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<(), StoreError> {
    for k in db.kv().keys(CONFLICTS)? {
        db.kv().remove(&k)?;
    }
    Ok(())
}
