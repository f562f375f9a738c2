//! A visit to one household (走访): who went, what was done, what they saw and heard, and
//! what must happen next.

use serde::{Deserialize, Serialize};

use crate::day::Day;
use crate::household::{Household, Stamp, NAME_MAX, NOTES_MAX};
use crate::labels::{ConditionLevel, NeedCategory, Partner};
use crate::services::{Services, ServicesDraft};
use crate::validate::{Errors, FieldError, Problem};
use crate::{RecordId, UnixMillis};

pub const TEXT_MAX: usize = 500;
pub const FOLLOW_UP_MAX: usize = 100;
/// Volunteers named on one visit or event.
pub const VOLUNTEERS_MAX: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivingConditions {
    pub level: ConditionLevel,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub what: String,
    pub due: Day,
    /// Set when someone closes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<Day>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: RecordId,
    pub household_id: RecordId,
    pub day: Day,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub services: Services,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<LivingConditions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<NeedCategory>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub needs_text: String,
    /// The resident's own words (居民反馈).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub residents_words: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Who went, from the roster. Visits from before the roster name them in `volunteers`
    /// (kept as written; `roster::Roster::people_of` reads both).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<RecordId>,
    /// Partner units that came along. Older visits name categories in `partners`
    /// (`units::units_of` reads both).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<RecordId>,
    /// When the visit started and ended on its day, "HH:MM" (service hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub author: String,
    /// The server's revision of this record as last pulled; 0 until then (see `sync`).
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
    /// When the server first received it (the server's clock), as last pulled; 0 until then.
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub received_at: UnixMillis,
}

impl Visit {
    pub fn condition_level(&self) -> Option<ConditionLevel> {
        self.conditions.as_ref().map(|c| c.level)
    }

    /// What the volunteer saw, in words ("" when not said).
    pub fn condition_text(&self) -> &str {
        self.conditions.as_ref().map_or("", |c| c.text.as_str())
    }

    /// The living conditions need attention or are urgent.
    pub fn needs_attention(&self) -> bool {
        self.condition_level()
            .is_some_and(|l| l != ConditionLevel::Good)
    }

    /// The due date of this visit's follow-up while it is open.
    pub fn open_follow_up(&self) -> Option<Day> {
        self.follow_up
            .as_ref()
            .filter(|f| f.done_on.is_none())
            .map(|f| f.due)
    }

    /// Marks the open follow-up done on `on` (an edit made at `now`); false if none is open.
    pub fn close_follow_up(&mut self, on: Day, now: UnixMillis) -> bool {
        match self.follow_up.as_mut().filter(|f| f.done_on.is_none()) {
            Some(f) => {
                f.done_on = Some(on);
                self.updated_at = now.max(self.updated_at);
                true
            }
            None => false,
        }
    }
}

/// Ids as listed, each once (first mention kept).
pub(crate) fn dedup_ids(ids: &[RecordId]) -> Vec<RecordId> {
    let mut out: Vec<RecordId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Volunteers typed in one field as "张三、李四" or "Zhang San, Li Si". Spaces do not separate:
/// they are part of names written in Latin letters.
pub fn split_names(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Names for display and for the form: "张三、李四" in Chinese, "Zhang San, Li Si" in English.
pub fn join_names(names: &[String], lang: crate::Lang) -> String {
    names.join(lang.list_separator())
}

/// The household a visit is for, as far as its rules need it: its id, and whether it has a
/// recorded basis (health details need one).
#[derive(Debug, Clone, Copy)]
struct Picked {
    id: RecordId,
    basis: bool,
}

/// The household the form picked, if it is the one `household` names.
fn picked(d: &VisitDraft, household: Option<&Household>) -> Option<Picked> {
    match (d.household_id, household) {
        (Some(id), Some(h)) if h.id == id => Some(Picked {
            id,
            basis: h.basis.is_some(),
        }),
        _ => None,
    }
}

impl Visit {
    /// The form's rules applied to a stored or received record (the server checks what a
    /// phone sends with this). The household's own rules are not repeated: health details
    /// count as based when `household_basis` is unknown (None: another record's state,
    /// which merges on its own).
    pub fn validate(
        &self,
        today: Day,
        household_basis: Option<bool>,
    ) -> Result<(), Vec<FieldError>> {
        let stamp = Stamp {
            now: self.updated_at,
            today,
            user: self.author.clone(),
        };
        let household = Picked {
            id: self.household_id,
            basis: household_basis.unwrap_or(true),
        };
        VisitDraft::from_visit(self)
            .build(
                self.id,
                Some(household),
                &stamp,
                self.created_at,
                self.author.clone(),
            )
            .map(|_| ())
    }
}

/// The visit form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitDraft {
    pub household_id: Option<RecordId>,
    pub day: String,
    pub volunteers: Vec<String>,
    pub partners: Vec<Partner>,
    pub services: ServicesDraft,
    pub condition_level: Option<ConditionLevel>,
    pub condition_text: String,
    pub needs: Vec<NeedCategory>,
    pub needs_text: String,
    pub residents_words: String,
    pub follow_up_what: String,
    pub follow_up_due: String,
    pub notes: String,
    pub people: Vec<RecordId>,
    pub units: Vec<RecordId>,
    /// "HH:MM", or empty when not known.
    pub start_time: String,
    pub end_time: String,
}

impl VisitDraft {
    /// "Log another visit to this household": same household, day, volunteers and partners.
    pub fn another_like(v: &Visit) -> Self {
        VisitDraft {
            household_id: Some(v.household_id),
            day: v.day.to_string(),
            volunteers: v.volunteers.clone(),
            partners: v.partners.clone(),
            people: v.people.clone(),
            units: v.units.clone(),
            ..VisitDraft::default()
        }
    }

    /// The form for editing `v`.
    pub fn from_visit(v: &Visit) -> Self {
        VisitDraft {
            household_id: Some(v.household_id),
            day: v.day.to_string(),
            volunteers: v.volunteers.clone(),
            partners: v.partners.clone(),
            services: ServicesDraft::from_services(&v.services),
            condition_level: v.condition_level(),
            condition_text: v.condition_text().to_owned(),
            needs: v.needs.clone(),
            needs_text: v.needs_text.clone(),
            residents_words: v.residents_words.clone(),
            follow_up_what: v
                .follow_up
                .as_ref()
                .map(|f| f.what.clone())
                .unwrap_or_default(),
            follow_up_due: v
                .follow_up
                .as_ref()
                .map(|f| f.due.to_string())
                .unwrap_or_default(),
            notes: v.notes.clone(),
            people: v.people.clone(),
            units: v.units.clone(),
            start_time: v.start_time.clone().unwrap_or_default(),
            end_time: v.end_time.clone().unwrap_or_default(),
        }
    }

    /// A new visit to `household` (the household the form picked; health details need its
    /// recorded basis). A new visit needs its start and end (service hours); an older one
    /// edited keeps working without them.
    pub fn create(
        &self,
        id: RecordId,
        household: Option<&Household>,
        stamp: &Stamp,
    ) -> Result<Visit, Vec<FieldError>> {
        let built = self.build(
            id,
            picked(self, household),
            stamp,
            stamp.now,
            stamp.user.clone(),
        );
        let mut missing: Vec<FieldError> = [
            ("start_time", &self.start_time),
            ("end_time", &self.end_time),
        ]
        .into_iter()
        .filter(|(_, t)| t.trim().is_empty())
        .map(|(f, _)| FieldError::new(f, Problem::Required))
        .collect();
        match built {
            Ok(v) if missing.is_empty() => Ok(v),
            Ok(_) => Err(missing),
            Err(mut e) => {
                e.retain(|x| !missing.iter().any(|m| m.field == x.field));
                missing.extend(e);
                Err(missing)
            }
        }
    }

    /// A new form opened at `minute` of the phone's day: the visit starts now.
    pub fn opened_at(&mut self, minute: u32) {
        self.start_time = crate::time::clock(minute);
    }

    /// Saving at `minute` of `today`: a visit of today with no end typed ends now, or a
    /// minute after its start when saved within the minute it started. A visit logged on a
    /// later day keeps what was typed: the form asks for its times.
    pub fn ending_at_save(&mut self, today: Day, minute: u32) {
        let of_today = Day::parse(&self.day).is_ok_and(|d| d == today);
        let started = crate::time::minute_of_day(self.start_time.trim());
        if let (true, true, Some(s)) = (of_today, self.end_time.trim().is_empty(), started) {
            if s < 24 * 60 - 1 {
                self.end_time = crate::time::clock(minute.max(s + 1));
            }
        }
    }

    /// An edit of `existing`: keeps its id, creation time and author.
    pub fn update(
        &self,
        existing: &Visit,
        household: Option<&Household>,
        stamp: &Stamp,
    ) -> Result<Visit, Vec<FieldError>> {
        let mut v = self.build(
            existing.id,
            picked(self, household),
            stamp,
            existing.created_at,
            existing.author.clone(),
        )?;
        v.updated_at = stamp.now.max(existing.updated_at);
        v.rev = existing.rev;
        v.received_at = existing.received_at;
        v.follow_up = match (v.follow_up, &existing.follow_up) {
            // Editing the text of a closed follow-up does not reopen it.
            (Some(mut f), Some(old)) => {
                f.done_on = old.done_on;
                Some(f)
            }
            (f, _) => f,
        };
        Ok(v)
    }

    fn build(
        &self,
        id: RecordId,
        household: Option<Picked>,
        stamp: &Stamp,
        created_at: UnixMillis,
        author: String,
    ) -> Result<Visit, Vec<FieldError>> {
        let mut e = Errors::default();
        let household_id = household.map(|h| h.id);
        if household_id.is_none() {
            e.push("household", Problem::Required);
        }
        let basis = household.is_some_and(|h| h.basis);
        let day = match Day::parse(&self.day) {
            Ok(d) if d > stamp.today => {
                e.push("day", Problem::InFuture);
                d
            }
            Ok(d) => d,
            Err(_) => {
                e.push("day", Problem::InvalidDate);
                stamp.today
            }
        };
        let volunteers: Vec<String> = self
            .volunteers
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(i, v)| e.text(&format!("volunteers.{i}"), v, true, NAME_MAX))
            .collect();
        let people = dedup_ids(&self.people);
        if volunteers.is_empty() && people.is_empty() {
            e.push("volunteers", Problem::NoneGiven);
        }
        e.count(
            "volunteers",
            volunteers.len() + people.len(),
            VOLUNTEERS_MAX,
        );
        let units = dedup_ids(&self.units);
        e.count("units", units.len(), VOLUNTEERS_MAX);
        let (start_time, end_time) = crate::time::span(&mut e, &self.start_time, &self.end_time);
        let services = self.services.validate_into(&mut e);
        if services.blood_pressure.is_some() && !basis {
            e.push("bp.systolic", Problem::NeedsBasis);
        }
        if self.needs.contains(&NeedCategory::Health) && !basis {
            e.push("needs", Problem::NeedsBasis);
        }
        let conditions = self.condition_level.map(|level| {
            let needs_text = level != ConditionLevel::Good;
            LivingConditions {
                level,
                text: e.text(
                    "conditions.text",
                    &self.condition_text,
                    needs_text,
                    TEXT_MAX,
                ),
            }
        });
        let needs_text = e.text("needs_text", &self.needs_text, false, TEXT_MAX);
        let residents_words = e.text("residents_words", &self.residents_words, false, TEXT_MAX);
        let follow_up = self.follow_up(&mut e, day);
        let notes = e.text("notes", &self.notes, false, NOTES_MAX * 2);
        let mut partners = self.partners.clone();
        partners.sort();
        partners.dedup();
        let mut needs = self.needs.clone();
        needs.sort();
        needs.dedup();
        let visit = Visit {
            id,
            household_id: household_id.unwrap_or(id),
            day,
            volunteers,
            partners,
            services,
            conditions,
            needs,
            needs_text,
            residents_words,
            follow_up,
            notes,
            people,
            units,
            start_time,
            end_time,
            created_at,
            updated_at: stamp.now,
            author,
            rev: 0,
            received_at: UnixMillis(0),
        };
        e.finish(visit)
    }

    fn follow_up(&self, e: &mut Errors, visit_day: Day) -> Option<FollowUp> {
        if self.follow_up_what.trim().is_empty() && self.follow_up_due.trim().is_empty() {
            return None;
        }
        let what = e.text("follow_up.what", &self.follow_up_what, true, FOLLOW_UP_MAX);
        let due = match Day::parse(&self.follow_up_due) {
            Ok(d) if d < visit_day => {
                e.push("follow_up.due", Problem::BeforeVisit);
                d
            }
            Ok(d) => d,
            Err(_) => {
                let problem = if self.follow_up_due.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::InvalidDate
                };
                e.push("follow_up.due", problem);
                visit_day
            }
        };
        Some(FollowUp {
            what,
            due,
            done_on: None,
        })
    }
}

#[cfg(test)]
#[path = "visit_tests.rs"]
mod tests;
