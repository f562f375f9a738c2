//! The server's copy of a record and the one rule that changes it, used by the real server
//! and by the in-memory server of the tests.
//!
//! Each field keeps the revision and author of its last change. A change based on a revision
//! at or after that (its author had seen the field) replaces the value. A change made without
//! seeing the last one, by another person, to a different value is a conflict: every value is
//! kept, the one shown is picked by a fixed order (latest `at`, then user, then value), and
//! a later change made after seeing the conflict settles it. So the result does not depend on
//! the order concurrent changes arrive in, and applying a change twice is applying it once.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::fields::field_names;
use super::inbound;
use super::wire::{IdEntry, Op, PulledRecord, PushMutation, RejectCode, Rejection};
use crate::store::RecordKind;
use crate::{RecordId, UnixMillis};

/// One value of a field and who set it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// `null` when the field is absent (at its default).
    pub value: Value,
    pub at: UnixMillis,
    /// Who set it (the user) …
    #[serde(default)]
    pub by: String,
    /// … on which device (a person signs in again as a new device).
    pub device: String,
}

/// A field: the values set without seeing each other, at most one per person (usually one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldState {
    /// The record revision of the last change to this field.
    pub rev: u64,
    /// Sorted by (at, by, device, value); the last one is shown.
    pub values: Vec<Candidate>,
}

impl FieldState {
    pub fn single(rev: u64, value: Candidate) -> FieldState {
        FieldState {
            rev,
            values: vec![value],
        }
    }

    /// The shown value: a fixed order, so every server and phone agrees.
    pub fn shown(&self) -> &Value {
        self.values.last().map_or(&Value::Null, |c| &c.value)
    }

    /// Two different values set without seeing each other.
    pub fn in_conflict(&self) -> bool {
        self.values.iter().any(|c| c.value != *self.shown())
    }
}

/// The server's record: fields merged one by one, plus metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    pub kind: RecordKind,
    pub id: RecordId,
    /// The team's change number of the last change (pull returns records by it).
    pub rev: u64,
    /// The user who first pushed it (the server's word, not the phone's).
    pub created_by: String,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub fields: BTreeMap<String, FieldState>,
    pub deleted: FieldState,
    /// Deleted past the undo window, its content erased (`sync::erase`): nothing can change
    /// it again.
    #[serde(default, skip_serializing_if = "crate::skip::is_false")]
    pub erased: bool,
    /// Every device whose change was applied to it (a replay re-lists only for them: a later
    /// value may have replaced theirs, or their change set no value at all).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub changed_by: BTreeSet<String>,
}

/// Who is pushing.
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub user: &'a str,
    pub device: &'a str,
    /// Coordinators may change any record of the team; volunteers only their own visits and
    /// events (and any household).
    pub coordinator: bool,
    /// The device was signed out by a coordinator: it may still send what it saved, as a
    /// volunteer, for records its user made, and never over a value it had not seen.
    pub revoked: bool,
}

impl Writer<'_> {
    /// What this writer may do: a revoked device has no coordinator's rights.
    fn coordinator(&self) -> bool {
        self.coordinator && !self.revoked
    }
}

impl Doc {
    /// The record as the app reads it: every field at its shown value.
    pub fn record(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(self.id.to_string()));
        for (name, f) in &self.fields {
            if !f.shown().is_null() {
                m.insert(name.clone(), f.shown().clone());
            }
        }
        m.insert("created_at".into(), self.created_at.0.into());
        m.insert("updated_at".into(), self.updated_at.0.into());
        m.insert("author".into(), Value::String(self.created_by.clone()));
        m
    }

    /// The record as pull sends it.
    pub fn pulled(&self) -> PulledRecord {
        self.pulled_received(None)
    }

    /// … with the time the server first received it (visits carry it to the phone).
    pub fn pulled_received(&self, received_at: Option<UnixMillis>) -> PulledRecord {
        let raw = |s: String| RawValue::from_string(s).expect("serde_json writes valid JSON");
        let conflicts = self.conflicts();
        let mut record = self.record();
        if let Some(at) = received_at.filter(|_| self.kind == RecordKind::Visit) {
            record.insert("received_at".into(), at.0.into());
        }
        PulledRecord {
            kind: self.kind,
            id: self.id,
            rev: self.rev,
            deleted: self.is_deleted(),
            deleted_set_at: self.deleted_set_at(),
            record: raw(Value::Object(record).to_string()),
            conflicts: (!conflicts.is_empty())
                .then(|| raw(serde_json::to_string(&conflicts).expect("JSON values serialise"))),
        }
    }

    /// What a repair compares: the `updated_at` here is the one the phone holds after a pull.
    pub fn id_entry(&self) -> IdEntry {
        IdEntry {
            id: self.id,
            updated_at: self.updated_at,
            deleted: self.is_deleted(),
            deleted_set_at: self.deleted_set_at(),
        }
    }

    /// Whether `device` ever changed this record (what a replayed push may list again):
    /// a value it set, or a change applied for it.
    pub fn has_value_from(&self, device: &str) -> bool {
        self.changed_by.contains(device)
            || self
                .fields
                .values()
                .chain(std::iter::once(&self.deleted))
                .any(|f| f.values.iter().any(|c| c.device == device))
    }

    /// The id a mutation is about, if any.
    pub fn target(m: &PushMutation) -> Option<RecordId> {
        match &m.op {
            Op::Put { id, .. } | Op::Delete { id, .. } | Op::Restore { id, .. } => Some(*id),
            Op::Noop => None,
        }
    }

    pub fn is_deleted(&self) -> bool {
        *self.deleted.shown() == Value::Bool(true)
    }

    /// What [`super::digest::Digest`] counts for this record.
    pub fn version(&self) -> u64 {
        super::digest::Digest::version(self.updated_at, self.is_deleted())
    }

    /// When the shown deleted state was set.
    pub fn deleted_set_at(&self) -> UnixMillis {
        self.deleted.values.last().map_or(UnixMillis(0), |c| c.at)
    }

    /// Fields in conflict: name → every value.
    pub fn conflicts(&self) -> BTreeMap<&str, Vec<&Value>> {
        self.fields
            .iter()
            .map(|(n, f)| (n.as_str(), f))
            .chain(std::iter::once(("deleted", &self.deleted)))
            .filter(|(_, f)| f.in_conflict())
            .map(|(n, f)| (n, f.values.iter().map(|c| &c.value).collect()))
            .collect()
    }
}

fn rejection(code: RejectCode, message: impl Into<String>) -> Rejection {
    Rejection {
        code,
        message: message.into(),
    }
}

/// Applies one mutation to the server's copy (`None`: the server has none) as change number
/// `rev`. `Ok(None)`: nothing to store. A rejection leaves the copy as it was. A put's record
/// must pass [`inbound::accept`] with times up to `latest` (the server's clock plus a skew).
pub fn apply(
    existing: Option<&Doc>,
    m: &PushMutation,
    w: Writer<'_>,
    rev: u64,
    latest: UnixMillis,
) -> Result<Option<Doc>, Rejection> {
    let (kind, id, base) = match &m.op {
        Op::Noop => return Ok(None),
        Op::Put { kind, id, base, .. }
        | Op::Delete { kind, id, base }
        | Op::Restore { kind, id, base } => (*kind, *id, *base),
    };
    inbound::check_time("at", m.at, latest)?;
    // A revoked device never replaces what it had not seen: every value it sends joins the
    // others, a conflict for a coordinator where they differ.
    let base = if w.revoked { 0 } else { base };
    if let Some(doc) = existing {
        if doc.erased {
            // Already deleted, for good: a deletion changes nothing; a change or an undo
            // comes too late (the phone keeps it among the refused, to export).
            return match m.op {
                Op::Delete { .. } => Ok(None),
                _ => Err(rejection(
                    RejectCode::Invalid,
                    "这条记录已删除，内容已清除 / this record was deleted and its content erased",
                )),
            };
        }
        if doc.kind != kind {
            return Err(rejection(
                RejectCode::KindMismatch,
                "this id belongs to a record of another kind",
            ));
        }
        if kind != RecordKind::Household && !w.coordinator() && doc.created_by != w.user {
            return Err(rejection(
                RejectCode::Forbidden,
                "only its author or a coordinator may change this record",
            ));
        }
        if w.revoked && doc.created_by != w.user {
            return Err(rejection(
                RejectCode::Forbidden,
                "a signed-out phone may only send records its user made",
            ));
        }
    }
    let mut by = w.user;
    let doc = match (&m.op, existing) {
        (
            Op::Put {
                record,
                fields,
                resend,
                ..
            },
            existing,
        ) => {
            let record = inbound::accept(kind, record.get(), latest)?;
            let updated_at = record.get("updated_at").and_then(Value::as_i64);
            if *resend {
                // Only where the server lost it, and in its author's name (a coordinator's
                // phone re-sending a volunteer's visit must not conflict with the volunteer).
                if existing.is_some_and(|d| updated_at.is_none_or(|u| d.updated_at.0 >= u)) {
                    return Ok(None);
                }
                by = resent_by(&record, kind, w);
            }
            if record.get("id").and_then(Value::as_str) != Some(&id.to_string()) {
                return Err(rejection(RejectCode::Invalid, "the record's id differs"));
            }
            // New to the server: a volunteer files only their own visits and events (a
            // colleague's, re-sent after a restore, would become theirs).
            let named = record.get("author").and_then(Value::as_str).unwrap_or("");
            if existing.is_none()
                && (kind != RecordKind::Household || w.revoked)
                && !w.coordinator()
                && !named.is_empty()
                && named != w.user
            {
                return Err(rejection(
                    RejectCode::Forbidden,
                    "only its author or a coordinator may send this record to the server",
                ));
            }
            // The team's lists are the coordinators'. A volunteer may add a person on the
            // spot, marked for a coordinator to check and without an account.
            if !w.coordinator() {
                let checked = record.get("to_check") == Some(&Value::Bool(true))
                    && record.get("account").is_none_or(Value::is_null);
                match kind {
                    RecordKind::Unit => {
                        return Err(rejection(
                            RejectCode::Forbidden,
                            "only a coordinator manages the partner units",
                        ))
                    }
                    RecordKind::Person if !checked => {
                        return Err(rejection(
                            RejectCode::Forbidden,
                            "a volunteer adds a person only for a coordinator to check",
                        ))
                    }
                    _ => {}
                }
            }
            // A change of some fields of a record the server does not have (its creation was
            // refused, or lost in a restored database) brings the whole record: the phone
            // sends it whole anyway, and half a record would not pass `check`.
            let names: Vec<&str> = match fields {
                None => field_names(kind).to_vec(),
                Some(fs) => {
                    if let Some(bad) = fs.iter().find(|f| !field_names(kind).contains(&f.as_str()))
                    {
                        return Err(rejection(
                            RejectCode::Invalid,
                            format!("unknown field {bad:?}"),
                        ));
                    }
                    if existing.is_none() {
                        field_names(kind).to_vec()
                    } else {
                        fs.iter().map(String::as_str).collect()
                    }
                }
            };
            let mut doc = match existing {
                Some(d) => d.clone(),
                None => new_doc(kind, id, &record, w, by, m.at, rev),
            };
            for name in names {
                // Coordinators assign households: a volunteer's phone may hold another value
                // (an old app, a crafted request), which is left out; its next pull brings
                // the server's back. A new household keeps what it came with (a re-send of
                // what a restored server lost).
                if existing.is_some() && !w.coordinator() && coordinators_only(kind, name) {
                    continue;
                }
                let value = record.get(name).cloned().unwrap_or(Value::Null);
                let next = merge_field(doc.fields.get(name), stamp(value, by, m, w), base, rev);
                doc.fields.insert(name.to_owned(), next);
            }
            if let Some(at) = updated_at {
                doc.updated_at = doc.updated_at.max(UnixMillis(at));
            }
            doc
        }
        (Op::Delete { .. } | Op::Restore { .. }, None) => return Ok(None),
        (op, Some(d)) => {
            let mut doc = d.clone();
            let gone = matches!(op, Op::Delete { .. });
            let value = stamp(Value::Bool(gone), by, m, w);
            doc.deleted = merge_field(Some(&doc.deleted), value, base, rev);
            doc
        }
        (Op::Noop, None) => return Ok(None),
    };
    let mut doc = doc;
    doc.rev = rev;
    doc.changed_by.insert(w.device.to_owned());
    doc.check()?;
    Ok(Some(doc))
}

/// Fields only a coordinator changes.
fn coordinators_only(kind: RecordKind, name: &str) -> bool {
    kind == RecordKind::Household && name == "assigned_to"
}

fn stamp(value: Value, by: &str, m: &PushMutation, w: Writer<'_>) -> Candidate {
    Candidate {
        value,
        at: m.at,
        by: by.to_owned(),
        device: w.device.to_owned(),
    }
}

/// In whose name re-sent values are kept: the record's author when the sender may speak for
/// them (a coordinator; anyone for a household, which the team shares), else the sender.
fn resent_by<'a>(record: &'a Map<String, Value>, kind: RecordKind, w: Writer<'a>) -> &'a str {
    match record.get("author").and_then(Value::as_str) {
        Some(a) if !a.is_empty() && (w.coordinator() || kind == RecordKind::Household) => a,
        _ => w.user,
    }
}

/// Who made a new record: the caller — except that a coordinator may file one on behalf of
/// a team member (a repair after a restored database re-sends colleagues' records), so the
/// record's own `author` is kept then.
fn author<'a>(record: &'a Map<String, Value>, w: Writer<'a>) -> &'a str {
    match record.get("author").and_then(Value::as_str) {
        Some(a) if w.coordinator() && !a.is_empty() => a,
        _ => w.user,
    }
}

fn new_doc(
    kind: RecordKind,
    id: RecordId,
    record: &Map<String, Value>,
    w: Writer<'_>,
    by: &str,
    at: UnixMillis,
    rev: u64,
) -> Doc {
    let millis = |k: &str| record.get(k).and_then(Value::as_i64).map_or(at, UnixMillis);
    // Not deleted since it was made, not since this change: a phone that deleted it later
    // can tell its deletion is newer (sync::repair).
    let created_at = millis("created_at").min(at);
    Doc {
        kind,
        id,
        rev,
        created_by: author(record, w).to_owned(),
        created_at: millis("created_at"),
        updated_at: millis("updated_at"),
        fields: BTreeMap::new(),
        erased: false,
        changed_by: BTreeSet::new(),
        deleted: FieldState {
            rev,
            values: vec![Candidate {
                value: Value::Bool(false),
                at: created_at,
                by: by.to_owned(),
                device: w.device.to_owned(),
            }],
        },
    }
}

/// The merged record must still be a valid record of its kind.
impl Doc {
    /// Whether the record, every field at its shown value, is a valid record of its kind (what
    /// a merge must keep, and what `doorstep-server check` looks for in stored rows).
    pub fn check(&self) -> Result<(), Rejection> {
        check(self)
    }
}

fn check(doc: &Doc) -> Result<(), Rejection> {
    let value = Value::Object(doc.record());
    let parsed = crate::with_kind!(doc.kind, T => serde_json::from_value::<T>(value).map(|_| ()));
    parsed.map_err(|e| rejection(RejectCode::Invalid, format!("not a valid record: {e}")))
}

fn order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
    (a.at, &a.by, &a.device)
        .cmp(&(b.at, &b.by, &b.device))
        .then_with(|| a.value.to_string().cmp(&b.value.to_string()))
}

/// One field: `incoming` was set by someone who had seen the field as of revision `base`.
/// Seen by the writer: the new value replaces every value. Not seen: it joins them, and
/// - replaces the same device's earlier value (a device's changes arrive in order);
/// - against the same person's value from another device (they signed in again with changes
///   queued, and an old request may arrive late), the later one by (`at`, device, value)
///   stays, whatever the arrival order;
/// - beside another person's value, both stay: a conflict for a coordinator to settle.
pub fn merge_field(
    current: Option<&FieldState>,
    incoming: Candidate,
    base: u64,
    rev: u64,
) -> FieldState {
    let mut values: Vec<Candidate> = Vec::new();
    let mut incoming = Some(incoming);
    if let Some(cur) = current.filter(|c| c.rev > base) {
        for c in &cur.values {
            let Some(new) = incoming.as_ref() else {
                values.push(c.clone());
                continue;
            };
            if c.by != new.by {
                values.push(c.clone());
            } else if c.device != new.device && order(c, new).is_gt() {
                values.push(c.clone());
                incoming = None;
            }
        }
    }
    values.extend(incoming);
    values.sort_by(order);
    FieldState { rev, values }
}
