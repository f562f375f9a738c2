use super::*;
use crate::household::{Address, BasisKind, HouseholdDraft, Resident};
use crate::services::SupplyDraft;
use crate::Lang;
use proptest::prelude::*;

fn stamp() -> Stamp {
    Stamp {
        now: UnixMillis(1_795_714_200_000),
        today: Day::parse("2026-11-26").unwrap(),
        user: "u-1".into(),
    }
}

fn household(with_basis: bool) -> Household {
    let mut d = HouseholdDraft {
        address: Address {
            community: "幸福社区".into(),
            building: "3幢".into(),
            ..Address::default()
        },
        residents: vec![Resident {
            name: "王奶奶".into(),
            ..Resident::default()
        }],
        ..HouseholdDraft::default()
    };
    if with_basis {
        d.basis_kind = Some(BasisKind::WrittenConsent);
        d.basis_recorded_on = "2026-11-01".into();
        d.basis_recorded_by = "李".into();
    }
    d.create(RecordId::mint(UnixMillis(1), [3; 10]), &stamp())
        .unwrap()
}

fn draft(h: &Household) -> VisitDraft {
    VisitDraft {
        household_id: Some(h.id),
        day: "2026-11-26".into(),
        volunteers: vec!["张三".into(), "".into()],
        partners: vec![Partner::CommunityCommittee],
        services: ServicesDraft {
            companionship_chat: true,
            ..ServicesDraft::default()
        },
        start_time: "09:30".into(),
        end_time: "10:15".into(),
        ..VisitDraft::default()
    }
}

#[test]
fn a_new_visit_starts_when_the_form_opened_and_ends_when_saved() {
    let h = household(false);
    let mut d = draft(&h);
    d.start_time = String::new();
    d.end_time = String::new();
    d.opened_at(9 * 60 + 5);
    assert_eq!(d.start_time, "09:05");
    let mut quick = d.clone();
    d.ending_at_save(stamp().today, 9 * 60 + 50);
    assert_eq!(d.end_time, "09:50");
    quick.ending_at_save(stamp().today, 9 * 60 + 5);
    assert_eq!(
        quick.end_time, "09:06",
        "saved within the minute it started"
    );
    let v = d.create(id(), Some(&h), &stamp()).unwrap();
    assert_eq!(
        crate::time::minutes_between(v.start_time.as_deref(), v.end_time.as_deref()),
        Some(45)
    );
    // Logged the next day: nothing is guessed, the form asks for both times.
    let mut late = draft(&h);
    late.start_time = String::new();
    late.end_time = String::new();
    late.ending_at_save(stamp().today.add_days(1), 8 * 60);
    let errs = late.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["start_time", "end_time"]);
    // An older visit without times can still be edited.
    let mut old = d.create(id(), Some(&h), &stamp()).unwrap();
    old.start_time = None;
    old.end_time = None;
    let mut edit = VisitDraft::from_visit(&old);
    edit.notes = "补充".into();
    assert!(edit.update(&old, Some(&h), &stamp()).is_ok());
    // An end before the start is refused with words.
    let mut wrong = draft(&h);
    wrong.end_time = "09:00".into();
    let errs = wrong.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(errs[0].message(Lang::Zh), "应晚于开始时间");
}

fn id() -> RecordId {
    RecordId::mint(UnixMillis(2), [4; 10])
}

fn fields(errs: &[FieldError]) -> Vec<&str> {
    errs.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn names_split_on_chinese_and_latin_separators() {
    assert_eq!(
        split_names("张三、李四,王五， 赵六"),
        ["张三", "李四", "王五", "赵六"]
    );
    assert!(split_names(" 、 ").is_empty());
    let names = split_names("Zhang San, Li Si");
    assert_eq!(join_names(&names, Lang::En), "Zhang San, Li Si");
    assert_eq!(split_names(&join_names(&names, Lang::Zh)), names);
}

#[test]
fn a_typical_visit_with_bp_and_two_supplies() {
    let h = household(true);
    let mut d = draft(&h);
    d.services.bp_on = true;
    d.services.systolic = "135".into();
    d.services.diastolic = "85".into();
    d.services.supplies_on = true;
    d.services.supplies = vec![
        SupplyDraft {
            item: "大米".into(),
            quantity: "2".into(),
            unit: "袋".into(),
        },
        SupplyDraft {
            item: "食用油".into(),
            quantity: "1".into(),
            unit: "桶".into(),
        },
    ];
    d.condition_level = Some(ConditionLevel::NeedsAttention);
    d.condition_text = "冬天暖气不热".into();
    d.residents_words = "你们来了我就高兴".into();
    d.follow_up_what = "联系社区修暖气".into();
    d.follow_up_due = "2026-12-01".into();
    let v = d.create(id(), Some(&h), &stamp()).unwrap();
    assert_eq!(v.volunteers, ["张三"], "empty rows are dropped");
    assert_eq!(v.services.supplies.len(), 2);
    assert_eq!(v.open_follow_up(), Some(Day::parse("2026-12-01").unwrap()));
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(serde_json::from_str::<Visit>(&json).unwrap(), v);
}

#[test]
fn a_visit_round_trips_through_the_edit_form() {
    let h = household(true);
    let mut d = draft(&h);
    d.services.bp_on = true;
    d.services.systolic = "135".into();
    d.services.diastolic = "85".into();
    d.services.supplies_on = true;
    d.services.supplies = vec![SupplyDraft {
        item: "大米".into(),
        quantity: "2".into(),
        unit: "袋".into(),
    }];
    d.condition_level = Some(ConditionLevel::NeedsAttention);
    d.condition_text = "暖气不热".into();
    d.follow_up_what = "修暖气".into();
    d.follow_up_due = "2026-12-01".into();
    let v = d.create(id(), Some(&h), &stamp()).unwrap();
    let again = VisitDraft::from_visit(&v)
        .update(&v, Some(&h), &stamp())
        .unwrap();
    assert_eq!(again, v);
}

#[test]
fn stored_json_leaves_out_defaults_and_reads_back_either_form() {
    let h = household(false);
    let v = draft(&h).create(id(), Some(&h), &stamp()).unwrap();
    let json = serde_json::to_string(&v).unwrap();
    for absent in [
        "cleaning_help",
        "supplies",
        "blood_pressure",
        "notes",
        "follow_up",
        "needs",
    ] {
        assert!(!json.contains(absent), "{absent} in {json}");
    }
    assert!(json.contains(r#""companionship_chat":true"#), "{json}");
    assert_eq!(serde_json::from_str::<Visit>(&json).unwrap(), v);
    // The long form (every field written out) still reads as the same visit.
    let mut long = serde_json::to_value(&v).unwrap();
    long["notes"] = "".into();
    long["needs"] = serde_json::json!([]);
    long["follow_up"] = serde_json::Value::Null;
    long["services"]["haircut"] = false.into();
    assert_eq!(serde_json::from_value::<Visit>(long).unwrap(), v);
    let hj = serde_json::to_string(&h).unwrap();
    assert!(!hj.contains("archived") && !hj.contains("phone"), "{hj}");
    assert_eq!(serde_json::from_str::<Household>(&hj).unwrap(), h);
}

#[test]
fn household_volunteer_and_a_past_day_are_required() {
    let h = household(false);
    let mut d = draft(&h);
    d.household_id = None;
    d.volunteers = vec![" ".into()];
    d.day = "2026-11-27".into();
    let errs = d.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["household", "day", "volunteers"]);
    assert_eq!(errs[1].problem, Problem::InFuture);
}

#[test]
fn health_details_need_the_households_basis() {
    let h = household(false);
    let mut d = draft(&h);
    d.services.bp_on = true;
    d.services.systolic = "120".into();
    d.services.diastolic = "80".into();
    d.needs = vec![NeedCategory::Health];
    let errs = d.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["bp.systolic", "needs"]);
    assert_eq!(errs[0].problem, Problem::NeedsBasis);
    assert!(d.create(id(), Some(&household(true)), &stamp()).is_ok());
}

#[test]
fn an_invalid_bp_names_the_field_and_says_why() {
    let h = household(true);
    let mut d = draft(&h);
    d.services.bp_on = true;
    d.services.systolic = "80".into();
    d.services.diastolic = "90".into();
    let errs = d.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["bp.systolic"]);
    assert_eq!(
        errs[0].message(Lang::En),
        "Must be greater than the diastolic pressure"
    );
}

#[test]
fn concerning_conditions_need_words_and_follow_ups_need_both_parts() {
    let h = household(true);
    let mut d = draft(&h);
    d.condition_level = Some(ConditionLevel::Urgent);
    d.follow_up_what = "送药".into();
    let errs = d.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(fields(&errs), ["conditions.text", "follow_up.due"]);
    d.condition_text = "老人摔倒".into();
    d.follow_up_due = "2026-11-20".into();
    let errs = d.create(id(), Some(&h), &stamp()).unwrap_err();
    assert_eq!(
        errs,
        vec![FieldError::new("follow_up.due", Problem::BeforeVisit)]
    );
    d.condition_level = Some(ConditionLevel::Good);
    d.condition_text.clear();
    d.follow_up_due = "2026-11-26".into();
    assert!(d.create(id(), Some(&h), &stamp()).is_ok());
}

#[test]
fn another_visit_prefills_volunteers_and_partners_only() {
    let h = household(true);
    let mut d = draft(&h);
    d.notes = "第一次".into();
    let v = d.create(id(), Some(&h), &stamp()).unwrap();
    let next = VisitDraft::another_like(&v);
    assert_eq!(next.household_id, Some(h.id));
    assert_eq!(next.volunteers, ["张三"]);
    assert_eq!(next.partners, [Partner::CommunityCommittee]);
    assert!(next.notes.is_empty() && next.services == ServicesDraft::default());
}

#[test]
fn an_edit_keeps_identity_and_a_closed_follow_up_closed() {
    let h = household(true);
    let mut d = draft(&h);
    d.follow_up_what = "送药".into();
    d.follow_up_due = "2026-11-30".into();
    let mut v = d.create(id(), Some(&h), &stamp()).unwrap();
    v.follow_up.as_mut().unwrap().done_on = Some(Day::parse("2026-11-28").unwrap());
    d.follow_up_what = "送降压药".into();
    let later = Stamp {
        now: UnixMillis(stamp().now.0 + 1000),
        user: "u-9".into(),
        ..stamp()
    };
    let edited = d.update(&v, Some(&h), &later).unwrap();
    assert_eq!((edited.id, edited.author.as_str()), (v.id, "u-1"));
    assert_eq!(edited.follow_up.as_ref().unwrap().what, "送降压药");
    assert_eq!(edited.open_follow_up(), None);
}

proptest! {
    #[test]
    fn any_form_input_never_panics(day in "\\PC{0,12}", due in "\\PC{0,12}", what in "\\PC{0,12}",
                                   sys in "\\PC{0,4}", dia in "\\PC{0,4}", vol in "\\PC{0,25}") {
        let h = household(true);
        let mut d = draft(&h);
        d.day = day;
        d.follow_up_due = due;
        d.follow_up_what = what;
        d.services.bp_on = true;
        d.services.systolic = sys;
        d.services.diastolic = dia;
        d.volunteers = vec![vol];
        if let Ok(v) = d.create(id(), Some(&h), &stamp()) {
            prop_assert!(v.day <= stamp().today);
            prop_assert!(v.follow_up.as_ref().is_none_or(|f| f.due >= v.day));
        }
    }
}

#[test]
fn a_follow_up_is_closed_once_and_stays_closed_through_an_edit() {
    let h = household(false);
    let mut d = draft(&h);
    d.follow_up_what = "修水管".into();
    d.follow_up_due = "2026-12-01".into();
    let mut v = d.create(id(), Some(&h), &stamp()).unwrap();
    assert_eq!(v.open_follow_up(), Day::parse("2026-12-01").ok());
    let done = Day::parse("2026-11-28").unwrap();
    assert!(v.close_follow_up(done, UnixMillis(1_795_714_300_000)));
    assert_eq!(v.open_follow_up(), None);
    assert_eq!(v.follow_up.as_ref().unwrap().done_on, Some(done));
    assert_eq!(v.updated_at, UnixMillis(1_795_714_300_000));
    assert!(!v.close_follow_up(done, UnixMillis(1_795_714_400_000)));
    // Editing the visit keeps it closed.
    let again = VisitDraft::from_visit(&v)
        .update(&v, Some(&h), &stamp())
        .unwrap();
    assert_eq!(again.open_follow_up(), None);
    let mut none = d.clone();
    none.follow_up_what.clear();
    none.follow_up_due.clear();
    let mut plain = none.create(id(), Some(&h), &stamp()).unwrap();
    assert!(!plain.close_follow_up(done, UnixMillis(0)));
}
