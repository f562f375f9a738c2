//! The phone's side of sync, over any [`KvStore`]: what to push, what the server's answer
//! removes from the outbox or sets aside, and how a pulled page lands.
//!
//! A mutation leaves the outbox only when the server's answer covers it. A rejected one is
//! set aside in quarantine (kept, shown, retryable) and never blocks the ones after it.
//! Pull never overwrites a record with a change waiting to be pushed or set aside: the push
//! goes first and the server's merged copy comes back with a later pull.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::fields::{FieldSet, Synced};
use super::wire::{
    Op, Outcome, PullResponse, PulledRecord, PushMutation, PushRequest, PushResponse, RejectCode,
    Rejection, PROTOCOL,
};
use crate::store::{
    pack, Change, KvStore, LocalDb, Mutation, Outbox, RecordKind, StoreError, Tombstone,
};
use crate::{RecordId, UnixMillis};

use super::scope::Scope;
use super::window::{self, Window};
use super::wire::PullScope;
use crate::store::keys::{CURSOR, FULL, QUARANTINE, SCOPE, WINDOW};

/// A mutation the server refused, kept with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    pub seq: u64,
    /// `None` when the outbox entry itself could not be read (its text is in `raw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
    pub reason: Rejection,
}

/// One push: the request and the numbers it carries.
pub struct PushBatch {
    pub request: PushRequest,
    pub seqs: Vec<u64>,
    /// The mutations' size as JSON.
    pub bytes: usize,
    /// Changes too large for this push, sent as `Noop` (the numbers stay consecutive) and set
    /// aside as [`RejectCode::TooLarge`] once the server has the number.
    pub too_large: Vec<u64>,
}

/// The next push, or `None` when nothing waits: in order, at most `max` mutations and at
/// most `max_bytes` of them as JSON. A change that alone is over `max_bytes` goes as a
/// `Noop` and is set aside, so the outbox behind it keeps moving.
pub fn next_push<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    max: usize,
    max_bytes: usize,
) -> Result<Option<PushBatch>, StoreError> {
    let (ok, unreadable) = db.outbox().pending_first(max)?;
    let mut all: Vec<(u64, Option<Mutation>)> = ok.into_iter().map(|m| (m.seq, Some(m))).collect();
    all.extend(
        unreadable
            .iter()
            .filter_map(|k| Outbox::<S>::seq_of(k))
            .map(|seq| (seq, None)),
    );
    all.sort_by_key(|(seq, _)| *seq);
    all.truncate(max);
    let mut mutations = Vec::with_capacity(all.len());
    let (mut bytes, mut too_large) = (0, Vec::new());
    for (seq, m) in &all {
        let (at, op) = match m {
            Some(m) => (m.at, op_for(db, &m.change)?),
            None => (UnixMillis(0), Op::Noop),
        };
        let mut mutation = PushMutation { seq: *seq, at, op };
        let mut size = json_size(&mutation);
        if size > max_bytes {
            if !mutations.is_empty() {
                break; // It leads the next batch, alone, and goes aside there.
            }
            mutation.op = Op::Noop;
            size = json_size(&mutation);
            too_large.push(*seq);
        }
        if bytes + size > max_bytes && !mutations.is_empty() {
            break;
        }
        bytes += size;
        mutations.push(mutation);
    }
    if mutations.is_empty() {
        return Ok(None);
    }
    Ok(Some(PushBatch {
        seqs: mutations.iter().map(|m| m.seq).collect(),
        bytes,
        too_large,
        request: PushRequest {
            protocol: PROTOCOL,
            resume: super::repair::resume_requested(db),
            mutations,
        },
    }))
}

/// The budget for the next push after the server (or a proxy before it) answered 413 to
/// `batch`: half of what it carried; for a single change, just under its size, so that it
/// alone goes aside (as `Noop`) and smaller ones still travel. `None` when it carried nothing
/// but `Noop`s: that server takes no push at all.
pub fn budget_after_too_large(batch: &PushBatch) -> Option<usize> {
    let ms = &batch.request.mutations;
    if ms.iter().all(|m| matches!(m.op, Op::Noop)) {
        None
    } else if ms.len() == 1 {
        Some(batch.bytes.saturating_sub(1))
    } else {
        Some(batch.bytes / 2)
    }
}

/// A mutation's size in a push (with the comma after it).
fn json_size(m: &PushMutation) -> usize {
    serde_json::to_vec(m).map_or(usize::MAX, |j| j.len() + 1)
}

fn too_large_reason() -> Rejection {
    Rejection {
        code: RejectCode::TooLarge,
        message: "这条记录太大，服务器无法接收 / this record is too large for the server to take"
            .into(),
    }
}

fn op_for<S: KvStore + ?Sized>(db: &LocalDb<'_, S>, change: &Change) -> Result<Op, StoreError> {
    Ok(match *change {
        Change::Put { kind, id, fields } => put_as(db, kind, id, fields, false)?,
        Change::Resend { kind, id } => put_as(db, kind, id, FieldSet::ALL, true)?,
        Change::Delete { kind, id } => Op::Delete {
            kind,
            id,
            base: rev_of(db, kind, id),
        },
        Change::Restore { kind, id } => Op::Restore {
            kind,
            id,
            base: rev_of(db, kind, id),
        },
    })
}

fn put_as<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    kind: RecordKind,
    id: RecordId,
    fields: FieldSet,
    resend: bool,
) -> Result<Op, StoreError> {
    crate::with_kind!(kind, T => put::<T, S>(db, id, fields, resend))
}

/// A put sends the record as stored now (its latest form); a record gone since is a no-op.
fn put<T: Synced, S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    id: RecordId,
    fields: FieldSet,
    resend: bool,
) -> Result<Op, StoreError> {
    let Ok(Some(record)) = db.collection(T::KIND).get::<T>(&id.to_string()) else {
        return Ok(Op::Noop);
    };
    let json = serde_json::to_string(&record).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(Op::Put {
        kind: T::KIND,
        id,
        base: record.rev(),
        fields: (!fields.is_all()).then(|| fields.names(T::KIND).map(str::to_owned).collect()),
        record: RawValue::from_string(json).map_err(|e| StoreError::Other(e.to_string()))?,
        resend,
    })
}

fn rev_of<S: KvStore + ?Sized>(db: &LocalDb<'_, S>, kind: RecordKind, id: RecordId) -> u64 {
    let c = db.collection(kind);
    let id = id.to_string();
    crate::with_kind!(kind, T => c.get::<T>(&id).ok().flatten().map(|r| r.rev())).unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the server answered {got} outcomes for {sent} mutations")]
    Mismatch { sent: usize, got: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies the server's answer: done mutations leave the outbox, rejected ones go to
/// quarantine. Returns how many were rejected.
pub fn on_pushed<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    batch: &PushBatch,
    answer: &PushResponse,
) -> Result<usize, AnswerError> {
    let outcomes: &[Outcome] = &answer.outcomes;
    if outcomes.len() != batch.seqs.len()
        || outcomes.iter().zip(&batch.seqs).any(|(o, s)| o.seq != *s)
    {
        return Err(AnswerError::Mismatch {
            sent: batch.seqs.len(),
            got: outcomes.len(),
        });
    }
    super::repair::on_acknowledged(db, batch.request.resume)?;
    let outbox = db.outbox();
    let mut rejected = 0;
    for o in outcomes {
        if batch.too_large.contains(&o.seq) {
            quarantine(db, o.seq, too_large_reason())?;
            rejected += 1;
        } else if let Some(reason) = &o.rejected {
            quarantine(db, o.seq, reason.clone())?;
            rejected += 1;
        } else {
            outbox.ack(o.seq)?;
        }
    }
    Ok(rejected)
}

fn quarantine<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    seq: u64,
    reason: Rejection,
) -> Result<(), StoreError> {
    let outbox = db.outbox();
    let raw = outbox.get_raw(seq)?.unwrap_or_default();
    let change = pack::decode::<Mutation>(&raw, "").ok().map(|m| m.change);
    let entry = Quarantined {
        seq,
        raw: if change.is_none() { raw } else { String::new() },
        change,
        reason,
    };
    let key = format!("{QUARANTINE}{seq:020}");
    let value = pack::encode(&entry)?;
    // On a full storage, removing the outbox entry first makes room for this smaller one.
    if db.kv().set(&key, &value).is_err() {
        outbox.ack(seq)?;
        db.kv().set(&key, &value)?;
    }
    outbox.ack(seq)
}

/// Mutations the server refused, oldest first.
pub fn quarantined<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
) -> Result<Vec<Quarantined>, StoreError> {
    let mut out = Vec::new();
    for k in db.kv().keys(QUARANTINE)? {
        if let Some(v) = db.kv().get(&k)? {
            out.push(pack::decode(&v, &k)?);
        }
    }
    Ok(out)
}

/// What a quarantined change is about, for the problems list and its export: the record's
/// kind, id and JSON as stored (none for an unreadable entry or a record gone since).
pub fn quarantined_record<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    q: &Quarantined,
) -> Option<(RecordKind, RecordId, String)> {
    let (kind, id) = q.change?.target();
    let raw = db.collection(kind).get_raw(&id.to_string()).ok()??;
    Some((kind, id, pack::unpack(&raw)?.into_owned()))
}

/// A record's times later than `at` (the retry, with the phone's clock set right since) are
/// brought back to it: the server refuses times beyond its clock, and a time far ahead would
/// also make this phone keep its copy over every later one from the server.
fn restamp<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    kind: RecordKind,
    id: RecordId,
    at: UnixMillis,
) -> Result<(), StoreError> {
    fn clamp<T: Synced, S: KvStore + ?Sized>(
        db: &LocalDb<'_, S>,
        id: RecordId,
        at: UnixMillis,
        created: fn(&mut T) -> &mut UnixMillis,
    ) -> Result<(), StoreError> {
        let c = db.collection(T::KIND);
        let Some(mut r) = c.get::<T>(&id.to_string())? else {
            return Ok(());
        };
        let ahead = r.updated_at() > at || *created(&mut r) > at;
        if ahead {
            r.set_updated_at(r.updated_at().min(at));
            let c_at = created(&mut r);
            *c_at = (*c_at).min(at);
            c.put(&r)?;
        }
        Ok(())
    }
    crate::with_kind!(kind, T => clamp::<T, S>(db, id, at, T::created_at_mut))
}

/// Queues a quarantined change again, as a whole record (the server may accept it now, e.g.
/// after an update, or with the phone's clock set right: times ahead of the retry are
/// brought back to it), and takes it out of quarantine.
pub fn retry<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    seq: u64,
    at: UnixMillis,
) -> Result<bool, StoreError> {
    let key = format!("{QUARANTINE}{seq:020}");
    let Some(v) = db.kv().get(&key)? else {
        return Ok(false);
    };
    let entry: Quarantined = pack::decode(&v, &key)?;
    let Some(change) = entry.change else {
        return Ok(false);
    };
    let change = match change {
        Change::Put { kind, id, .. } => {
            restamp(db, kind, id, at)?;
            Change::Put {
                kind,
                id,
                fields: FieldSet::ALL,
            }
        }
        other => other,
    };
    db.outbox().append(at, change)?;
    db.kv().remove(&key)?;
    Ok(true)
}

/// Where the next pull starts.
pub fn cursor<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> u64 {
    db.kv()
        .get(CURSOR)
        .ok()
        .flatten()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Forgets the cursor: the next pull starts from the beginning (a full re-pull).
pub fn forget_cursor<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<(), StoreError> {
    db.kv().remove(CURSOR)
}

/// Removes from the phone every record the server already has, keeping those with a change
/// not yet taken by the server (in the outbox or quarantine), the outbox and the quarantine:
/// what a lost phone must not reveal, without losing anything. The cursor is forgotten, so
/// the next sign-in pulls the team's records again. Returns how many records were removed.
pub fn wipe_synced<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<usize, StoreError> {
    let keep = local_changes(db)?;
    let mut removed = 0;
    for kind in RecordKind::ALL {
        let c = db.collection(kind);
        for id in c.ids()? {
            if RecordId::parse(&id).is_ok_and(|id| !keep.contains(&id)) {
                c.remove(&id)?;
                removed += 1;
            }
        }
    }
    let tombstones = db.tombstones();
    for id in tombstones.ids()? {
        if RecordId::parse(&id).is_ok_and(|id| !keep.contains(&id)) {
            tombstones.remove(&id)?;
        }
    }
    super::conflicts::forget_all(db)?;
    super::repair::forget_check(db)?;
    forget_cursor(db)?;
    Ok(removed)
}

/// What a pulled page changed on the phone.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// Left as they are: a change of them waits to be pushed or is in quarantine.
    pub kept_local: usize,
    /// Records the app cannot read (a newer server?): left out, counted.
    pub unreadable: usize,
    /// A repair is under way (this page was not stored): run it, then pull again.
    pub repair: bool,
    /// Pull again at once, from the new cursor (from nothing: the window grew, or a record
    /// kept beyond it was deleted and another may take its place).
    pub again: bool,
    /// The records this page stored or removed: what the app reads again, and no more.
    pub touched: Vec<(RecordKind, RecordId)>,
    /// This page dropped the phone's synced history (a pull from nothing with a window):
    /// more changed than `touched` says; the app reads everything again.
    pub everything: bool,
}

/// Whether the phone holds a change the server has not taken (waiting in the outbox, or set
/// aside in quarantine). A store that cannot be read counts as holding one: nothing may be
/// wiped on a guess.
pub fn has_unsynced<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> bool {
    !db.outbox().is_empty().unwrap_or(false) || !quarantined(db).is_ok_and(|q| q.is_empty())
}

/// The ids a pull asks the server to leave out of its digest: those of changes it refused
/// (kept here, different by design). Sorted; at most [`super::wire::DIGEST_EXCEPT`] — with
/// more, the phone does not check.
pub fn digest_except<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Vec<RecordId> {
    quarantined_ids(db)
        .unwrap_or_default()
        .into_iter()
        .take(super::wire::DIGEST_EXCEPT)
        .collect()
}

/// The records of the changes the server refused, sorted.
pub(super) fn quarantined_ids<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
) -> Result<std::collections::BTreeSet<RecordId>, StoreError> {
    Ok(quarantined(db)?
        .iter()
        .filter_map(|q| q.change.as_ref().map(Change::record_id))
        .collect())
}

/// Ids with a change on this phone that the server has not taken yet.
pub(super) fn local_changes<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
) -> Result<HashSet<RecordId>, StoreError> {
    let (pending, _) = db.outbox().pending()?;
    let mut ids: HashSet<RecordId> = pending.iter().map(|m| m.change.record_id()).collect();
    ids.extend(
        quarantined(db)?
            .iter()
            .filter_map(|q| q.change.as_ref().map(Change::record_id)),
    );
    Ok(ids)
}

/// Stores a pulled page, then its cursor (a crash in between pulls the page again, which
/// changes nothing). The cursor only moves forward. A reset (the server forgot changes it had
/// given) or, on the last page, ids that differ from the server's digest start a repair
/// ([`super::repair`]); while one is under way, pages are not stored.
pub fn on_pulled<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    page: &PullResponse,
    now: UnixMillis,
) -> Result<Pulled, StoreError> {
    let repairing = Pulled {
        repair: true,
        ..Pulled::default()
    };
    if super::repair::under_way(db).is_some() {
        return Ok(repairing);
    }
    if page.reset {
        super::repair::begin(db)?;
        return Ok(repairing);
    }
    let mut done = Pulled::default();
    let from_nothing = cursor(db) == 0 && page.full > 0;
    match page.window {
        Some(w) => {
            if from_nothing {
                window::drop_synced_history(db, page.scope.is_some())?;
                done.everything = true;
            } else if stored_window(db).is_some_and(|before| w.from < before.from) {
                // Longer than the one this phone pulled with: fetch the older records.
                db.kv().set(WINDOW, &pack::encode(&w)?)?;
                forget_cursor(db)?;
                done.again = true;
                return Ok(done);
            }
            db.kv().set(WINDOW, &pack::encode(&w)?)?;
        }
        None if stored_window(db).is_some() => {
            // No longer kept to a window (a volunteer made coordinator): fetch it all.
            db.kv().remove(WINDOW)?;
            forget_cursor(db)?;
            done.again = true;
            return Ok(done);
        }
        None => {}
    }
    if stored_scope(db) != page.scope {
        match &page.scope {
            Some(s) => db.kv().set(SCOPE, &pack::encode(s)?)?,
            None => db.kv().remove(SCOPE)?,
        }
        if !from_nothing {
            // Another scope: fetch what it adds (what it drops is pruned on the way).
            forget_cursor(db)?;
            done.again = true;
            return Ok(done);
        }
    }
    if page.full > 0 {
        db.kv().set(FULL, &page.full.to_string())?;
    }
    let mine = local_changes(db)?;
    if !page.records.is_empty() {
        super::repair::forget_check(db)?;
    }
    // Households whose latest visit on this phone may have stopped being the latest.
    let mut uncovering = HashSet::new();
    for r in &page.records {
        if mine.contains(&r.id) {
            done.kept_local += 1;
            continue;
        }
        if page.window.is_some() && !from_nothing {
            uncovering.extend(leaves_latest(db, r)?);
        }
        let stored = crate::with_kind!(r.kind, T => store_pulled::<T, S>(db, r, now)?);
        match stored {
            Stored::Yes => {}
            Stored::Unreadable => {
                done.unreadable += 1;
                continue;
            }
            Stored::Older => {
                // The server went back in time (restored from a backup): keep ours, repair.
                super::repair::begin(db)?;
                done.repair = true;
                return Ok(done);
            }
        }
        super::conflicts::remember(db, r.id, r.conflicts.as_deref())?;
        done.touched.push((r.kind, r.id));
    }
    if !page.left.is_empty() {
        done.touched
            .extend(window::remove_left(db, &page.left)?.removed);
    }
    if let (Some(w), false) = (page.window, uncovering.is_empty()) {
        // If the latest visit left here of such a household is before the window, the
        // server may keep an earlier one this phone pruned: only a pull from nothing
        // brings it.
        let latest = window::latest_visits(&window::phone_facts(db)?);
        done.again = uncovering
            .iter()
            .any(|h| latest.get(h).is_none_or(|(d, _)| !w.covers(Some(*d))));
    }
    if page.cursor > cursor(db) {
        db.kv().set(CURSOR, &page.cursor.to_string())?;
    }
    if full_until(db).is_some_and(|f| cursor(db) >= f) {
        db.kv().remove(FULL)?;
    }
    if done.again {
        forget_cursor(db)?;
        return Ok(done);
    }
    if page.scope.is_some() && !page.more {
        // The digest covers only the scope: the phone holds only it before comparing.
        done.touched.extend(prune(db)?.removed);
    }
    done.repair = super::repair::check(db, page)?;
    Ok(done)
}

/// What the next pull asks for besides its cursor; `today` is the phone's day (`None`: the
/// whole history, as for a coordinator until older periods come from the server).
pub fn pull_scope<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    today: Option<crate::Day>,
) -> PullScope {
    PullScope {
        today,
        full: if cursor(db) == 0 {
            0
        } else {
            full_until(db).unwrap_or(0)
        },
    }
}

fn full_until<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Option<u64> {
    db.kv().get(FULL).ok()??.parse().ok()
}

/// The window the server last applied to this phone's pulls.
pub fn stored_window<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Option<Window> {
    let v = db.kv().get(WINDOW).ok()??;
    pack::decode(&v, WINDOW).ok()
}

/// The volunteer's scope the server last applied to this phone's pulls.
pub fn stored_scope<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Option<Scope> {
    let v = db.kv().get(SCOPE).ok()??;
    pack::decode(&v, SCOPE).ok()
}

/// After a sync: removes what the window and the scope no longer keep (nothing without a
/// window).
pub fn prune<S: KvStore + ?Sized>(db: &LocalDb<'_, S>) -> Result<window::Pruned, StoreError> {
    match stored_window(db) {
        Some(w) => window::prune(db, w, stored_scope(db).as_ref()),
        None => Ok(window::Pruned::default()),
    }
}

/// The household of a visit this phone holds (not deleted) that the pulled record deletes
/// or moves to an earlier day: another visit may now be the household's latest.
fn leaves_latest<S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    r: &PulledRecord,
) -> Result<Option<RecordId>, StoreError> {
    if r.kind != RecordKind::Visit {
        return Ok(None);
    }
    let key = r.id.to_string();
    let Some(ours) = db
        .visits()
        .get_raw(&key)?
        .and_then(|raw| window::Stamp::of(&raw))
    else {
        return Ok(None);
    };
    if db.tombstones().get_raw(&key)?.is_some() {
        return Ok(None);
    }
    let (Some(household), Some(day)) = (ours.household_id, ours.day) else {
        return Ok(None);
    };
    let theirs = window::Stamp::of(r.record.get()).and_then(|t| t.day);
    let leaves = r.deleted || theirs.is_none_or(|t| t < day);
    Ok(leaves.then_some(household))
}

enum Stored {
    Yes,
    Unreadable,
    /// Older than the phone's copy, which has no change waiting: only a server restored
    /// from a backup sends that (its `updated_at` only grows; so does a deletion's time).
    Older,
}

/// Writes a pulled record and its deleted state: a deletion before the record (a crash in
/// between must not show a deleted record), an undeletion after it.
fn store_pulled<T: Synced, S: KvStore + ?Sized>(
    db: &LocalDb<'_, S>,
    r: &PulledRecord,
    now: UnixMillis,
) -> Result<Stored, StoreError> {
    let Ok(mut record) = serde_json::from_str::<T>(r.record.get()) else {
        return Ok(Stored::Unreadable);
    };
    let c = db.collection(T::KIND);
    let key = r.id.to_string();
    let ours = c.get_raw(&key)?.and_then(|raw| window::Stamp::of(&raw));
    if ours.is_some_and(|o| o.updated_at > record.updated_at()) {
        return Ok(Stored::Older);
    }
    if r.deleted_set_at.0 != 0 {
        let newer = |at: UnixMillis| at > r.deleted_set_at;
        if r.deleted {
            if db.undeleted_at(r.id).is_some_and(newer) {
                return Ok(Stored::Older);
            }
        } else {
            let tomb = db.tombstones().get::<Tombstone>(&key).ok().flatten();
            if tomb.is_some_and(|t| newer(t.at)) {
                return Ok(Stored::Older);
            }
        }
    }
    let tombstones = db.tombstones();
    if r.deleted {
        // The server's time, so that a later deletion here can be told from this one.
        let at = Some(r.deleted_set_at).filter(|t| t.0 != 0).unwrap_or(now);
        let (kind, id) = (r.kind, r.id);
        tombstones.put(&Tombstone { kind, id, at })?;
    }
    record.set_rev(r.rev);
    c.put(&record)?;
    if !r.deleted && tombstones.get_raw(&key)?.is_some() {
        tombstones.remove(&key)?;
    }
    db.forget_undeleted(r.id)?;
    Ok(Stored::Yes)
}
