//! A burst of concurrent sign-ins against the real server in-process on 127.0.0.1:0 (fresh
//! SQLite file): how many were answered 200 / 401 / 429 / 503, how long the burst took, and
//! the process's peak memory before and after (each Argon2 check takes 19 MiB; the server
//! runs at most one per core, up to 4, so the peak stays bounded however many arrive).
//!
//! `cargo run --release -p doorstep-server --example login_burst -- --logins 300`

use std::collections::BTreeMap;
use std::time::Instant;

use doorstep_core::account::{Role, Username};
use doorstep_server::accounts::{self, NewUser};
use doorstep_server::{Application, ServeConfig};
use serde_json::json;

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[tokio::main]
async fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let logins: usize = match argv.as_slice() {
        [] => 300,
        [flag, n] if flag == "--logins" => n.parse().expect("a number"),
        _ => panic!("usage: login_burst [--logins N]"),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let database = format!("sqlite://{}", dir.path().join("burst.db").display());
    let app = Application::build(ServeConfig {
        static_dir: Some(dir.path().join("dist")),
        ..ServeConfig::new("127.0.0.1:0".parse().unwrap(), database.clone())
    })
    .await
    .expect("server");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let pool = doorstep_server::db::connect(&database).await.unwrap();
    accounts::add_team(&pool, "burst").await.unwrap();
    // Users of their own (so the per-username limit does not answer for the server), half
    // of them with a wrong password.
    let users = logins.min(50);
    for i in 0..users {
        let username = Username::parse(&format!("user{i}")).unwrap();
        accounts::add_user(
            &pool,
            NewUser {
                team: "burst",
                username: &username,
                display_name: "u",
                role: Role::Volunteer,
                password: "burst-password",
            },
        )
        .await
        .unwrap();
    }
    let before = peak_mib();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..logins)
        .map(|i| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                let password = if i % 2 == 0 { "burst-password" } else { "wrong-password" };
                client
                    .post(format!("{base}/api/v1/login"))
                    .json(&json!({ "username": format!("user{}", i % users), "password": password, "device_name": "p" }))
                    .send()
                    .await
                    .map_or(0, |r| r.status().as_u16())
            })
        })
        .collect();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for t in tasks {
        *by_status.entry(t.await.unwrap()).or_default() += 1;
    }
    let took = start.elapsed();
    println!(
        "login_burst: {logins} concurrent sign-ins in {:.2} s; answers {by_status:?}; peak RSS {before:.1} MiB before, {:.1} MiB after",
        took.as_secs_f64(),
        peak_mib()
    );
}
