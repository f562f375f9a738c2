//! Group activities (活动): lectures, performances, anti-fraud outreach, service days.

use serde::{Deserialize, Serialize};

use crate::day::Day;
use crate::household::{Stamp, NAME_MAX, NOTES_MAX};
use crate::labels::{EventKind, Partner, ServiceKind};
use crate::validate::{Errors, FieldError, Problem};
use crate::{RecordId, UnixMillis};

pub const TITLE_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
/// Larger counts are typing mistakes, not a day's work.
pub const COUNT_MAX: u32 = 100_000;

/// Services and materials counted at an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tallies {
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub haircuts: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub bp_checks: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub knives_sharpened: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub clinic_consultations: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub leaflets: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub banners: u32,
}

impl Tallies {
    /// How many of `kind` were counted (0 for what events do not count, e.g. chats).
    pub fn count(&self, kind: ServiceKind) -> u32 {
        match kind {
            ServiceKind::Haircut => self.haircuts,
            ServiceKind::BloodPressure => self.bp_checks,
            ServiceKind::Knives => self.knives_sharpened,
            ServiceKind::Clinic => self.clinic_consultations,
            ServiceKind::Leaflet => self.leaflets,
            ServiceKind::Chat
            | ServiceKind::Cleaning
            | ServiceKind::Greeting
            | ServiceKind::Supplies
            | ServiceKind::AntiFraud => 0,
        }
    }

    /// Field names (for errors and forms) with their values.
    pub fn fields(&self) -> [(&'static str, u32); 6] {
        [
            ("tallies.haircuts", self.haircuts),
            ("tallies.bp_checks", self.bp_checks),
            ("tallies.knives_sharpened", self.knives_sharpened),
            ("tallies.clinic_consultations", self.clinic_consultations),
            ("tallies.leaflets", self.leaflets),
            ("tallies.banners", self.banners),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: RecordId,
    pub kind: EventKind,
    pub title: String,
    pub day: Day,
    /// Start time, "HH:MM", if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteers: Vec<String>,
    #[serde(default, skip_serializing_if = "crate::skip::is_zero")]
    pub attendance: u32,
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub tallies: Tallies,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// End time, "HH:MM", if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Who served, from the roster (older events name them in `volunteers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<RecordId>,
    /// Partner units (older events name categories in `partners`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<RecordId>,
    /// Hours of the people who did not serve the whole event (came late, left early);
    /// everyone else served from start to end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours: Vec<PersonMinutes>,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub author: String,
    /// The server's revision of this record as last pulled; 0 until then (see `sync`).
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
}

/// One person's time at an event, when it differs from the event's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonMinutes {
    pub person: RecordId,
    pub minutes: u32,
}

/// The event form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub kind: EventKind,
    pub title: String,
    pub day: String,
    pub start_time: String,
    pub place: String,
    pub partners: Vec<Partner>,
    pub volunteers: Vec<String>,
    pub attendance: u32,
    pub tallies: Tallies,
    pub notes: String,
    pub end_time: String,
    pub people: Vec<RecordId>,
    pub units: Vec<RecordId>,
    pub hours: Vec<PersonMinutes>,
}

impl Event {
    /// The form's rules applied to a stored or received record (the server checks what a
    /// phone sends with this).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        EventDraft::from_event(self)
            .build(
                self.id,
                self.created_at,
                self.author.clone(),
                self.updated_at,
            )
            .map(|_| ())
    }

    /// How many of `kind` this event gave: its tallies, and one anti-fraud talk for
    /// anti-fraud outreach (what the review filters on and the dashboard counts).
    pub fn service_count(&self, kind: ServiceKind) -> u32 {
        match kind {
            ServiceKind::AntiFraud => u32::from(self.kind == EventKind::AntiFraud),
            _ => self.tallies.count(kind),
        }
    }
}

impl EventDraft {
    /// An empty form for an event on `day`.
    pub fn blank(day: Day) -> Self {
        EventDraft {
            kind: EventKind::ConvenienceDay,
            title: String::new(),
            day: day.to_string(),
            start_time: String::new(),
            place: String::new(),
            partners: Vec::new(),
            volunteers: Vec::new(),
            attendance: 0,
            tallies: Tallies::default(),
            notes: String::new(),
            end_time: String::new(),
            people: Vec::new(),
            units: Vec::new(),
            hours: Vec::new(),
        }
    }

    /// The form for editing `e`.
    pub fn from_event(e: &Event) -> Self {
        EventDraft {
            kind: e.kind,
            title: e.title.clone(),
            day: e.day.to_string(),
            start_time: e.start_time.clone().unwrap_or_default(),
            place: e.place.clone(),
            partners: e.partners.clone(),
            volunteers: e.volunteers.clone(),
            attendance: e.attendance,
            tallies: e.tallies,
            notes: e.notes.clone(),
            end_time: e.end_time.clone().unwrap_or_default(),
            people: e.people.clone(),
            units: e.units.clone(),
            hours: e.hours.clone(),
        }
    }

    pub fn create(&self, id: RecordId, stamp: &Stamp) -> Result<Event, Vec<FieldError>> {
        self.build(id, stamp.now, stamp.user.clone(), stamp.now)
    }

    pub fn update(&self, existing: &Event, stamp: &Stamp) -> Result<Event, Vec<FieldError>> {
        let now = stamp.now.max(existing.updated_at);
        self.build(
            existing.id,
            existing.created_at,
            existing.author.clone(),
            now,
        )
        .map(|mut e| {
            e.rev = existing.rev;
            e
        })
    }

    fn build(
        &self,
        id: RecordId,
        created_at: UnixMillis,
        author: String,
        now: UnixMillis,
    ) -> Result<Event, Vec<FieldError>> {
        let mut e = Errors::default();
        let title = e.text("title", &self.title, true, TITLE_MAX);
        let day = Day::parse(&self.day).unwrap_or_else(|_| {
            e.push("day", Problem::InvalidDate);
            Day::from_unix_millis(now, 0)
        });
        let (start_time, end_time) = crate::time::span(&mut e, &self.start_time, &self.end_time);
        let place = e.text("place", &self.place, false, PLACE_MAX);
        let volunteers = self
            .volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| e.text(&format!("volunteers.{i}"), v, true, NAME_MAX))
            .collect();
        let people = crate::visit::dedup_ids(&self.people);
        e.count(
            "volunteers",
            self.volunteers.len() + people.len(),
            crate::visit::VOLUNTEERS_MAX,
        );
        let units = crate::visit::dedup_ids(&self.units);
        e.count("units", units.len(), crate::visit::VOLUNTEERS_MAX);
        let mut hours: Vec<PersonMinutes> = Vec::new();
        for (i, h) in self.hours.iter().enumerate() {
            // Only people of the event, once each; the whole event's time needs no entry.
            if !people.contains(&h.person) || hours.iter().any(|o| o.person == h.person) {
                e.push(format!("hours.{i}"), Problem::OutOfRange { min: 0, max: 0 });
            }
            e.range(&format!("hours.{i}"), i64::from(h.minutes), 0, 24 * 60);
            hours.push(*h);
        }
        e.range(
            "attendance",
            i64::from(self.attendance),
            0,
            i64::from(COUNT_MAX),
        );
        for (field, n) in self.tallies.fields() {
            e.range(field, i64::from(n), 0, i64::from(COUNT_MAX));
        }
        let notes = e.text("notes", &self.notes, false, NOTES_MAX);
        let mut partners = self.partners.clone();
        partners.sort();
        partners.dedup();
        e.finish(Event {
            id,
            kind: self.kind,
            title,
            day,
            start_time,
            place,
            partners,
            volunteers,
            attendance: self.attendance,
            tallies: self.tallies,
            notes,
            end_time,
            people,
            units,
            hours,
            created_at,
            updated_at: now,
            author,
            rev: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn stamp() -> Stamp {
        Stamp {
            now: UnixMillis(1_795_714_200_000),
            today: Day::parse("2026-11-26").unwrap(),
            user: "u-1".into(),
        }
    }

    fn draft() -> EventDraft {
        EventDraft {
            kind: EventKind::AntiFraud,
            title: "反诈宣传进社区".into(),
            day: "2026-11-20".into(),
            start_time: "09:30".into(),
            place: "幸福社区广场".into(),
            partners: vec![
                Partner::PoliceStation,
                Partner::CommunityCommittee,
                Partner::PoliceStation,
            ],
            volunteers: vec!["张三".into(), "李四".into()],
            attendance: 60,
            tallies: Tallies {
                leaflets: 200,
                banners: 2,
                ..Tallies::default()
            },
            notes: String::new(),
            end_time: String::new(),
            people: Vec::new(),
            units: Vec::new(),
            hours: Vec::new(),
        }
    }

    fn id() -> RecordId {
        RecordId::mint(UnixMillis(1), [2; 10])
    }

    #[test]
    fn a_typical_outreach_event() {
        let ev = draft().create(id(), &stamp()).unwrap();
        assert_eq!(
            ev.partners,
            vec![Partner::CommunityCommittee, Partner::PoliceStation]
        );
        assert_eq!(ev.start_time.as_deref(), Some("09:30"));
        assert_eq!(ev.tallies.leaflets, 200);
    }

    #[test]
    fn bad_title_date_time_and_counts_are_all_reported() {
        let mut d = draft();
        d.title = " ".into();
        d.day = "2026-02-30".into();
        d.start_time = "25:00".into();
        d.attendance = COUNT_MAX + 1;
        d.tallies.haircuts = COUNT_MAX + 1;
        d.volunteers.push("  ".into());
        let errs = d.create(id(), &stamp()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "day",
                "start_time",
                "volunteers.2",
                "attendance",
                "tallies.haircuts"
            ]
        );
        assert_eq!(errs[4].message(Lang::Zh), "应在 0 到 100000 之间");
    }

    #[test]
    fn editing_round_trips_through_the_form() {
        let ev = draft().create(id(), &stamp()).unwrap();
        let again = EventDraft::from_event(&ev).update(&ev, &stamp()).unwrap();
        assert_eq!(again, ev);
        let blank = EventDraft::blank(Day::parse("2026-11-26").unwrap());
        assert_eq!(blank.day, "2026-11-26");
        assert!(blank.create(id(), &stamp()).is_err(), "a title is required");
    }

    #[test]
    fn times_are_hh_mm_and_the_end_follows_the_start() {
        use crate::time::minute_of_day as m;
        assert_eq!((m("00:00"), m("23:59")), (Some(0), Some(23 * 60 + 59)));
        assert!([m("24:00"), m("9:30"), m("09:60"), m("0930")]
            .iter()
            .all(Option::is_none));
        let mut d = draft();
        d.end_time = "09:00".into();
        let errs = d.create(id(), &stamp()).unwrap_err();
        assert_eq!(errs[0].field, "end_time");
        assert_eq!(errs[0].message(Lang::Zh), "应晚于开始时间");
        d.start_time = String::new();
        assert_eq!(d.create(id(), &stamp()).unwrap_err()[0].field, "start_time");
        d.start_time = "08:30".into();
        let ev = d.create(id(), &stamp()).unwrap();
        assert_eq!(
            crate::time::minutes_between(ev.start_time.as_deref(), ev.end_time.as_deref()),
            Some(30)
        );
    }

    #[test]
    fn own_hours_are_only_for_people_of_the_event() {
        let (a, b) = (
            RecordId::mint(UnixMillis(1), [7; 10]),
            RecordId::mint(UnixMillis(1), [8; 10]),
        );
        let mut d = draft();
        d.people = vec![a];
        d.hours = vec![PersonMinutes {
            person: b,
            minutes: 30,
        }];
        assert_eq!(d.create(id(), &stamp()).unwrap_err()[0].field, "hours.0");
        d.hours = vec![PersonMinutes {
            person: a,
            minutes: 24 * 60 + 1,
        }];
        assert!(d.create(id(), &stamp()).is_err());
        d.hours = vec![PersonMinutes {
            person: a,
            minutes: 90,
        }];
        assert!(d.create(id(), &stamp()).is_ok());
    }
}
