//! The monthly report over real HTTP: its totals equal sums over the rows pushed, it names no
//! one, and only coordinators get it.

mod common;

use common::{error_code, spawn_app};
use doorstep_core::services::Supply;
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::visit::Visit;
use doorstep_core::Day;
use serde_json::Value;

const PW: &str = "correct horse 1";

/// A small generator (no dependency): the same data set every run.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.0 >> 33) % n
    }
}

#[tokio::test]
async fn monthly_totals_equal_the_sums_of_the_rows_and_name_no_one() {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;

    let mut rng = Lcg(2026);
    let households: Vec<_> = (1..=6u32)
        .map(|n| {
            let mut h = household(n);
            h.address.room = format!("{n}0{n}室");
            h.residents[0].phone = format!("1380000000{n}");
            h.residents[0].lives_alone = n % 2 == 0;
            h.basis = Some(doorstep_core::store::conformance::duty_of_care());
            h
        })
        .collect();
    let start = Day::parse("2026-10-15").unwrap();
    let visits: Vec<Visit> = (1..=120u32)
        .map(|n| {
            let h = &households[rng.below(6) as usize];
            let mut v = full_visit(n, h, "");
            v.author = String::new();
            v.day = start.add_days(rng.below(45) as i64);
            v.services.haircut = rng.below(3) == 0;
            if rng.below(3) == 0 {
                v.partners = vec![doorstep_core::labels::Partner::PoliceStation];
            }
            if rng.below(5) == 0 {
                v.conditions = Some(doorstep_core::visit::LivingConditions {
                    level: doorstep_core::labels::ConditionLevel::NeedsAttention,
                    text: "暖气不热".into(),
                });
            }
            if rng.below(4) == 0 {
                v.services.supplies = vec![Supply {
                    item: "大米".into(),
                    quantity: 1 + rng.below(3) as u32,
                    unit: "袋".into(),
                }];
            }
            v
        })
        .collect();
    let records: Vec<(&str, Value)> = households
        .iter()
        .map(|h| ("household", serde_json::to_value(h).unwrap()))
        .chain(
            visits
                .iter()
                .map(|v| ("visit", serde_json::to_value(v).unwrap())),
        )
        .collect();
    app.push_records(&vol, &records).await;

    let report = app
        .get_json("/api/v1/reports/monthly?month=2026-11", &coord)
        .await;
    let t = &report["totals"];
    let in_month: Vec<&Visit> = visits
        .iter()
        .filter(|v| v.day.to_string().starts_with("2026-11"))
        .collect();
    assert_eq!(t["visits"], in_month.len());
    assert_eq!(
        t["services"]["haircuts"],
        in_month.iter().filter(|v| v.services.haircut).count()
    );
    let rice: u64 = in_month
        .iter()
        .flat_map(|v| &v.services.supplies)
        .map(|s| u64::from(s.quantity))
        .sum();
    assert_eq!(t["supplies"][0]["quantity"], rice);
    let visited: std::collections::BTreeSet<_> = in_month.iter().map(|v| v.household_id).collect();
    assert_eq!(t["households_visited"], visited.len());
    let alone = households
        .iter()
        .filter(|h| visited.contains(&h.id) && h.residents[0].lives_alone)
        .count();
    assert_eq!(t["visited_living_alone"], alone);
    assert_eq!(
        t["visits_needing_attention"],
        in_month.iter().filter(|v| v.needs_attention()).count()
    );
    let weeks: u64 = t["visits_per_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w[1].as_u64().unwrap())
        .sum();
    assert_eq!(weeks, in_month.len() as u64);
    // Each partner unit's share: the police station's visits, by its unit (a new team's
    // first 派出所); the communities' visits add up to the month's.
    let police = in_month.iter().filter(|v| !v.partners.is_empty()).count();
    assert_eq!(report["by_unit"][0]["name"], "派出所");
    assert_eq!(report["by_unit"][0]["visits"], police);
    assert_eq!(report["by_unit"].as_array().unwrap().len(), 1);
    let by_community: u64 = report["by_community"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["visits"].as_u64().unwrap())
        .sum();
    assert_eq!(by_community, in_month.len() as u64);
    // De-identified: codes, community and building only.
    let text = report.to_string();
    for h in &households {
        assert!(!text.contains(&h.address.room), "room in the report");
        assert!(!text.contains(&h.residents[0].phone), "phone in the report");
    }
    assert!(!text.contains("王奶奶"), "a name in the report");

    // The printable page: the same numbers, escaped text, no script.
    let res = app
        .get_with("/api/v1/reports/monthly?month=2026-11&format=html", &coord)
        .await;
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = res.text().await.unwrap();
    assert!(page.contains("2026-11 走访服务月报"));
    assert!(page.contains(&format!(
        "<th scope=\"row\">走访次数</th><td>{}</td>",
        in_month.len()
    )));
    assert!(!page.contains("<script") && !page.contains("王奶奶"));
    assert!(page.contains(&format!("<th scope=\"row\">派出所</th><td>{police}</td>")));
    let en = app
        .get_with(
            "/api/v1/reports/monthly?month=2026-11&format=html&lang=en",
            &coord,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("Monthly report 2026-11") && en.contains("lang=\"en\""));

    // Volunteers may not; a bad month is a clear 400.
    let res = app
        .get_with("/api/v1/reports/monthly?month=2026-11", &vol)
        .await;
    assert_eq!(res.status().as_u16(), 403);
    let res = app
        .get_with("/api/v1/reports/monthly?month=2026-13", &coord)
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
}
