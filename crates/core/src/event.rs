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
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub author: String,
    /// The server's revision of this record as last pulled; 0 until then (see `sync`).
    #[serde(default, skip_serializing_if = "crate::skip::is_default")]
    pub rev: u64,
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
}

fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else {
        return false;
    };
    h.len() == 2
        && m.len() == 2
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.parse::<u8>().is_ok_and(|m| m < 60)
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
        let start_time = match self.start_time.trim() {
            "" => None,
            t if valid_time(t) => Some(t.to_owned()),
            t => {
                e.push("start_time", Problem::InvalidTime);
                Some(t.to_owned())
            }
        };
        let place = e.text("place", &self.place, false, PLACE_MAX);
        let volunteers = self
            .volunteers
            .iter()
            .enumerate()
            .map(|(i, v)| e.text(&format!("volunteers.{i}"), v, true, NAME_MAX))
            .collect();
        e.count(
            "volunteers",
            self.volunteers.len(),
            crate::visit::VOLUNTEERS_MAX,
        );
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
    fn times_are_hh_mm() {
        assert!(valid_time("00:00") && valid_time("23:59"));
        assert!(
            !valid_time("24:00")
                && !valid_time("9:30")
                && !valid_time("09:60")
                && !valid_time("0930")
        );
    }
}
