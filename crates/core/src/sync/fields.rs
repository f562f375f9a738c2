//! Each record kind, described once: its type, its wire name, where the phone stores it, its
//! label, its rules, and the fields sync merges one by one (with which of them a change
//! touched). Metadata (id, created_at, updated_at, author, rev) is not among the fields: the
//! server keeps it by its own rules (see `merge`). Code that takes a [`RecordKind`] at run
//! time reaches the type through [`with_kind!`](crate::with_kind), the one `match` over
//! the kinds.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::household::Household;
use crate::i18n::Text;
use crate::roster::Person;
use crate::store::{Record, RecordKind};
use crate::units::Unit;
use crate::validate::FieldError;
use crate::visit::Visit;
use crate::{Day, RecordId, UnixMillis};

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

/// Runs `$body` with `$T` naming the record type of `$kind` (a [`RecordKind`]): the one
/// place that maps the kinds to their types. Everything else about a kind is on [`Synced`].
#[macro_export]
macro_rules! with_kind {
    ($kind:expr, $T:ident => $body:expr) => {
        match $kind {
            $crate::store::RecordKind::Household => {
                type $T = $crate::household::Household;
                $body
            }
            $crate::store::RecordKind::Visit => {
                type $T = $crate::visit::Visit;
                $body
            }
            $crate::store::RecordKind::Event => {
                type $T = $crate::event::Event;
                $body
            }
            $crate::store::RecordKind::Person => {
                type $T = $crate::roster::Person;
                $body
            }
            $crate::store::RecordKind::Unit => {
                type $T = $crate::units::Unit;
                $body
            }
        }
    };
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Household,
        RecordKind::Visit,
        RecordKind::Event,
        RecordKind::Person,
        RecordKind::Unit,
    ];

    /// The kind's name on the wire and in the database.
    pub fn name(self) -> &'static str {
        with_kind!(self, T => T::NAME)
    }

    /// The kind of a wire or database name.
    pub fn from_name(name: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// What the kind is called, for people.
    pub fn label(self) -> Text {
        with_kind!(self, T => T::LABEL)
    }

    /// The name of the phone's collection of records of this kind.
    pub fn collection(self) -> &'static str {
        with_kind!(self, T => T::COLLECTION)
    }
}

/// A record kind that sync carries.
pub trait Synced: Record + Serialize + DeserializeOwned + Clone {
    const KIND: RecordKind;
    /// On the wire and in the server's database.
    const NAME: &'static str;
    /// The phone's collection (`store::LocalDb`).
    const COLLECTION: &'static str;
    const LABEL: Text;
    const FIELDS: &'static [&'static str];
    /// The rules a stored record of this kind keeps (what the server checks of every one).
    fn rules(&self, today: Day) -> Result<(), Vec<FieldError>>;
    fn created_at_mut(&mut self) -> &mut UnixMillis;
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
    (
        $t:ty, $kind:expr, $name:literal, $collection:expr, $label:expr,
        rules: |$r:ident, $today:ident| $rules:expr,
        [$($f:ident),* $(,)?]
    ) => {
        impl Synced for $t {
            const KIND: RecordKind = $kind;
            const NAME: &'static str = $name;
            const COLLECTION: &'static str = $collection;
            const LABEL: Text = $label;
            const FIELDS: &'static [&'static str] = &[$(stringify!($f)),*];
            fn rules(&self, $today: Day) -> Result<(), Vec<FieldError>> {
                let $r = self;
                $rules
            }
            fn created_at_mut(&mut self) -> &mut UnixMillis {
                &mut self.created_at
            }
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
    "household",
    crate::store::HOUSEHOLDS,
    Text::new("住户", "Household"),
    rules: |h, today| h.validate(today),
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
    "visit",
    crate::store::VISITS,
    Text::new("走访", "Visit"),
    // The household's basis is another record's state: not judged here.
    rules: |v, today| v.validate(today, None),
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
        notes,
        // New fields go last: a change's field bits are positions in this list.
        people,
        units,
        start_time,
        end_time
    ]
);
synced!(
    Event,
    RecordKind::Event,
    "event",
    crate::store::EVENTS,
    Text::new("活动", "Event"),
    rules: |e, _today| e.validate(),
    [
        kind, title, day, start_time, place, partners, volunteers, attendance, tallies, notes,
        // New fields go last: a change's field bits are positions in this list.
        end_time, people, units, hours
    ]
);

synced!(
    Person,
    RecordKind::Person,
    "person",
    crate::store::PEOPLE,
    Text::new("成员", "Member"),
    rules: |p, _today| p.validate(),
    [name, party_member, unit, phone, inactive, account, to_check, merged_into]
);
synced!(
    Unit,
    RecordKind::Unit,
    "unit",
    crate::store::UNITS,
    Text::new("合作单位", "Partner unit"),
    rules: |u, _today| u.validate(),
    [name, kind, parent, archived]
);

pub fn field_names(kind: RecordKind) -> &'static [&'static str] {
    with_kind!(kind, T => T::FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{full_visit, household};

    #[test]
    fn each_kind_is_described_once_and_agrees_with_itself() {
        let mut seen = std::collections::HashSet::new();
        for kind in RecordKind::ALL {
            crate::with_kind!(kind, T => assert_eq!(T::KIND, kind));
            // The wire name is serde's for the kind.
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.name())
            );
            for part in [
                kind.name(),
                kind.collection(),
                kind.label().get(crate::Lang::Zh),
            ] {
                assert!(seen.insert(part), "{part} names two kinds");
            }
        }
        assert_eq!(seen.len(), 3 * RecordKind::ALL.len());
    }

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
