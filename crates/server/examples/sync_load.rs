//! Sync load generator (loopback only, bounded): the real server in-process on 127.0.0.1:0
//! with a fresh SQLite file.
//!
//! 1. ingest: one phone pushes `--ingest` visits in batches of 100 — visits per second;
//! 2. load: `--devices` phones in 10 teams push 5 visits and pull, again and again, for
//!    `--seconds` — p50 / p99 latency, errors, and whether every acknowledged visit is stored
//!    exactly once;
//! 3. with `--export 1`, between the two: the ingested visits exported as CSV and XLSX —
//!    time, size and the growth of the process's peak memory.
//!
//! `cargo run --release -p doorstep-server --example sync_load -- --devices 500 --seconds 60`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use doorstep_core::account::{Role, Username};
use doorstep_core::store::conformance::{full_visit, household};
use doorstep_core::{RecordId, UnixMillis};
use doorstep_server::accounts::{self, NewUser};
use doorstep_server::{Application, ServeConfig};
use serde_json::{json, Value};

struct Args {
    ingest: usize,
    devices: usize,
    seconds: u64,
    /// A PostgreSQL server (its admin URL) to run on, in a fresh database; else SQLite.
    postgres: Option<String>,
    /// Export the ingested visits (CSV streamed, XLSX) and print time, size and peak memory.
    export: bool,
}

fn args() -> Args {
    let mut a = Args {
        ingest: 10_000,
        devices: 500,
        seconds: 60,
        postgres: None,
        export: false,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        if pair[0] == "--postgres" {
            a.postgres = pair.get(1).cloned();
            continue;
        }
        let v = pair.get(1).and_then(|v| v.parse().ok());
        match (pair[0].as_str(), v) {
            ("--ingest", Some(n)) => a.ingest = n,
            ("--devices", Some(n)) => a.devices = n,
            ("--seconds", Some(n)) => a.seconds = n as u64,
            ("--export", Some(n)) => a.export = n == 1,
            _ => panic!(
                "usage: sync_load [--ingest N] [--devices N] [--seconds N] [--export 1] [--postgres ADMIN_URL]"
            ),
        }
    }
    a
}

static NEXT: AtomicU64 = AtomicU64::new(1);

/// A visit with a fresh id, as a push mutation.
fn visit_mutation(seq: u64) -> Value {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut random = [7u8; 10];
    random[..8].copy_from_slice(&n.to_be_bytes());
    let mut v = full_visit(1, &household(1), "聊天陪伴，老人精神很好");
    v.id = RecordId::mint(UnixMillis(1_800_000_000_000 + n as i64), random);
    // Filed under the pushing user (a named other author would be refused).
    v.author = String::new();
    json!({ "seq": seq, "at": 1_795_714_200_000u64, "op": { "put": {
        "kind": "visit", "id": v.id.to_string(), "base": 0, "record": v } } })
}

/// How many outcomes of a push answer were refusals (all of them if it is not one).
fn refused(answer: Value) -> u64 {
    answer["outcomes"].as_array().map_or(u64::MAX, |o| {
        o.iter().filter(|x| x.get("rejected").is_some()).count() as u64
    })
}

/// This process's peak resident memory in KiB since the last reset (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The export phase: a coordinator of the ingest phone's team downloads the visits as CSV
/// and XLSX (both streamed); time, size, and how much the process's peak memory grew.
async fn export(
    pool: &sqlx::AnyPool,
    client: &reqwest::Client,
    base: &str,
    team: &str,
    visits: usize,
) {
    let username = Username::parse("coord-export").unwrap();
    accounts::add_user(
        pool,
        NewUser {
            team,
            username: &username,
            display_name: "协调员",
            role: Role::Coordinator,
            password: "load-test-password",
        },
    )
    .await
    .unwrap();
    let user = accounts::check_credentials(
        pool,
        &Default::default(),
        "coord-export",
        "load-test-password",
    )
    .await
    .unwrap()
    .expect("coordinator");
    let token = accounts::add_device(pool, &user, "desk")
        .await
        .unwrap()
        .token;
    for ext in ["csv", "xlsx"] {
        reset_peak();
        let before = peak_kib();
        let start = Instant::now();
        let res = client
            .get(format!("{base}/api/v1/export/visits.{ext}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "export {ext}");
        let mut res = res;
        let mut bytes = 0usize;
        while let Some(chunk) = res.chunk().await.unwrap() {
            bytes += chunk.len();
        }
        println!(
            "export: {visits} visits as {ext}: {:.2} s, {:.1} MB, peak memory +{:.1} MB",
            start.elapsed().as_secs_f64(),
            bytes as f64 / 1e6,
            peak_kib().saturating_sub(before) as f64 / 1024.0
        );
    }
}

struct Phone {
    team: String,
    token: String,
    seq: u64,
    cursor: u64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = match &a.postgres {
        Some(admin) => fresh_postgres(admin).await,
        None => format!("sqlite://{}", dir.path().join("load.db").display()),
    };
    let app = Application::build(ServeConfig {
        static_dir: Some(dir.path().join("dist")),
        ..ServeConfig::new("127.0.0.1:0".parse().unwrap(), db_url.clone())
    })
    .await
    .expect("server");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let pool = doorstep_server::db::connect(&db_url).await.unwrap();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap();

    // Ten teams, one user each, the phones spread over them (tokens made directly: no
    // password hashing per phone).
    let mut phones = Vec::new();
    for t in 0..10 {
        let team = format!("team-{t}");
        accounts::add_team(&pool, &team).await.unwrap();
        let username = Username::parse(&format!("vol-{t}")).unwrap();
        accounts::add_user(
            &pool,
            NewUser {
                team: &team,
                username: &username,
                display_name: "志愿者",
                role: Role::Volunteer,
                password: "load-test-password",
            },
        )
        .await
        .unwrap();
        let user = accounts::check_credentials(
            &pool,
            &Default::default(),
            username.as_str(),
            "load-test-password",
        )
        .await
        .unwrap()
        .expect("user");
        for d in 0..a.devices.div_ceil(10).max(1) {
            let token = accounts::add_device(&pool, &user, &format!("phone-{d}"))
                .await
                .unwrap()
                .token;
            phones.push(Phone {
                team: team.clone(),
                token,
                seq: 0,
                cursor: 0,
            });
        }
    }
    phones.truncate(a.devices.max(1));

    // 1. Ingest: one phone, batches of 100.
    let mut ingest_phone = phones.pop().unwrap();
    let start = Instant::now();
    let mut pushed = 0;
    while pushed < a.ingest {
        let n = (a.ingest - pushed).min(100);
        let mutations: Vec<Value> = (0..n)
            .map(|_| {
                ingest_phone.seq += 1;
                visit_mutation(ingest_phone.seq)
            })
            .collect();
        let res = client
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&ingest_phone.token)
            .json(&json!({ "protocol": 1, "mutations": mutations }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "ingest push");
        assert_eq!(refused(res.json().await.unwrap()), 0, "ingest refused");
        pushed += n;
    }
    let took = start.elapsed();
    println!(
        "ingest: {pushed} visits in {:.2} s = {:.0} visits/s (batches of 100, one phone, {})",
        took.as_secs_f64(),
        pushed as f64 / took.as_secs_f64(),
        if a.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    if a.export {
        export(&pool, &client, &base, &ingest_phone.team, a.ingest).await;
    }
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .unwrap();

    // 2. Load: every phone pushes 5 visits and pulls, until the time is up.
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let acked = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for mut phone in phones {
        let client = client.clone();
        let base = base.clone();
        let acked = acked.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut push_lat = Vec::new();
            let mut pull_lat = Vec::new();
            while Instant::now() < deadline {
                let mutations: Vec<Value> =
                    (0..5).map(|i| visit_mutation(phone.seq + 1 + i)).collect();
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/sync/push"))
                    .bearer_auth(&phone.token)
                    .json(&json!({ "protocol": 1, "mutations": mutations }))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        push_lat.push(t.elapsed());
                        phone.seq += 5;
                        // A refused visit is acknowledged but not stored: an error here.
                        let no = refused(r.json().await.unwrap_or(Value::Null));
                        acked.fetch_add(5 - no, Ordering::Relaxed);
                        errors.fetch_add(no, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                }
                let t = Instant::now();
                let res = client
                    .get(format!(
                        "{base}/api/v1/sync/pull?protocol=1&cursor={}",
                        phone.cursor
                    ))
                    .bearer_auth(&phone.token)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        let page: Value = r.json().await.unwrap_or(Value::Null);
                        pull_lat.push(t.elapsed());
                        if let Some(c) = page["cursor"].as_u64() {
                            phone.cursor = c;
                        }
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            (push_lat, pull_lat)
        }));
    }
    let mut push_lat = Vec::new();
    let mut pull_lat = Vec::new();
    for t in tasks {
        let (p, q) = t.await.unwrap();
        push_lat.extend(p);
        pull_lat.extend(q);
    }
    push_lat.sort();
    pull_lat.sort();
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await
        .unwrap();
    let acked = acked.load(Ordering::Relaxed) as i64;
    println!(
        "load: {} phones for {} s: {} pushes (p50 {:.1} ms, p99 {:.1} ms), {} pulls (p50 {:.1} ms, p99 {:.1} ms), {} errors",
        a.devices,
        a.seconds,
        push_lat.len(),
        percentile(&push_lat, 0.5).as_secs_f64() * 1e3,
        percentile(&push_lat, 0.99).as_secs_f64() * 1e3,
        pull_lat.len(),
        percentile(&pull_lat, 0.5).as_secs_f64() * 1e3,
        percentile(&pull_lat, 0.99).as_secs_f64() * 1e3,
        errors.load(Ordering::Relaxed),
    );
    println!(
        "load: {acked} visits acknowledged, {} stored: {} lost, {} duplicated",
        after - before,
        (acked - (after - before)).max(0),
        ((after - before) - acked).max(0)
    );
}

/// A new, empty PostgreSQL database on the server `admin` points at; its URL.
async fn fresh_postgres(admin: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("doorstep_load_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::AnyConnection::connect(admin)
        .await
        .expect("PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    format!("{base}/{name}")
}
