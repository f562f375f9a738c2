//! The server trusts nothing a phone sends: each test is one attack a hostile or buggy phone
//! made on the server before it checked records with the core (issue 13), on SQLite and —
//! with DOORSTEP_TEST_DATABASE — on PostgreSQL. After each, the team's every answer still
//! works (`team_still_answers`).

mod common;

use common::{error_code, spawn_app, team_records, TestApp};
use doorstep_core::account::Role;
use doorstep_core::store::conformance::{duty_of_care, full_visit, household};
use serde_json::{json, Value};

const PW: &str = "correct horse 1";
/// 2026-11-27: before today, so within the server's clock.
const AT: u64 = 1_795_714_200_000;

fn put_json(seq: u64, kind: &str, record: Value, base: u64, fields: Option<&[&str]>) -> Value {
    let mut op = json!({ "kind": kind, "id": record["id"], "base": base, "record": record });
    if let Some(f) = fields {
        op["fields"] = json!(f);
    }
    json!({ "seq": seq, "at": AT + seq, "op": { "put": op } })
}

fn to_json(r: &impl serde::Serialize) -> Value {
    serde_json::to_value(r).unwrap()
}

async fn push(app: &TestApp, token: &str, mutations: Vec<Value>) -> reqwest::Response {
    app.push(token, mutations).await
}

/// The outcomes of a push that must answer 200.
async fn outcomes(app: &TestApp, token: &str, mutations: Vec<Value>) -> Vec<Value> {
    let res = push(app, token, mutations).await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    body["outcomes"].as_array().unwrap().clone()
}

/// The revision of record `id` in a pull page, if the page has it.
fn rev_in(page: &Value, id: &str) -> Option<u64> {
    page["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .map(|r| r["rev"].as_u64().unwrap())
}

fn refused(o: &Value) -> Option<(&str, &str)> {
    let r = o.get("rejected")?;
    Some((r["code"].as_str().unwrap(), r["message"].as_str().unwrap()))
}

async fn team() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    (app, vol, coord)
}

/// Every answer that reads the team's records: pull, ids, the coordinator's lists, the six
/// exports and the monthly report (JSON and printable) answer 200.
async fn team_still_answers(app: &TestApp, vol: &str, coord: &str) {
    let paths = common::team_reads();
    for path in &paths {
        let res = app.get_with(path, coord).await;
        assert_eq!(res.status().as_u16(), 200, "GET {path}");
        res.bytes().await.expect("the whole answer");
    }
    let res = app
        .get_with("/api/v1/sync/pull?protocol=1&cursor=0", vol)
        .await;
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn a_deeply_nested_record_is_refused_and_the_team_keeps_working() {
    let (app, vol, coord) = team().await;
    let mut h = to_json(&household(1));
    h["notes"] = serde_json::from_str(&format!("{}1{}", "[".repeat(125), "]".repeat(125))).unwrap();
    h["smuggled"] = h["notes"].clone();
    let out = outcomes(&app, &vol, vec![put_json(1, "household", h, 0, None)]).await;
    let (code, message) = refused(&out[0]).expect("refused");
    assert_eq!(code, "invalid");
    assert!(message.contains("not a valid record"), "{message}");
    // The coordinator's deletion of it (the phone's outbox goes on) is answered.
    let del = json!({ "seq": 1, "at": AT, "op": { "delete": {
        "kind": "household", "id": household(1).id, "base": 0 } } });
    assert_eq!(
        outcomes(&app, &coord, vec![del]).await[0],
        json!({"seq": 1})
    );
    team_still_answers(&app, &vol, &coord).await;
}

#[tokio::test]
async fn wrong_types_and_huge_values_are_never_stored_even_as_hidden_conflicts() {
    let (app, vol, coord) = team().await;
    let h = household(1);
    let out = outcomes(
        &app,
        &vol,
        vec![put_json(1, "household", to_json(&h), 0, None)],
    )
    .await;
    assert!(refused(&out[0]).is_none());
    // Another phone's concurrent change (base 0): once it would have been kept as a
    // conflict candidate and served to every phone.
    let mut wrong = to_json(&h);
    wrong["notes"] = json!({"not": "a string"});
    let mut huge = to_json(&h);
    huge["notes"] = json!("长".repeat(300_000 / 3));
    let mut long_notes = to_json(&h);
    long_notes["notes"] = json!("x".repeat(501));
    let out = outcomes(
        &app,
        &coord,
        vec![
            put_json(1, "household", wrong, 0, Some(&["notes"])),
            put_json(2, "household", huge, 0, Some(&["notes"])),
            put_json(3, "household", long_notes, 0, Some(&["notes"])),
        ],
    )
    .await;
    assert!(
        out.iter()
            .all(|o| refused(o).is_some_and(|(c, _)| c == "invalid")),
        "{out:?}"
    );
    assert!(refused(&out[1]).unwrap().1.contains("larger than"));
    assert!(refused(&out[2]).unwrap().1.contains("notes"));
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    assert_eq!(team_records(&page).len(), 1);
    assert!(team_records(&page)[0].get("conflicts").is_none(), "{page}");

    // A visit with 200,000 characters of notes, a household of 5,000 residents.
    let mut v = to_json(&full_visit(1, &h, ""));
    v["author"] = json!("");
    v["notes"] = json!("记".repeat(10_000));
    let mut crowd = household(2);
    crowd.residents = vec![crowd.residents[0].clone(); 5_000];
    let mut crowd = to_json(&crowd);
    crowd["residents"] = json!(crowd["residents"].as_array().unwrap()[..600]);
    let out = outcomes(
        &app,
        &vol,
        vec![
            put_json(2, "visit", v, 0, None),
            put_json(3, "household", crowd, 0, None),
        ],
    )
    .await;
    assert!(out.iter().all(|o| refused(o).is_some()), "{out:?}");
    let mut many = household(3);
    many.residents = vec![many.residents[0].clone(); 21];
    let out = outcomes(
        &app,
        &vol,
        vec![put_json(4, "household", to_json(&many), 0, None)],
    )
    .await;
    assert!(refused(&out[0]).unwrap().1.contains("residents"), "{out:?}");
    team_still_answers(&app, &vol, &coord).await;
}

#[tokio::test]
async fn living_alone_without_a_basis_is_refused_by_the_server_too() {
    let (app, vol, _) = team().await;
    let mut h = household(1);
    h.residents[0].lives_alone = true;
    let mut m = household(2);
    m.residents[0].limited_mobility = true;
    let mut based = household(3);
    based.residents[0].lives_alone = true;
    based.basis = Some(duty_of_care());
    let out = outcomes(
        &app,
        &vol,
        vec![
            put_json(1, "household", to_json(&h), 0, None),
            put_json(2, "household", to_json(&m), 0, None),
            put_json(3, "household", to_json(&based), 0, None),
        ],
    )
    .await;
    assert!(refused(&out[0])
        .unwrap()
        .1
        .contains("residents.0.lives_alone"));
    assert!(refused(&out[1])
        .unwrap()
        .1
        .contains("residents.0.limited_mobility"));
    assert!(refused(&out[2]).is_none());
}

#[tokio::test]
async fn times_from_the_future_are_refused_and_cannot_win_a_conflict() {
    let (app, vol, coord) = team().await;
    let h = household(1);
    assert!(refused(
        &outcomes(
            &app,
            &vol,
            vec![put_json(1, "household", to_json(&h), 0, None)]
        )
        .await[0]
    )
    .is_none());
    let mut late = to_json(&h);
    late["notes"] = json!("来自未来");
    late["updated_at"] = json!(9_000_000_000_000_000u64);
    let mut at = put_json(1, "household", to_json(&h), 0, Some(&["notes"]));
    at["op"]["put"]["record"]["notes"] = json!("也来自未来");
    at["at"] = json!(9_000_000_000_000_000u64);
    at["seq"] = json!(2);
    let out = outcomes(
        &app,
        &coord,
        vec![put_json(1, "household", late, 0, Some(&["notes"])), at],
    )
    .await;
    for o in &out {
        assert!(refused(o).unwrap().1.contains("out of range"), "{o}");
    }
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    assert!(
        page["records"][0]["record"].get("notes").is_none(),
        "{page}"
    );
}

#[tokio::test]
async fn a_signed_out_or_disabled_token_cannot_push_and_a_revoked_phone_only_adds() {
    let app = spawn_app().await;
    let (vol, coord) = app.volunteer_and_coordinator(PW).await;
    app.add_user("A队", "coord-b", Role::Coordinator, PW).await;
    let coord_b = app.login("coord-b", PW).await;
    let h = household(1);
    let mut v = full_visit(1, &h, "聊天");
    v.author = String::new();
    let out = outcomes(
        &app,
        &vol,
        vec![
            put_json(1, "household", to_json(&h), 0, None),
            put_json(2, "visit", to_json(&v), 0, None),
        ],
    )
    .await;
    assert!(out.iter().all(|o| refused(o).is_none()), "{out:?}");
    let del = |seq: u64| {
        json!({ "seq": seq, "at": AT + seq, "op": { "delete": {
            "kind": "visit", "id": v.id, "base": u64::MAX } } })
    };

    // Signed out by its user: the token is over.
    let signed_out = app.login("coord-a", PW).await;
    app.post("/api/v1/logout", json!({}), Some(&signed_out))
        .await;
    let res = push(&app, &signed_out, vec![del(1)]).await;
    assert_eq!(error_code(res, 401).await, "unauthorized");

    // A disabled coordinator's phone can no longer delete a volunteer's visit.
    let pool = app.pool().await;
    doorstep_server::accounts::disable_user(
        &pool,
        &doorstep_core::account::Username::parse("coord-b").unwrap(),
    )
    .await
    .unwrap();
    let res = push(&app, &coord_b, vec![del(1)]).await;
    assert_eq!(error_code(res, 401).await, "unauthorized");

    // A coordinator's phone revoked by another coordinator: a volunteer's rights only.
    let revoked_coord = app.login("coord-a", PW).await;
    revoke_own_device(&app, &coord, &revoked_coord).await;
    let out = outcomes(&app, &revoked_coord, vec![del(1)]).await;
    assert_eq!(refused(&out[0]).unwrap().0, "forbidden");

    // A revoked volunteer's phone with base = u64::MAX: its value joins the others.
    let revoked_vol = app.login("vol-a", PW).await;
    // Another change first, which the revoked phone never saw.
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &coord)
        .await;
    let seen = rev_in(&page, &h.id.to_string()).unwrap();
    let mut named = h.clone();
    named.residents[0].name = "王秀英".into();
    let out = outcomes(
        &app,
        &coord,
        vec![put_json(
            2,
            "household",
            to_json(&named),
            seen,
            Some(&["residents"]),
        )],
    )
    .await;
    assert!(refused(&out[0]).is_none(), "{out:?}");
    revoke_own_device(&app, &coord, &revoked_vol).await;
    let mut renamed = h.clone();
    renamed.residents[0].name = "冒名".into();
    let out = outcomes(
        &app,
        &revoked_vol,
        vec![put_json(
            1,
            "household",
            to_json(&renamed),
            u64::MAX,
            Some(&["residents"]),
        )],
    )
    .await;
    assert!(refused(&out[0]).is_none(), "{out:?}");
    let listed = app.get_json("/api/v1/households", &coord).await;
    let conflicts = &listed["items"][0]["conflicts"]["residents"];
    assert_eq!(conflicts.as_array().map(Vec::len), Some(2), "{listed}");
    // The pushes after revocation are on the record.
    let admin = admin_token(&app).await;
    let audit = app.get_json("/api/v1/audit", &admin).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "push_after_revocation")
            .count(),
        2,
        "{audit}"
    );
    team_still_answers(&app, &vol, &coord).await;
}

async fn admin_token(app: &TestApp) -> String {
    app.add_user("A队", "admin-a", Role::Admin, PW).await;
    app.login("admin-a", PW).await
}

/// Revokes the device `victim` signed in on, as the coordinator `coord`.
async fn revoke_own_device(app: &TestApp, coord: &str, victim: &str) {
    let me: Value = app.get_json("/api/v1/me", victim).await;
    let devices = app.get_json("/api/v1/devices", coord).await;
    let mut live: Vec<&Value> = devices
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["user"]["id"] == me["id"] && d["revoked"] == false)
        .collect();
    // The newest sign-in is the victim's (devices are listed by last seen, newest first).
    live.sort_by_key(|d| std::cmp::Reverse(d["created_at"].as_i64()));
    let id = live[0]["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("/api/v1/devices/{id}/revoke"),
            json!({}),
            Some(coord),
        )
        .await;
    assert_eq!(res.status().as_u16(), 204);
}

#[tokio::test]
async fn push_limits_hold_and_a_replay_touches_no_other_record() {
    let (app, vol, coord) = team().await;
    let h = household(1);
    let other = household(2);
    outcomes(
        &app,
        &coord,
        vec![put_json(1, "household", to_json(&other), 0, None)],
    )
    .await;
    outcomes(
        &app,
        &vol,
        vec![put_json(1, "household", to_json(&h), 0, None)],
    )
    .await;
    let before = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    // A replay of seq 1 naming the coordinator's household.
    let replay = put_json(1, "household", to_json(&other), 0, None);
    outcomes(&app, &vol, vec![replay]).await;
    let after = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    let id = other.id.to_string();
    assert_eq!(
        rev_in(&before, &id),
        rev_in(&after, &id),
        "the replay changed nothing"
    );

    let many: Vec<Value> = (2..=102)
        .map(|s| json!({ "seq": s, "at": AT, "op": "noop" }))
        .collect();
    assert_eq!(
        error_code(push(&app, &vol, many).await, 413).await,
        "payload_too_large"
    );
    for seq in [u64::MAX, 0] {
        let m = json!({ "seq": seq, "at": AT, "op": "noop" });
        assert_eq!(
            error_code(push(&app, &vol, vec![m]).await, 400).await,
            "bad_request"
        );
    }
    // Nothing of those moved the device's numbering: the next is 2.
    let ok = outcomes(
        &app,
        &vol,
        vec![json!({ "seq": 2, "at": AT, "op": "noop" })],
    )
    .await;
    assert_eq!(ok, vec![json!({"seq": 2})]);
}

#[tokio::test]
async fn query_string_errors_are_json_and_numbers_never_wrap() {
    let (app, vol, coord) = team().await;
    for (path, token) in [
        ("/api/v1/sync/pull", &vol),
        ("/api/v1/sync/pull?protocol=1&limit=abc", &vol),
        ("/api/v1/sync/pull?protocol=1&cursor=-1", &vol),
        (
            "/api/v1/sync/pull?protocol=1&cursor=18446744073709551615",
            &vol,
        ),
        ("/api/v1/sync/ids", &vol),
        ("/api/v1/visits?offset=18446744073709551615", &coord),
        ("/api/v1/visits?limit=1&offset=-1", &coord),
        ("/api/v1/reports/monthly?month=2026-13", &coord),
        ("/api/v1/export/visits.csv?from=2026-11-01%00", &coord),
    ] {
        let res = app.get_with(path, token).await;
        assert_eq!(res.status().as_u16(), 400, "{path}");
        assert_eq!(error_code(res, 400).await, "bad_request", "{path}");
    }
}

#[tokio::test]
async fn text_with_nul_is_refused_on_every_route() {
    let (app, vol, coord) = team().await;
    let res = app
        .post(
            "/api/v1/login",
            json!({ "username": "vol-a", "password": PW, "device_name": "手机\u{0}" }),
            None,
        )
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    let res = app
        .get_with(
            "/api/v1/export/visits.csv?identified=1&reason=%E6%A0%B8%00%E5%AF%B9",
            &coord,
        )
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    let res = app
        .post("/api/v1/devices/a%00b/revoke", json!({}), Some(&coord))
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
    // In a record: that mutation alone is refused, with a message that stores.
    let mut h = to_json(&household(1));
    h["author"] = json!("vol\u{0}");
    let mut n = to_json(&household(2));
    n["notes"] = json!("a\u{0}b");
    let mut e = to_json(&household(3));
    e["cadence"] = json!("\u{0}");
    let out = outcomes(
        &app,
        &vol,
        vec![
            put_json(1, "household", h, 0, None),
            put_json(2, "household", n, 0, None),
            put_json(3, "household", e, 0, None),
            put_json(4, "household", to_json(&household(4)), 0, None),
        ],
    )
    .await;
    assert!(out[..3].iter().all(|o| refused(o).is_some()), "{out:?}");
    assert!(refused(&out[3]).is_none());
    // An unknown kind does not decode: the whole push is a 400.
    let mut bad = put_json(5, "household", to_json(&household(5)), 0, None);
    bad["op"]["put"]["kind"] = json!("house\u{0}");
    assert_eq!(
        error_code(push(&app, &vol, vec![bad]).await, 400).await,
        "bad_request"
    );
    team_still_answers(&app, &vol, &coord).await;
}

#[tokio::test]
async fn a_stored_record_that_does_not_decode_fails_no_answer() {
    let (app, vol, coord) = team().await;
    let h = household(1);
    let mut v = full_visit(1, &h, "聊天");
    v.author = String::new();
    outcomes(
        &app,
        &vol,
        vec![
            put_json(1, "household", to_json(&h), 0, None),
            put_json(2, "visit", to_json(&v), 0, None),
            put_json(3, "household", to_json(&household(2)), 0, None),
        ],
    )
    .await;
    // Damaged outside the server (an old version, a hand edit).
    let pool = app.pool().await;
    sqlx::query("UPDATE records SET doc = $1 WHERE id = $2")
        .bind("{\"kind\":\"visit\",\"id\":[[[")
        .bind(v.id.to_string())
        .execute(&pool)
        .await
        .unwrap();
    team_still_answers(&app, &vol, &coord).await;
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0&limit=500", &vol)
        .await;
    assert_eq!(team_records(&page).len(), 2, "the others");
    // A pull page ending on it still moves the cursor past it.
    let rev: i64 = sqlx::query_scalar("SELECT rev FROM records WHERE id = $1")
        .bind(v.id.to_string())
        .fetch_one(&pool)
        .await
        .unwrap();
    let first = app
        .get_json(
            &format!("/api/v1/sync/pull?protocol=1&cursor={}&limit=1", rev - 1),
            &vol,
        )
        .await;
    assert!(team_records(&first).is_empty(), "{first}");
    let next = first["cursor"].as_u64().unwrap();
    let rest = app
        .get_json(&format!("/api/v1/sync/pull?protocol=1&cursor={next}"), &vol)
        .await;
    assert!(rest["cursor"].as_u64().unwrap() >= next);
    assert!(!rest["more"].as_bool().unwrap_or(false));
    // A push naming it is answered, and a put mends it.
    let out = outcomes(&app, &vol, vec![put_json(4, "visit", to_json(&v), 0, None)]).await;
    assert!(refused(&out[0]).is_none(), "{out:?}");
    let visits = app.get_json("/api/v1/visits", &coord).await;
    assert_eq!(visits["items"].as_array().unwrap().len(), 1);
    // The check command lists nothing left.
    let listed = doorstep_server::records::unreadable(&pool).await.unwrap();
    assert!(listed.is_empty(), "{listed:?}");
}

#[tokio::test]
async fn a_sign_in_flood_is_bounded_and_never_locks_out_colleagues() {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "vol-b", Role::Volunteer, PW).await;
    let login = |username: String, password: &'static str| {
        let (client, base) = (app.client.clone(), app.base.clone());
        async move {
            client
                .post(format!("{base}/api/v1/login"))
                .json(&json!({ "username": username, "password": password, "device_name": "p" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // 50 wrong passwords at once: the limit is taken before the check, so at most ten are
    // checked; the rest are refused at once (429, or 503 when the checks' queue is full).
    let answers =
        futures_util::future::join_all((0..50).map(|_| login("vol-a".into(), "wrong password 1")))
            .await;
    let checked = answers.iter().filter(|s| **s == 401).count();
    assert!(
        checked <= doorstep_server::auth::rate_limit::USER_LIMIT,
        "{answers:?}"
    );
    assert!(
        answers.iter().all(|s| [401, 429, 503].contains(s)),
        "{answers:?}"
    );
    assert_eq!(
        login("vol-a".into(), PW).await,
        429,
        "vol-a is locked for a minute"
    );
    // A colleague at the same address signs in.
    assert_eq!(login("vol-b".into(), PW).await, 200);
    // A 60,000-character username is refused before any hashing (400, not 401).
    assert_eq!(login("a".repeat(60_000), PW).await, 400);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // The server closes the connection once its header timeout (10 s) passes.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        slow.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the connection was still open after 60 s");
    // Meanwhile and after, others are served.
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}
