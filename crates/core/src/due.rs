//! Who is due a visit: computed from the cadence, the last visit and open follow-ups, never
//! stored (so it cannot disagree with the visits).

use crate::day::Day;
use crate::household::Household;
use crate::labels::Cadence;
use crate::visit::Visit;

/// Households visited "festivals only" are due this many days before the festival, which is
/// also the holiday-greeting round's window.
pub const GREETING_WINDOW_DAYS: i64 = 14;
/// "Due soon" looks this many days ahead.
pub const SOON_DAYS: i64 = 7;

/// What the due date of one household depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueFacts {
    pub cadence: Cadence,
    /// The day the household joined the list: due then if never visited.
    pub added_on: Day,
    pub last_visit: Option<Day>,
    /// The next festival the team greets residents for, if one is set.
    pub next_festival: Option<Day>,
}

impl DueFacts {
    /// When the cadence asks for the next visit; None if it does not (festivals-only and
    /// already greeted, or no festival set).
    pub fn cadence_due(&self) -> Option<Day> {
        let Some(last) = self.last_visit else {
            return match self.cadence {
                Cadence::FestivalsOnly => self.next_festival.map(greeting_starts),
                _ => Some(self.added_on),
            };
        };
        match self.cadence {
            Cadence::Weekly => Some(last.add_days(7)),
            Cadence::Fortnightly => Some(last.add_days(14)),
            Cadence::Monthly => Some(last.add_months(1)),
            Cadence::FestivalsOnly => self
                .next_festival
                .map(greeting_starts)
                .filter(|start| last < *start),
        }
    }

    /// The earliest of the cadence's date and the open follow-ups' dates.
    pub fn due(&self, open_follow_ups: impl IntoIterator<Item = Day>) -> Option<Day> {
        open_follow_ups.into_iter().chain(self.cadence_due()).min()
    }
}

/// The due date of `household` from its visits (leave deleted ones out before calling):
/// its cadence since the latest visit, or an open follow-up if that comes first.
/// Archived households are never due.
pub fn household_due<'a>(
    household: &Household,
    visits: impl IntoIterator<Item = &'a Visit>,
    utc_offset_minutes: i32,
    next_festival: Option<Day>,
) -> Option<Day> {
    if household.archived {
        return None;
    }
    let mut last_visit = None;
    let mut open = Vec::new();
    for v in visits
        .into_iter()
        .filter(|v| v.household_id == household.id)
    {
        last_visit = last_visit.max(Some(v.day));
        open.extend(v.open_follow_up());
    }
    let facts = DueFacts {
        cadence: household.cadence,
        added_on: Day::from_unix_millis(household.created_at, utc_offset_minutes),
        last_visit,
        next_festival,
    };
    facts.due(open)
}

fn greeting_starts(festival: Day) -> Day {
    festival.add_days(-GREETING_WINDOW_DAYS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueStatus {
    Overdue { days: i64 },
    Today,
    Soon { in_days: i64 },
    Later,
    NotDue,
}

pub fn status(due: Option<Day>, today: Day) -> DueStatus {
    let Some(due) = due else {
        return DueStatus::NotDue;
    };
    match today.days_until(due) {
        d if d < 0 => DueStatus::Overdue { days: -d },
        0 => DueStatus::Today,
        d if d <= SOON_DAYS => DueStatus::Soon { in_days: d },
        _ => DueStatus::Later,
    }
}

/// The home screen's "Due" list: overdue first (longest overdue on top), then today, then
/// the coming week, soonest first. Households due later are left out.
pub fn due_list<Id: Clone>(
    items: impl IntoIterator<Item = (Id, Option<Day>)>,
    today: Day,
) -> Vec<(Id, Day, DueStatus)> {
    let mut list: Vec<(Id, Day, DueStatus)> = items
        .into_iter()
        .filter_map(|(id, due)| {
            let s = status(due, today);
            match (due, s) {
                (
                    Some(d),
                    DueStatus::Overdue { .. } | DueStatus::Today | DueStatus::Soon { .. },
                ) => Some((id, d, s)),
                _ => None,
            }
        })
        .collect();
    list.sort_by_key(|(_, d, _)| *d);
    list
}

/// The holiday-greeting round for `festival`: every household not yet visited within the
/// greeting window before it.
pub fn greeting_round<Id>(
    households: impl IntoIterator<Item = (Id, Option<Day>)>,
    festival: Day,
) -> Vec<Id> {
    let start = greeting_starts(festival);
    households
        .into_iter()
        .filter(|(_, last)| !last.is_some_and(|l| l >= start && l <= festival))
        .map(|(id, _)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn facts(cadence: Cadence, last: Option<&str>) -> DueFacts {
        DueFacts {
            cadence,
            added_on: d("2026-10-01"),
            last_visit: last.map(d),
            next_festival: Some(d("2027-02-06")),
        }
    }

    #[test]
    fn cadences() {
        assert_eq!(
            facts(Cadence::Weekly, Some("2026-11-20")).cadence_due(),
            Some(d("2026-11-27"))
        );
        assert_eq!(
            facts(Cadence::Fortnightly, Some("2026-11-20")).cadence_due(),
            Some(d("2026-12-04"))
        );
        assert_eq!(
            facts(Cadence::Monthly, Some("2026-01-31")).cadence_due(),
            Some(d("2026-02-28"))
        );
        assert_eq!(
            facts(Cadence::Monthly, None).cadence_due(),
            Some(d("2026-10-01"))
        );
        // Festivals only: due when the greeting window opens, until greeted.
        assert_eq!(
            facts(Cadence::FestivalsOnly, Some("2026-11-20")).cadence_due(),
            Some(d("2027-01-23"))
        );
        assert_eq!(
            facts(Cadence::FestivalsOnly, Some("2027-01-25")).cadence_due(),
            None
        );
        let no_festival = DueFacts {
            next_festival: None,
            ..facts(Cadence::FestivalsOnly, None)
        };
        assert_eq!(no_festival.cadence_due(), None);
    }

    #[test]
    fn an_open_follow_up_can_make_a_household_due_earlier() {
        let f = facts(Cadence::Monthly, Some("2026-11-20"));
        assert_eq!(f.due([d("2026-11-23")]), Some(d("2026-11-23")));
        assert_eq!(f.due([d("2027-01-01")]), Some(d("2026-12-20")));
        assert_eq!(f.due([]), Some(d("2026-12-20")));
    }

    #[test]
    fn a_households_due_date_comes_from_its_latest_visit_and_open_follow_ups() {
        use crate::store::conformance::{full_visit, household};
        use crate::visit::FollowUp;
        let h = household(1);
        let other = household(2);
        // Never visited: due the day it was added: 17:30 UTC on the 26th is the 27th in Beijing.
        assert_eq!(household_due(&h, [], 480, None), Some(d("2026-11-27")));
        assert_eq!(household_due(&h, [], 0, None), Some(d("2026-11-26")));
        let mut older = full_visit(1, &h, "");
        older.day = d("2026-10-02");
        let mut newer = full_visit(2, &h, "");
        newer.day = d("2026-11-05");
        let elsewhere = full_visit(3, &other, "");
        assert_eq!(
            household_due(&h, [&newer, &older, &elsewhere], 480, None),
            Some(d("2026-12-05"))
        );
        older.follow_up = Some(FollowUp {
            what: "送药".into(),
            due: d("2026-11-10"),
            done_on: None,
        });
        assert_eq!(
            household_due(&h, [&newer, &older], 480, None),
            Some(d("2026-11-10"))
        );
        older.follow_up.as_mut().unwrap().done_on = Some(d("2026-11-09"));
        assert_eq!(
            household_due(&h, [&newer, &older], 480, None),
            Some(d("2026-12-05"))
        );
        let archived = Household {
            archived: true,
            ..h
        };
        assert_eq!(household_due(&archived, [&newer], 480, None), None);
    }

    #[test]
    fn due_list_puts_the_longest_overdue_first_and_drops_later_ones() {
        let today = d("2026-11-26");
        let list = due_list(
            [
                ("soon", Some(d("2026-11-30"))),
                ("later", Some(d("2026-12-20"))),
                ("overdue-1", Some(d("2026-11-25"))),
                ("never", None),
                ("today", Some(today)),
                ("overdue-10", Some(d("2026-11-16"))),
            ],
            today,
        );
        let ids: Vec<&str> = list.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(ids, ["overdue-10", "overdue-1", "today", "soon"]);
        assert_eq!(list[0].2, DueStatus::Overdue { days: 10 });
        assert_eq!(list[3].2, DueStatus::Soon { in_days: 4 });
    }

    #[test]
    fn greeting_round_lists_those_not_greeted_in_the_window() {
        let festival = d("2027-02-06");
        let round = greeting_round(
            [
                ("greeted", Some(d("2027-01-30"))),
                ("long-ago", Some(d("2026-12-01"))),
                ("never", None),
            ],
            festival,
        );
        assert_eq!(round, ["long-ago", "never"]);
    }

    fn any_day() -> impl Strategy<Value = Day> {
        // The whole supported range, ends included: arithmetic must saturate, not panic.
        (-3_000_000i64..3_000_000).prop_map(|n| Day::parse("1970-01-01").unwrap().add_days(n))
    }

    fn any_cadence() -> impl Strategy<Value = Cadence> {
        proptest::sample::select(Cadence::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn never_panics(cadence in any_cadence(), added in any_day(), last in proptest::option::of(any_day()),
                        festival in proptest::option::of(any_day()), fus in proptest::collection::vec(any_day(), 0..4),
                        today in any_day()) {
            let f = DueFacts { cadence, added_on: added, last_visit: last, next_festival: festival };
            let due = f.due(fus.clone());
            let _ = status(due, today);
            for fu in fus {
                prop_assert!(due.is_some_and(|due| due <= fu));
            }
        }

        /// A later last visit never makes a household due earlier (None = not due = latest).
        #[test]
        fn monotone_in_the_last_visit(cadence in any_cadence(), a in any_day(), b in any_day(),
                                      festival in proptest::option::of(any_day()),
                                      fus in proptest::collection::vec(any_day(), 0..3)) {
            let (early, late) = if a <= b { (a, b) } else { (b, a) };
            let at = |last| DueFacts { cadence, added_on: early, last_visit: Some(last), next_festival: festival }.due(fus.clone());
            match (at(early), at(late)) {
                (Some(x), Some(y)) => prop_assert!(x <= y),
                (None, Some(_)) => prop_assert!(false, "due again after a later visit"),
                _ => {}
            }
        }
    }
}
