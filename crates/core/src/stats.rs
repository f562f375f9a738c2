//! The team's numbers for a period (统计): what the coordinator's dashboard shows and the
//! monthly report prints, computed once here from the records (the app from what is synced
//! to the phone, the server from its database).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::day::Day;
use crate::event::Event;
use crate::household::Household;
use crate::labels::{EventKind, ServiceKind};
use crate::visit::Visit;
use crate::RecordId;

/// From and to, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Day,
    pub to: Day,
}

impl Period {
    pub fn contains(&self, d: Day) -> bool {
        self.from <= d && d <= self.to
    }

    /// The calendar month of `d`.
    pub fn month_of(d: Day) -> Period {
        let first = d.add_days(1 - i64::from(d.day_of_month()));
        Period {
            from: first,
            to: first.add_months(1).add_days(-1),
        }
    }
}

/// Services given, by kind: visits that gave each, plus what events tallied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCounts {
    pub companionship_chat: u64,
    pub cleaning_help: u64,
    pub holiday_greeting: u64,
    /// Visits that delivered daily necessities (the items are in `supplies`).
    pub supplies_delivered: u64,
    pub bp_checks: u64,
    pub haircuts: u64,
    pub knives_sharpened: u64,
    pub clinic_consultations: u64,
    pub anti_fraud_talks: u64,
    pub leaflets: u64,
}

impl ServiceCounts {
    /// The count of one kind.
    fn slot(&mut self, kind: ServiceKind) -> &mut u64 {
        match kind {
            ServiceKind::Chat => &mut self.companionship_chat,
            ServiceKind::Cleaning => &mut self.cleaning_help,
            ServiceKind::Greeting => &mut self.holiday_greeting,
            ServiceKind::Supplies => &mut self.supplies_delivered,
            ServiceKind::BloodPressure => &mut self.bp_checks,
            ServiceKind::Haircut => &mut self.haircuts,
            ServiceKind::Knives => &mut self.knives_sharpened,
            ServiceKind::Clinic => &mut self.clinic_consultations,
            ServiceKind::AntiFraud => &mut self.anti_fraud_talks,
            ServiceKind::Leaflet => &mut self.leaflets,
        }
    }

    /// Each kind with its count, in the order of `ServiceKind::ALL` (the dashboard's chart).
    pub fn by_kind(&self) -> [(ServiceKind, u64); 10] {
        [
            (ServiceKind::Chat, self.companionship_chat),
            (ServiceKind::Cleaning, self.cleaning_help),
            (ServiceKind::Greeting, self.holiday_greeting),
            (ServiceKind::Supplies, self.supplies_delivered),
            (ServiceKind::BloodPressure, self.bp_checks),
            (ServiceKind::Haircut, self.haircuts),
            (ServiceKind::Knives, self.knives_sharpened),
            (ServiceKind::Clinic, self.clinic_consultations),
            (ServiceKind::AntiFraud, self.anti_fraud_talks),
            (ServiceKind::Leaflet, self.leaflets),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplyTotal {
    pub item: String,
    pub unit: String,
    pub quantity: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub period: Period,
    /// The day open and overdue follow-ups and "not visited for" are counted at.
    pub as_of: Day,
    pub households_visited: u64,
    pub visited_living_alone: u64,
    pub visited_limited_mobility: u64,
    pub visits: u64,
    pub events: u64,
    pub events_by_kind: BTreeMap<EventKind, u64>,
    pub attendance: u64,
    pub services: ServiceCounts,
    pub supplies: Vec<SupplyTotal>,
    pub volunteers_active: u64,
    /// Visits in the period that found the living conditions needing attention or urgent.
    pub visits_needing_attention: u64,
    pub follow_ups_open: u64,
    pub follow_ups_overdue: u64,
    /// Monday of each week the period touches, and the visits in it (within the period).
    pub visits_per_week: Vec<(Day, u64)>,
    /// Active households with no visit in the last 30, 60 and 90 days before `as_of`
    /// (never visited counts too).
    pub not_visited: [(u32, u64); 3],
}

/// Monday of `d`'s week (1970-01-01 was a Thursday).
pub fn week_start(d: Day) -> Day {
    d.add_days(-(d.days_since_epoch() + 3).rem_euclid(7))
}

/// The "not visited for" counts: households with no visit in this many days before `as_of`.
pub const NOT_VISITED_DAYS: [u32; 3] = [30, 60, 90];

/// The first day of visits and events [`totals`] reads for `period` as of `today`: the
/// period's own, and the days "not visited for" looks back over. A phone that holds every
/// visit from this day on (its window, `sync::window`) answers from its own records;
/// otherwise the figures come from the server.
pub fn first_day_read(period: Period, today: Day) -> Day {
    let as_of = today.min(period.to);
    let longest = NOT_VISITED_DAYS[NOT_VISITED_DAYS.len() - 1];
    period.from.min(as_of.add_days(1 - i64::from(longest)))
}

/// The numbers for `period`, as of `today`. Deleted records must be left out by the caller.
/// The period's figures. "Volunteers active" counts roster people (`roster`: merges
/// followed, and old free-text names as the person they stand for).
pub fn totals(
    period: Period,
    today: Day,
    households: &[Household],
    visits: &[Visit],
    events: &[Event],
    roster: &crate::roster::Roster,
) -> Totals {
    let as_of = today.min(period.to);
    let in_period: Vec<&Visit> = visits.iter().filter(|v| period.contains(v.day)).collect();
    let by_id: HashMap<RecordId, &Household> = households.iter().map(|h| (h.id, h)).collect();
    let visited: HashSet<RecordId> = in_period.iter().map(|v| v.household_id).collect();
    let count = |f: fn(&Household) -> bool| {
        visited
            .iter()
            .filter(|id| by_id.get(id).is_some_and(|h| f(h)))
            .count() as u64
    };

    let mut services = ServiceCounts::default();
    let mut supplies: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut volunteers: BTreeSet<RecordId> = BTreeSet::new();
    for v in &in_period {
        let s = &v.services;
        for &kind in ServiceKind::ALL {
            *services.slot(kind) += u64::from(s.gave(kind));
        }
        for item in &s.supplies {
            *supplies
                .entry((item.item.clone(), item.unit.clone()))
                .or_default() += u64::from(item.quantity);
        }
        volunteers.extend(roster.people_of(&v.people, &v.volunteers));
    }

    let mut events_by_kind: BTreeMap<EventKind, u64> = BTreeMap::new();
    let mut attendance = 0;
    let mut n_events = 0;
    for e in events.iter().filter(|e| period.contains(e.day)) {
        n_events += 1;
        *events_by_kind.entry(e.kind).or_default() += 1;
        attendance += u64::from(e.attendance);
        for &kind in ServiceKind::ALL {
            *services.slot(kind) += u64::from(e.service_count(kind));
        }
        volunteers.extend(roster.people_of(&e.people, &e.volunteers));
    }

    let open: Vec<Day> = visits.iter().filter_map(Visit::open_follow_up).collect();
    let mut weeks: BTreeMap<Day, u64> = BTreeMap::new();
    let mut w = week_start(period.from);
    while w <= period.to {
        weeks.insert(w, 0);
        w = w.add_days(7);
    }
    for v in &in_period {
        *weeks.entry(week_start(v.day)).or_default() += 1;
    }

    let mut last_visit: HashMap<RecordId, Day> = HashMap::new();
    for v in visits.iter().filter(|v| v.day <= as_of) {
        let d = last_visit.entry(v.household_id).or_insert(v.day);
        *d = (*d).max(v.day);
    }
    let active: Vec<&Household> = households.iter().filter(|h| !h.archived).collect();
    let not_visited = NOT_VISITED_DAYS.map(|days| {
        let since = as_of.add_days(-i64::from(days));
        let n = active
            .iter()
            .filter(|h| last_visit.get(&h.id).is_none_or(|d| *d <= since))
            .count() as u64;
        (days, n)
    });

    Totals {
        period,
        as_of,
        households_visited: visited.len() as u64,
        visited_living_alone: count(|h| h.residents.iter().any(|r| r.lives_alone)),
        visited_limited_mobility: count(|h| h.residents.iter().any(|r| r.limited_mobility)),
        visits: in_period.len() as u64,
        events: n_events,
        events_by_kind,
        attendance,
        services,
        supplies: supplies
            .into_iter()
            .map(|((item, unit), quantity)| SupplyTotal {
                item,
                unit,
                quantity,
            })
            .collect(),
        volunteers_active: volunteers.len() as u64,
        visits_needing_attention: in_period.iter().filter(|v| v.needs_attention()).count() as u64,
        follow_ups_open: open.len() as u64,
        follow_ups_overdue: open.iter().filter(|d| **d < today).count() as u64,
        visits_per_week: weeks.into_iter().collect(),
        not_visited,
    }
}

/// A household named without identifying anyone (exports, reports): "H-" and six hex digits
/// of its id's random tail — stable, and unlikely to repeat within a team.
pub fn household_code(id: RecordId) -> String {
    format!("H-{:06X}", id.as_u64_pair().1 & 0xFF_FFFF)
}

/// A visit worth naming in a report: urgent or needing attention, or with needs recorded.
pub fn is_notable(v: &Visit) -> bool {
    v.needs_attention() || !v.needs.is_empty() || !v.needs_text.is_empty()
}

/// One line of a report about a visit, de-identified: the household's code, community and
/// building, never a name, a room or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitLine {
    pub day: Day,
    pub household: String,
    pub community: String,
    pub building: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<crate::labels::ConditionLevel>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition_text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<crate::labels::NeedCategory>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub needs_text: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub residents_words: String,
}

impl VisitLine {
    pub fn of(v: &Visit, h: Option<&Household>) -> Self {
        VisitLine {
            day: v.day,
            household: household_code(v.household_id),
            community: h.map(|h| h.address.community.clone()).unwrap_or_default(),
            building: h.map(|h| h.address.building.clone()).unwrap_or_default(),
            condition: v.condition_level(),
            condition_text: v.condition_text().to_owned(),
            needs: v.needs.clone(),
            needs_text: v.needs_text.clone(),
            residents_words: v.residents_words.clone(),
        }
    }
}

/// The monthly report (月度报告): the month's totals, the notable visits and the residents'
/// own words, oldest first — ready to paste into a work report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthlyReport {
    pub totals: Totals,
    pub notable: Vec<VisitLine>,
    pub quotes: Vec<VisitLine>,
    /// Each partner unit's share of the month.
    pub by_unit: Vec<crate::shares::UnitShare>,
    /// The month's visits by 社区 (and 街道).
    pub by_community: Vec<crate::shares::CommunityShare>,
}

pub fn monthly_report(
    month: Period,
    today: Day,
    households: &[Household],
    visits: &[Visit],
    events: &[Event],
    names: &crate::names::Names,
    lang: crate::Lang,
) -> MonthlyReport {
    let by_id: HashMap<RecordId, &Household> = households.iter().map(|h| (h.id, h)).collect();
    let mut in_month: Vec<&Visit> = visits.iter().filter(|v| month.contains(v.day)).collect();
    in_month.sort_by_key(|v| (v.day, v.created_at));
    let line = |v: &&Visit| VisitLine::of(v, by_id.get(&v.household_id).copied());
    MonthlyReport {
        totals: totals(month, today, households, visits, events, names.roster()),
        by_unit: crate::shares::by_unit(month, visits, events, names, lang),
        by_community: crate::shares::by_community(month, households, visits, names),
        notable: in_month
            .iter()
            .filter(|v| is_notable(v))
            .map(line)
            .collect(),
        quotes: in_month
            .iter()
            .filter(|v| !v.residents_words.is_empty())
            .map(line)
            .collect(),
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
