//! Sync over real HTTP on port 0 with a real SQLite file: each mutation applied at most once,
//! gaps refused, conflicts kept, tombstones kept, bad mutations reported without blocking,
//! cursors, protocol versions, and teams kept apart.

mod common;

use common::{error_code, spawn_app, TestApp};
use doorstep_core::account::Role;
use doorstep_core::household::Household;
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::visit::Visit;
use serde_json::{json, Value};

const PW: &str = "correct horse 1";

/// A visit with no author named: the server files it under the sender (as for one saved
/// before sign-in existed); `by_other_author` covers naming someone else.
fn visit(
    n: u32,
    h: &doorstep_core::household::Household,
    notes: &str,
) -> doorstep_core::visit::Visit {
    let mut v = full_visit(n, h, notes);
    v.author = String::new();
    v
}

async fn team() -> (TestApp, String, String, String) {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "vol-a2", Role::Volunteer, PW).await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    let vol = app.login("vol-a", PW).await;
    let vol2 = app.login("vol-a2", PW).await;
    let coord = app.login("coord-a", PW).await;
    (app, vol, vol2, coord)
}

fn put(
    seq: u64,
    record: &impl serde::Serialize,
    kind: &str,
    base: u64,
    fields: Option<&[&str]>,
) -> Value {
    let record = serde_json::to_value(record).unwrap();
    let mut op = json!({ "kind": kind, "id": record["id"], "base": base, "record": record });
    if let Some(f) = fields {
        op["fields"] = json!(f);
    }
    json!({ "seq": seq, "at": 1_795_714_200_000u64 + seq, "op": { "put": op } })
}

fn delete(seq: u64, kind: &str, id: &str, base: u64) -> Value {
    json!({ "seq": seq, "at": 1_795_714_200_000u64 + seq, "op": { "delete": { "kind": kind, "id": id, "base": base } } })
}

async fn push(app: &TestApp, token: &str, mutations: Vec<Value>) -> reqwest::Response {
    app.push(token, mutations).await
}

async fn push_ok(app: &TestApp, token: &str, mutations: Vec<Value>) -> Value {
    let res = push(app, token, mutations).await;
    assert_eq!(res.status().as_u16(), 200);
    res.json().await.unwrap()
}

/// A pull page without the team's roster people and units (the server makes one per account
/// and per old volunteer name; tests/roster.rs covers them).
async fn pull(app: &TestApp, token: &str, cursor: u64) -> Value {
    let res = app
        .get_with(
            &format!("/api/v1/sync/pull?protocol=1&cursor={cursor}"),
            token,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let mut page: Value = res.json().await.unwrap();
    if let Some(records) = page["records"].as_array_mut() {
        records.retain(|r| r["kind"] != "person" && r["kind"] != "unit");
    }
    page
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_push_twice_makes_one_row() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    let v = visit(1, &h, "聊天");
    let batch = vec![
        put(1, &h, "household", 0, None),
        put(2, &v, "visit", 0, None),
    ];
    let first = push_ok(&app, &vol, batch.clone()).await;
    let again = push_ok(&app, &vol, batch).await;
    assert_eq!(first["outcomes"], again["outcomes"]);
    assert_eq!(first["outcomes"], json!([{ "seq": 1 }, { "seq": 2 }]));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind IN ('household', 'visit', 'event')"
        )
        .await,
        2
    );
    let page = pull(&app, &vol, 0).await;
    let visit = page["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "visit")
        .unwrap();
    let got: Visit = serde_json::from_value(visit["record"].clone()).unwrap();
    assert_eq!(got.notes, "聊天");
    assert!(
        got.received_at.0 > 0,
        "the phone learns when the server received it"
    );
    assert!(
        visit.get("conflicts").is_none(),
        "a duplicate is not a conflict"
    );
}

#[tokio::test]
async fn two_identical_pushes_at_once_make_one_row() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    let batch: Vec<Value> = (0..20)
        .map(|i| put(i + 1, &visit(i as u32 + 1, &h, "同时"), "visit", 0, None))
        .collect();
    let (a, b) = tokio::join!(push(&app, &vol, batch.clone()), push(&app, &vol, batch));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind IN ('household', 'visit', 'event')"
        )
        .await,
        20
    );
    assert_eq!(count(&app, "SELECT MAX(last_seq) FROM devices").await, 20);
}

#[tokio::test]
async fn a_gap_is_refused_with_409_and_nothing_changes() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    push_ok(&app, &vol, vec![put(1, &h, "household", 0, None)]).await;
    let res = push(
        &app,
        &vol,
        vec![put(3, &household(2), "household", 0, None)],
    )
    .await;
    assert_eq!(error_code(res, 409).await, "seq_gap");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind IN ('household', 'visit', 'event')"
        )
        .await,
        1
    );
    assert_eq!(count(&app, "SELECT MAX(last_seq) FROM devices").await, 1);
}

#[tokio::test]
async fn the_same_id_with_other_content_is_kept_as_a_conflict() {
    let (app, vol, vol2, coord) = team().await;
    let h = household(1);
    push_ok(&app, &vol, vec![put(1, &h, "household", 0, None)]).await;
    // Both phones had revision 1 and changed the notes without seeing each other.
    let rev = pull(&app, &vol, 0).await["records"][0]["rev"]
        .as_u64()
        .unwrap();
    let mut a = h.clone();
    a.notes = "耳背".into();
    let mut b = h.clone();
    b.notes = "腿脚不便".into();
    push_ok(
        &app,
        &vol,
        vec![put(2, &a, "household", rev, Some(&["notes"]))],
    )
    .await;
    push_ok(
        &app,
        &vol2,
        vec![put(1, &b, "household", rev, Some(&["notes"]))],
    )
    .await;
    let listed: Value = app.get_json("/api/v1/households", &coord).await;
    let mut values: Vec<&str> = listed["items"][0]["conflicts"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    values.sort();
    assert_eq!(values, ["耳背", "腿脚不便"]);
    let page = pull(&app, &vol, 0).await;
    assert!(page["records"][0]["conflicts"]["notes"].is_array());
}

#[tokio::test]
async fn a_deleted_record_is_not_brought_back_by_a_late_copy() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    push_ok(&app, &vol, vec![put(1, &h, "household", 0, None)]).await;
    let id = h.id.to_string();
    push_ok(&app, &vol, vec![delete(2, "household", &id, 1)]).await;
    // A create sent again (e.g. from a phone restored from a backup) does not resurrect it.
    push_ok(&app, &vol, vec![put(3, &h, "household", 0, None)]).await;
    let page = pull(&app, &vol, 0).await;
    assert_eq!(page["records"][0]["deleted"], true);
    assert_eq!(
        count(&app, "SELECT deleted FROM records WHERE kind = 'household'").await,
        1
    );
}

/// Deleted means erased: past the undo window the sweep leaves only what sync needs, in the
/// database and in what phones pull; a late change is refused and the team keeps working.
#[tokio::test]
async fn a_deletion_past_the_undo_window_is_erased_from_the_database_and_from_pulls() {
    use doorstep_core::sync::erase::UNDO_WINDOW_MILLIS;
    const NAME: &str = "王秀英奶奶";
    const WORDS: &str = "膝盖疼想要拐杖";
    let (app, vol, _, coord) = team().await;
    let mut h = household(1);
    h.residents[0].name = NAME.into();
    h.notes = WORDS.into();
    let mut v = visit(1, &h, WORDS);
    v.residents_words = WORDS.into();
    let (hid, vid) = (h.id.to_string(), v.id.to_string());
    push_ok(
        &app,
        &vol,
        vec![
            put(1, &h, "household", 0, None),
            put(2, &v, "visit", 0, None),
        ],
    )
    .await;
    let kept = put(3, &household(2), "household", 0, None);
    push_ok(&app, &vol, vec![kept]).await;
    let page = pull(&app, &vol, 0).await;
    let rev = |id: &str| {
        page["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["rev"]
            .as_u64()
            .unwrap()
    };
    push_ok(
        &app,
        &vol,
        vec![
            delete(4, "visit", &vid, rev(&vid)),
            delete(5, "household", &hid, rev(&hid)),
        ],
    )
    .await;
    let cursor = pull(&app, &vol, 0).await["cursor"].as_u64().unwrap();
    let pool = app.pool().await;
    let stored = || async {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM records")
            .fetch_all(&pool)
            .await
            .unwrap();
        docs.join("\n")
    };
    let deleted_at = 1_795_714_200_000 + 5;
    // Within the window: undoable, nothing erased.
    let within = doorstep_core::UnixMillis(deleted_at + UNDO_WINDOW_MILLIS - 1_000);
    assert_eq!(
        doorstep_server::erasure::erase_deleted(&pool, within)
            .await
            .unwrap(),
        0
    );
    assert!(stored().await.contains(NAME));

    let after = doorstep_core::UnixMillis(deleted_at + UNDO_WINDOW_MILLIS);
    assert_eq!(
        doorstep_server::erasure::erase_deleted(&pool, after)
            .await
            .unwrap(),
        2
    );
    let all = stored().await;
    for personal in [NAME, WORDS] {
        assert!(!all.contains(personal), "{personal} is still stored: {all}");
    }
    // Phones pull the erased copies (new revisions), deleted, with nothing in them.
    let page = pull(&app, &vol, cursor).await;
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 2, "{page}");
    for r in records {
        assert_eq!(r["deleted"], true);
        let text = r.to_string();
        assert!(!text.contains(NAME) && !text.contains(WORDS), "{text}");
    }
    assert_eq!(
        doorstep_server::erasure::erase_deleted(&pool, after)
            .await
            .unwrap(),
        0
    );
    // A late edit is refused with the reason; the team's every answer still works.
    let mut late = h.clone();
    late.notes = "新的备注".into();
    let answer = push_ok(&app, &vol, vec![put(6, &late, "household", 0, None)]).await;
    let reason = answer["outcomes"][0]["rejected"]["message"]
        .as_str()
        .unwrap();
    assert!(reason.contains("erased"), "{reason}");
    for path in [
        "/api/v1/households",
        "/api/v1/visits",
        "/api/v1/export/visits.xlsx?from=2026-11-01&to=2026-11-30",
        "/api/v1/reports/monthly?month=2026-11",
    ] {
        let res = app.get_with(path, &coord).await;
        assert_eq!(res.status().as_u16(), 200, "{path}");
    }
    let list = app.get_json("/api/v1/households", &coord).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "only the kept one"
    );
}

#[tokio::test]
async fn a_bad_mutation_is_reported_advances_the_counter_and_blocks_nothing() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    let mut bad = serde_json::to_value(visit(1, &h, "x")).unwrap();
    bad["day"] = json!("not a day");
    let good = visit(2, &h, "好的");
    let answer = push_ok(
        &app,
        &vol,
        vec![
            json!({ "seq": 1, "at": 1, "op": { "put": { "kind": "visit", "id": bad["id"], "base": 0, "record": bad } } }),
            put(2, &good, "visit", 0, None),
        ],
    )
    .await;
    assert_eq!(answer["outcomes"][0]["rejected"]["code"], "invalid");
    assert!(answer["outcomes"][1].get("rejected").is_none());
    assert_eq!(count(&app, "SELECT MAX(last_seq) FROM devices").await, 2);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind IN ('household', 'visit', 'event')"
        )
        .await,
        1
    );
    // Sent again (its answer was lost): the same rejection, not a silent "done".
    let again = push_ok(&app, &vol, vec![json!({ "seq": 1, "at": 1, "op": "noop" })]).await;
    assert_eq!(again["outcomes"][0]["rejected"]["code"], "invalid");
}

#[tokio::test]
async fn a_volunteer_cannot_change_another_volunteers_visit() {
    let (app, vol, vol2, coord) = team().await;
    let v = visit(1, &household(1), "我的");
    push_ok(&app, &vol, vec![put(1, &v, "visit", 0, None)]).await;
    let mut edit = v.clone();
    edit.notes = "改别人的".into();
    let answer = push_ok(
        &app,
        &vol2,
        vec![put(1, &edit, "visit", 1, Some(&["notes"]))],
    )
    .await;
    assert_eq!(answer["outcomes"][0]["rejected"]["code"], "forbidden");
    let answer = push_ok(
        &app,
        &coord,
        vec![put(1, &edit, "visit", 1, Some(&["notes"]))],
    )
    .await;
    assert!(
        answer["outcomes"][0].get("rejected").is_none(),
        "coordinators may"
    );
}

#[tokio::test]
async fn pull_pages_and_an_unknown_cursor_starts_again() {
    let (app, vol, _, _) = team().await;
    // After the accounts' roster people.
    let start = pull(&app, &vol, 0).await["cursor"].as_u64().unwrap();
    let batch: Vec<Value> = (1..=3)
        .map(|i| put(i, &household(i as u32), "household", 0, None))
        .collect();
    push_ok(&app, &vol, batch).await;
    let res = app
        .get_with(
            &format!("/api/v1/sync/pull?protocol=1&cursor={start}&limit=2"),
            &vol,
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(
        (
            page["records"].as_array().unwrap().len(),
            page["more"].clone()
        ),
        (2, json!(true))
    );
    let rest = pull(&app, &vol, page["cursor"].as_u64().unwrap()).await;
    assert_eq!(rest["records"].as_array().unwrap().len(), 1);
    assert!(rest.get("more").is_none());
    // A cursor the server never gave (its database was restored from a backup).
    let reset = pull(&app, &vol, 9_000_000_000_000_000).await;
    assert_eq!(reset["reset"], true);
    assert_eq!(reset["records"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn another_protocol_gets_a_clear_answer() {
    let (app, vol, _, _) = team().await;
    let res = app
        .post(
            "/api/v1/sync/push",
            json!({ "protocol": 99, "mutations": [] }),
            Some(&vol),
        )
        .await;
    assert_eq!(error_code(res, 400).await, "unsupported_protocol");
    let res = app.get_with("/api/v1/sync/pull?protocol=99", &vol).await;
    assert_eq!(error_code(res, 400).await, "unsupported_protocol");
    let res = app
        .post("/api/v1/sync/push", json!({ "mutations": 1 }), Some(&vol))
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
}

#[tokio::test]
async fn another_team_can_neither_push_into_nor_pull_from_a_team() {
    let (app, vol, _, coord) = team().await;
    app.add_user("B队", "coord-b", Role::Coordinator, PW).await;
    let b = app.login("coord-b", PW).await;
    let h = household(1);
    push_ok(&app, &vol, vec![put(1, &h, "household", 0, None)]).await;
    // B pushes the same id: it makes B's own record, A's is untouched.
    let mut theirs = h.clone();
    theirs.notes = "B队写的".into();
    push_ok(&app, &b, vec![put(1, &theirs, "household", 0, None)]).await;
    let a_page = pull(&app, &vol, 0).await;
    let a_h: Household = serde_json::from_value(a_page["records"][0]["record"].clone()).unwrap();
    assert_eq!(a_h.notes, "");
    let b_page = pull(&app, &b, 0).await;
    assert_eq!(b_page["records"].as_array().unwrap().len(), 1);
    let b_h: Household = serde_json::from_value(b_page["records"][0]["record"].clone()).unwrap();
    assert_eq!(b_h.notes, "B队写的");
    for (path, n) in [
        ("/api/v1/visits", 0),
        ("/api/v1/households", 1),
        ("/api/v1/events", 0),
    ] {
        let listed: Value = app.get_json(path, &b).await;
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), n, "{path}");
        assert!(items.iter().all(|r| r["notes"] == "B队写的"), "{path}");
    }
    let a_list: Value = app.get_json("/api/v1/households", &coord).await;
    assert_eq!(a_list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_revoked_phone_may_push_what_it_saved_but_pulls_nothing() {
    let (app, vol, _, coord) = team().await;
    let devices: Value = app.get_json("/api/v1/devices", &coord).await;
    let id = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["user"]["username"] == "vol-a")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/devices/{id}/revoke"),
        json!({}),
        Some(&coord),
    )
    .await;
    let v = visit(1, &household(1), "撤销前保存的");
    push_ok(&app, &vol, vec![put(1, &v, "visit", 0, None)]).await;
    let res = app.get_with("/api/v1/sync/pull?protocol=1", &vol).await;
    assert_eq!(error_code(res, 401).await, "device_revoked");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind IN ('household', 'visit', 'event')"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn coordinators_list_the_teams_visits_newest_first() {
    let (app, vol, _, coord) = team().await;
    let h = household(1);
    let mut old = visit(1, &h, "旧的");
    old.day = doorstep_core::Day::parse("2026-10-01").unwrap();
    let new = visit(2, &h, "新的");
    push_ok(
        &app,
        &vol,
        vec![
            put(1, &old, "visit", 0, None),
            put(2, &new, "visit", 0, None),
        ],
    )
    .await;
    let listed: Value = app.get_json("/api/v1/visits?limit=1", &coord).await;
    let first = &listed["items"][0];
    assert_eq!(first["notes"], "新的");
    assert_eq!(first["household_id"], h.id.to_string());
    assert!(first["received_at"].as_i64().unwrap() > 0);
    assert!(first["created_by"].as_str().is_some());
    assert_eq!(first["services"]["companionship_chat"], true);
    assert_eq!(listed["next_offset"], 1);
    let next: Value = app
        .get_json("/api/v1/visits?limit=1&offset=1", &coord)
        .await;
    assert_eq!(next["items"][0]["notes"], "旧的");
    let since: Value = app
        .get_json("/api/v1/visits?since=2026-11-01", &coord)
        .await;
    assert_eq!(since["items"].as_array().unwrap().len(), 1);
    let res = app.get_with("/api/v1/visits?since=yesterday", &coord).await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    // A period: both days included.
    for (query, notes) in [
        ("until=2026-10-31", vec!["旧的"]),
        ("since=2026-10-01&until=2026-10-01", vec!["旧的"]),
        ("since=2026-09-01&until=2026-09-30", vec![]),
        ("since=2026-10-01&until=2099-01-01", vec!["新的", "旧的"]),
    ] {
        let got: Value = app
            .get_json(&format!("/api/v1/visits?{query}"), &coord)
            .await;
        let got: Vec<&str> = got["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["notes"].as_str().unwrap())
            .collect();
        assert_eq!(got, notes, "{query}");
    }
    let res = app
        .get_with("/api/v1/visits?until=2026-13-01", &coord)
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    let res = app.get_with("/api/v1/visits", &vol).await;
    assert_eq!(error_code(res, 403).await, "forbidden");
}

#[tokio::test]
async fn one_batch_may_change_a_record_several_times() {
    let (app, vol, _, _) = team().await;
    let h = household(1);
    let mut edited = h.clone();
    edited.notes = "同一批里改过".into();
    let id = h.id.to_string();
    push_ok(
        &app,
        &vol,
        vec![
            put(1, &h, "household", 0, None),
            put(2, &edited, "household", 0, Some(&["notes"])),
            delete(3, "household", &id, 0),
        ],
    )
    .await;
    let page = pull(&app, &vol, 0).await;
    assert_eq!(page["records"].as_array().unwrap().len(), 1);
    assert_eq!(page["records"][0]["deleted"], true);
    let got: Household = serde_json::from_value(page["records"][0]["record"].clone()).unwrap();
    assert_eq!(got.notes, "同一批里改过");
    assert!(page["records"][0].get("conflicts").is_none());
}
