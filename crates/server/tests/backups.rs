//! `serve --backup-dir`: automatic, verified backups on a running server, the oldest removed,
//! failures in /healthz. SQLite only (PostgreSQL is refused with a pointer to pg_dump).

use std::path::Path;
use std::time::Duration;

use doorstep_server::auto_backup;
use doorstep_server::cli::ServeConfig;
use doorstep_server::{Application, StartError};
use serde_json::Value;

async fn start(dir: &Path, backup_dir: &Path, every: Duration, keep: u32) -> String {
    let db = format!("sqlite://{}", dir.join("db.sqlite").display());
    let mut config = ServeConfig::new("127.0.0.1:0".parse().unwrap(), db);
    config.backups.backup_dir = Some(backup_dir.to_owned());
    config.backups.backup_every = every;
    config.backups.backup_keep = keep;
    let app = Application::build(config).await.expect("server starts");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    base
}

async fn health(base: &str) -> Value {
    reqwest::get(format!("{base}/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn backups_are_taken_on_schedule_verified_and_the_oldest_removed() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("notes.txt"), "the operator's own file").unwrap();
    let base = start(dir.path(), &backups, Duration::from_secs(1), 2).await;
    // The first backup is due at once (none yet); then one a second. Watch /healthz name
    // four different files.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..100 {
        let h = health(&base).await;
        assert_eq!(h["status"], "ok", "{h}");
        if let Some(f) = h["backups"]["last_file"].as_str() {
            seen.insert(f.to_owned());
        }
        if seen.len() >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(seen.len() >= 4, "backups seen: {seen:?}");
    let kept = auto_backup::backups_in(&backups);
    assert!(
        (2..=3).contains(&kept.len()),
        "keep 2 (one more may be in the making): {kept:?}"
    );
    let oldest = seen.iter().next().unwrap();
    assert!(!kept.contains(oldest), "the oldest was removed: {kept:?}");
    assert!(
        backups.join("notes.txt").exists(),
        "other files are left alone"
    );
    // Each kept file is a whole Doorstep database: restore accepts it.
    for name in &kept {
        let target = format!(
            "sqlite://{}",
            dir.path().join(format!("restored-{name}")).display()
        );
        let out = doorstep_server::backup::restore(&target, &backups.join(name))
            .await
            .expect("a kept backup restores");
        assert!(out.contains("integrity ok"), "{out}");
    }
}

#[tokio::test]
async fn a_failing_backup_is_in_healthz_and_the_server_serves_on() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the directory should be: every attempt fails.
    let not_a_dir = dir.path().join("backups");
    std::fs::write(&not_a_dir, "in the way").unwrap();
    let base = start(dir.path(), &not_a_dir, Duration::from_secs(3600), 14).await;
    let mut h = health(&base).await;
    for _ in 0..50 {
        if h["status"] == "degraded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        h = health(&base).await;
    }
    assert_eq!(h["status"], "degraded", "{h}");
    let error = h["backups"]["error"].as_str().unwrap();
    assert!(error.contains("backups"), "{error}");
    assert!(h["backups"]["last_ok_at"].is_null(), "{h}");
    // Retried within 15 minutes, not a day.
    let next = h["backups"]["next_at"].as_i64().unwrap();
    let now = doorstep_server::accounts::now_millis();
    assert!(
        next - now <= 15 * 60 * 1000 + 1000,
        "next try in {} ms",
        next - now
    );
    // The app and the API still answer.
    let me = reqwest::get(format!("{base}/api/v1/me")).await.unwrap();
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn postgres_is_refused_with_a_pointer_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServeConfig::new(
        "127.0.0.1:0".parse().unwrap(),
        "postgres://doorstep:secret@127.0.0.1:1/doorstep",
    );
    config.backups.backup_dir = Some(dir.path().to_owned());
    match Application::build(config).await {
        Err(StartError::Backups(m)) => assert!(m.contains("pg_dump"), "{m}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("PostgreSQL with --backup-dir must be refused"),
    }
}
