//! Service hours (服务时长): who served, how long, at which visit or event. The one place
//! they are counted, for the app's hours screen and the server's report alike.
//!
//! A visit counts its start-to-end time for each person on it; an event counts its
//! start-to-end time for each person, unless the person's own time is recorded (came late,
//! left early). A record without both times counts as an activity with no hours (older
//! records, and visits logged without them), so a report can say how many lack times.

use std::collections::BTreeMap;

use crate::event::Event;
use crate::roster::Roster;
use crate::time::minutes_between;
use crate::visit::Visit;
use crate::{Day, RecordId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Activity {
    Visit,
    Event,
}

/// One person's part in one visit or event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// After merges.
    pub person: RecordId,
    pub day: Day,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// `None` when the times were not recorded.
    pub minutes: Option<u32>,
    pub activity: Activity,
    pub record: RecordId,
}

/// Each person's part in a visit.
pub fn at_visit(v: &Visit, roster: &Roster) -> Vec<Served> {
    let minutes = minutes_between(v.start_time.as_deref(), v.end_time.as_deref());
    roster
        .people_of(&v.people, &v.volunteers)
        .into_iter()
        .map(|person| Served {
            person,
            day: v.day,
            start_time: v.start_time.clone(),
            end_time: v.end_time.clone(),
            minutes,
            activity: Activity::Visit,
            record: v.id,
        })
        .collect()
}

/// Each person's part in an event.
pub fn at_event(e: &Event, roster: &Roster) -> Vec<Served> {
    let whole = minutes_between(e.start_time.as_deref(), e.end_time.as_deref());
    roster
        .people_of(&e.people, &e.volunteers)
        .into_iter()
        .map(|person| {
            let own = e
                .hours
                .iter()
                .find(|h| roster.resolve(h.person) == person)
                .map(|h| h.minutes);
            Served {
                person,
                day: e.day,
                start_time: e.start_time.clone(),
                end_time: e.end_time.clone(),
                minutes: own.or(whole),
                activity: Activity::Event,
                record: e.id,
            }
        })
        .collect()
}

/// Everyone's part in the visits and events from `from` to `to` (both included), by day.
pub fn served<'a>(
    visits: impl IntoIterator<Item = &'a Visit>,
    events: impl IntoIterator<Item = &'a Event>,
    roster: &Roster,
    from: Day,
    to: Day,
) -> Vec<Served> {
    let within = |d: Day| d >= from && d <= to;
    let mut out: Vec<Served> = visits
        .into_iter()
        .filter(|v| within(v.day))
        .flat_map(|v| at_visit(v, roster))
        .chain(
            events
                .into_iter()
                .filter(|e| within(e.day))
                .flat_map(|e| at_event(e, roster)),
        )
        .collect();
    out.sort_by(|a, b| {
        (a.day, &a.start_time, a.activity, a.record, a.person).cmp(&(
            b.day,
            &b.start_time,
            b.activity,
            b.record,
            b.person,
        ))
    });
    out
}

/// One person's hours over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hours {
    pub visit_minutes: u64,
    pub event_minutes: u64,
    pub visits: u32,
    pub events: u32,
    /// Activities without recorded times (counted, with no hours).
    pub untimed: u32,
}

impl Hours {
    pub fn minutes(&self) -> u64 {
        self.visit_minutes + self.event_minutes
    }

    pub fn activities(&self) -> u32 {
        self.visits + self.events
    }

    fn add(&mut self, s: &Served) {
        let m = u64::from(s.minutes.unwrap_or(0));
        match s.activity {
            Activity::Visit => {
                self.visits += 1;
                self.visit_minutes += m;
            }
            Activity::Event => {
                self.events += 1;
                self.event_minutes += m;
            }
        }
        self.untimed += u32::from(s.minutes.is_none());
    }
}

/// Hours per person, from [`served`].
pub fn by_person(served: &[Served]) -> BTreeMap<RecordId, Hours> {
    let mut out: BTreeMap<RecordId, Hours> = BTreeMap::new();
    for s in served {
        out.entry(s.person).or_default().add(s);
    }
    out
}

/// Minutes as hours with one decimal, the way volunteer platforms take them ("2.5").
pub fn as_hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// One person's hours over a period, named: what the hours screen and
/// `GET /api/v1/reports/hours` list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonHours {
    pub person: RecordId,
    pub name: String,
    pub party_member: bool,
    /// Shown to coordinators only (the report is theirs).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    pub hours: String,
    pub minutes: u64,
    pub visit_minutes: u64,
    pub event_minutes: u64,
    pub visits: u32,
    pub events: u32,
    pub untimed: u32,
}

/// Hours per person, named from the roster (a person not on it yet by the name an old
/// record gave), most hours first, then by name.
pub fn report(
    served: &[Served],
    roster: &Roster,
    names: &dyn Fn(RecordId) -> Option<String>,
) -> Vec<PersonHours> {
    let mut out: Vec<PersonHours> = by_person(served)
        .into_iter()
        .map(|(id, h)| {
            let (name, phone, party_member) = who(roster, names, id);
            PersonHours {
                person: id,
                name,
                party_member,
                phone,
                hours: as_hours(h.minutes()),
                minutes: h.minutes(),
                visit_minutes: h.visit_minutes,
                event_minutes: h.event_minutes,
                visits: h.visits,
                events: h.events,
                untimed: h.untimed,
            }
        })
        .collect();
    out.sort_by(|a, b| b.minutes.cmp(&a.minutes).then_with(|| a.name.cmp(&b.name)));
    out
}

/// A person's name, phone and 党员 flag from the roster; one not on it yet by the name an
/// old record gave (`names`).
fn who(
    roster: &Roster,
    names: &dyn Fn(RecordId) -> Option<String>,
    id: RecordId,
) -> (String, String, bool) {
    match roster.get(id) {
        Some(p) => (p.name.clone(), p.phone.clone(), p.party_member),
        None => (names(id).unwrap_or_default(), String::new(), false),
    }
}

/// The export for a volunteer platform's bulk entry: one row per person per activity.
pub const ROWS: crate::export::Table = crate::export::Table {
    headers: &[
        crate::i18n::Text::new("姓名", "Name"),
        crate::i18n::Text::new("手机号", "Phone"),
        crate::i18n::Text::new("日期", "Date"),
        crate::i18n::Text::new("开始时间", "Start"),
        crate::i18n::Text::new("结束时间", "End"),
        crate::i18n::Text::new("服务时长（小时）", "Hours"),
        crate::i18n::Text::new("活动名称", "Activity"),
        crate::i18n::Text::new("党员", "Party member"),
    ],
    widths: &[12.0, 14.0, 11.0, 9.0, 9.0, 10.0, 24.0, 6.0],
    day_columns: &[2],
    number_columns: &[5],
};

/// The rows of [`ROWS`], in the order of `served`. A visit is named as a home visit only:
/// nothing of the household leaves with a volunteer's hours.
pub fn rows(
    served: &[Served],
    roster: &Roster,
    names: &dyn Fn(RecordId) -> Option<String>,
    event_title: &dyn Fn(RecordId) -> Option<String>,
    lang: crate::Lang,
) -> Vec<Vec<String>> {
    served
        .iter()
        .map(|s| {
            let (name, phone, party_member) = who(roster, names, s.person);
            let activity = match s.activity {
                Activity::Visit => crate::i18n::Text::new("入户走访", "Home visit")
                    .get(lang)
                    .to_owned(),
                Activity::Event => event_title(s.record).unwrap_or_default(),
            };
            let yes = crate::i18n::Text::new("是", "Yes").get(lang);
            vec![
                name,
                phone,
                s.day.to_string(),
                s.start_time.clone().unwrap_or_default(),
                s.end_time.clone().unwrap_or_default(),
                s.minutes
                    .map(|m| as_hours(u64::from(m)))
                    .unwrap_or_default(),
                activity,
                if party_member {
                    yes.to_owned()
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

/// The name an old record gave a person not on this roster yet (its derived id).
pub fn old_names<'a>(
    visits: impl IntoIterator<Item = &'a Visit>,
    events: impl IntoIterator<Item = &'a Event>,
) -> std::collections::HashMap<RecordId, String> {
    let mut out = std::collections::HashMap::new();
    let names = visits
        .into_iter()
        .flat_map(|v| v.volunteers.iter())
        .chain(events.into_iter().flat_map(|e| e.volunteers.iter()));
    for n in names {
        let normal = crate::roster::normalize_name(n);
        if !normal.is_empty() {
            out.entry(crate::roster::legacy_person_id(&normal))
                .or_insert(normal);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventDraft, PersonMinutes};
    use crate::household::Stamp;
    use crate::labels::EventKind;
    use crate::roster::{people_for_names, PersonDraft};
    use crate::UnixMillis;
    use proptest::prelude::*;

    fn stamp() -> Stamp {
        Stamp {
            now: UnixMillis(1_795_714_200_000),
            today: Day::parse("2026-12-31").unwrap(),
            user: "u".into(),
        }
    }

    fn rid(n: u32) -> RecordId {
        let mut r = [0u8; 10];
        r[..4].copy_from_slice(&n.to_be_bytes());
        RecordId::mint(UnixMillis(1_700_000_000_000), r)
    }

    fn time(m: u32) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    fn event(
        n: u32,
        day: Day,
        people: Vec<RecordId>,
        span: Option<(u32, u32)>,
        own: Vec<PersonMinutes>,
    ) -> Event {
        EventDraft {
            kind: EventKind::ConvenienceDay,
            title: "便民服务".into(),
            day: day.to_string(),
            start_time: span.map(|s| time(s.0)).unwrap_or_default(),
            end_time: span.map(|s| time(s.1)).unwrap_or_default(),
            people,
            hours: own,
            ..EventDraft::blank(day)
        }
        .create(rid(n), &stamp())
        .unwrap()
    }

    fn visit(
        n: u32,
        day: Day,
        people: Vec<RecordId>,
        names: Vec<String>,
        span: Option<(u32, u32)>,
    ) -> Visit {
        let mut v =
            crate::store::conformance::full_visit(n, &crate::store::conformance::household(n), "");
        v.id = rid(1_000_000 + n);
        v.day = day;
        v.people = people;
        v.volunteers = names;
        v.start_time = span.map(|s| time(s.0));
        v.end_time = span.map(|s| time(s.1));
        v
    }

    #[test]
    fn a_visit_and_an_event_with_someone_who_left_early() {
        let roster = Roster::new(["张三", "李四"].iter().enumerate().map(|(i, n)| {
            PersonDraft::on_the_spot(n)
                .create(rid(90 + i as u32), &stamp())
                .unwrap()
        }));
        let (zhang, li) = (rid(90), rid(91));
        let day = Day::parse("2026-12-05").unwrap();
        let v = visit(1, day, vec![zhang, li], vec![], Some((9 * 60, 9 * 60 + 45)));
        let e = event(
            2,
            day,
            vec![zhang, li],
            Some((14 * 60, 17 * 60)),
            vec![PersonMinutes {
                person: li,
                minutes: 90,
            }],
        );
        let served = served([&v], [&e], &roster, day, day);
        let hours = by_person(&served);
        assert_eq!(hours[&zhang].minutes(), 45 + 180);
        assert_eq!(hours[&li].minutes(), 45 + 90);
        assert_eq!(hours[&li].visit_minutes, 45);
        assert_eq!(
            (hours[&li].visits, hours[&li].events, hours[&li].untimed),
            (1, 1, 0)
        );
        assert_eq!(as_hours(hours[&zhang].minutes()), "3.8");
        assert_eq!(as_hours(90), "1.5");
        let mut zhang_p = roster.get(zhang).unwrap().clone();
        zhang_p.party_member = true;
        zhang_p.phone = "13800000000".into();
        let roster2 = Roster::new([zhang_p, roster.get(li).unwrap().clone()]);
        let report = super::report(&served, &roster2, &|_| None);
        assert_eq!(
            report
                .iter()
                .map(|r| (r.name.as_str(), r.hours.as_str(), r.party_member))
                .collect::<Vec<_>>(),
            [("张三", "3.8", true), ("李四", "2.3", false)]
        );
        let rows = super::rows(
            &served,
            &roster2,
            &|_| None,
            &|id| (id == e.id).then(|| e.title.clone()),
            crate::Lang::Zh,
        );
        assert_eq!(rows.len(), 4, "one row per person per activity");
        assert!(rows.contains(&vec![
            "李四".into(),
            "".into(),
            "2026-12-05".into(),
            "14:00".into(),
            "17:00".into(),
            "1.5".into(),
            "便民服务".into(),
            "".into()
        ]));
        assert!(rows
            .iter()
            .any(|r| r[6] == "入户走访" && r[0] == "张三" && r[7] == "是"));
        // Outside the period: nothing.
        assert!(super::served([&v], [&e], &roster, day.add_days(1), day.add_days(9)).is_empty());
    }

    #[test]
    fn an_old_visit_counts_its_named_volunteers_without_hours() {
        let day = Day::parse("2026-03-01").unwrap();
        let v = visit(
            1,
            day,
            vec![],
            vec!["张三".into(), " 张三".into(), "老张".into()],
            None,
        );
        let roster = Roster::new(people_for_names(
            v.volunteers.iter().map(String::as_str),
            &Roster::default(),
            UnixMillis(1),
            "s",
        ));
        let h = by_person(&served([&v], [], &roster, day, day));
        assert_eq!(h.len(), 2, "the same name twice is one person");
        assert!(h
            .values()
            .all(|h| h.visits == 1 && h.untimed == 1 && h.minutes() == 0));
    }

    proptest! {
        /// Hours per person over a period equal the sum over its parts, split anywhere.
        #[test]
        fn hours_over_a_period_are_the_sum_of_its_parts(
            recs in proptest::collection::vec(
                (any::<bool>(), 0i64..60, proptest::collection::vec(0u32..5, 1..4),
                 proptest::option::of((0u32..600, 1u32..600)), proptest::option::of((0usize..4, 0u32..600))),
                0..25),
            split in 0i64..60,
        ) {
            let start = Day::parse("2026-01-01").unwrap();
            let names = ["张三", "李四", "王五", "赵六", "钱七"];
            let roster = Roster::new(people_for_names(names, &Roster::default(), UnixMillis(1), "s"));
            let ids: Vec<RecordId> = names.iter().map(|n| crate::roster::legacy_person_id(n)).collect();
            let mut visits = Vec::new();
            let mut events = Vec::new();
            for (n, (is_event, day, who, span, own)) in recs.into_iter().enumerate() {
                let day = start.add_days(day);
                let people: Vec<RecordId> = who.iter().map(|w| ids[*w as usize]).collect();
                let span = span.map(|(a, len)| (a, a + len));
                if is_event {
                    let people = crate::visit::dedup_ids(&people);
                    let own: Vec<PersonMinutes> = own
                        .filter(|(i, _)| *i < people.len())
                        .map(|(i, m)| PersonMinutes { person: people[i], minutes: m })
                        .into_iter()
                        .collect();
                    events.push(event(n as u32, day, people, span, own));
                } else {
                    // Some by id, some by the old free-text name.
                    let (by_id, by_name) = people.split_at(people.len() / 2);
                    let names = by_name.iter().map(|id| names[ids.iter().position(|i| i == id).unwrap()].to_string()).collect();
                    visits.push(visit(n as u32, day, by_id.to_vec(), names, span));
                }
            }
            let (a, m, b) = (start, start.add_days(split), start.add_days(59));
            let whole = by_person(&served(&visits, &events, &roster, a, b));
            let first = by_person(&served(&visits, &events, &roster, a, m));
            let second = by_person(&served(&visits, &events, &roster, m.add_days(1), b));
            for id in &ids {
                let w = whole.get(id).copied().unwrap_or_default();
                let f = first.get(id).copied().unwrap_or_default();
                let s = second.get(id).copied().unwrap_or_default();
                prop_assert_eq!(w.minutes(), f.minutes() + s.minutes());
                prop_assert_eq!(w.activities(), f.activities() + s.activities());
                prop_assert_eq!(w.untimed, f.untimed + s.untimed);
            }
        }
    }
}
