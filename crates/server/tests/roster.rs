//! The roster and partner units on the server (SQLite, or PostgreSQL with
//! DOORSTEP_TEST_DATABASE): every account is a roster person, a visit from an older phone
//! that names volunteers and partners the old way gets its people and units (once, the same
//! ids the phones derive), volunteers add people only for a coordinator to check, and units
//! are the coordinators'.

mod common;

use common::{spawn_app, TestApp};
use doorstep_core::account::Role;
use doorstep_core::labels::Partner;
use doorstep_core::roster::{legacy_person_id, Person, PersonDraft};
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::units::{legacy_unit_id, Unit, UnitDraft, UnitKind};
use doorstep_core::{RecordId, UnixMillis};
use serde_json::{json, Value};

const PW: &str = "correct horse 1";

fn put(seq: u64, record: &impl serde::Serialize, kind: &str) -> Value {
    let record = serde_json::to_value(record).unwrap();
    json!({ "seq": seq, "at": 1_795_714_200_000u64 + seq,
            "op": { "put": { "kind": kind, "id": record["id"], "base": 0, "record": record } } })
}

async fn pulled(app: &TestApp, token: &str, kind: &str) -> Vec<Value> {
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0&limit=1000", token)
        .await;
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == kind)
        .map(|r| r["record"].clone())
        .collect()
}

fn stamp(user: &str) -> doorstep_core::household::Stamp {
    doorstep_core::household::Stamp {
        now: UnixMillis(1_795_714_200_000),
        today: doorstep_core::Day::parse("2026-11-26").unwrap(),
        user: user.into(),
    }
}

#[tokio::test]
async fn accounts_are_people_and_old_names_become_people_once() {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    let vol = app.login("vol-a", PW).await;
    let coord = app.login("coord-a", PW).await;
    let me = app.login_answer("vol-a", PW).await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Each account has its person, named as the account.
    let people = pulled(&app, &vol, "person").await;
    assert_eq!(people.len(), 2, "{people:?}");
    let mine: Person = serde_json::from_value(
        people
            .iter()
            .find(|p| p["account"] == me.as_str())
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(mine.id, legacy_person_id("vol-a"));

    // An older phone's visit names volunteers as text, one of them the account's own name,
    // and a partner category.
    let h = household(1);
    let mut v = full_visit(1, &h, "");
    v.author = String::new();
    v.volunteers = vec!["vol-a".into(), "张三".into(), " 张三 ".into()];
    v.partners = vec![Partner::PoliceStation];
    let res = app
        .push(&vol, vec![put(1, &h, "household"), put(2, &v, "visit")])
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let people = pulled(&app, &coord, "person").await;
    let names: Vec<&str> = people.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        people.len(),
        3,
        "张三 once, vol-a is the account's person: {names:?}"
    );
    let zhang: Person =
        serde_json::from_value(people.iter().find(|p| p["name"] == "张三").unwrap().clone())
            .unwrap();
    assert_eq!(
        zhang.id,
        legacy_person_id("张三"),
        "the id every phone derives"
    );
    assert!(zhang.to_check);
    // A new team's first units, one per old category with the id phones derive; the
    // visit's 派出所 is one of them, not a sixth.
    let units = pulled(&app, &coord, "unit").await;
    assert_eq!(units.len(), Partner::ALL.len());
    for p in Partner::ALL {
        assert!(units
            .iter()
            .any(|u| u["id"] == legacy_unit_id(*p).to_string()));
    }
    let police: Unit = serde_json::from_value(
        units
            .iter()
            .find(|u| u["id"] == legacy_unit_id(Partner::PoliceStation).to_string())
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(police.id, legacy_unit_id(Partner::PoliceStation));
    assert_eq!(
        (police.kind, police.name.as_str()),
        (UnitKind::PoliceStation, "派出所")
    );

    // The same names again make nothing new.
    let mut v2 = full_visit(2, &h, "");
    v2.author = String::new();
    v2.volunteers = vec!["张三".into()];
    v2.partners = vec![Partner::PoliceStation];
    let res = app.push(&vol, vec![put(3, &v2, "visit")]).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(pulled(&app, &coord, "person").await.len(), 3);
    assert_eq!(pulled(&app, &coord, "unit").await.len(), Partner::ALL.len());

    // A coordinator renames the unit; a restart's fill leaves it and the people alone.
    let mut renamed = police.clone();
    renamed.name = "东亭派出所".into();
    let base: i64 = sqlx::query_scalar("SELECT rev FROM records WHERE id = $1")
        .bind(police.id.to_string())
        .fetch_one(&app.pool().await)
        .await
        .unwrap();
    let rename = json!({ "seq": 1, "at": 1_795_714_300_000u64, "op": { "put": {
        "kind": "unit", "id": police.id, "base": base, "fields": ["name"], "record": renamed } } });
    assert_eq!(app.push(&coord, vec![rename]).await.status().as_u16(), 200);
    let made = doorstep_server::roster::fill_all(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(made, 0);
    let units = pulled(&app, &coord, "unit").await;
    let police = units
        .iter()
        .find(|u| u["id"] == police.id.to_string())
        .unwrap();
    assert_eq!(police["name"], "东亭派出所");
    assert_eq!(units.len(), Partner::ALL.len());
}

#[tokio::test]
async fn volunteers_add_people_to_check_and_only_coordinators_manage_units() {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    app.add_user("B队", "coord-b", Role::Coordinator, PW).await;
    let vol = app.login("vol-a", PW).await;
    let coord = app.login("coord-a", PW).await;
    let other = app.login("coord-b", PW).await;
    let me = app.login_answer("vol-a", PW).await["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let id = |n: u8| RecordId::mint(UnixMillis(1_795_714_200_000), [n; 10]);
    let on_the_spot = PersonDraft::on_the_spot("社区王主任")
        .create(id(1), &stamp(&me))
        .unwrap();
    let mut checked = PersonDraft {
        name: "李四".into(),
        party_member: true,
        ..Default::default()
    }
    .create(id(2), &stamp(&me))
    .unwrap();
    let unit = UnitDraft {
        name: "鹅湖街道".into(),
        kind: UnitKind::SubDistrict,
        parent: None,
        archived: false,
    }
    .create(id(3), &stamp(&me))
    .unwrap();
    let res: Value = app
        .push(
            &vol,
            vec![
                put(1, &on_the_spot, "person"),
                put(2, &checked, "person"),
                put(3, &unit, "unit"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<Value> = res["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rejected"]["code"].clone())
        .collect();
    assert_eq!(codes, [Value::Null, json!("forbidden"), json!("forbidden")]);

    // The coordinator may do both; another team sees none of it.
    checked.author = String::new();
    let mut unit = unit;
    unit.author = String::new();
    let res: Value = app
        .push(
            &coord,
            vec![put(1, &checked, "person"), put(2, &unit, "unit")],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        res["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o.get("rejected").is_none()),
        "{res}"
    );
    let names: Vec<String> = pulled(&app, &vol, "person")
        .await
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"社区王主任".to_owned()) && names.contains(&"李四".to_owned()));
    // The team's five first units and the coordinator's.
    assert_eq!(
        pulled(&app, &vol, "unit").await.len(),
        Partner::ALL.len() + 1
    );
    let theirs = pulled(&app, &other, "person").await;
    assert_eq!(theirs.len(), 1, "B队 sees only its own account: {theirs:?}");
    let their_units = pulled(&app, &other, "unit").await;
    assert_eq!(
        their_units.len(),
        Partner::ALL.len(),
        "only B队's own first units"
    );
    assert!(their_units.iter().all(|u| u["id"] != unit.id.to_string()));
}

/// Two volunteers' visits with times and an event where one left early: the hours report
/// shows exactly those hours (JSON), one row per person per activity (CSV, XLSX), is the
/// coordinators' and is audited.
#[tokio::test]
async fn hours_per_person_for_a_period_in_json_csv_and_xlsx() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use doorstep_core::event::{EventDraft, PersonMinutes};
    use doorstep_core::labels::EventKind;
    let app = spawn_app().await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    let coord = app.login("coord-a", PW).await;
    let vol = app.login("vol-a", PW).await;
    let zhang = RecordId::mint(UnixMillis(1_795_714_200_000), [1; 10]);
    let li = RecordId::mint(UnixMillis(1_795_714_200_000), [2; 10]);
    let person = |id, name: &str, phone: &str| {
        let mut p = PersonDraft {
            name: name.into(),
            phone: phone.into(),
            party_member: name == "张三",
            ..Default::default()
        }
        .create(id, &stamp(""))
        .unwrap();
        p.author = String::new();
        p
    };
    let h = household(1);
    let visit = |n: u32, who: Vec<RecordId>, start: &str, end: &str, day: &str| {
        let mut v = full_visit(n, &h, "");
        v.author = String::new();
        v.volunteers = vec![];
        v.people = who;
        v.start_time = Some(start.into());
        v.end_time = Some(end.into());
        v.day = doorstep_core::Day::parse(day).unwrap();
        v
    };
    let v1 = visit(1, vec![zhang, li], "09:00", "09:45", "2026-11-05");
    let v2 = visit(2, vec![li], "10:00", "10:30", "2026-11-06");
    let outside = visit(3, vec![zhang], "10:00", "12:00", "2026-10-30");
    let mut e = EventDraft {
        kind: EventKind::ConvenienceDay,
        title: "便民服务日".into(),
        start_time: "14:00".into(),
        end_time: "17:00".into(),
        people: vec![zhang, li],
        hours: vec![PersonMinutes {
            person: li,
            minutes: 90,
        }],
        ..EventDraft::blank(doorstep_core::Day::parse("2026-11-14").unwrap())
    }
    .create(
        RecordId::mint(UnixMillis(1_795_714_200_000), [3; 10]),
        &stamp(""),
    )
    .unwrap();
    e.author = String::new();
    let res: Value = app
        .push(
            &coord,
            vec![
                put(1, &person(zhang, "张三", "13800000001"), "person"),
                put(2, &person(li, "李四", ""), "person"),
                put(3, &h, "household"),
                put(4, &v1, "visit"),
                put(5, &v2, "visit"),
                put(6, &outside, "visit"),
                put(7, &e, "event"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        res["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o.get("rejected").is_none()),
        "{res}"
    );

    let q = "/api/v1/reports/hours?from=2026-11-01&to=2026-11-30";
    let report = app.get_json(q, &coord).await;
    let people = report["people"].as_array().unwrap();
    let got: Vec<(String, String, u64, bool)> = people
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["hours"].as_str().unwrap().to_owned(),
                p["minutes"].as_u64().unwrap(),
                p["party_member"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("张三".to_owned(), "3.8".to_owned(), 45 + 180, true),
            ("李四".to_owned(), "2.8".to_owned(), 45 + 30 + 90, false)
        ]
    );
    assert_eq!(people[1]["visits"], 2);
    // Volunteers' phone numbers reach coordinators' phones only.
    let phones = |rs: Vec<Value>| rs.iter().filter(|p| p.get("phone").is_some()).count();
    assert_eq!(phones(pulled(&app, &coord, "person").await), 1);
    assert_eq!(phones(pulled(&app, &vol, "person").await), 0);
    assert_eq!(people[1]["events"], 1);
    // The volunteer may not read it; bad input is a JSON 400.
    assert_eq!(app.get_with(q, &vol).await.status().as_u16(), 403);
    let bad = app
        .get_with("/api/v1/reports/hours?from=2026-11-31", &coord)
        .await;
    assert_eq!(common::error_code(bad, 400).await, "bad_request");

    let csv = app
        .get_with(&format!("{q}&format=csv"), &coord)
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "姓名,手机号,日期,开始时间,结束时间,服务时长（小时）,活动名称,党员"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5, "one row per person per activity: {rows:?}");
    assert!(
        rows.contains(&"张三,13800000001,2026-11-05,09:00,09:45,0.8,入户走访,是"),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"李四,,2026-11-14,14:00,17:00,1.5,便民服务日,"),
        "{rows:?}"
    );

    let res = app
        .get_with(&format!("{q}&format=xlsx&lang=en"), &coord)
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Sheet1").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("Name".into())));
    assert_eq!(sheet.rows().count(), 6);

    // The printable 志愿服务记录: everyone, or one person.
    let page = app
        .get_with(&format!("{q}&format=html"), &coord)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>志愿服务记录</h1>"), "{page}");
    assert!(page.contains("<h2>张三（党员）</h2>") && page.contains("<h2>李四</h2>"));
    assert!(page.contains(
        "<td>2026-11-14</td><td>14:00</td><td>17:00</td><td>1.5</td><td>便民服务日</td>"
    ));
    assert!(!page.contains("2026-10-30") && !page.contains("<script"));
    let one = app
        .get_with(&format!("{q}&format=html&person={li}"), &coord)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        one.contains("<h2>李四</h2>") && !one.contains("张三"),
        "{one}"
    );
    let bad = app
        .get_with(&format!("{q}&format=html&person=x"), &coord)
        .await;
    assert_eq!(bad.status().as_u16(), 400);

    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'hours_report'")
            .fetch_one(&app.pool().await)
            .await
            .unwrap();
    assert_eq!(audited, 5, "every report answered is audited");
}
