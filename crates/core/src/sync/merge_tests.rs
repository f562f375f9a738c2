//! Properties of the field merge: the order concurrent changes arrive in does not matter,
//! applying a change twice is applying it once, and the shown value is the same everywhere.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::merge::{merge_field, Candidate, FieldState};
use super::wire::{Op, PushMutation, RejectCode};
use super::{merge, Synced};
use crate::store::conformance::{full_visit, household};
use crate::store::RecordKind;
use crate::UnixMillis;

/// A change as it arrives: value, time, by and the revision its author had seen.
#[derive(Debug, Clone)]
struct Change {
    value: Value,
    at: i64,
    by: String,
    device: String,
    base: u64,
}

fn change() -> impl Strategy<Value = Change> {
    (0..4u8, 0..3i64, 0..3u8, 0..2u8, 0..2u64).prop_map(|(v, at, d, p, base)| Change {
        value: if v == 0 {
            Value::Null
        } else {
            json!(format!("v{v}"))
        },
        at,
        by: format!("d{d}"),
        device: format!("d{d}-p{p}"),
        base,
    })
}

fn apply_all(start: Option<FieldState>, changes: &[Change], first_rev: u64) -> Option<FieldState> {
    let mut state = start;
    for (i, c) in changes.iter().enumerate() {
        let incoming = Candidate {
            value: c.value.clone(),
            at: UnixMillis(c.at),
            by: c.by.clone(),
            device: c.device.clone(),
        };
        state = Some(merge_field(
            state.as_ref(),
            incoming,
            c.base,
            first_rev + i as u64,
        ));
    }
    state
}

/// What must not depend on arrival order: the shown value and the set of kept values.
fn outcome(s: &Option<FieldState>) -> Option<(Value, Vec<Value>)> {
    s.as_ref().map(|f| {
        let mut kept: Vec<Value> = f.values.iter().map(|c| c.value.clone()).collect();
        kept.sort_by_key(|v| v.to_string());
        (f.shown().clone(), kept)
    })
}

fn start() -> Option<FieldState> {
    Some(FieldState {
        rev: 1,
        values: vec![Candidate {
            value: json!("v0"),
            at: UnixMillis(0),
            by: "d9".into(),
            device: "d9-p0".into(),
        }],
    })
}

/// Changes from distinct devices that all saw revision 1: truly concurrent.
fn concurrent(n: usize) -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec(change(), n).prop_map(|mut cs| {
        for (i, c) in cs.iter_mut().enumerate() {
            c.by = format!("d{i}");
            c.device = format!("d{i}-p0");
            c.base = 1;
        }
        cs
    })
}

/// Concurrent changes where the first two are one person's, from two devices (signed in
/// again with changes queued).
fn two_devices_of_one_person(n: usize) -> impl Strategy<Value = Vec<Change>> {
    prop::collection::vec(change(), n).prop_map(|mut cs| {
        for (i, c) in cs.iter_mut().enumerate() {
            c.by = if i < 2 { "u0".into() } else { format!("u{i}") };
            c.device = format!("p{i}");
            c.base = 1;
        }
        cs
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn commutative(cs in concurrent(2)) {
        let ab = apply_all(start(), &cs, 10);
        let ba = apply_all(start(), &[cs[1].clone(), cs[0].clone()], 10);
        prop_assert_eq!(outcome(&ab), outcome(&ba));
    }

    #[test]
    fn associative_any_order_of_three(cs in concurrent(3), order in Just([0usize, 1, 2]).prop_shuffle()) {
        // (a·b)·c = a·(b·c) for an operation applied in sequence means: any order of the
        // three gives the same result.
        let reference = apply_all(start(), &cs, 10);
        let shuffled: Vec<Change> = order.iter().map(|&i| cs[i].clone()).collect();
        prop_assert_eq!(outcome(&apply_all(start(), &shuffled, 10)), outcome(&reference));
    }

    #[test]
    fn one_person_on_two_devices_any_order(cs in two_devices_of_one_person(3), order in Just([0usize, 1, 2]).prop_shuffle()) {
        let reference = apply_all(start(), &cs, 10);
        let shuffled: Vec<Change> = order.iter().map(|&i| cs[i].clone()).collect();
        prop_assert_eq!(outcome(&apply_all(start(), &shuffled, 10)), outcome(&reference));
        // The person's later value stays, never both (not a conflict with themself).
        let f = reference.unwrap();
        prop_assert_eq!(f.values.iter().filter(|k| k.by == "u0").count(), 1);
    }

    #[test]
    fn idempotent(cs in prop::collection::vec(change(), 1..5)) {
        let once = apply_all(start(), &cs, 10);
        let last = cs.last().unwrap().clone();
        let twice = apply_all(once.clone(), &[last], 100);
        prop_assert_eq!(outcome(&once), outcome(&twice));
    }

    #[test]
    fn deterministic_and_nothing_silently_dropped(cs in concurrent(3)) {
        let a = apply_all(start(), &cs, 10);
        prop_assert_eq!(outcome(&a), outcome(&apply_all(start(), &cs, 10)));
        let f = a.unwrap();
        // Every concurrent value is shown or kept beside the shown one.
        for c in &cs {
            prop_assert!(f.values.iter().any(|k| k.value == c.value));
        }
    }
}

#[test]
fn a_change_that_saw_the_conflict_settles_it() {
    let cs = [
        Change {
            value: json!("a"),
            at: 1,
            by: "d1".into(),
            device: "d1-p0".into(),
            base: 1,
        },
        Change {
            value: json!("b"),
            at: 2,
            by: "d2".into(),
            device: "d2-p0".into(),
            base: 1,
        },
    ];
    let conflicted = apply_all(start(), &cs, 10).unwrap();
    assert!(conflicted.in_conflict());
    assert_eq!(conflicted.shown(), &json!("b"), "the later change is shown");
    let settled = merge_field(
        Some(&conflicted),
        Candidate {
            value: json!("c"),
            at: UnixMillis(3),
            by: "coord".into(),
            device: "coord-p0".into(),
        },
        conflicted.rev,
        20,
    );
    assert_eq!(
        (settled.shown(), settled.in_conflict()),
        (&json!("c"), false)
    );
}

#[test]
fn the_same_person_editing_twice_is_not_a_conflict() {
    // Its second change may be based on an older revision (sent before the pull).
    let cs = [
        Change {
            value: json!("a"),
            at: 1,
            by: "d1".into(),
            device: "d1-p0".into(),
            base: 1,
        },
        Change {
            value: json!("b"),
            at: 2,
            by: "d1".into(),
            device: "d1-p0".into(),
            base: 1,
        },
    ];
    let f = apply_all(start(), &cs, 10).unwrap();
    assert_eq!((f.shown(), f.in_conflict()), (&json!("b"), false));
}

fn put<T: Synced>(record: &T, base: u64, fields: Option<Vec<&str>>) -> PushMutation {
    PushMutation {
        seq: 1,
        at: UnixMillis(5),
        op: Op::Put {
            kind: T::KIND,
            id: record.id(),
            base,
            fields: fields.map(|fs| fs.into_iter().map(str::to_owned).collect()),
            record: serde_json::value::RawValue::from_string(
                serde_json::to_string(record).unwrap(),
            )
            .unwrap(),
            resend: false,
        },
    }
}

/// The merge with no bound on times (the fixtures' clocks are arbitrary).
fn apply(
    existing: Option<&merge::Doc>,
    m: &PushMutation,
    w: merge::Writer<'_>,
    rev: u64,
) -> Result<Option<merge::Doc>, crate::sync::wire::Rejection> {
    merge::apply(existing, m, w, rev, crate::UnixMillis(i64::MAX))
}

const VOL: merge::Writer = merge::Writer {
    user: "u-1",
    device: "dev-1",
    coordinator: false,
    revoked: false,
};
const OTHER: merge::Writer = merge::Writer {
    user: "u-2",
    device: "dev-2",
    coordinator: false,
    revoked: false,
};

#[test]
fn two_phones_editing_different_fields_of_a_household_both_win() {
    let h = household(1);
    let doc = apply(None, &put(&h, 0, None), VOL, 1).unwrap().unwrap();
    let mut a = h.clone();
    a.notes = "耳背".into();
    let mut b = h.clone();
    b.archived = true;
    let doc = apply(Some(&doc), &put(&a, 1, Some(vec!["notes"])), VOL, 2)
        .unwrap()
        .unwrap();
    let doc = apply(Some(&doc), &put(&b, 1, Some(vec!["archived"])), OTHER, 3)
        .unwrap()
        .unwrap();
    let merged: crate::household::Household =
        serde_json::from_value(Value::Object(doc.record())).unwrap();
    assert_eq!((merged.notes.as_str(), merged.archived), ("耳背", true));
    assert!(doc.conflicts().is_empty());
    // The server names the author, whatever the phone wrote.
    assert_eq!(merged.author, "u-1");
}

#[test]
fn only_a_coordinator_assigns_a_household() {
    let h = household(1);
    let doc = apply(None, &put(&h, 0, None), VOL, 1).unwrap().unwrap();
    let mut mine = h.clone();
    mine.assigned_to = "我自己".into();
    mine.notes = "耳背".into();
    let doc = apply(Some(&doc), &put(&mine, 1, None), VOL, 2)
        .unwrap()
        .unwrap();
    let shown = |d: &merge::Doc| -> crate::household::Household {
        serde_json::from_value(Value::Object(d.record())).unwrap()
    };
    // The volunteer's other change lands; the assignment is left as it was.
    assert_eq!(shown(&doc).notes, "耳背");
    assert_eq!(shown(&doc).assigned_to, h.assigned_to);
    let coordinator = merge::Writer {
        coordinator: true,
        ..OTHER
    };
    let doc = apply(
        Some(&doc),
        &put(&mine, 2, Some(vec!["assigned_to"])),
        coordinator,
        3,
    )
    .unwrap()
    .unwrap();
    assert_eq!(shown(&doc).assigned_to, "我自己");
}

#[test]
fn same_id_with_other_content_is_kept_as_a_conflict() {
    let h = household(1);
    let doc = apply(None, &put(&h, 0, None), VOL, 1).unwrap().unwrap();
    let mut other = h.clone();
    other.notes = "另一份".into();
    let doc = apply(Some(&doc), &put(&other, 0, None), OTHER, 2)
        .unwrap()
        .unwrap();
    assert_eq!(doc.conflicts().get("notes").map(Vec::len), Some(2));
}

#[test]
fn deleted_stays_deleted_when_an_older_edit_arrives() {
    let h = household(1);
    let doc = apply(None, &put(&h, 0, None), VOL, 1).unwrap().unwrap();
    let del = PushMutation {
        seq: 2,
        at: UnixMillis(6),
        op: Op::Delete {
            kind: RecordKind::Household,
            id: h.id,
            base: 1,
        },
    };
    let doc = apply(Some(&doc), &del, VOL, 2).unwrap().unwrap();
    let mut late = h.clone();
    late.notes = "晚到的修改".into();
    let doc = apply(Some(&doc), &put(&late, 1, Some(vec!["notes"])), OTHER, 3)
        .unwrap()
        .unwrap();
    assert!(doc.is_deleted());
    // A re-sent create does not bring it back either.
    let doc = apply(Some(&doc), &put(&h, 0, None), VOL, 4)
        .unwrap()
        .unwrap();
    assert!(doc.is_deleted());
}

#[test]
fn rejections_name_the_reason_and_change_nothing() {
    let h = household(1);
    let v = full_visit(1, &h, "聊天");
    let doc = apply(None, &put(&v, 0, None), VOL, 1).unwrap().unwrap();
    let mut edit = v.clone();
    edit.notes = "别人的走访".into();
    let err = apply(Some(&doc), &put(&edit, 1, Some(vec!["notes"])), OTHER, 2).unwrap_err();
    assert_eq!(err.code, RejectCode::Forbidden);
    let coordinator = merge::Writer {
        coordinator: true,
        ..OTHER
    };
    assert!(apply(
        Some(&doc),
        &put(&edit, 1, Some(vec!["notes"])),
        coordinator,
        2
    )
    .is_ok());
    // A household's id used for a visit.
    let hdoc = apply(None, &put(&h, 0, None), VOL, 3).unwrap().unwrap();
    let mut clash = v.clone();
    clash.id = h.id;
    assert_eq!(
        apply(Some(&hdoc), &put(&clash, 0, None), VOL, 4)
            .unwrap_err()
            .code,
        RejectCode::KindMismatch
    );
    // A field that breaks the record: day is required.
    let mut broken = serde_json::to_value(&v).unwrap();
    broken["day"] = json!("not a day");
    let m = PushMutation {
        seq: 1,
        at: UnixMillis(5),
        op: Op::Put {
            kind: RecordKind::Visit,
            id: v.id,
            base: 1,
            fields: Some(vec!["day".into()]),
            record: serde_json::value::RawValue::from_string(broken.to_string()).unwrap(),
            resend: false,
        },
    };
    assert_eq!(
        apply(Some(&doc), &m, VOL, 5).unwrap_err().code,
        RejectCode::Invalid
    );
}

#[test]
fn a_change_of_some_fields_of_a_record_the_server_lacks_brings_it_whole() {
    // Its creation was refused earlier, or lost in a restored database.
    let h = household(1);
    let mut edited = h.clone();
    edited.notes = "耳背".into();
    let doc = apply(None, &put(&edited, 3, Some(vec!["notes"])), VOL, 7)
        .unwrap()
        .unwrap();
    let got: crate::household::Household =
        serde_json::from_value(Value::Object(doc.record())).unwrap();
    let mut want = edited.clone();
    want.author = "u-1".into();
    want.rev = 0;
    let mut got = got;
    got.rev = 0;
    assert_eq!(got, want);
    // A coordinator re-sending a colleague's record keeps its author; a volunteer cannot.
    let mut v = full_visit(1, &h, "聊天");
    v.author = "u-2".into();
    let coordinator = merge::Writer {
        coordinator: true,
        ..VOL
    };
    let doc = apply(None, &put(&v, 0, None), coordinator, 9)
        .unwrap()
        .unwrap();
    assert_eq!(doc.created_by, "u-2");
    let err = apply(None, &put(&v, 0, None), VOL, 9).unwrap_err();
    assert_eq!(err.code, RejectCode::Forbidden);
    v.author = String::new();
    let doc = apply(None, &put(&v, 0, None), VOL, 9).unwrap().unwrap();
    assert_eq!(
        doc.created_by, "u-1",
        "a visit saved before sign-in is the sender's"
    );
    // Unknown names are still refused.
    let err = apply(None, &put(&h, 0, Some(vec!["nope"])), VOL, 8).unwrap_err();
    assert_eq!(err.code, RejectCode::Invalid);
}

#[test]
fn a_resent_record_applies_only_where_the_server_lost_it_and_in_its_authors_name() {
    let h = household(1);
    let mut v = full_visit(1, &h, "原来的");
    v.author = "u-1".into();
    let coordinator = merge::Writer {
        user: "u-c",
        device: "dev-c",
        coordinator: true,
        revoked: false,
    };
    let resend = |v: &crate::visit::Visit| {
        let mut m = put(v, 0, None);
        if let Op::Put { resend, .. } = &mut m.op {
            *resend = true;
        }
        m
    };
    // The author's phone sent a newer version first: the old copy changes nothing.
    let mut newer = v.clone();
    newer.notes = "作者后来改的".into();
    newer.updated_at.0 += 1_000;
    let doc = apply(None, &put(&newer, 0, None), VOL, 1).unwrap().unwrap();
    assert!(apply(Some(&doc), &resend(&v), coordinator, 2)
        .unwrap()
        .is_none());
    // The other order: the coordinator's copy comes first, in the author's name, so the
    // author's later edit from their own phone replaces it — no conflict with themself.
    let doc = apply(None, &resend(&v), coordinator, 3).unwrap().unwrap();
    assert_eq!(doc.created_by, "u-1");
    let mut edit = put(&newer, 0, Some(vec!["notes"]));
    edit.at = UnixMillis(newer.updated_at.0);
    let doc = apply(Some(&doc), &edit, VOL, 4).unwrap().unwrap();
    assert!(doc.conflicts().is_empty(), "{:?}", doc.conflicts());
    assert_eq!(doc.record()["notes"], "作者后来改的");
}
