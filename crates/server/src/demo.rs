//! `serve --demo`'s sample records: a team's last two months as it would have logged them —
//! 30 households in two communities, visits at each household's cadence (some overdue),
//! follow-ups open and done, events with partners, and a festival greeting round. The
//! records go in through `records::push`, as a phone's would: the core validates and
//! re-serialises each one. Names and addresses are invented.

use doorstep_core::day::Day;
use doorstep_core::event::{Event, Tallies};
use doorstep_core::household::{Address, BasisKind, DataBasis, Household, Resident};
use doorstep_core::labels::{AgeBand, Cadence, ConditionLevel, EventKind, NeedCategory, Partner};
use doorstep_core::services::{BloodPressure, Services, Supply};
use doorstep_core::store::RecordKind;
use doorstep_core::sync::merge::Writer;
use doorstep_core::sync::wire::{Op, PushMutation, PushRequest, PROTOCOL};
use doorstep_core::visit::{FollowUp, LivingConditions, Visit};
use doorstep_core::{RecordId, UnixMillis};
use serde::Serialize;
use sqlx::AnyPool;

use crate::accounts::now_millis;
use crate::records;

const DAY_MS: i64 = 86_400_000;
/// China Standard Time: the demo's visits happen in the morning there.
const CST_MS: i64 = 8 * 3_600_000;
const DAYS: i64 = 60;

const COMMUNITIES: [&str; 2] = ["东亭社区", "春江花园社区"];
const VOLUNTEERS: [&str; 5] = ["王芳", "李强", "张敏", "陈静", "刘洋"];
const RESIDENTS: [&str; 30] = [
    "赵奶奶",
    "钱爷爷",
    "孙奶奶",
    "李爷爷",
    "周奶奶",
    "吴爷爷",
    "郑奶奶",
    "王爷爷",
    "冯奶奶",
    "陈爷爷",
    "褚奶奶",
    "卫爷爷",
    "蒋奶奶",
    "沈爷爷",
    "韩奶奶",
    "杨爷爷",
    "朱奶奶",
    "秦爷爷",
    "尤奶奶",
    "许爷爷",
    "何奶奶",
    "吕爷爷",
    "施奶奶",
    "张爷爷",
    "孔奶奶",
    "曹爷爷",
    "严奶奶",
    "华爷爷",
    "金奶奶",
    "魏爷爷",
];
const WORDS: [&str; 10] = [
    "你们来了我就高兴。",
    "身体还行，就是腿脚不太灵便。",
    "孩子在外地，过年才回来。",
    "最近睡得不太好。",
    "米和油还够吃一阵子。",
    "谢谢你们常来看我。",
    "降压药快吃完了。",
    "楼道的灯坏了，晚上不敢出门。",
    "想学学用手机视频。",
    "天冷了，暖气还没来。",
];

/// A small deterministic generator: the same demo every time, no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn bytes(&mut self) -> [u8; 10] {
        let mut b = [0u8; 10];
        b[..8].copy_from_slice(&self.next().to_le_bytes());
        b[8..].copy_from_slice(&self.next().to_le_bytes()[..2]);
        b
    }
}

/// The records, by the user who made them: households and visits by the volunteer,
/// events by the coordinator.
pub struct Sample {
    pub households: Vec<Household>,
    pub visits: Vec<Visit>,
    pub events: Vec<Event>,
}

/// The team's last `DAYS` days up to `now`.
pub fn sample(now: UnixMillis, volunteer: &str, coordinator: &str) -> Sample {
    let mut rng = Rng(0x5eed_d00d_2024);
    let today = Day::from_unix_millis(now, 8 * 60);
    let start = today.add_days(-DAYS);
    // 09:00–11:59 in China on `day`, but never after `now`.
    let at = |day: Day, rng: &mut Rng| {
        let t = day.days_since_epoch() * DAY_MS - CST_MS
            + (9 * 3600 + rng.below(3 * 3600) as i64) * 1000;
        UnixMillis(t.min(now.0 - 60_000))
    };
    let mut households = Vec::new();
    for (i, name) in RESIDENTS.iter().enumerate() {
        let created = at(start, &mut rng);
        let alone = rng.chance(45);
        let limited = rng.chance(25);
        let mut residents = vec![Resident {
            name: (*name).to_owned(),
            age_band: Some(
                [AgeBand::From70To79, AgeBand::From80To89, AgeBand::From90][rng.below(3) as usize],
            ),
            lives_alone: alone,
            limited_mobility: limited,
            phone: format!("139{:08}", rng.below(100_000_000)),
        }];
        if !alone && rng.chance(50) {
            let partner = if name.ends_with("奶奶") {
                "爷爷"
            } else {
                "奶奶"
            };
            residents.push(Resident {
                name: format!("{}{partner}", name.chars().next().unwrap_or('王')),
                age_band: Some(AgeBand::From70To79),
                lives_alone: false,
                limited_mobility: false,
                phone: String::new(),
            });
        }
        let cadence = if alone || limited {
            Cadence::Weekly
        } else if rng.chance(50) {
            Cadence::Fortnightly
        } else {
            Cadence::Monthly
        };
        let mut needs = Vec::new();
        if limited || rng.chance(30) {
            needs.push(NeedCategory::Health);
        }
        if alone {
            needs.push(NeedCategory::Loneliness);
        }
        if rng.chance(15) {
            needs.push(NeedCategory::MoneyOrFraudRisk);
        }
        households.push(Household {
            id: RecordId::mint(created, rng.bytes()),
            address: Address {
                community: COMMUNITIES[i % 2].to_owned(),
                building: format!("{}幢", 1 + rng.below(12)),
                unit: format!("{}单元", 1 + rng.below(3)),
                room: format!("{}0{}室", 1 + rng.below(6), 1 + rng.below(4)),
                detail: String::new(),
            },
            residents,
            needs,
            notes: String::new(),
            cadence,
            basis: Some(DataBasis {
                kind: if rng.chance(60) {
                    BasisKind::DutyOfCare
                } else {
                    BasisKind::WrittenConsent
                },
                recorded_on: start,
                recorded_by: "社区网格员".to_owned(),
            }),
            archived: false,
            assigned_to: VOLUNTEERS[i % VOLUNTEERS.len()].to_owned(),
            created_at: created,
            updated_at: created,
            author: volunteer.to_owned(),
            rev: 0,
        });
    }

    let mut visits = Vec::new();
    for (i, h) in households.iter().enumerate() {
        let every = match h.cadence {
            Cadence::Weekly => 7,
            Cadence::Fortnightly => 14,
            _ => 30,
        };
        // A few households the team has fallen behind with: the due list shows them.
        let stop = if i % 9 == 4 { DAYS - 25 } else { DAYS };
        let mut d = 1 + rng.below(every as u64) as i64;
        while d <= stop {
            let day = start.add_days(d);
            let t = at(day, &mut rng);
            visits.push(visit(&mut rng, h, day, t, today, volunteer));
            d += every + rng.below(3) as i64 - 1;
        }
    }
    // The festival round: the last festival of the period, greetings in the ten days before.
    let festival = doorstep_core::festival::upcoming(start, 4)
        .into_iter()
        .rev()
        .find(|(_, day)| *day <= today);
    if let Some((_, fday)) = festival {
        for h in &households {
            if !rng.chance(85) {
                continue;
            }
            let day = fday.add_days(-(rng.below(10) as i64)).max(start);
            let t = at(day, &mut rng);
            let mut v = visit(&mut rng, h, day, t, today, volunteer);
            v.services.holiday_greeting = true;
            v.services.supplies = vec![Supply {
                item: "重阳糕".to_owned(),
                quantity: 1,
                unit: "盒".to_owned(),
            }];
            v.follow_up = None;
            visits.push(v);
        }
    }

    let mut events = Vec::new();
    let plan: [(i64, EventKind, &str, &str, Vec<Partner>); 6] = [
        (
            5,
            EventKind::AntiFraud,
            "反诈宣传进社区",
            "东亭社区广场",
            vec![Partner::PoliceStation, Partner::CommunityCommittee],
        ),
        (
            12,
            EventKind::ConvenienceDay,
            "便民服务日",
            "东亭社区服务中心",
            vec![Partner::Clinic, Partner::CommunityCommittee],
        ),
        (
            26,
            EventKind::HealthLecture,
            "冬季养生健康讲座",
            "春江花园社区活动室",
            vec![Partner::Clinic],
        ),
        (
            33,
            EventKind::Performance,
            "敬老文艺汇演",
            "街道文化站",
            vec![Partner::SubDistrictOffice],
        ),
        (
            41,
            EventKind::ConvenienceDay,
            "便民服务日",
            "春江花园社区服务中心",
            vec![Partner::Clinic, Partner::CommunityCommittee],
        ),
        (
            52,
            EventKind::AntiFraud,
            "防范养老诈骗讲座",
            "春江花园社区活动室",
            vec![Partner::PoliceStation],
        ),
    ];
    for (d, kind, title, place, partners) in plan {
        let day = start.add_days(d);
        let t = at(day, &mut rng);
        let mut tallies = Tallies::default();
        match kind {
            EventKind::AntiFraud => {
                tallies.leaflets = 150 + rng.below(100) as u32;
                tallies.banners = 2;
            }
            EventKind::ConvenienceDay => {
                tallies.haircuts = 10 + rng.below(10) as u32;
                tallies.bp_checks = 30 + rng.below(20) as u32;
                tallies.knives_sharpened = 15 + rng.below(15) as u32;
                tallies.clinic_consultations = 20 + rng.below(15) as u32;
            }
            _ => {}
        }
        events.push(Event {
            id: RecordId::mint(t, rng.bytes()),
            kind,
            title: title.to_owned(),
            day,
            start_time: Some("09:30".to_owned()),
            place: place.to_owned(),
            partners,
            volunteers: VOLUNTEERS[..3 + rng.below(3) as usize]
                .iter()
                .map(|v| (*v).to_owned())
                .collect(),
            attendance: 30 + rng.below(60) as u32,
            tallies,
            notes: String::new(),
            end_time: Some("11:30".to_owned()),
            people: Vec::new(),
            units: Vec::new(),
            hours: Vec::new(),
            created_at: t,
            updated_at: t,
            author: coordinator.to_owned(),
            rev: 0,
        });
    }
    Sample {
        households,
        visits,
        events,
    }
}

fn visit(rng: &mut Rng, h: &Household, day: Day, t: UnixMillis, today: Day, author: &str) -> Visit {
    let mut volunteers = vec![h.assigned_to.clone()];
    if rng.chance(40) {
        let other = rng.pick(&VOLUNTEERS).to_owned();
        if other != volunteers[0] {
            volunteers.push(other);
        }
    }
    let mut services = Services {
        companionship_chat: rng.chance(85),
        cleaning_help: rng.chance(20),
        anti_fraud_talk: rng.chance(15),
        ..Services::default()
    };
    if rng.chance(35) {
        services.blood_pressure = Some(BloodPressure {
            systolic: 118 + rng.below(45) as u16,
            diastolic: 70 + rng.below(25) as u16,
        });
    }
    if rng.chance(20) {
        services.supplies = vec![
            Supply {
                item: "大米".to_owned(),
                quantity: 1,
                unit: "袋".to_owned(),
            },
            Supply {
                item: "食用油".to_owned(),
                quantity: 1,
                unit: "桶".to_owned(),
            },
        ];
    }
    if !services.companionship_chat && services.blood_pressure.is_none() {
        services.companionship_chat = true;
    }
    let words = rng.pick(&WORDS);
    let attention = words.contains("药") || words.contains("灯") || words.contains("暖气");
    let conditions = Some(LivingConditions {
        level: if attention {
            ConditionLevel::NeedsAttention
        } else {
            ConditionLevel::Good
        },
        text: if attention {
            words.trim_end_matches('。').to_owned()
        } else {
            "家里整洁，精神不错".to_owned()
        },
    });
    let follow_up = attention.then(|| {
        let due = day.add_days(7);
        FollowUp {
            what: if words.contains("药") {
                "陪同去社区卫生服务中心配药".to_owned()
            } else if words.contains("灯") {
                "联系物业修楼道灯".to_owned()
            } else {
                "联系社区问暖气".to_owned()
            },
            due,
            // Older ones were seen to; the last weeks' are still open.
            done_on: (due < today.add_days(-7)).then(|| due.add_days(-2)),
        }
    });
    // Visits take half an hour to an hour, between 9:00 and 16:00.
    let hour = 9 + rng.below(7);
    Visit {
        id: RecordId::mint(t, rng.bytes()),
        household_id: h.id,
        day,
        volunteers,
        partners: if rng.chance(20) {
            vec![Partner::CommunityCommittee]
        } else {
            Vec::new()
        },
        services,
        conditions,
        needs: Vec::new(),
        needs_text: String::new(),
        residents_words: (*words).to_owned(),
        follow_up,
        notes: String::new(),
        people: Vec::new(),
        units: Vec::new(),
        start_time: Some(format!("{hour:02}:00")),
        end_time: Some(format!("{hour:02}:{:02}", 30 + rng.below(30))),
        created_at: t,
        updated_at: t,
        author: author.to_owned(),
        rev: 0,
        received_at: UnixMillis(0),
    }
}

/// Pushes the sample as the two phones would: households and visits from the volunteer's,
/// events from the coordinator's. The number of records refused (0 unless the sample breaks
/// a rule, which the tests check).
pub async fn push(
    db: &AnyPool,
    team: &str,
    sample: &Sample,
    volunteer: Writer<'_>,
    coordinator: Writer<'_>,
) -> Result<usize, records::SyncError> {
    let mut seq = 0;
    let households = &sample.households;
    let mut refused = push_all(
        db,
        team,
        volunteer,
        RecordKind::Household,
        households,
        |h| h.id,
        &mut seq,
    )
    .await?;
    refused += push_all(
        db,
        team,
        volunteer,
        RecordKind::Visit,
        &sample.visits,
        |v| v.id,
        &mut seq,
    )
    .await?;
    refused += push_all(
        db,
        team,
        coordinator,
        RecordKind::Event,
        &sample.events,
        |e| e.id,
        &mut 0,
    )
    .await?;
    Ok(refused)
}

/// Pushes `records` as one device would, in batches of 100, numbering from `seq`.
async fn push_all<T: Serialize>(
    db: &AnyPool,
    team: &str,
    w: Writer<'_>,
    kind: RecordKind,
    records: &[T],
    id_of: impl Fn(&T) -> RecordId,
    seq: &mut u64,
) -> Result<usize, records::SyncError> {
    let mut refused = 0;
    for chunk in records.chunks(100) {
        let mut mutations = Vec::with_capacity(chunk.len());
        for r in chunk {
            let json = serde_json::to_string(r).expect("a record serialises");
            *seq += 1;
            mutations.push(PushMutation {
                seq: *seq,
                at: UnixMillis(now_millis()),
                op: Op::Put {
                    kind,
                    id: id_of(r),
                    base: 0,
                    fields: None,
                    record: serde_json::value::RawValue::from_string(json).expect("valid JSON"),
                    resend: false,
                },
            });
        }
        let answer = records::push(
            db,
            team,
            w,
            &PushRequest {
                protocol: PROTOCOL,
                resume: false,
                mutations,
            },
        )
        .await?;
        refused += answer
            .outcomes
            .iter()
            .filter(|o| o.rejected.is_some())
            .count();
    }
    Ok(refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_s_two_months_with_something_on_every_screen() {
        // 2026-12-02 10:00 in China.
        let now = UnixMillis(1_796_176_800_000);
        let s = sample(now, "vol", "coord");
        let today = Day::from_unix_millis(now, 8 * 60);
        assert_eq!(s.households.len(), 30);
        for c in COMMUNITIES {
            assert_eq!(
                s.households
                    .iter()
                    .filter(|h| h.address.community == c)
                    .count(),
                15
            );
        }
        assert!(s.households.iter().any(|h| h.residents[0].lives_alone));
        assert!(s.households.iter().any(|h| h.residents.len() == 2));
        assert!(s.visits.len() > 150, "{} visits", s.visits.len());
        let first = s.visits.iter().map(|v| v.day).min().unwrap();
        assert!(first.days_until(today) >= 50, "visits since {first}");
        assert!(s
            .visits
            .iter()
            .all(|v| v.day <= today && v.created_at <= now));
        let follow_ups: Vec<_> = s
            .visits
            .iter()
            .filter_map(|v| v.follow_up.as_ref())
            .collect();
        assert!(
            follow_ups.iter().any(|f| f.done_on.is_none()),
            "open follow-ups"
        );
        assert!(
            follow_ups.iter().any(|f| f.done_on.is_some()),
            "done follow-ups"
        );
        // The Double Ninth round of 2026-10-18.
        let greetings = s
            .visits
            .iter()
            .filter(|v| v.services.holiday_greeting)
            .count();
        assert!(greetings >= 20, "{greetings} greetings");
        assert_eq!(s.events.len(), 6);
        assert!(s.events.iter().all(|e| !e.partners.is_empty()));
        // Every record passes the rules a phone's record must pass.
        for h in &s.households {
            h.validate(today).unwrap();
        }
        for v in &s.visits {
            v.validate(today, None).unwrap();
        }
        for e in &s.events {
            e.validate().unwrap();
        }
    }
}
