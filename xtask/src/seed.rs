//! Bench data: a team's phone after a long time offline (1,000 households, 10,000 visits),
//! made by the same core code the app saves with, written as the localStorage entries the app
//! would have (`target/bench/seed.json`, an object of key → value).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use doorstep_core::household::{Address, BasisKind, Household, HouseholdDraft, Resident, Stamp};
use doorstep_core::labels::{AgeBand, ConditionLevel, NeedCategory, Partner};
use doorstep_core::services::{ServicesDraft, SupplyDraft};
use doorstep_core::store::{KvStore, LocalDb, MemoryStore};
use doorstep_core::visit::VisitDraft;
use doorstep_core::{Day, RecordId, UnixMillis};

use crate::{root, Result};

pub const HOUSEHOLDS: usize = 1_000;
pub const VISITS: usize = 10_000;
/// Household 0 has this many visits ("open a household with 50 visits").
pub const BUSY_HOUSEHOLD_VISITS: usize = 50;

/// A small deterministic generator: the same data on every run, no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn bytes(&mut self) -> [u8; 10] {
        let mut b = [0; 10];
        for x in &mut b {
            *x = self.next() as u8;
        }
        b
    }
}

const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
const CALLS: [&str; 4] = ["奶奶", "爷爷", "阿姨", "伯伯"];
const VOLUNTEERS: [&str; 6] = ["张三", "李四", "王五", "赵敏", "周晓", "吴芳"];
const WORDS: [&str; 4] = [
    "你们来了我就高兴",
    "腿脚不太方便，下楼难",
    "谢谢党和政府的关心",
    "最近睡得不太好",
];

/// Sizes from SEED_HOUSEHOLDS / SEED_VISITS, the file name from SEED_OUT (default: the
/// standard data set in target/bench/seed.json).
fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn write() -> Result {
    let households_n = env_or("SEED_HOUSEHOLDS", HOUSEHOLDS).max(2);
    let visits_n = env_or("SEED_VISITS", VISITS);
    let out = std::env::var("SEED_OUT").unwrap_or_else(|_| "seed".into());
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let now = UnixMillis(now_ms);
    let today = Day::from_unix_millis(now, 480);
    let stamp = Stamp {
        now,
        today,
        // SEED_USER="" files the records under whoever pushes them (tools/bench-sync.mjs:
        // a server refuses visits naming another author).
        user: std::env::var("SEED_USER").unwrap_or_else(|_| "this-phone".into()),
    };
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let mut rng = Lcg(2026);
    let mut households: Vec<Household> = Vec::with_capacity(households_n);
    for i in 0..households_n {
        let h = household(i, &mut rng, today)
            .create(RecordId::mint(now, rng.bytes()), &stamp)
            .map_err(|e| format!("seed household {i}: {e:?}"))?;
        db.save_household(&h, now).map_err(|e| e.to_string())?;
        households.push(h);
    }
    for i in 0..visits_n {
        let h = if i < BUSY_HOUSEHOLD_VISITS {
            &households[0]
        } else {
            &households[1 + rng.below(households_n as u64 - 1) as usize]
        };
        let day = today.add_days(-(rng.below(730) as i64));
        let v = visit(h, day, &mut rng)
            .create(RecordId::mint(now, rng.bytes()), Some(h), &stamp)
            .map_err(|e| format!("seed visit {i}: {e:?}"))?;
        db.save_visit(&v, now).map_err(|e| e.to_string())?;
    }
    let mut entries = BTreeMap::new();
    for k in store.keys("").map_err(|e| e.to_string())? {
        let v = store
            .get(&k)
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        entries.insert(k, v);
    }
    // Signed in (offline, so the token is never checked).
    entries.insert(
        "doorstep/session".to_owned(),
        r#"{"token":"bench","user":{"id":"bench-user","username":"bench","display_name":"测试","role":"volunteer","team":{"id":"bench-team","name":"测试队"}}}"#.to_owned(),
    );
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&entries).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(format!("{out}.json")), json).map_err(|e| e.to_string())?;
    let meta = format!(r#"{{"busy_household":"{}"}}"#, households[0].id);
    std::fs::write(dir.join(format!("{out}-meta.json")), meta).map_err(|e| e.to_string())?;
    println!(
        "seed: {households_n} households, {visits_n} visits ({BUSY_HOUSEHOLD_VISITS} in household 0), \
         {} entries → target/bench/{out}.json",
        entries.len()
    );
    Ok(())
}

fn household(i: usize, rng: &mut Lcg, today: Day) -> HouseholdDraft {
    let with_basis = rng.chance(80);
    let name = format!(
        "{}{}",
        SURNAMES[rng.below(8) as usize],
        CALLS[rng.below(4) as usize]
    );
    HouseholdDraft {
        address: Address {
            community: format!("幸福{}社区", ["东", "西", "南", "北"][i % 4]),
            building: format!("{}幢", 1 + i / 40),
            unit: format!("{}单元", 1 + rng.below(4)),
            room: format!("{}0{}室", 1 + rng.below(7), 1 + rng.below(4)),
            detail: String::new(),
        },
        residents: vec![Resident {
            name,
            age_band: Some([AgeBand::From70To79, AgeBand::From80To89, AgeBand::From90][i % 3]),
            lives_alone: with_basis && rng.chance(60),
            limited_mobility: with_basis && rng.chance(30),
            phone: if rng.chance(50) {
                format!("1380000{:04}", i)
            } else {
                String::new()
            },
        }],
        needs: if rng.chance(30) {
            vec![NeedCategory::Loneliness]
        } else {
            Vec::new()
        },
        basis_kind: with_basis.then_some(BasisKind::WrittenConsent),
        basis_recorded_on: if with_basis {
            today.add_days(-400).to_string()
        } else {
            String::new()
        },
        basis_recorded_by: if with_basis {
            "李四".into()
        } else {
            String::new()
        },
        ..HouseholdDraft::default()
    }
}

fn visit(h: &Household, day: Day, rng: &mut Lcg) -> VisitDraft {
    let a = rng.below(6) as usize;
    let b = (a + 1 + rng.below(5) as usize) % 6;
    let mut services = ServicesDraft {
        companionship_chat: rng.chance(90),
        cleaning_help: rng.chance(15),
        holiday_greeting: rng.chance(20),
        ..ServicesDraft::default()
    };
    if rng.chance(30) {
        services.supplies_on = true;
        services.supplies = vec![SupplyDraft {
            item: ["大米", "食用油", "牛奶"][rng.below(3) as usize].into(),
            quantity: (1 + rng.below(3)).to_string(),
            unit: ["袋", "桶", "箱"][rng.below(3) as usize].into(),
        }];
    }
    if h.basis.is_some() && rng.chance(40) {
        services.bp_on = true;
        services.systolic = (110 + rng.below(50)).to_string();
        services.diastolic = (65 + rng.below(25)).to_string();
    }
    let concern = rng.chance(10);
    VisitDraft {
        household_id: Some(h.id),
        day: day.to_string(),
        volunteers: vec![VOLUNTEERS[a].into(), VOLUNTEERS[b].into()],
        partners: if rng.chance(50) {
            vec![Partner::CommunityCommittee]
        } else {
            Vec::new()
        },
        services,
        condition_level: concern.then_some(ConditionLevel::NeedsAttention),
        condition_text: if concern {
            "厨房灯坏了".into()
        } else {
            String::new()
        },
        residents_words: if rng.chance(50) {
            WORDS[rng.below(4) as usize].into()
        } else {
            String::new()
        },
        // Half an hour or more, between 9:00 and 16:00 (from the picks above: the same data
        // set as before, times added).
        start_time: format!("{:02}:00", 9 + a % 7),
        end_time: format!("{:02}:{:02}", 9 + a % 7, 30 + (b % 6) * 5),
        ..VisitDraft::default()
    }
}
