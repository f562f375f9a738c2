//! The coordinator's review of the team's records (审阅): which visits and events a set of
//! filters keeps — one rule for the app's list and its tests.

use std::collections::HashSet;

use crate::event::Event;
use crate::household::Household;
use crate::labels::ServiceKind;
use crate::stats::Period;
use crate::visit::Visit;
use crate::RecordId;

/// Each filter narrows; an empty one keeps everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFilter {
    pub period: Period,
    /// Part of a volunteer's name, as typed (case-insensitive); empty: anyone.
    pub volunteer: String,
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
            households: None,
            service: None,
            attention: false,
            open_follow_up: false,
        }
    }

    fn names_match(&self, names: &[String]) -> bool {
        let want = self.volunteer.trim().to_lowercase();
        want.is_empty() || names.iter().any(|n| n.to_lowercase().contains(&want))
    }

    pub fn keeps_visit(&self, v: &Visit) -> bool {
        (self.open_follow_up || self.period.contains(v.day))
            && self.names_match(&v.volunteers)
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
            && self.names_match(&e.volunteers)
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
