//! A hostile phone of the team (a volunteer's account on a tampered app): it pushes forged
//! authors, changes to colleagues' visits, invalid and wrongly typed records, times from the
//! future, kind mismatches and replays straight at the server. Every such change is refused
//! (a replay changes nothing), and I1–I6 keep holding for the honest phones.

use proptest::prelude::*;
use serde_json::value::RawValue;
use serde_json::Value;

use super::World;
use crate::store::conformance::{full_visit, household};
use crate::store::RecordKind;
use crate::sync::merge::Writer;
use crate::sync::wire::{Op, PushMutation, PushRequest, PROTOCOL};
use crate::{RecordId, UnixMillis};

const USER: &str = "u-evil";
const DEVICE: &str = "dev-evil";

#[derive(Debug, Clone)]
pub(super) enum Evil {
    /// A new visit naming an honest volunteer as its author.
    ForgeAuthor(usize),
    /// A colleague's visit changed, or deleted, with any base.
    EditOthers(usize, u64),
    DeleteOthers(usize, u64),
    /// A household breaking a form's rule, or of the wrong shape.
    Invalid(usize),
    /// A visit's id sent as a household.
    KindMismatch(usize),
    /// A change dated beyond the server's clock, to win every later conflict.
    FromTheFuture,
    /// Its own earlier numbers again, naming colleagues' visits.
    Replay(usize),
}

pub(super) fn evil() -> impl Strategy<Value = Evil> {
    prop_oneof![
        (0..8usize).prop_map(Evil::ForgeAuthor),
        (
            0..8usize,
            prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>()]
        )
            .prop_map(|(v, b)| Evil::EditOthers(v, b)),
        (0..8usize, prop_oneof![Just(0u64), Just(u64::MAX)])
            .prop_map(|(v, b)| Evil::DeleteOthers(v, b)),
        (0..INVALID.len()).prop_map(Evil::Invalid),
        (0..8usize).prop_map(Evil::KindMismatch),
        Just(Evil::FromTheFuture),
        (0..8usize).prop_map(Evil::Replay),
    ]
}

/// Households no form would save: each sets one field of a valid one.
const INVALID: &[(&str, &str)] = &[
    ("notes", r#"{"not":"a string"}"#),
    ("residents", "[]"),
    ("address", r#"{"community":""}"#),
    ("cadence", r#""hourly""#),
    ("archived", r#""yes""#),
    ("assigned_to", r#""\u0000""#),
];

fn raw(v: &Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string()).expect("valid JSON")
}

impl World {
    /// Pushes one hostile change: it must be refused (a replay: leave every record as it
    /// was).
    pub(super) fn hostile(&mut self, e: &Evil, at: UnixMillis) -> Result<(), TestCaseError> {
        // It knows the ids it pulled: colleagues' visits the server has.
        // A tampered app numbers its pushes right (or it gets nothing in): it follows the
        // server, also after a restore from a backup.
        self.evil_seq = self.server.last_seq.get(DEVICE).copied().unwrap_or(0);
        let honest: Vec<RecordId> = self
            .server
            .docs
            .values()
            .filter(|d| d.kind == RecordKind::Visit && d.created_by != USER)
            .map(|d| d.id)
            .collect();
        let pick = |i: usize| honest.get(i % honest.len().max(1)).copied();
        self.next_id += 1;
        let n = self.next_id;
        let home = household(1_000 + n);
        let put = |kind, id, base, record: Value| Op::Put {
            kind,
            id,
            base,
            fields: None,
            record: raw(&record),
            resend: false,
        };
        let mut at = at;
        let op = match *e {
            Evil::ForgeAuthor(i) => {
                let mut v = full_visit(n, &home, "冒名顶替");
                v.author = ["u-a", "u-b", "u-coord"][i % 3].into();
                put(
                    RecordKind::Visit,
                    v.id,
                    0,
                    serde_json::to_value(&v).unwrap(),
                )
            }
            Evil::EditOthers(i, base) => {
                let Some(id) = pick(i) else { return Ok(()) };
                let Some(mut v) = self.visits.get(&id).map(|(v, _)| v.clone()) else {
                    return Ok(());
                };
                v.notes = "改了别人的走访".into();
                put(
                    RecordKind::Visit,
                    id,
                    base,
                    serde_json::to_value(&v).unwrap(),
                )
            }
            Evil::DeleteOthers(i, base) => {
                let Some(id) = pick(i) else { return Ok(()) };
                Op::Delete {
                    kind: RecordKind::Visit,
                    id,
                    base,
                }
            }
            Evil::Invalid(i) => {
                let mut h = serde_json::to_value(household(2_000 + n)).unwrap();
                let (field, value) = INVALID[i];
                h[field] = serde_json::from_str(value).unwrap();
                put(RecordKind::Household, household(2_000 + n).id, 0, h)
            }
            Evil::KindMismatch(i) => {
                let Some(id) = pick(i) else { return Ok(()) };
                let mut h = household(n);
                h.id = id;
                put(
                    RecordKind::Household,
                    id,
                    0,
                    serde_json::to_value(&h).unwrap(),
                )
            }
            Evil::FromTheFuture => {
                let mut h = household(3_000 + n);
                h.updated_at = UnixMillis(i64::MAX / 2);
                at = UnixMillis(9_000_000_000_000_000);
                put(
                    RecordKind::Household,
                    h.id,
                    0,
                    serde_json::to_value(&h).unwrap(),
                )
            }
            Evil::Replay(i) => {
                if self.evil_seq == 0 {
                    return Ok(());
                }
                let Some(id) = pick(i) else { return Ok(()) };
                let before = self.server.docs.clone();
                let req = PushRequest {
                    protocol: PROTOCOL,
                    resume: false,
                    mutations: vec![PushMutation {
                        seq: 1,
                        at,
                        op: Op::Delete {
                            kind: RecordKind::Visit,
                            id,
                            base: u64::MAX,
                        },
                    }],
                };
                self.server
                    .push(writer(), &req)
                    .expect("a replay is answered");
                prop_assert_eq!(&before, &self.server.docs, "a replay changed records");
                return Ok(());
            }
        };
        self.evil_seq += 1;
        let req = PushRequest {
            protocol: PROTOCOL,
            resume: false,
            mutations: vec![PushMutation {
                seq: self.evil_seq,
                at,
                op,
            }],
        };
        let before = self.server.docs.clone();
        let answer = self.server.push(writer(), &req).expect("answered");
        let refused = answer.outcomes[0].rejected.clone();
        prop_assert!(refused.is_some(), "the server took {:?}", e);
        prop_assert_eq!(&before, &self.server.docs, "{:?} changed records", e);
        Ok(())
    }
}

fn writer() -> Writer<'static> {
    Writer {
        user: USER,
        device: DEVICE,
        coordinator: false,
        revoked: false,
    }
}
