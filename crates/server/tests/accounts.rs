//! Accounts, devices and their guarantees, over real HTTP on port 0 with a real SQLite file.

mod common;

use common::{error_code, spawn_app, TestApp};
use doorstep_core::account::Role;
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

const PW: &str = "correct horse 1";

/// Team A with a volunteer and a coordinator, team B with a coordinator.
async fn two_teams() -> TestApp {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    app.add_user("A队", "coord-a", Role::Coordinator, PW).await;
    app.add_user("B队", "coord-b", Role::Coordinator, PW).await;
    app
}

#[tokio::test]
async fn sign_in_returns_a_token_and_the_user_and_me_agrees() {
    let app = two_teams().await;
    let res = app
        .post(
            "/api/v1/login",
            json!({ "username": " Vol-A ", "password": PW, "device_name": "张三的手机" }),
            None,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 64);
    let user = &body["user"];
    assert_eq!(user["username"], "vol-a");
    assert_eq!(user["role"], "volunteer");
    assert_eq!(user["team"]["name"], "A队");
    let me: Value = app
        .get_with("/api/v1/me", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(&me, user);
    // Only the token's hash is stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM devices")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = two_teams().await;
    let mut answers = Vec::new();
    for (u, p) in [("vol-a", "wrong password"), ("nobody", PW)] {
        let res = app
            .post(
                "/api/v1/login",
                json!({ "username": u, "password": p, "device_name": "x" }),
                None,
            )
            .await;
        assert_eq!(res.status().as_u16(), 401);
        answers.push(res.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].contains("invalid_credentials"));
}

#[tokio::test]
async fn more_than_ten_failures_a_minute_of_one_username_are_refused_with_429() {
    let app = two_teams().await;
    let attempt = |u: &'static str, p: &'static str| {
        app.post(
            "/api/v1/login",
            json!({ "username": u, "password": p, "device_name": "x" }),
            None,
        )
    };
    for _ in 0..10 {
        assert_eq!(attempt("vol-a", "guess").await.status().as_u16(), 401);
    }
    assert_eq!(
        error_code(attempt("vol-a", "guess").await, 429).await,
        "too_many_attempts"
    );
    // Even the right password waits: the username is locked for the minute.
    assert_eq!(attempt("vol-a", PW).await.status().as_u16(), 429);
    // The address has a looser limit of its own: a colleague behind the same Wi-Fi or
    // carrier NAT still signs in.
    assert_eq!(attempt("coord-b", PW).await.status().as_u16(), 200);
}

#[tokio::test]
async fn api_routes_need_a_valid_token() {
    let app = two_teams().await;
    for path in [
        "/api/v1/me",
        "/api/v1/devices",
        "/api/v1/sync/pull?protocol=1",
        "/api/v1/sync/ids?protocol=1",
        "/api/v1/visits",
        "/api/v1/households",
        "/api/v1/events",
        "/api/v1/reports/monthly",
        "/api/v1/export/visits.csv",
        "/api/v1/export/households.xlsx",
        "/api/v1/audit",
    ] {
        assert_eq!(
            error_code(app.get(path).await, 401).await,
            "unauthorized",
            "{path}"
        );
        assert_eq!(
            error_code(app.get_with(path, "not-a-token").await, 401).await,
            "unauthorized",
            "{path}"
        );
    }
    for path in ["/api/v1/logout", "/api/v1/me/device", "/api/v1/sync/push"] {
        let res = app
            .post(
                path,
                json!({ "unsynced": 1, "protocol": 1, "mutations": [] }),
                None,
            )
            .await;
        assert_eq!(error_code(res, 401).await, "unauthorized", "{path}");
    }
}

#[tokio::test]
async fn logout_and_revocation_end_the_token() {
    let app = two_teams().await;
    let t1 = app.login("vol-a", PW).await;
    assert_eq!(
        app.post("/api/v1/logout", json!({}), Some(&t1))
            .await
            .status()
            .as_u16(),
        204
    );
    // Signed out by its user: the token is over for every route, push included.
    assert_eq!(
        error_code(app.get_with("/api/v1/me", &t1).await, 401).await,
        "unauthorized"
    );
    let push = json!({ "protocol": 1, "mutations": [] });
    assert_eq!(
        error_code(app.post("/api/v1/sync/push", push, Some(&t1)).await, 401).await,
        "unauthorized"
    );

    // The coordinator sees the volunteer's phone, with what it reported, and revokes it.
    let t2 = app.login("vol-a", PW).await;
    let res = app
        .post("/api/v1/me/device", json!({ "unsynced": 7 }), Some(&t2))
        .await;
    assert_eq!(res.status().as_u16(), 204);
    let coord = app.login("coord-a", PW).await;
    let devices: Value = app
        .get_with("/api/v1/devices", &coord)
        .await
        .json()
        .await
        .unwrap();
    let phone = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["user"]["username"] == "vol-a" && d["revoked"] == false)
        .expect("the volunteer's live device")
        .clone();
    assert_eq!(phone["unsynced"], 7);
    assert_eq!(phone["name"], "test phone");
    let id = phone["id"].as_str().unwrap();
    let res = app
        .post(
            &format!("/api/v1/devices/{id}/revoke"),
            json!({}),
            Some(&coord),
        )
        .await;
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(
        error_code(app.get_with("/api/v1/me", &t2).await, 401).await,
        "device_revoked"
    );
}

#[tokio::test]
async fn volunteers_cannot_use_coordinator_routes() {
    let app = two_teams().await;
    let vol = app.login("vol-a", PW).await;
    for path in [
        "/api/v1/devices",
        "/api/v1/visits",
        "/api/v1/households",
        "/api/v1/events",
        "/api/v1/reports/monthly",
        "/api/v1/export/events.csv",
        "/api/v1/audit",
    ] {
        assert_eq!(
            error_code(app.get_with(path, &vol).await, 403).await,
            "forbidden",
            "{path}"
        );
    }
    let res = app
        .post("/api/v1/devices/whatever/revoke", json!({}), Some(&vol))
        .await;
    assert_eq!(error_code(res, 403).await, "forbidden");
}

/// Every route that touches team data, walked with the other team's coordinator token.
#[tokio::test]
async fn another_teams_token_reaches_none_of_the_teams_data() {
    let app = two_teams().await;
    let vol_a = app.login("vol-a", PW).await;
    let coord_a = app.login("coord-a", PW).await;
    let coord_b = app.login("coord-b", PW).await;
    let devices_a: Value = app
        .get_with("/api/v1/devices", &coord_a)
        .await
        .json()
        .await
        .unwrap();
    let a_device = devices_a[0]["id"].as_str().unwrap().to_owned();

    // Reads: B sees only B.
    let me_b: Value = app
        .get_with("/api/v1/me", &coord_b)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me_b["team"]["name"], "B队");
    let devices_b: Value = app
        .get_with("/api/v1/devices", &coord_b)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = devices_b
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["user"]["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["coord-b"]);

    // Writes: B cannot revoke A's device (not found, not disclosed), and A's phone works on.
    let res = app
        .post(
            &format!("/api/v1/devices/{a_device}/revoke"),
            json!({}),
            Some(&coord_b),
        )
        .await;
    assert_eq!(error_code(res, 404).await, "not_found");
    assert_eq!(
        app.get_with("/api/v1/me", &vol_a).await.status().as_u16(),
        200
    );
    assert_eq!(
        app.get_with("/api/v1/me", &coord_a).await.status().as_u16(),
        200
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_json_4xx() {
    let app = two_teams().await;
    let send = |body: String| {
        app.client
            .post(format!("{}/api/v1/login", app.base))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    assert_eq!(
        error_code(send("{".into()).await.unwrap(), 400).await,
        "bad_request"
    );
    assert_eq!(
        error_code(send(r#"{"username":"vol-a"}"#.into()).await.unwrap(), 400).await,
        "bad_request"
    );
    let huge = format!(
        r#"{{"username":"{}","password":"x","device_name":"x"}}"#,
        "a".repeat(100_000)
    );
    assert_eq!(
        error_code(send(huge).await.unwrap(), 413).await,
        "payload_too_large"
    );
    let res = app
        .post(
            "/api/v1/login",
            json!({ "username": "vol-a", "password": PW, "device_name": " " }),
            None,
        )
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = two_teams().await;
    let token = app.login("vol-a", PW).await;
    for res in [
        app.get("/").await,
        app.get("/healthz").await,
        app.get("/api/v1/nothing").await,
        app.get_with("/api/v1/me", &token).await,
    ] {
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
}

#[tokio::test]
async fn a_devices_recovery_key_goes_back_once_to_its_own_user_never_after_a_revoke() {
    let app = two_teams().await;
    app.add_user("A队", "vol-a2", Role::Volunteer, PW).await;
    let login = |username: &'static str, recover: Option<String>| {
        let app = &app;
        async move {
            let res = app
                .post(
                    "/api/v1/login",
                    json!({ "username": username, "password": PW, "device_name": "手机", "recover": recover }),
                    None,
                )
                .await;
            assert_eq!(res.status().as_u16(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let first = login("vol-a", None).await;
    let (device, key) = (
        first["device_id"].as_str().unwrap().to_owned(),
        first["recovery_key"].as_str().unwrap().to_owned(),
    );
    assert_eq!(key.len(), 64);
    assert!(first.get("recovered_key").is_none());

    // Another user of the team asking for it gets nothing, and the device works on.
    let other = login("vol-a2", Some(device.clone())).await;
    assert!(other.get("recovered_key").is_none());
    let old_token = first["token"].as_str().unwrap();
    assert_eq!(
        app.get_with("/api/v1/me", old_token)
            .await
            .status()
            .as_u16(),
        200
    );

    // Its own user, with the password: the key, once; the old token ends.
    let again = login("vol-a", Some(device.clone())).await;
    assert_eq!(again["recovered_key"].as_str(), Some(key.as_str()));
    assert_ne!(again["recovery_key"], first["recovery_key"]);
    assert_eq!(
        app.get_with("/api/v1/me", old_token)
            .await
            .status()
            .as_u16(),
        401
    );
    let twice = login("vol-a", Some(device)).await;
    assert!(twice.get("recovered_key").is_none());

    // A device a coordinator revoked never gets it back.
    let coord = app.login("coord-a", PW).await;
    let lost = again["device_id"].as_str().unwrap().to_owned();
    let res = app
        .post(
            &format!("/api/v1/devices/{lost}/revoke"),
            json!({}),
            Some(&coord),
        )
        .await;
    assert!(res.status().is_success());
    let after = login("vol-a", Some(lost)).await;
    assert!(after.get("recovered_key").is_none());
    let audit: Vec<String> =
        sqlx::query_scalar("SELECT reason FROM audit_log WHERE action = 'recovery' ORDER BY at")
            .fetch_all(&app.pool().await)
            .await
            .unwrap();
    assert_eq!(audit, vec!["refused", "given", "refused", "refused"]);
    // Keys are not in the log.
    let log: Vec<String> = sqlx::query_scalar("SELECT what FROM audit_log")
        .fetch_all(&app.pool().await)
        .await
        .unwrap();
    assert!(log.iter().all(|w| !w.contains(&key)));
}

#[tokio::test]
async fn a_device_from_before_recovery_keys_gets_one_once_others_never() {
    let app = two_teams().await;
    let ask = |token: String| {
        let app = &app;
        async move {
            app.post("/api/v1/me/device/recovery-key", json!({}), Some(&token))
                .await
        }
    };
    // A device that got its key at sign-in: refused, whatever its token says.
    let fresh = app.login_answer("vol-a", PW).await;
    let res = ask(fresh["token"].as_str().unwrap().to_owned()).await;
    assert_eq!(res.status().as_u16(), 409);
    // A device from before (no key): one, once; then it is this device's like any other.
    let old = app.login_answer("vol-a", PW).await;
    let device = old["device_id"].as_str().unwrap().to_owned();
    sqlx::query("UPDATE devices SET recovery_key = NULL WHERE id = $1")
        .bind(&device)
        .execute(&app.pool().await)
        .await
        .unwrap();
    let token = old["token"].as_str().unwrap().to_owned();
    let res = ask(token.clone()).await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    let key = body["recovery_key"].as_str().unwrap().to_owned();
    assert_eq!(
        (key.len(), body["device_id"].as_str()),
        (64, Some(device.as_str()))
    );
    assert_eq!(ask(token).await.status().as_u16(), 409, "once");
    // The password sign-in that names the device gets that key back.
    let res = app
        .post(
            "/api/v1/login",
            json!({ "username": "vol-a", "password": PW, "device_name": "手机", "recover": device }),
            None,
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["recovered_key"], key);
    // No token: 401.
    let res = app
        .post("/api/v1/me/device/recovery-key", json!({}), None)
        .await;
    assert_eq!(res.status().as_u16(), 401);
}
