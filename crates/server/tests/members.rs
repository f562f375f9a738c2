//! The team's people through the API: first-run setup, invites and joining, disabling,
//! roles, password resets and changes, each in the audit log.

mod common;

use common::{error_code, spawn_app, TestApp};
use doorstep_core::account::Role;
use serde_json::{json, Value};

const PW: &str = "a-long-password-1";

/// Runs the first-run setup; (the admin's token, the answer).
async fn set_up(app: &TestApp) -> (String, Value) {
    let code = doorstep_server::invites::setup_code(&app.pool().await)
        .await
        .unwrap()
        .expect("an empty database gets a setup code");
    let res = app
        .post(
            "/api/v1/setup",
            json!({ "code": code, "team": " 邮政志愿服务队 ", "username": "Li.Wei",
                    "display_name": "李伟", "password": PW, "device_name": "李伟的手机" }),
            None,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    (body["token"].as_str().unwrap().to_owned(), body)
}

async fn invite(app: &TestApp, token: &str, role: &str, name: &str) -> reqwest::Response {
    app.post(
        "/api/v1/invites",
        json!({ "role": role, "display_name": name }),
        Some(token),
    )
    .await
}

/// Invites and joins; (the new member's token, their user object).
async fn invite_and_join(app: &TestApp, by: &str, role: &str, username: &str) -> (String, Value) {
    let res = invite(app, by, role, "张三").await;
    assert_eq!(res.status().as_u16(), 200);
    let link: Value = res.json().await.unwrap();
    let res = app
        .post(
            "/api/v1/join",
            json!({ "code": link["code"], "username": username, "password": PW,
                    "device_name": "张三的手机" }),
            None,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    (
        body["token"].as_str().unwrap().to_owned(),
        body["user"].clone(),
    )
}

async fn act(app: &TestApp, token: &str, id: &str, what: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/members/{id}/{what}"),
        json!({}),
        Some(token),
    )
    .await
}

async fn role(app: &TestApp, token: &str, id: &str, role: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/members/{id}/role"),
        json!({ "role": role }),
        Some(token),
    )
    .await
}

fn login_body(username: &str, password: &str) -> Value {
    json!({ "username": username, "password": password, "device_name": "test phone" })
}

#[tokio::test]
async fn setup_creates_the_team_and_its_admin_once() {
    let app = spawn_app().await;
    let wrong = app
        .post(
            "/api/v1/setup",
            json!({ "code": "0".repeat(32), "team": "T", "username": "abc",
                    "display_name": "A", "password": PW, "device_name": "p" }),
            None,
        )
        .await;
    assert_eq!(error_code(wrong, 404).await, "invalid_link");

    let (token, body) = set_up(&app).await;
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["user"]["username"], "li.wei");
    assert_eq!(body["user"]["display_name"], "李伟");
    assert_eq!(body["user"]["team"]["name"], "邮政志愿服务队");
    assert_eq!(app.get_json("/api/v1/me", &token).await["role"], "admin");
    // The admin signs in with their own password too.
    app.login("li.wei", PW).await;

    // Any later setup: 410, whatever the code.
    let again = app
        .post(
            "/api/v1/setup",
            json!({ "code": "x", "team": "T2", "username": "other", "display_name": "B",
                    "password": PW, "device_name": "p" }),
            None,
        )
        .await;
    assert_eq!(error_code(again, 410).await, "setup_done");
    let pool = app.pool().await;
    assert!(doorstep_server::invites::setup_code(&pool)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn setup_refuses_bad_fields_and_keeps_the_code() {
    let app = spawn_app().await;
    let code = doorstep_server::invites::setup_code(&app.pool().await)
        .await
        .unwrap()
        .unwrap();
    for (field, value) in [
        ("team", json!("")),
        ("username", json!("张三")),
        ("display_name", json!("  ")),
        ("password", json!("short")),
        ("device_name", json!("")),
    ] {
        let mut body = json!({ "code": code, "team": "T", "username": "abc",
                               "display_name": "A", "password": PW, "device_name": "p" });
        body[field] = value;
        let res = app.post("/api/v1/setup", body, None).await;
        assert_eq!(error_code(res, 400).await, "bad_request", "{field}");
    }
    // Nothing was made, and the code still works.
    let res = app
        .post("/api/v1/join/check", json!({ "code": code }), None)
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["kind"], "setup");
}

#[tokio::test]
async fn an_invite_link_makes_one_account_of_its_role_once() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let res = invite(&app, &admin, "volunteer", "张三").await;
    assert_eq!(res.status().as_u16(), 200);
    let link: Value = res.json().await.unwrap();
    let code = link["code"].as_str().unwrap();
    assert_eq!(code.len(), 32);
    assert!(link["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/join#{code}")));
    let week = link["expires_at"].as_i64().unwrap() - doorstep_server::accounts::now_millis();
    assert!((7 * 86_400_000 - 60_000..=7 * 86_400_000).contains(&week));

    let info: Value = app
        .post("/api/v1/join/check", json!({ "code": code }), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["kind"], "invite");
    assert_eq!(info["team"], "邮政志愿服务队");
    assert_eq!(info["role"], "volunteer");
    assert_eq!(info["display_name"], "张三");

    let join = |username: &'static str| {
        app.post(
            "/api/v1/join",
            json!({ "code": code, "username": username, "password": PW,
                    "device_name": "张三的手机" }),
            None,
        )
    };
    let res = join("zhang.san").await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["role"], "volunteer");
    assert_eq!(body["user"]["display_name"], "张三");
    assert_eq!(body["user"]["team"]["name"], "邮政志愿服务队");
    assert_eq!(error_code(join("li.si").await, 410).await, "link_used");
    let check = app
        .post("/api/v1/join/check", json!({ "code": code }), None)
        .await;
    assert_eq!(error_code(check, 410).await, "link_used");

    let members = app.get_json("/api/v1/members", &admin).await;
    let members = members.as_array().unwrap();
    assert_eq!(members.len(), 2);
    let zhang = members
        .iter()
        .find(|m| m["username"] == "zhang.san")
        .unwrap();
    assert_eq!(zhang["role"], "volunteer");
    assert_eq!(zhang["devices"], 1);
    assert_eq!(zhang["disabled"], false);
    assert!(zhang["last_seen_at"].as_i64().is_some());
}

#[tokio::test]
async fn expired_links_are_gone_and_unknown_ones_invalid() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let link: Value = invite(&app, &admin, "volunteer", "张三")
        .await
        .json()
        .await
        .unwrap();
    sqlx::query("UPDATE invites SET expires_at = 1")
        .execute(&app.pool().await)
        .await
        .unwrap();
    let res = app
        .post(
            "/api/v1/join",
            json!({ "code": link["code"], "username": "zhang.san", "password": PW,
                    "device_name": "p" }),
            None,
        )
        .await;
    assert_eq!(error_code(res, 410).await, "link_expired");
    let res = app
        .post("/api/v1/join/check", json!({ "code": "nope" }), None)
        .await;
    assert_eq!(error_code(res, 404).await, "invalid_link");
}

#[tokio::test]
async fn who_may_invite_and_manage_whom() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let (coord, _) = invite_and_join(&app, &admin, "coordinator", "coord.a").await;
    let (vol, vol_user) = invite_and_join(&app, &coord, "volunteer", "vol.a").await;
    // Volunteers invite nobody; coordinators only volunteers; admins anyone.
    assert_eq!(
        error_code(invite(&app, &vol, "volunteer", "x").await, 403).await,
        "forbidden"
    );
    assert_eq!(
        error_code(invite(&app, &coord, "coordinator", "x").await, 403).await,
        "forbidden"
    );
    assert_eq!(invite(&app, &admin, "admin", "x").await.status(), 200);
    assert_eq!(
        error_code(app.get_with("/api/v1/members", &vol).await, 403).await,
        "forbidden"
    );

    let members = app.get_json("/api/v1/members", &admin).await;
    let id_of = |name: &str| {
        members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["username"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (admin_id, coord_id, vol_id) = (id_of("li.wei"), id_of("coord.a"), id_of("vol.a"));
    assert_eq!(vol_user["id"], vol_id.as_str());
    // Coordinators cannot disable an admin or another coordinator; nobody themselves.
    assert_eq!(act(&app, &coord, &admin_id, "disable").await.status(), 403);
    assert_eq!(act(&app, &coord, &coord_id, "disable").await.status(), 403);
    assert_eq!(act(&app, &admin, &admin_id, "disable").await.status(), 403);
    assert_eq!(act(&app, &vol, &vol_id, "reset").await.status(), 403);

    // A disabled volunteer's phone is signed out and cannot sign in again; enabled, can.
    assert_eq!(act(&app, &coord, &vol_id, "disable").await.status(), 204);
    assert_eq!(
        error_code(app.get_with("/api/v1/me", &vol).await, 401).await,
        "unauthorized"
    );
    let res = app
        .post("/api/v1/login", login_body("vol.a", PW), None)
        .await;
    assert_eq!(error_code(res, 401).await, "invalid_credentials");
    let listed = app.get_json("/api/v1/members", &admin).await;
    let vol_row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == vol_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(vol_row["disabled"], true);
    assert_eq!(vol_row["devices"], 0);
    assert_eq!(act(&app, &coord, &vol_id, "enable").await.status(), 204);
    app.login("vol.a", PW).await;

    // Roles are the admins'.
    assert_eq!(
        role(&app, &coord, &vol_id, "coordinator").await.status(),
        403
    );
    assert_eq!(
        role(&app, &admin, &admin_id, "volunteer").await.status(),
        403
    );
    assert_eq!(
        role(&app, &admin, &vol_id, "coordinator").await.status(),
        204
    );
    let vol2 = app.login("vol.a", PW).await;
    assert_eq!(
        app.get_json("/api/v1/me", &vol2).await["role"],
        "coordinator"
    );

    // Another team's member is not found.
    app.add_user("B队", "vol-b", Role::Volunteer, PW).await;
    let pool = app.pool().await;
    let other: String = sqlx::query_scalar("SELECT id FROM users WHERE username = 'vol-b'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        error_code(act(&app, &admin, &other, "disable").await, 404).await,
        "not_found"
    );
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_for_that_account_only() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let (_, vol) = invite_and_join(&app, &admin, "volunteer", "vol.a").await;
    let res = app
        .post(
            &format!("/api/v1/members/{}/reset", vol["id"].as_str().unwrap()),
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let link: Value = res.json().await.unwrap();
    let info: Value = app
        .post("/api/v1/join/check", json!({ "code": link["code"] }), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["kind"], "reset");
    assert_eq!(info["username"], "vol.a");

    let reset = |username: &str| {
        app.post(
            "/api/v1/join",
            json!({ "code": link["code"], "username": username,
                    "password": "a-new-password-2", "device_name": "新手机" }),
            None,
        )
    };
    assert_eq!(error_code(reset("li.wei").await, 400).await, "bad_request");
    let res = reset("vol.a").await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap()["user"]["username"],
        "vol.a"
    );
    app.login("vol.a", "a-new-password-2").await;
    let old = app
        .post("/api/v1/login", login_body("vol.a", PW), None)
        .await;
    assert_eq!(error_code(old, 401).await, "invalid_credentials");
    // Still one account.
    assert_eq!(
        app.get_json("/api/v1/members", &admin)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn everyone_changes_their_own_password_and_the_audit_log_has_it_all() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let (vol, vol_user) = invite_and_join(&app, &admin, "volunteer", "vol.a").await;
    let change = |current: &str, new: &str| {
        app.post(
            "/api/v1/me/password",
            json!({ "current": current, "new": new }),
            Some(&vol),
        )
    };
    assert_eq!(
        error_code(change("wrong-password", "a-new-password-2").await, 401).await,
        "invalid_credentials"
    );
    assert_eq!(
        error_code(change(PW, "short").await, 400).await,
        "bad_request"
    );
    assert_eq!(change(PW, "a-new-password-2").await.status(), 204);
    app.login("vol.a", "a-new-password-2").await;
    // This phone stays signed in.
    assert_eq!(app.get_json("/api/v1/me", &vol).await["username"], "vol.a");

    let id = vol_user["id"].as_str().unwrap();
    for what in ["disable", "enable", "reset"] {
        let res = app
            .post(
                &format!("/api/v1/members/{id}/{what}"),
                json!({}),
                Some(&admin),
            )
            .await;
        assert!(res.status().is_success(), "{what}");
    }
    let log = app.get_json("/api/v1/audit", &admin).await["items"].clone();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "setup",
        "invite",
        "join",
        "password",
        "disable",
        "enable",
        "reset_link",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // Who did it: the admin disabled the volunteer.
    let disable = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "disable")
        .unwrap();
    assert_eq!(disable["username"], "li.wei");
    assert_eq!(disable["what"], "vol.a");
}

#[tokio::test]
async fn a_reset_link_gives_back_the_recovery_key_of_that_users_device_once() {
    let app = spawn_app().await;
    let (admin, _) = set_up(&app).await;
    let (_, vol) = invite_and_join(&app, &admin, "volunteer", "vol.a").await;
    let first = app.login_answer("vol.a", PW).await;
    let (device, key) = (first["device_id"].clone(), first["recovery_key"].clone());
    let link = |who: &Value| {
        let id = who["id"].as_str().unwrap().to_owned();
        let app = &app;
        let admin = admin.clone();
        async move {
            let res = app
                .post(
                    &format!("/api/v1/members/{id}/reset"),
                    json!({}),
                    Some(&admin),
                )
                .await;
            res.json::<Value>().await.unwrap()["code"].clone()
        }
    };
    let reset = |code: Value, recover: Value| {
        app.post(
            "/api/v1/join",
            json!({ "code": code, "username": "vol.a", "password": "a-new-password-2",
                    "device_name": "新手机", "recover": recover }),
            None,
        )
    };
    let res = reset(link(&vol).await, device.clone()).await;
    assert_eq!(res.status().as_u16(), 200);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["recovered_key"], key);
    assert_ne!(answer["recovery_key"], key);
    // Once only.
    let again: Value = reset(link(&vol).await, device).await.json().await.unwrap();
    assert!(again.get("recovered_key").is_none(), "{again}");
    // An invite never gives one back, whatever it names.
    let invite: Value = invite(&app, &admin, "volunteer", "李四")
        .await
        .json()
        .await
        .unwrap();
    let joined: Value = app
        .post(
            "/api/v1/join",
            json!({ "code": invite["code"], "username": "li.si", "password": "a-new-password-3",
                    "device_name": "手机", "recover": answer["device_id"] }),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(joined.get("recovered_key").is_none(), "{joined}");
    assert_eq!(joined["user"]["username"], "li.si");
}
