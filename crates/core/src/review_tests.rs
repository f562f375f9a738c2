use proptest::prelude::*;

use super::*;
use crate::day::Day;
use crate::event::Tallies;
use crate::household::Household;
use crate::labels::{ConditionLevel, EventKind};
use crate::services::BloodPressure;
use crate::stats::totals;
use crate::store::conformance::{self, full_visit, household};
use crate::visit::{FollowUp, LivingConditions};

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

fn november() -> Period {
    Period::month_of(day("2026-11-15"))
}

fn event(kind: EventKind, tallies: Tallies) -> Event {
    conformance::event(7, kind, "2026-11-20", 30, tallies)
}

#[test]
fn each_filter_narrows_visits() {
    let (h1, h2) = (household(1), household(2));
    let mut urgent = full_visit(1, &h1, "");
    urgent.conditions = Some(LivingConditions {
        level: ConditionLevel::Urgent,
        text: String::new(),
    });
    urgent.follow_up = Some(FollowUp {
        what: "修水管".into(),
        due: day("2026-11-30"),
        done_on: None,
    });
    let mut other = full_visit(2, &h2, "");
    other.volunteers = vec!["Wang Wu".into()];
    other.services.blood_pressure = Some(BloodPressure {
        systolic: 120,
        diastolic: 80,
    });
    let mut last_month = full_visit(3, &h1, "");
    last_month.day = day("2026-10-31");

    let kept = |f: &ReviewFilter| {
        [&urgent, &other, &last_month]
            .into_iter()
            .filter(|v| f.keeps_visit(v))
            .map(|v| v.id)
            .collect::<Vec<_>>()
    };
    let all = ReviewFilter::new(november());
    assert_eq!(kept(&all), [urgent.id, other.id]);
    let by_name = ReviewFilter {
        volunteer: "wang".into(),
        ..all.clone()
    };
    assert_eq!(kept(&by_name), [other.id]);
    let mut h2_elsewhere = h2.clone();
    h2_elsewhere.address.building = "9幢".into();
    let by_household = ReviewFilter {
        households: households_matching(&[h1.clone(), h2_elsewhere], "1幢"),
        ..all.clone()
    };
    assert_eq!(kept(&by_household), [urgent.id]);
    let bp = ReviewFilter {
        service: Some(ServiceKind::BloodPressure),
        ..all.clone()
    };
    assert_eq!(kept(&bp), [other.id]);
    let attention = ReviewFilter {
        attention: true,
        ..all.clone()
    };
    assert_eq!(kept(&attention), [urgent.id]);
    let open = ReviewFilter {
        open_follow_up: true,
        ..all.clone()
    };
    assert_eq!(kept(&open), [urgent.id]);
    urgent.follow_up.as_mut().unwrap().done_on = Some(day("2026-11-27"));
    assert!(!open.keeps_visit(&urgent));
}

#[test]
fn a_volunteer_is_found_by_the_name_the_roster_gives_them_now() {
    let h = household(1);
    let mut old = full_visit(1, &h, "");
    old.volunteers = vec!["老张".into()];
    let mut new = full_visit(2, &h, "");
    new.volunteers = Vec::new();
    let mut people = crate::roster::people_for_names(
        ["老张"],
        &crate::roster::Roster::default(),
        crate::UnixMillis(1),
        "t",
    );
    people[0].name = "张建国".into();
    new.people = vec![people[0].id];
    let roster = crate::roster::Roster::new(people);
    let f = ReviewFilter {
        volunteer: "建国".into(),
        ..ReviewFilter::new(november())
    }
    .with_roster(&roster);
    assert!(
        f.keeps_visit(&old),
        "an old free-text name, renamed on the roster"
    );
    assert!(f.keeps_visit(&new), "named by id");
    let nobody = ReviewFilter {
        volunteer: "李".into(),
        ..ReviewFilter::new(november())
    }
    .with_roster(&roster);
    assert!(!nobody.keeps_visit(&new));
}

#[test]
fn events_pass_only_filters_that_apply_to_them() {
    let day_out = event(
        EventKind::ConvenienceDay,
        Tallies {
            haircuts: 12,
            ..Tallies::default()
        },
    );
    let all = ReviewFilter::new(november());
    assert!(all.keeps_event(&day_out));
    let haircut = ReviewFilter {
        service: Some(ServiceKind::Haircut),
        ..all.clone()
    };
    assert!(haircut.keeps_event(&day_out));
    let knives = ReviewFilter {
        service: Some(ServiceKind::Knives),
        ..all.clone()
    };
    assert!(!knives.keeps_event(&day_out));
    let fraud = event(EventKind::AntiFraud, Tallies::default());
    assert!(ReviewFilter {
        service: Some(ServiceKind::AntiFraud),
        ..all.clone()
    }
    .keeps_event(&fraud));
    for f in [
        ReviewFilter {
            attention: true,
            ..all.clone()
        },
        ReviewFilter {
            open_follow_up: true,
            ..all.clone()
        },
        ReviewFilter {
            households: households_matching(&[household(1)], "幸福"),
            ..all.clone()
        },
    ] {
        assert!(!f.keeps_event(&day_out), "{f:?}");
    }
}

fn visits_from(bits: &[(u8, u8, u8)], h: &[Household]) -> Vec<Visit> {
    bits.iter()
        .enumerate()
        .map(|(i, (services, day_n, who))| {
            let mut v = full_visit(i as u32 + 1, &h[usize::from(*who % 2)], "");
            v.day = day("2026-10-20").add_days(i64::from(*day_n % 40));
            v.volunteers = vec![["张三", "李四"][usize::from(*who % 2)].into()];
            let s = &mut v.services;
            s.companionship_chat = services & 1 != 0;
            s.haircut = services & 2 != 0;
            s.leaflet_given = services & 4 != 0;
            s.free_clinic = services & 8 != 0;
            if services & 32 != 0 {
                v.follow_up = Some(FollowUp {
                    what: "回访".into(),
                    due: day("2026-11-20"),
                    done_on: (services & 64 != 0).then(|| day("2026-11-21")),
                });
            }
            if services & 16 != 0 {
                v.conditions = Some(LivingConditions {
                    level: ConditionLevel::NeedsAttention,
                    text: String::new(),
                });
            }
            v
        })
        .collect()
}

proptest! {
    /// Filters combine as "and": two together keep exactly what each keeps alone.
    #[test]
    fn filters_combine_as_and(
        bits in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..30),
        service in prop::sample::select(ServiceKind::ALL.to_vec()),
        attention in any::<bool>(),
    ) {
        let hs = [household(1), household(2)];
        let visits = visits_from(&bits, &hs);
        let base = ReviewFilter::new(november());
        let a = ReviewFilter { service: Some(service), ..base.clone() };
        let b = ReviewFilter { volunteer: "李".into(), attention, households: Some([hs[1].id].into()), ..base.clone() };
        let both = ReviewFilter { service: Some(service), ..b.clone() };
        for v in &visits {
            prop_assert_eq!(both.keeps_visit(v), a.keeps_visit(v) && b.keeps_visit(v));
        }
    }

    /// The review lists as many visits with a service as the dashboard counts.
    #[test]
    fn review_counts_match_the_dashboard(
        bits in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..30),
    ) {
        let hs = [household(1), household(2)];
        let visits = visits_from(&bits, &hs);
        let t = totals(november(), day("2026-11-27"), &hs, &visits, &[], &crate::roster::Roster::default());
        let count = |s| {
            let f = ReviewFilter { service: Some(s), ..ReviewFilter::new(november()) };
            visits.iter().filter(|v| f.keeps_visit(v)).count() as u64
        };
        // Every kind, through the dashboard chart's own pairing of kinds and counts.
        for (kind, n) in t.services.by_kind() {
            prop_assert_eq!(count(kind), n, "{:?}", kind);
        }
        let all = ReviewFilter::new(november());
        prop_assert_eq!(visits.iter().filter(|v| all.keeps_visit(v)).count() as u64, t.visits);
        let attention = ReviewFilter { attention: true, ..all.clone() };
        prop_assert_eq!(visits.iter().filter(|v| attention.keeps_visit(v)).count() as u64, t.visits_needing_attention);
        // Open follow-ups: as many as the dashboard counts, whatever the period.
        let open = ReviewFilter { open_follow_up: true, ..all.clone() };
        prop_assert_eq!(visits.iter().filter(|v| open.keeps_visit(v)).count() as u64, t.follow_ups_open);
    }
}

#[test]
fn an_empty_household_query_is_any_household() {
    let hs = [household(1), household(2)];
    assert_eq!(households_matching(&hs, "  "), None);
    assert_eq!(households_matching(&hs, "和平"), Some(Default::default()));
    assert_eq!(households_matching(&hs, "2幢").map(|s| s.len()), Some(1));
}
