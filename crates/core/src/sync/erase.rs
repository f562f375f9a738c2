//! Deleted means erased. A deletion can be undone, or met by a colleague's offline change (a
//! conflict a coordinator settles), for [`UNDO_WINDOW_MILLIS`]; after that the server erases
//! the record's content and keeps a tombstone of what sync needs: the id, its kind's links
//! (a visit's household and day, an event's kind and day), the times and the author. The
//! erasure is a new revision, so every phone pulls the erased copy over its own.

use serde_json::{Map, Value};

use super::merge::{Candidate, Doc, FieldState};
use crate::event::Event;
use crate::household::{Address, Household};
use crate::roster::Person;
use crate::store::RecordKind;
use crate::units::Unit;
use crate::visit::Visit;
use crate::UnixMillis;

/// How long a deletion stays undoable before the record's content is erased.
pub const UNDO_WINDOW_MILLIS: i64 = 30 * 24 * 60 * 60 * 1000;

impl Doc {
    /// Deleted, undisputed, and longer ago than the undo window: its content may go.
    pub fn erasable(&self, now: UnixMillis) -> bool {
        self.is_deleted()
            && !self.erased
            && !self.deleted.in_conflict()
            && self.deleted_set_at().0.saturating_add(UNDO_WINDOW_MILLIS) <= now.0
    }

    /// Erases the content as revision `rev`. `false` (nothing changed) if the stored record
    /// does not decode: `doorstep-server check` deals with those.
    pub fn erase(&mut self, rev: u64) -> bool {
        let Some(blank) = blank(self) else {
            return false;
        };
        let at = self.deleted_set_at();
        self.fields = blank
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "created_at" | "updated_at" | "author"))
            .map(|(k, value)| {
                let only = Candidate {
                    value,
                    at,
                    by: String::new(),
                    device: String::new(),
                };
                (k, FieldState::single(rev, only))
            })
            .collect();
        let shown = self.deleted.values.pop();
        self.deleted = FieldState {
            rev,
            values: shown.into_iter().collect(),
        };
        self.rev = rev;
        self.erased = true;
        true
    }
}

/// The record with nothing personal left, as JSON.
fn blank(doc: &Doc) -> Option<Map<String, Value>> {
    let record = Value::Object(doc.record());
    let value = match doc.kind {
        RecordKind::Household => {
            let h: Household = serde_json::from_value(record).ok()?;
            serde_json::to_value(Household {
                id: h.id,
                address: Address::default(),
                residents: Vec::new(),
                needs: Vec::new(),
                notes: String::new(),
                cadence: Default::default(),
                basis: None,
                archived: false,
                assigned_to: String::new(),
                created_at: h.created_at,
                updated_at: h.updated_at,
                author: h.author,
                rev: 0,
            })
        }
        RecordKind::Visit => {
            let v: Visit = serde_json::from_value(record).ok()?;
            serde_json::to_value(Visit {
                id: v.id,
                household_id: v.household_id,
                day: v.day,
                volunteers: Vec::new(),
                partners: Vec::new(),
                services: Default::default(),
                conditions: None,
                needs: Vec::new(),
                needs_text: String::new(),
                residents_words: String::new(),
                follow_up: None,
                notes: String::new(),
                people: Vec::new(),
                units: Vec::new(),
                start_time: None,
                end_time: None,
                created_at: v.created_at,
                updated_at: v.updated_at,
                author: v.author,
                rev: 0,
                received_at: UnixMillis(0),
            })
        }
        RecordKind::Event => {
            let e: Event = serde_json::from_value(record).ok()?;
            serde_json::to_value(Event {
                id: e.id,
                kind: e.kind,
                title: String::new(),
                day: e.day,
                start_time: None,
                place: String::new(),
                partners: Vec::new(),
                volunteers: Vec::new(),
                attendance: 0,
                tallies: Default::default(),
                notes: String::new(),
                end_time: None,
                people: Vec::new(),
                units: Vec::new(),
                hours: Vec::new(),
                created_at: e.created_at,
                updated_at: e.updated_at,
                author: e.author,
                rev: 0,
            })
        }
        RecordKind::Person => {
            // A merged duplicate still points at its person: references keep counting.
            let p: Person = serde_json::from_value(record).ok()?;
            serde_json::to_value(Person {
                name: String::new(),
                phone: String::new(),
                account: None,
                unit: None,
                party_member: false,
                rev: 0,
                ..p
            })
        }
        RecordKind::Unit => {
            let u: Unit = serde_json::from_value(record).ok()?;
            serde_json::to_value(Unit {
                name: String::new(),
                rev: 0,
                ..u
            })
        }
    };
    match value.ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}
