//! The roster entries and partner units that records from before them need, made by the
//! server: a person for each free-text volunteer name, a unit for each old partner
//! category, a person for each account. Their ids are derived (`RecordId::derived`), so
//! making them again changes nothing, and phones reading an old record reach the same ids
//! before the server's copies arrive (`roster::Roster::people_of`, `units::units_of`).

use std::collections::{BTreeMap, HashSet};

use serde_json::value::RawValue;

use super::merge::{self, Doc, Writer};
use super::wire::{Op, PushMutation};
use crate::labels::Partner;
use crate::roster::{legacy_person_id, people_for_names, Person, Roster};
use crate::store::RecordKind;
use crate::units::{legacy_unit, legacy_unit_id};
use crate::{RecordId, UnixMillis};

/// The server writing in its own name (created_by of what it makes).
pub const SERVER: Writer<'static> = Writer {
    user: "doorstep",
    device: "server",
    coordinator: true,
    revoked: false,
};

/// A record the server makes, as its kind, id and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub kind: RecordKind,
    pub id: RecordId,
    pub json: String,
}

/// The free-text names and old categories a visit or event names (shown values).
pub fn named_the_old_way(doc: &Doc) -> (Vec<String>, Vec<Partner>) {
    if !matches!(doc.kind, RecordKind::Visit | RecordKind::Event) || doc.erased {
        return (Vec::new(), Vec::new());
    }
    let shown = |name: &str| doc.fields.get(name).map(|f| f.shown().clone());
    let names = shown("volunteers")
        .and_then(|v| serde_json::from_value::<Vec<String>>(v).ok())
        .unwrap_or_default();
    let partners = shown("partners")
        .and_then(|v| serde_json::from_value::<Vec<Partner>>(v).ok())
        .unwrap_or_default();
    (names, partners)
}

/// The ids the old names and categories of `docs` stand for (to look up which exist).
pub fn wanted<'a>(docs: impl IntoIterator<Item = &'a Doc>) -> BTreeMap<RecordId, Wanted> {
    let mut out = BTreeMap::new();
    for doc in docs {
        let (names, partners) = named_the_old_way(doc);
        for n in names {
            if !crate::roster::normalize_name(&n).is_empty() {
                out.entry(legacy_person_id(&n)).or_insert(Wanted::Name(n));
            }
        }
        for p in partners {
            out.entry(legacy_unit_id(p)).or_insert(Wanted::Partner(p));
        }
    }
    out
}

/// A new team's first partner units: one per old category, named by its kind, for the
/// coordinator to rename (派出所 → 东亭派出所). Forms offer units only, so a team starts
/// with these rather than with none.
pub fn first_units() -> BTreeMap<RecordId, Wanted> {
    Partner::ALL
        .iter()
        .map(|p| (legacy_unit_id(*p), Wanted::Partner(*p)))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    Name(String),
    Partner(Partner),
}

/// The records to make for what `wanted` lists and `exists` lacks.
pub fn to_make(
    wanted: &BTreeMap<RecordId, Wanted>,
    exists: &HashSet<RecordId>,
    at: UnixMillis,
) -> Vec<Made> {
    let mut out = Vec::new();
    let names = wanted.iter().filter_map(|(id, w)| match w {
        Wanted::Name(n) if !exists.contains(id) => Some(n.as_str()),
        _ => None,
    });
    for p in people_for_names(names, &Roster::default(), at, SERVER.user) {
        out.push(made(RecordKind::Person, p.id, &p));
    }
    for (id, w) in wanted {
        if let (Wanted::Partner(p), false) = (w, exists.contains(id)) {
            out.push(made(
                RecordKind::Unit,
                *id,
                &legacy_unit(*p, at, SERVER.user),
            ));
        }
    }
    out
}

/// The roster entry of an account: the person of its display name (so the old free-text
/// name of its owner is the same person), with the account set.
pub fn person_for_account(user_id: &str, display_name: &str, at: UnixMillis) -> Person {
    let mut p = people_for_names([display_name], &Roster::default(), at, SERVER.user)
        .pop()
        .unwrap_or_else(|| {
            people_for_names([user_id], &Roster::default(), at, SERVER.user)
                .pop()
                .expect("a user id is a name")
        });
    p.account = Some(user_id.to_owned());
    p.to_check = false;
    p
}

fn made<T: serde::Serialize>(kind: RecordKind, id: RecordId, record: &T) -> Made {
    Made {
        kind,
        id,
        json: serde_json::to_string(record).expect("records serialise"),
    }
}

/// The server's copy of a record it makes (or sets `fields` of, on `existing`), as change
/// number `rev`, through the same rules as a phone's push.
pub fn apply(
    existing: Option<&Doc>,
    made: &Made,
    fields: Option<Vec<String>>,
    rev: u64,
    at: UnixMillis,
) -> Result<Option<Doc>, super::wire::Rejection> {
    let record = RawValue::from_string(made.json.clone()).expect("made records are JSON");
    let m = PushMutation {
        seq: 0,
        at,
        op: Op::Put {
            kind: made.kind,
            id: made.id,
            base: existing.map_or(0, |d| d.rev),
            fields,
            record,
            resend: false,
        },
    };
    merge::apply(existing, &m, SERVER, rev, super::inbound::latest(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{full_visit, household};

    fn doc_of(v: &crate::visit::Visit) -> Doc {
        let json = serde_json::to_string(v).unwrap();
        let m = Made {
            kind: RecordKind::Visit,
            id: v.id,
            json,
        };
        apply(None, &m, None, 1, UnixMillis(1_795_714_300_000))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn volunteers_add_people_to_check_and_never_units() {
        let at = UnixMillis(1_795_714_300_000);
        let volunteer = Writer {
            user: "u-1",
            device: "d-1",
            coordinator: false,
            revoked: false,
        };
        let put = |made: &Made| PushMutation {
            seq: 1,
            at,
            op: Op::Put {
                kind: made.kind,
                id: made.id,
                base: 0,
                fields: None,
                record: RawValue::from_string(made.json.clone()).unwrap(),
                resend: false,
            },
        };
        let mut p = crate::roster::PersonDraft::on_the_spot("王五")
            .create(
                RecordId::mint(at, [3; 10]),
                &crate::household::Stamp {
                    now: at,
                    today: crate::Day::from_unix_millis(at, 480),
                    user: "u-1".into(),
                },
            )
            .unwrap();
        let ok = made(RecordKind::Person, p.id, &p);
        assert!(merge::apply(None, &put(&ok), volunteer, 2, at).is_ok());
        p.to_check = false;
        let unchecked = made(RecordKind::Person, p.id, &p);
        let err = merge::apply(None, &put(&unchecked), volunteer, 2, at).unwrap_err();
        assert_eq!(err.code, super::super::wire::RejectCode::Forbidden);
        let unit = made(
            RecordKind::Unit,
            legacy_unit_id(Partner::Other),
            &legacy_unit(Partner::Other, at, "u-1"),
        );
        assert!(merge::apply(None, &put(&unit), volunteer, 2, at).is_err());
        let coordinator = Writer {
            coordinator: true,
            ..volunteer
        };
        assert!(merge::apply(None, &put(&unit), coordinator, 2, at).is_ok());
    }

    #[test]
    fn old_names_and_categories_become_people_and_units_once() {
        let mut v = full_visit(1, &household(1), "");
        v.volunteers = vec!["张三".into(), "李四 ".into(), "李四".into()];
        v.partners = vec![Partner::PoliceStation];
        let doc = doc_of(&v);
        let wanted = wanted([&doc]);
        assert_eq!(wanted.len(), 3);
        let at = UnixMillis(1_795_714_300_000);
        let made = to_make(&wanted, &HashSet::new(), at);
        assert_eq!(made.len(), 3);
        for m in &made {
            let d = apply(None, m, None, 2, at).unwrap().unwrap();
            assert_eq!(d.created_by, SERVER.user);
        }
        let exists: HashSet<RecordId> = made.iter().map(|m| m.id).collect();
        assert!(to_make(&wanted, &exists, at).is_empty(), "idempotent");
        // An account's person is its owner's old free-text name.
        let p = person_for_account("u-1", "张三", at);
        assert_eq!(p.id, legacy_person_id("张三"));
        assert_eq!(p.account.as_deref(), Some("u-1"));
        assert!(p.validate().is_ok());
    }
}
