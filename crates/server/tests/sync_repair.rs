//! A database restored from a backup, over real HTTP: the digest on the last pull page, the
//! ids a repair compares, and a phone (the core's client over an in-memory store, as the app
//! runs it) sending back what the restore lost. Runs on SQLite and on PostgreSQL.

mod common;

use common::{error_code, spawn_app, TestApp};
use doorstep_core::account::Role;
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::store::{LocalDb, MemoryStore, RecordKind};
use doorstep_core::sync::digest::Digest;
use doorstep_core::sync::wire::{IdsResponse, PullResponse, PushResponse, PUSH_BYTES};
use doorstep_core::sync::{client, repair};
use doorstep_core::visit::Visit;
use doorstep_core::{RecordId, UnixMillis};
use serde_json::{json, Value};

const PW: &str = "correct horse 1";

async fn team() -> (TestApp, String, String) {
    let app = spawn_app().await;
    app.add_user("A队", "vol-a", Role::Volunteer, PW).await;
    let vol = app.login("vol-a", PW).await;
    let me = app.get_json("/api/v1/me", &vol).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, vol, me)
}

/// One sync as the app runs it (src/sync/exchange.rs), through the real server. Returns
/// how many repairs ran.
async fn exchange(app: &TestApp, token: &str, db: &LocalDb<'_, MemoryStore>) -> usize {
    let mut repairs = 0;
    for _ in 0..5 {
        while let Some(batch) = client::next_push(db, 100, PUSH_BYTES).unwrap() {
            let res = app
                .post(
                    "/api/v1/sync/push",
                    serde_json::to_value(&batch.request).unwrap(),
                    Some(token),
                )
                .await;
            if res.status().as_u16() == 409 {
                assert_eq!(error_code(res, 409).await, "seq_gap");
                repair::on_gap(db).unwrap();
            } else {
                assert_eq!(res.status().as_u16(), 200);
                let answer: PushResponse = res.json().await.unwrap();
                client::on_pushed(db, &batch, &answer).unwrap();
            }
            repairs += run_repair(app, token, db).await;
        }
        loop {
            let except: Vec<String> = client::digest_except(db)
                .iter()
                .map(RecordId::to_string)
                .collect();
            let path = format!(
                "/api/v1/sync/pull?protocol=1&cursor={}&limit=2&except={}",
                client::cursor(db),
                except.join(",")
            );
            let page: PullResponse =
                serde_json::from_value(app.get_json(&path, token).await).unwrap();
            if client::on_pulled(db, &page, UnixMillis(1)).unwrap().repair {
                repairs += run_repair(app, token, db).await;
                break;
            }
            if !page.more {
                return repairs;
            }
        }
    }
    panic!("sync did not settle");
}

async fn run_repair(app: &TestApp, token: &str, db: &LocalDb<'_, MemoryStore>) -> usize {
    let mut ran = 0;
    while let Some(after) = repair::under_way(db) {
        ran = 1;
        let after = after.map(|a| a.to_string()).unwrap_or_default();
        let path = format!("/api/v1/sync/ids?protocol=1&after={after}&limit=2");
        let page: IdsResponse = serde_json::from_value(app.get_json(&path, token).await).unwrap();
        repair::on_ids(db, &page).unwrap();
    }
    ran
}

/// A `records` row.
type RecordRow = (
    String,
    String,
    String,
    i64,
    i64,
    String,
    Option<String>,
    i64,
    String,
);

/// Every row sync keeps, to put back as a restore from a backup would.
struct Backup {
    records: Vec<RecordRow>,
    teams: Vec<(String, i64, Option<i64>, Option<i64>)>,
    devices: Vec<(String, Option<i64>)>,
}

async fn backup(app: &TestApp) -> Backup {
    let pool = app.pool().await;
    Backup {
        records: sqlx::query_as(
            "SELECT team_id, id, kind, rev, deleted, created_by, day, received_at, doc FROM records",
        )
        .fetch_all(&pool)
        .await
        .unwrap(),
        teams: sqlx::query_as("SELECT id, clock, digest_count, digest_xor FROM teams")
            .fetch_all(&pool)
            .await
            .unwrap(),
        devices: sqlx::query_as("SELECT id, last_seq FROM devices")
            .fetch_all(&pool)
            .await
            .unwrap(),
    }
}

async fn restore(app: &TestApp, b: &Backup) {
    let pool = app.pool().await;
    sqlx::query("DELETE FROM records")
        .execute(&pool)
        .await
        .unwrap();
    for r in &b.records {
        sqlx::query(
            "INSERT INTO records (team_id, id, kind, rev, deleted, created_by, day, received_at, doc)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&r.0)
        .bind(&r.1)
        .bind(&r.2)
        .bind(r.3)
        .bind(r.4)
        .bind(&r.5)
        .bind(&r.6)
        .bind(r.7)
        .bind(&r.8)
        .execute(&pool)
        .await
        .unwrap();
    }
    for (id, clock, count, xor) in &b.teams {
        sqlx::query(
            "UPDATE teams SET clock = $1, digest_count = $2, digest_xor = $3 WHERE id = $4",
        )
        .bind(clock)
        .bind(count)
        .bind(xor)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    }
    for (id, last) in &b.devices {
        sqlx::query("UPDATE devices SET last_seq = $1 WHERE id = $2")
            .bind(last)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
    }
}

fn visit(n: u32, author: &str) -> Visit {
    let mut v = full_visit(n, &household(1), "聊天");
    v.author = author.into();
    v
}

/// The ids of the server's records; `records_ids` leaves out the roster people and units the
/// server makes (one per account and per old volunteer name).
async fn server_ids(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM records ORDER BY id")
        .fetch_all(&app.pool().await)
        .await
        .unwrap()
}

/// How many roster people and units the server holds.
async fn roster(app: &TestApp) -> usize {
    server_ids(app).await.len() - records_ids(app).await.len()
}

async fn records_ids(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT id FROM records WHERE kind IN ('household', 'visit', 'event') ORDER BY id",
    )
    .fetch_all(&app.pool().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_last_page_carries_the_teams_digest_leaving_out_what_the_phone_asks() {
    let (app, vol, me) = team().await;
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let h = household(1);
    db.save_household(&h, UnixMillis(10)).unwrap();
    let v = visit(1, &me);
    db.save_visit(&v, UnixMillis(11)).unwrap();
    db.delete(RecordKind::Visit, v.id, UnixMillis(12)).unwrap();
    assert_eq!(
        exchange(&app, &vol, &db).await,
        0,
        "a quiet world never repairs"
    );
    let page = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    let page: PullResponse = serde_json::from_value(page).unwrap();
    let want = Digest::of(page.records.iter().map(|r| {
        let rec: Value = serde_json::from_str(r.record.get()).unwrap();
        let at = UnixMillis(rec["updated_at"].as_i64().unwrap());
        (r.id, Digest::version(at, r.deleted))
    }));
    assert_eq!(page.digest, Some(want));
    assert_eq!(want.count as usize, 2 + roster(&app).await);
    let path = format!("/api/v1/sync/pull?protocol=1&cursor=0&except={}", h.id);
    let without: PullResponse = serde_json::from_value(app.get_json(&path, &vol).await).unwrap();
    assert_eq!(without.except, vec![h.id]);
    assert_eq!(without.digest.map(|d| d.count), Some(want.count - 1));
    // A page with more to come carries none.
    let first = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0&limit=1", &vol)
        .await;
    assert!(first.get("digest").is_none());
    // Bad input is a clear 400.
    let bad = app
        .get_with("/api/v1/sync/pull?protocol=1&except=nope", &vol)
        .await;
    assert_eq!(error_code(bad, 400).await, "bad_request");
    let many = vec![h.id.to_string(); 21].join(",");
    let res = app
        .get_with(&format!("/api/v1/sync/pull?protocol=1&except={many}"), &vol)
        .await;
    assert_eq!(error_code(res, 400).await, "bad_request");
}

#[tokio::test]
async fn ids_come_in_id_order_with_what_a_repair_compares() {
    let (app, vol, _) = team().await;
    let batch: Vec<Value> = (1..=5u32)
        .map(|i| {
            let h = household(i);
            json!({ "seq": i, "at": 1_795_714_200_000u64, "op": { "put": {
                "kind": "household", "id": h.id, "base": 0, "record": h } } })
        })
        .collect();
    let res = app
        .post(
            "/api/v1/sync/push",
            json!({ "protocol": 1, "mutations": batch }),
            Some(&vol),
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/sync/ids?protocol=1&after={after}&limit=2");
        let page: IdsResponse = serde_json::from_value(app.get_json(&path, &vol).await).unwrap();
        assert!(page.ids.len() <= 2);
        seen.extend(page.ids.iter().map(|e| e.id.to_string()));
        if !page.more {
            break;
        }
        after = page.ids.last().unwrap().id.to_string();
    }
    assert_eq!(seen, server_ids(&app).await);
    assert_eq!(
        seen.len(),
        records_ids(&app).await.len() + roster(&app).await
    );
    assert_eq!(records_ids(&app).await.len(), 5);
    let bad = app
        .get_with("/api/v1/sync/ids?protocol=1&after=x", &vol)
        .await;
    assert_eq!(error_code(bad, 400).await, "bad_request");
    let old = app.get_with("/api/v1/sync/ids?protocol=0", &vol).await;
    assert_eq!(error_code(old, 400).await, "unsupported_protocol");
}

#[tokio::test]
async fn a_phone_sends_back_what_a_restored_database_lost() {
    let (app, vol, me) = team().await;
    let store = MemoryStore::new();
    let db = LocalDb::new(&store);
    let h = household(1);
    db.save_household(&h, UnixMillis(10)).unwrap();
    let v1 = visit(1, &me);
    db.save_visit(&v1, UnixMillis(11)).unwrap();
    exchange(&app, &vol, &db).await;
    let saved = backup(&app).await;
    // After the backup: a new visit and an edit, both acknowledged by the server.
    let v2 = visit(2, &me);
    db.save_visit(&v2, UnixMillis(20)).unwrap();
    let mut edited: Visit = db.visits().get(&v1.id.to_string()).unwrap().unwrap();
    edited.notes = "备份之后改的".into();
    edited.updated_at = UnixMillis(v1.updated_at.0 + 1_000);
    db.save_visit(&edited, UnixMillis(21)).unwrap();
    exchange(&app, &vol, &db).await;
    assert_eq!(records_ids(&app).await.len(), 3);

    restore(&app, &saved).await;
    assert_eq!(records_ids(&app).await.len(), 2);
    // And a visit saved after the restore: its number comes after ones the server forgot.
    let v3 = visit(3, &me);
    db.save_visit(&v3, UnixMillis(30)).unwrap();
    assert!(exchange(&app, &vol, &db).await >= 1);
    let mut want: Vec<String> = [h.id, v1.id, v2.id, v3.id]
        .iter()
        .map(|i| i.to_string())
        .collect();
    want.sort();
    assert_eq!(records_ids(&app).await, want, "each once");
    let listed = app
        .get_json("/api/v1/sync/pull?protocol=1&cursor=0", &vol)
        .await;
    let v1_now = listed["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == v1.id.to_string())
        .unwrap();
    assert_eq!(v1_now["record"]["notes"], "备份之后改的");
    assert_eq!(exchange(&app, &vol, &db).await, 0, "then quiet");
}
