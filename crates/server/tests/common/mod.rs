//! `spawn_app()`: the real server on 127.0.0.1:0 with a fresh SQLite file and a fake build.
#![allow(dead_code)]

use std::path::PathBuf;

use doorstep_core::account::{Role, Username};
use doorstep_server::accounts::{self, NewUser};
use doorstep_server::{Application, ServeConfig};
use serde_json::{json, Value};
use tempfile::TempDir;

pub const HASHED_JS: &str = "doorstep-0123456789abcdef.js";
pub const INDEX_HTML: &str = "<!doctype html><title>Doorstep</title>";

pub struct TestApp {
    pub base: String,
    /// The database URL the server uses: a SQLite file in `dir`, or a fresh PostgreSQL
    /// database when DOORSTEP_TEST_DATABASE names a PostgreSQL server.
    pub database: String,
    pub dir: TempDir,
    pub client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("data/doorstep.db")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }
}

/// Asserts an API error: `status`, a JSON body `{"error":{"code","message"}}` with a message;
/// returns the code.
pub async fn error_code(res: reqwest::Response, status: u16) -> String {
    assert_eq!(res.status().as_u16(), status);
    assert!(res.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = res.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body["error"]["code"].as_str().unwrap().to_owned()
}

impl TestApp {
    pub async fn pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database)
            .await
            .expect("test database")
    }

    /// Adds a team (if new) and a user with `password` straight into the database.
    pub async fn add_user(&self, team: &str, username: &str, role: Role, password: &str) {
        let pool = self.pool().await;
        let _ = accounts::add_team(&pool, team).await;
        let username = Username::parse(username).unwrap();
        accounts::add_user(
            &pool,
            NewUser {
                team,
                username: &username,
                display_name: username.as_str(),
                role,
                password,
            },
        )
        .await
        .expect("add user");
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    /// `POST /api/v1/sync/push` of `mutations` (protocol 1) as `token`.
    pub async fn push(&self, token: &str, mutations: Vec<Value>) -> reqwest::Response {
        self.post(
            "/api/v1/sync/push",
            json!({ "protocol": 1, "mutations": mutations }),
            Some(token),
        )
        .await
    }

    pub async fn get_with(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// GET as `token`, expecting 200 and JSON.
    pub async fn get_json(&self, path: &str, token: &str) -> Value {
        let res = self.get_with(path, token).await;
        assert_eq!(res.status().as_u16(), 200, "GET {path}");
        res.json().await.expect("JSON")
    }

    /// Pushes `records` (kind, record) as new puts from `token`'s device, in batches of 100,
    /// numbered from 1, and asserts each batch was answered 200 with nothing refused.
    pub async fn push_records(&self, token: &str, records: &[(&str, Value)]) {
        let mutations: Vec<Value> = records
            .iter()
            .enumerate()
            .map(|(i, (kind, r))| {
                json!({ "seq": i + 1, "at": 1, "op": { "put": {
                    "kind": kind, "id": r["id"], "base": 0, "record": r } } })
            })
            .collect();
        for chunk in mutations.chunks(100) {
            let res = self
                .post(
                    "/api/v1/sync/push",
                    json!({ "protocol": 1, "mutations": chunk }),
                    Some(token),
                )
                .await;
            assert_eq!(res.status().as_u16(), 200);
            let answer: Value = res.json().await.unwrap();
            let refused: Vec<&Value> = answer["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o.get("rejected").is_some())
                .collect();
            assert!(refused.is_empty(), "{refused:?}");
        }
    }

    /// Team "A队" with a volunteer and a coordinator (password `password`), both signed in:
    /// (volunteer's token, coordinator's token).
    #[allow(dead_code)] // not every test binary uses it
    pub async fn volunteer_and_coordinator(&self, password: &str) -> (String, String) {
        self.add_user("A队", "vol-a", Role::Volunteer, password)
            .await;
        self.add_user("A队", "coord-a", Role::Coordinator, password)
            .await;
        (
            self.login("vol-a", password).await,
            self.login("coord-a", password).await,
        )
    }

    /// Signs in and returns the device token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = self.login_answer(username, password).await;
        body["token"].as_str().unwrap().to_owned()
    }

    /// Signs in and returns the whole answer (token, user, device id, recovery key).
    pub async fn login_answer(&self, username: &str, password: &str) -> Value {
        let res = self
            .post(
                "/api/v1/login",
                json!({ "username": username, "password": password, "device_name": "test phone" }),
                None,
            )
            .await;
        assert_eq!(res.status().as_u16(), 200, "login {username}");
        res.json().await.unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Every route that reads the team's records as a coordinator: pull, ids, the lists, the six
/// exports and the monthly report (JSON and printable), for November 2026.
#[allow(dead_code)] // not every test binary uses it
pub fn team_reads() -> Vec<String> {
    let mut paths: Vec<String> = [
        "/api/v1/sync/pull?protocol=1&cursor=0",
        "/api/v1/sync/ids?protocol=1",
        "/api/v1/visits",
        "/api/v1/households",
        "/api/v1/events",
        "/api/v1/reports/monthly?month=2026-11",
        "/api/v1/reports/monthly?month=2026-11&format=html",
    ]
    .map(str::to_owned)
    .into();
    for kind in ["visits", "events", "households"] {
        for ext in ["csv", "xlsx"] {
            paths.push(format!(
                "/api/v1/export/{kind}.{ext}?from=2026-11-01&to=2026-11-30"
            ));
        }
    }
    paths
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(true).await
}

pub async fn spawn_app_with(built: bool) -> TestApp {
    spawn_app_configured(built, |_| {}).await
}

/// `spawn_app_with`, the configuration changed by `edit` first (e.g. a trusted proxy).
pub async fn spawn_app_configured(built: bool, edit: impl FnOnce(&mut ServeConfig)) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    if built {
        std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(dist.join(HASHED_JS), "console.log('doorstep');".repeat(100)).unwrap();
        std::fs::write(
            dist.join("sw.js"),
            "self.addEventListener('fetch', () => {});",
        )
        .unwrap();
    }
    let database = match std::env::var("DOORSTEP_TEST_DATABASE") {
        Ok(admin) if doorstep_server::db::is_postgres(&admin) => fresh_postgres(&admin).await,
        _ => format!("sqlite://{}", dir.path().join("data/doorstep.db").display()),
    };
    let mut config = ServeConfig {
        static_dir: Some(dist),
        ..ServeConfig::new("127.0.0.1:0".parse().unwrap(), database.clone())
    };
    edit(&mut config);
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        database,
        dir,
        client: reqwest::Client::new(),
        shutdown: Some(tx),
    }
}

/// A new, empty PostgreSQL database on the server `admin` points at; its URL.
async fn fresh_postgres(admin: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("doorstep_test_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::AnyConnection::connect(admin)
        .await
        .expect("PostgreSQL from DOORSTEP_TEST_DATABASE");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    format!("{base}/{name}")
}

/// A pull page's records other than the roster people and units the server makes (one per
/// account and per old volunteer name; tests/roster.rs covers them).
#[allow(dead_code)]
pub fn team_records(page: &Value) -> Vec<&Value> {
    page["records"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .filter(|r| r["kind"] != "person" && r["kind"] != "unit")
                .collect()
        })
        .unwrap_or_default()
}
