//! The coordinator's review of the team's records (审阅): which visits and events a set of
//! filters keeps — one rule for the app's list and its tests.

use std::collections::HashSet;

use crate::event::Event;
use crate::household::Household;
use crate::labels::ServiceKind;
use crate::roster::{legacy_person_id, Roster};
use crate::stats::Period;
use crate::visit::Visit;
use crate::RecordId;

/// Each filter narrows; an empty one keeps everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFilter {
    pub period: Period,
    /// Part of a volunteer's name, as typed (case-insensitive); empty: anyone.
    pub volunteer: String,
    /// Roster people whose name (after merges) matches `volunteer`: every id that stands for
    /// one of them, old-name ids included (see [`ReviewFilter::with_roster`]).
    pub people: HashSet<RecordId>,
    /// Only visits to these households (see [`households_matching`]); `None`: any.
    pub households: Option<HashSet<RecordId>>,
    pub service: Option<ServiceKind>,
    /// Only visits that found the living conditions needing attention or urgent.
    pub attention: bool,
    /// Only visits with a follow-up not yet done — from any day: they are what is still to
    /// do, and the dashboard counts them all (so the period does not narrow this one).
    pub open_follow_up: bool,
}

impl ReviewFilter {
    pub fn new(period: Period) -> Self {
        ReviewFilter {
            period,
            volunteer: String::new(),
            people: HashSet::new(),
            households: None,
            service: None,
            attention: false,
            open_follow_up: false,
        }
    }

    /// Matches the volunteer filter against roster names too, so a renamed or merged person
    /// is found by the name the team uses now.
    pub fn with_roster(mut self, roster: &Roster) -> Self {
        let want = self.volunteer.trim().to_lowercase();
        self.people = if want.is_empty() {
            HashSet::new()
        } else {
            roster
                .all()
                .into_iter()
                .filter(|p| {
                    roster
                        .name(p.id)
                        .is_some_and(|n| n.to_lowercase().contains(&want))
                })
                .map(|p| p.id)
                .collect()
        };
        self
    }

    fn names_match(&self, ids: &[RecordId], names: &[String]) -> bool {
        let want = self.volunteer.trim().to_lowercase();
        want.is_empty()
            || names.iter().any(|n| {
                n.to_lowercase().contains(&want) || self.people.contains(&legacy_person_id(n))
            })
            || ids.iter().any(|id| self.people.contains(id))
    }

    pub fn keeps_visit(&self, v: &Visit) -> bool {
        (self.open_follow_up || self.period.contains(v.day))
            && self.names_match(&v.people, &v.volunteers)
            && self
                .households
                .as_ref()
                .is_none_or(|hs| hs.contains(&v.household_id))
            && self.service.is_none_or(|s| v.services.gave(s))
            && (!self.attention || v.needs_attention())
            && (!self.open_follow_up || v.open_follow_up().is_some())
    }

    /// Events are at no one's home and carry no conditions or follow-ups: those filters, and
    /// a household, leave them out.
    pub fn keeps_event(&self, e: &Event) -> bool {
        self.period.contains(e.day)
            && self.names_match(&e.people, &e.volunteers)
            && self.households.is_none()
            && !self.attention
            && !self.open_follow_up
            && self.service.is_none_or(|s| e.service_count(s) > 0)
    }
}

/// The households whose address or residents' names match `query` (as the households search
/// does); `None` for an empty query (any household).
pub fn households_matching(households: &[Household], query: &str) -> Option<HashSet<RecordId>> {
    (!query.trim().is_empty()).then(|| {
        households
            .iter()
            .filter(|h| h.matches(query))
            .map(|h| h.id)
            .collect()
    })
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
