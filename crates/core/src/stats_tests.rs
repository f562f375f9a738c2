use proptest::prelude::*;

use super::*;
use crate::event::Tallies;
use crate::roster::Roster;
use crate::services::{BloodPressure, Supply};
use crate::store::conformance::{event, full_visit, household};
use crate::visit::{FollowUp, LivingConditions};

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[test]
fn a_month_counted_by_hand() {
    let mut alone = household(1);
    alone.residents[0].lives_alone = true;
    let mut bedridden = household(2);
    bedridden.residents[0].limited_mobility = true;
    let never = household(3);
    let mut archived = household(4);
    archived.archived = true;
    let hs = vec![alone.clone(), bedridden.clone(), never, archived];

    let mut v1 = full_visit(1, &alone, "");
    v1.day = day("2026-11-02"); // a Monday
    v1.services.blood_pressure = Some(BloodPressure {
        systolic: 130,
        diastolic: 80,
    });
    v1.services.supplies = vec![
        Supply {
            item: "大米".into(),
            quantity: 2,
            unit: "袋".into(),
        },
        Supply {
            item: "食用油".into(),
            quantity: 1,
            unit: "桶".into(),
        },
    ];
    let mut v2 = full_visit(2, &alone, "");
    v2.day = day("2026-11-20");
    v2.services.supplies = vec![Supply {
        item: "大米".into(),
        quantity: 1,
        unit: "袋".into(),
    }];
    v2.volunteers = vec!["张三".into(), "赵六".into()];
    v2.follow_up = Some(FollowUp {
        what: "修水管".into(),
        due: day("2026-11-25"),
        done_on: None,
    });
    let mut v3 = full_visit(3, &bedridden, "");
    v3.day = day("2026-11-30");
    v3.services.haircut = true;
    v3.conditions = Some(LivingConditions {
        level: crate::labels::ConditionLevel::NeedsAttention,
        text: "暖气不热".into(),
    });
    v3.follow_up = Some(FollowUp {
        what: "送药".into(),
        due: day("2026-12-05"),
        done_on: None,
    });
    // Outside the month: counts for follow-ups and "last visited", not for the month.
    let mut before = full_visit(4, &bedridden, "");
    before.day = day("2026-10-31");
    before.follow_up = Some(FollowUp {
        what: "已办".into(),
        due: day("2026-11-01"),
        done_on: Some(day("2026-11-01")),
    });
    let visits = vec![v1, v2, v3, before];
    let events = vec![
        event(
            1,
            EventKind::ConvenienceDay,
            "2026-11-14",
            40,
            Tallies {
                haircuts: 12,
                bp_checks: 30,
                knives_sharpened: 8,
                ..Tallies::default()
            },
        ),
        event(
            2,
            EventKind::AntiFraud,
            "2026-11-21",
            25,
            Tallies {
                leaflets: 100,
                ..Tallies::default()
            },
        ),
        event(
            3,
            EventKind::AntiFraud,
            "2026-12-01",
            10,
            Tallies::default(),
        ),
    ];

    let month = Period::month_of(day("2026-11-17"));
    assert_eq!(
        month,
        Period {
            from: day("2026-11-01"),
            to: day("2026-11-30")
        }
    );
    let t = totals(
        month,
        day("2026-11-27"),
        &hs,
        &visits,
        &events,
        &Roster::default(),
    );
    assert_eq!(t.as_of, day("2026-11-27"));
    assert_eq!(
        (
            t.households_visited,
            t.visited_living_alone,
            t.visited_limited_mobility
        ),
        (2, 1, 1)
    );
    assert_eq!(t.visits, 3);
    assert_eq!(t.events, 2);
    assert_eq!(t.events_by_kind[&EventKind::AntiFraud], 1);
    assert_eq!(t.events_by_kind[&EventKind::ConvenienceDay], 1);
    assert_eq!(t.attendance, 65);
    assert_eq!(t.services.companionship_chat, 3);
    assert_eq!(t.services.bp_checks, 31);
    assert_eq!(t.services.haircuts, 13);
    assert_eq!(t.services.knives_sharpened, 8);
    assert_eq!(t.services.leaflets, 100);
    assert_eq!(t.services.anti_fraud_talks, 1);
    assert_eq!(t.services.supplies_delivered, 2);
    assert_eq!(
        t.supplies,
        vec![
            SupplyTotal {
                item: "大米".into(),
                unit: "袋".into(),
                quantity: 3
            },
            SupplyTotal {
                item: "食用油".into(),
                unit: "桶".into(),
                quantity: 1
            },
        ]
    );
    // 张三 on every visit, 赵六 once, 李四 and 王五 at the events.
    assert_eq!(t.volunteers_active, 4);
    assert_eq!((t.follow_ups_open, t.follow_ups_overdue), (2, 1));
    assert_eq!(t.visits_needing_attention, 1);
    // Weeks from Monday 26 October (1 November is a Sunday) to Monday 30 November.
    assert_eq!(t.visits_per_week.first(), Some(&(day("2026-10-26"), 0)));
    assert_eq!(t.visits_per_week.len(), 6);
    assert_eq!(t.visits_per_week.iter().map(|w| w.1).sum::<u64>(), 3);
    assert_eq!(t.visits_per_week[1], (day("2026-11-02"), 1));
    // As of 27 November: the never-visited household counts everywhere; the archived never.
    assert_eq!(t.not_visited, [(30, 1), (60, 1), (90, 1)]);
    let later = totals(
        month,
        day("2027-02-01"),
        &hs,
        &visits,
        &events,
        &Roster::default(),
    );
    assert_eq!(
        later.as_of,
        day("2026-11-30"),
        "counted at the period's end"
    );
}

#[test]
fn weeks_start_on_monday() {
    assert_eq!(week_start(day("2026-11-27")), day("2026-11-23"));
    assert_eq!(week_start(day("2026-11-23")), day("2026-11-23"));
    assert_eq!(week_start(day("2026-11-29")), day("2026-11-23"));
    assert_eq!(week_start(day("1969-12-31")), day("1969-12-29"));
}

proptest! {
    /// The totals are sums of the rows: split the period in two and the parts add up.
    #[test]
    fn totals_add_up_over_a_split_period(days in prop::collection::vec(0..60i64, 0..40), cut in 1..59i64) {
        let h = household(1);
        let start = day("2026-10-01");
        let visits: Vec<Visit> = days.iter().enumerate().map(|(i, d)| {
            let mut v = full_visit(i as u32 + 1, &h, "");
            v.day = start.add_days(*d);
            v.services.haircut = d % 2 == 0;
            v
        }).collect();
        let whole = Period { from: start, to: start.add_days(59) };
        let a = Period { from: start, to: start.add_days(cut - 1) };
        let b = Period { from: start.add_days(cut), to: start.add_days(59) };
        let today = start.add_days(100);
        let hs = [h];
        let (tw, ta, tb) = (
            totals(whole, today, &hs, &visits, &[], &Roster::default()),
            totals(a, today, &hs, &visits, &[], &Roster::default()),
            totals(b, today, &hs, &visits, &[], &Roster::default()),
        );
        prop_assert_eq!(tw.visits, ta.visits + tb.visits);
        prop_assert_eq!(tw.visits, days.len() as u64);
        prop_assert_eq!(tw.services.haircuts, ta.services.haircuts + tb.services.haircuts);
        prop_assert_eq!(tw.visits_per_week.iter().map(|w| w.1).sum::<u64>(), tw.visits);
    }
}

proptest! {
    /// A phone holding the visits from `first_day_read` on (and, as its window keeps, every
    /// open follow-up) shows the same figures as the whole history would.
    #[test]
    fn the_figures_need_nothing_before_first_day_read(
        visits in prop::collection::vec((0..4u32, 0..400i64, any::<bool>()), 0..60),
        from in 0..400i64,
        len in 0..120i64,
        today in 0..500i64,
    ) {
        let start = day("2025-06-01");
        let hs: Vec<_> = (1..=4).map(household).collect();
        let all: Vec<Visit> = visits.iter().enumerate().map(|(i, (h, d, follow))| {
            let mut v = full_visit(i as u32 + 1, &hs[*h as usize], "");
            v.day = start.add_days(*d);
            v.follow_up = follow.then(|| FollowUp { what: "再来".into(), due: v.day.add_days(7), done_on: None });
            v
        }).collect();
        let period = Period { from: start.add_days(from), to: start.add_days(from + len) };
        let today = start.add_days(today);
        let first = first_day_read(period, today);
        let held: Vec<Visit> = all.iter()
            .filter(|v| v.day >= first || v.open_follow_up().is_some())
            .cloned()
            .collect();
        prop_assert_eq!(totals(period, today, &hs, &held, &[], &Roster::default()), totals(period, today, &hs, &all, &[], &Roster::default()));
    }
}

#[test]
fn first_day_read_looks_back_ninety_days_from_as_of() {
    let month = Period {
        from: day("2026-11-01"),
        to: day("2026-11-30"),
    };
    // As of today (within the month): 90 days back from it.
    assert_eq!(first_day_read(month, day("2026-11-20")), day("2026-08-23"));
    // A month gone by: as of its last day.
    assert_eq!(first_day_read(month, day("2027-03-01")), day("2026-09-02"));
    // A long period: its own first day.
    let year = Period {
        from: day("2026-01-01"),
        to: day("2026-12-31"),
    };
    assert_eq!(first_day_read(year, day("2027-01-05")), day("2026-01-01"));
}

#[test]
fn the_monthly_report_names_no_one() {
    use crate::labels::{ConditionLevel, NeedCategory};
    let mut h = household(1);
    h.address.room = "502室".into();
    h.residents[0].phone = "13800000000".into();
    let mut urgent = full_visit(1, &h, "");
    urgent.day = day("2026-11-05");
    urgent.conditions = Some(LivingConditions {
        level: ConditionLevel::Urgent,
        text: "暖气坏了".into(),
    });
    urgent.residents_words = "谢谢你们常来看我".into();
    let mut needs = full_visit(2, &h, "");
    needs.day = day("2026-11-03");
    needs.needs = vec![NeedCategory::Loneliness];
    let mut plain = full_visit(3, &h, "");
    plain.day = day("2026-11-04");
    let mut last_month = full_visit(4, &h, "");
    last_month.day = day("2026-10-30");
    last_month.residents_words = "上个月的话".into();
    let r = monthly_report(
        Period::month_of(day("2026-11-01")),
        day("2026-11-27"),
        std::slice::from_ref(&h),
        &[urgent, needs, plain, last_month],
        &[],
        &crate::names::Names::default(),
        crate::Lang::Zh,
    );
    assert_eq!(r.totals.visits, 3);
    let days: Vec<String> = r.notable.iter().map(|l| l.day.to_string()).collect();
    assert_eq!(days, ["2026-11-03", "2026-11-05"], "notable, oldest first");
    assert_eq!(r.quotes.len(), 1);
    assert_eq!(r.quotes[0].residents_words, "谢谢你们常来看我");
    let json = serde_json::to_string(&r).unwrap();
    for secret in ["王奶奶", "502室", "13800000000"] {
        assert!(!json.contains(secret), "{secret} in the report");
    }
    assert!(json.contains(&household_code(h.id)));
    assert!(household_code(h.id).starts_with("H-") && household_code(h.id).len() == 8);
}

#[test]
fn volunteers_active_are_roster_people_merges_and_old_spellings_counted_once() {
    use crate::roster::{legacy_person_id, people_for_names};
    use crate::UnixMillis;
    let h = household(1);
    let month = Period::month_of(day("2026-11-01"));
    let mut a = full_visit(1, &h, "");
    a.volunteers = vec!["张三".into(), "老张".into()];
    let mut b = full_visit(2, &h, "");
    b.volunteers = vec![" 张三 ".into()];
    let mut c = full_visit(3, &h, "");
    c.volunteers = vec![];
    c.people = vec![legacy_person_id("李四")];
    let visits = [a, b, c];
    let none = totals(
        month,
        day("2026-11-27"),
        std::slice::from_ref(&h),
        &visits,
        &[],
        &Roster::default(),
    );
    assert_eq!(
        none.volunteers_active, 3,
        "张三 (two spellings), 老张, 李四"
    );
    // 老张 is 张三: merged, the two are one.
    let mut people = people_for_names(
        ["张三", "老张", "李四"],
        &Roster::default(),
        UnixMillis(1),
        "s",
    );
    let zhang = people[0].id;
    people[1].merge_into(zhang, UnixMillis(2));
    let merged = totals(
        month,
        day("2026-11-27"),
        std::slice::from_ref(&h),
        &visits,
        &[],
        &Roster::new(people),
    );
    assert_eq!(merged.volunteers_active, 2);
}
