//! The fields of each record kind that sync merges one by one, and which of them a change
//! touched. Metadata (id, created_at, updated_at, author, rev) is not among them: the server
//! keeps it by its own rules (see `merge`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::household::Household;
use crate::store::{Record, RecordKind};
use crate::visit::Visit;
use crate::RecordId;

/// Which fields a change touched: bit `i` is field `i` of the kind's list. Stored in the
/// outbox (a number is small); sent as names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldSet(pub u32);

impl FieldSet {
    /// A new record, or a change whose fields are unknown: every field.
    pub const ALL: FieldSet = FieldSet(u32::MAX);
    pub const NONE: FieldSet = FieldSet(0);

    pub fn is_all(&self) -> bool {
        *self == Self::ALL
    }

    pub fn union(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 | other.0)
    }

    /// The names of the fields in the set, in the kind's order.
    pub fn names(self, kind: RecordKind) -> impl Iterator<Item = &'static str> {
        field_names(kind)
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| *n)
    }
}

impl Default for FieldSet {
    fn default() -> Self {
        FieldSet::ALL
    }
}

/// A record kind that sync carries.
pub trait Synced: Record + Serialize + DeserializeOwned + Clone {
    const KIND: RecordKind;
    const FIELDS: &'static [&'static str];
    fn id(&self) -> RecordId;
    fn rev(&self) -> u64;
    fn set_rev(&mut self, rev: u64);
    fn updated_at(&self) -> crate::UnixMillis;
    fn set_updated_at(&mut self, at: crate::UnixMillis);
    fn author(&self) -> &str;
    /// The fields whose value differs from `before`.
    fn changed_since(&self, before: &Self) -> FieldSet;
    /// Sets one field from its JSON (a value a conflict kept); false if the name or the value
    /// does not fit.
    fn set_field_json(&mut self, name: &str, json: &str) -> bool;
    /// The set holding just the field `name`.
    fn field(name: &str) -> FieldSet {
        FieldSet(
            Self::FIELDS
                .iter()
                .position(|f| *f == name)
                .map_or(0, |i| 1 << i),
        )
    }
}

macro_rules! synced {
    ($t:ty, $kind:expr, [$($f:ident),* $(,)?]) => {
        impl Synced for $t {
            const KIND: RecordKind = $kind;
            const FIELDS: &'static [&'static str] = &[$(stringify!($f)),*];
            fn id(&self) -> RecordId {
                self.id
            }
            fn rev(&self) -> u64 {
                self.rev
            }
            fn set_rev(&mut self, rev: u64) {
                self.rev = rev;
            }
            fn updated_at(&self) -> crate::UnixMillis {
                self.updated_at
            }
            fn set_updated_at(&mut self, at: crate::UnixMillis) {
                self.updated_at = at;
            }
            fn author(&self) -> &str {
                &self.author
            }
            fn changed_since(&self, before: &Self) -> FieldSet {
                let mut bits = 0u32;
                let mut bit = 1u32;
                $(
                    if self.$f != before.$f {
                        bits |= bit;
                    }
                    bit <<= 1;
                )*
                let _ = bit;
                FieldSet(bits)
            }
            fn set_field_json(&mut self, name: &str, json: &str) -> bool {
                match name {
                    $(
                        stringify!($f) => match serde_json::from_str(json) {
                            Ok(v) => {
                                self.$f = v;
                                true
                            }
                            Err(_) => false,
                        },
                    )*
                    _ => false,
                }
            }
        }
    };
}

synced!(
    Household,
    RecordKind::Household,
    [
        address,
        residents,
        needs,
        notes,
        cadence,
        basis,
        archived,
        assigned_to
    ]
);
synced!(
    Visit,
    RecordKind::Visit,
    [
        household_id,
        day,
        volunteers,
        partners,
        services,
        conditions,
        needs,
        needs_text,
        residents_words,
        follow_up,
        notes
    ]
);
synced!(
    Event,
    RecordKind::Event,
    [kind, title, day, start_time, place, partners, volunteers, attendance, tallies, notes]
);

pub fn field_names(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Household => Household::FIELDS,
        RecordKind::Visit => Visit::FIELDS,
        RecordKind::Event => Event::FIELDS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{full_visit, household};

    #[test]
    fn field_lists_cover_every_serialised_field() {
        // A field missing from the list would never sync: compare with the JSON keys.
        let h = household(1);
        let v = full_visit(1, &h, "note");
        let meta = ["id", "created_at", "updated_at", "author", "rev"];
        for (kind, json) in [
            (RecordKind::Household, serde_json::to_value(&h).unwrap()),
            (RecordKind::Visit, serde_json::to_value(&v).unwrap()),
        ] {
            for key in json.as_object().unwrap().keys() {
                assert!(
                    meta.contains(&key.as_str()) || field_names(kind).contains(&key.as_str()),
                    "{kind:?}.{key} is not in the field list"
                );
            }
        }
    }

    #[test]
    fn changed_since_names_exactly_the_edited_fields() {
        let h = household(1);
        let mut edited = h.clone();
        edited.notes = "耳背".into();
        edited.archived = true;
        edited.updated_at.0 += 1;
        let changed = edited.changed_since(&h);
        assert_eq!(
            changed.names(RecordKind::Household).collect::<Vec<_>>(),
            ["notes", "archived"]
        );
        assert_eq!(h.changed_since(&h), FieldSet::NONE);
        assert_eq!(
            FieldSet::ALL.names(RecordKind::Visit).count(),
            Visit::FIELDS.len()
        );
    }
}
