//! Repair after the server lost records it had acknowledged (a database restored from a
//! backup): I1 must hold even then. Three signs start one, each checked by the phone:
//! - a pull answers `reset` (the phone's cursor is ahead of the server's counter);
//! - a push answers `seq_gap` (the server forgot mutations it had acknowledged);
//! - after a complete pull with nothing of its own waiting, the phone's record ids differ
//!   from the server's [`Digest`].
//!
//! A repair walks the server's ids page by page (`GET /api/v1/sync/ids`) and queues again,
//! as whole records, what the server lacks or holds in an older form (the phone's
//! `updated_at` is later) and deletions it lost; then the cursor is forgotten and the next
//! pull brings everything back. Whatever the phone holds goes back, whoever made it: the
//! server keeps a colleague's visit re-sent by a coordinator under its author, and refuses
//! it from a volunteer (it would become theirs) — then it waits in the phone's problems list,
//! kept and exportable (I6), and stays out of the digest like every refused change. Pages are not stored while a repair is under way, so they
//! cannot overwrite what it still has to compare. Progress is stored after each page, so a
//! crash or a closed tab resumes where it stopped. Requeued records get `rev` 0: revision
//! numbers from before the restore mean nothing now, and base 0 makes the server keep
//! another phone's value beside this one as a conflict instead of overwriting it.

use std::collections::HashMap;

use super::client::{local_changes, quarantined_ids};
use super::digest::Digest;
use super::fields::Synced;
use super::wire::{IdEntry, IdsResponse, PullResponse};
use crate::store::{Change, KvStore, LocalDb, RecordKind, StoreError};
use crate::RecordId;

// CHECKED is cleared when the phone's records change: a push answered, a pull storing
// records, a wipe.
use crate::store::keys::{CHECKED, REPAIR, RESUME};

const KINDS: [RecordKind; RecordKind::ALL.len()] = RecordKind::ALL;

/// Starts (or restarts) a repair.
pub fn begin<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<(), StoreError> {
    db.kv().remove(CHECKED)?;
    db.kv().set(REPAIR, "")
}

/// The push was answered `seq_gap`: the next push asks the server to resume, and a repair
/// brings back what the server lost.
pub fn on_gap<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<(), StoreError> {
    db.kv().set(RESUME, "1")?;
    begin(db)
}

pub(super) fn resume_requested<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> bool {
    db.kv().get(RESUME).ok().flatten().is_some()
}

/// A push was answered: the server has changed, so the next pull checks again.
pub(super) fn on_acknowledged<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    resumed: bool,
) -> Result<(), StoreError> {
    if resumed {
        db.kv().remove(RESUME)?;
    }
    forget_check(db)
}

/// The phone's records are about to change (a pull stores some, a wipe): check again, even
/// if the cursor stays where it was (a pull that crashed before moving it).
pub(super) fn forget_check<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<(), StoreError> {
    db.kv().remove(CHECKED)
}

/// `Some(after)` while a repair is under way: ask the server for its ids after this one
/// (`None`: from the first).
pub fn under_way<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Option<Option<RecordId>> {
    let progress = db.kv().get(REPAIR).ok()??;
    Some(RecordId::parse(&progress).ok())
}

/// Every record id on the phone, by kind, from one walk of the keys.
fn stored_ids<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
) -> Result<Vec<(RecordKind, RecordId)>, StoreError> {
    let prefixes: Vec<(RecordKind, String)> = KINDS
        .iter()
        .map(|&k| (k, db.collection(k).record_prefix()))
        .collect();
    let mut out = Vec::new();
    for key in db.kv().keys(crate::store::keys::ROOT)? {
        for (kind, prefix) in &prefixes {
            if let Some(id) = key.strip_prefix(prefix.as_str()) {
                if let Ok(id) = RecordId::parse(id) {
                    out.push((*kind, id));
                }
            }
        }
    }
    Ok(out)
}

/// After a pull page was stored: on the last page, compares the phone's records with the
/// server's digest and starts a repair when they differ. Only when nothing waits in the
/// outbox and the server left out exactly the records of the phone's refused changes (they
/// differ by design), and once per cursor. Returns whether a repair started.
pub(super) fn check<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    page: &PullResponse,
) -> Result<bool, StoreError> {
    let Some(server) = page.digest.filter(|_| !page.more) else {
        return Ok(false);
    };
    // The server's side of the check; the phone's is reset whenever its records change.
    let checked = format!("{}/{}/{:x}", page.cursor, server.count, server.xor);
    if db.kv().get(CHECKED)?.as_deref() == Some(checked.as_str())
        || !db.outbox().is_empty()?
        || quarantined_ids(db)? != page.except.iter().copied().collect()
    {
        return Ok(false);
    }
    let deleted = db.deleted_ids()?;
    let mut mine = Digest::default();
    for (kind, id) in stored_ids(db)?
        .into_iter()
        .filter(|(_, id)| !page.except.contains(id))
    {
        let stamp = stored_stamp(db, kind, id)?;
        // With a window, the server's digest covers households and records from its first
        // day: those kept beyond it are left out on both sides.
        if page.window.is_some_and(|w| !w.covers(stamp.day)) {
            continue;
        }
        let version = Digest::version(stamp.updated_at, deleted.contains(&id));
        mine.add(id, version);
    }
    if mine == server {
        db.kv().set(CHECKED, &checked)?;
        return Ok(false);
    }
    begin(db)?;
    Ok(true)
}

/// A record's `updated_at` and day without decoding all of it (a walk over every record).
fn stored_stamp<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    kind: RecordKind,
    id: RecordId,
) -> Result<super::window::Stamp, StoreError> {
    let raw = db.collection(kind).get_raw(&id.to_string())?;
    let mut stamp = raw
        .and_then(|r| super::window::Stamp::of(&r))
        .unwrap_or_default();
    if kind == RecordKind::Household {
        stamp.day = None;
    }
    Ok(stamp)
}

/// What one page of the server's ids changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repaired {
    /// Changes queued again.
    pub requeued: usize,
    /// The repair is over: the cursor is forgotten, the next pull brings everything.
    pub done: bool,
}

/// Compares one page of the server's ids with the phone's records in the same range and
/// queues again what the server lost.
pub fn on_ids<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    page: &IdsResponse,
) -> Result<Repaired, StoreError> {
    let Some(after) = under_way(db) else {
        return Ok(Repaired::default());
    };
    let upper = page.ids.last().map(|e| e.id).filter(|_| page.more);
    let server: HashMap<RecordId, &IdEntry> = page.ids.iter().map(|e| (e.id, e)).collect();
    let waiting = local_changes(db)?;
    let deleted: HashMap<RecordId, crate::UnixMillis> = db
        .tombstones()
        .load_all::<crate::store::Tombstone>()?
        .records
        .into_iter()
        .map(|t| (t.id, t.at))
        .collect();
    let mut done = Repaired::default();
    let in_range = |id: &RecordId| after.is_none_or(|a| *id > a) && upper.is_none_or(|u| *id <= u);
    for (kind, id) in stored_ids(db)? {
        if !in_range(&id) {
            continue;
        }
        let entry = server.get(&id).copied();
        // Deleted here later than the server's state was set (an undeletion made after ours
        // is someone's choice, kept) …
        let delete = deleted.get(&id).copied().filter(|&at| match entry {
            None => true,
            Some(e) => !e.deleted && at > e.deleted_set_at,
        });
        // … or undeleted here later (if the server lacks the record, its deleted state
        // starts at creation when the record arrives).
        let undelete = db
            .undeleted_at(id)
            .filter(|_| !deleted.contains_key(&id))
            .filter(|&at| entry.is_none_or(|e| e.deleted && at > e.deleted_set_at));
        let waiting = waiting.contains(&id);
        done.requeued += requeue(db, kind, id, |updated_at| Resend {
            // A waiting change goes anyway (whole, if the server lacks the record).
            record: !waiting && entry.is_none_or(|e| updated_at > e.updated_at),
            delete,
            undelete,
            waiting,
            lost: entry.is_none(),
        })?;
    }
    // A deletion pulled by a crashed pull whose record never arrived, now lost on the server.
    let held: std::collections::HashSet<RecordId> =
        stored_ids(db)?.into_iter().map(|(_, id)| id).collect();
    for id in deleted.keys().filter(|id| in_range(id)) {
        if !held.contains(id) && !server.contains_key(id) {
            db.tombstones().remove(&id.to_string())?;
        }
    }
    match upper {
        Some(u) => db.kv().set(REPAIR, &u.to_string())?,
        None => {
            super::client::forget_cursor(db)?;
            db.kv().remove(REPAIR)?;
            done.done = true;
        }
    }
    Ok(done)
}

/// What to queue again for a record, given its `updated_at`.
struct Resend {
    record: bool,
    /// Its deletion or undeletion, stamped with when it was made here.
    delete: Option<crate::UnixMillis>,
    undelete: Option<crate::UnixMillis>,
    waiting: bool,
    /// The server has no record of this id.
    lost: bool,
}

fn requeue<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    kind: RecordKind,
    id: RecordId,
    decide: impl Fn(crate::UnixMillis) -> Resend,
) -> Result<usize, StoreError> {
    crate::with_kind!(kind, T => requeue_as::<T, S>(db, id, decide))
}

/// Queues what `decide` says. Whatever goes, and every record with a change waiting, gets
/// `rev` 0 (see the module's note).
fn requeue_as<T: Synced, S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    id: RecordId,
    decide: impl Fn(crate::UnixMillis) -> Resend,
) -> Result<usize, StoreError> {
    let c = db.collection(T::KIND);
    let Some(mut record) = c.get::<T>(&id.to_string())? else {
        return Ok(0);
    };
    let kind = T::KIND;
    let r = decide(record.updated_at());
    // A record the server made itself (a roster person of an account or of an old name,
    // `sync::legacy`) is the server's to make again, and no phone may send it in its name:
    // lost there, it leaves the phone too (the next pull brings it back if it is remade).
    if r.lost && !r.waiting && record.author() == super::legacy::SERVER.user {
        c.remove(&id.to_string())?;
        return Ok(0);
    }
    let goes = r.record || r.delete.is_some() || r.undelete.is_some();
    if (goes || r.waiting) && record.rev() != 0 {
        record.set_rev(0);
        c.put(&record)?;
    }
    let mut n = 0;
    if r.record {
        // Stamped with when the phone made the content: a conflict shows the latest.
        db.outbox()
            .append(record.updated_at(), Change::Resend { kind, id })?;
        n += 1;
    }
    if let Some(at) = r.delete {
        db.outbox().append(at, Change::Delete { kind, id })?;
        n += 1;
    }
    if let Some(at) = r.undelete {
        db.outbox().append(at, Change::Restore { kind, id })?;
        n += 1;
    }
    Ok(n)
}
