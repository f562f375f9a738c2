//! `serve --backup-dir DIR`: a verified backup of the SQLite database every `--backup-every`
//! (the same copy as `backup --to`), the newest `--backup-keep` kept. Files are named by
//! their UTC time, so the schedule survives restarts: the next backup is due one interval
//! after the newest in the directory. A failure is logged, shown by `/healthz`, and retried
//! sooner than the interval.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use doorstep_core::day::Day;
use doorstep_core::UnixMillis;
use serde::Serialize;
use sqlx::AnyPool;

use crate::accounts::now_millis;
use crate::backup;

const PREFIX: &str = "doorstep-";
const SUFFIX: &str = ".sqlite";
const DAY_MS: i64 = 86_400_000;
/// After a failure, the next try comes at most this much later.
const RETRY: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
}

/// What `/healthz` says about backups.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub dir: String,
    pub last_ok_at: Option<i64>,
    pub last_file: Option<String>,
    /// The last attempt's error; cleared by the next success.
    pub error: Option<String>,
    pub next_at: Option<i64>,
}

pub type Status = Arc<Mutex<Report>>;

/// `doorstep-20261202-183005.sqlite` for a time in UTC.
pub fn file_name(at: UnixMillis) -> String {
    let day = Day::from_unix_millis(at, 0);
    let (y, m, d) = day.ymd();
    let secs = at.0.rem_euclid(DAY_MS) / 1000;
    format!(
        "{PREFIX}{y:04}{m:02}{d:02}-{:02}{:02}{:02}{SUFFIX}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The time in a backup's file name (None for any other file).
pub fn time_of(name: &str) -> Option<UnixMillis> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (date, time) = stamp.split_once('-')?;
    if date.len() != 8 || time.len() != 6 || !stamp.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let day = Day::from_ymd(
        num(&date[..4])? as i32,
        num(&date[4..6])? as u8,
        num(&date[6..])? as u8,
    )?;
    let (h, mi, s) = (num(&time[..2])?, num(&time[2..4])?, num(&time[4..])?);
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(UnixMillis(
        day.days_since_epoch() * DAY_MS + (h * 3600 + mi * 60 + s) * 1000,
    ))
}

/// The backups in `dir`, oldest first (other files are left alone).
pub fn backups_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| time_of(n).is_some())
        .collect();
    names.sort();
    names
}

/// Removes the oldest backups beyond `keep`; what it removed.
pub fn prune(dir: &Path, keep: usize) -> Vec<String> {
    let names = backups_in(dir);
    let surplus = names.len().saturating_sub(keep);
    names
        .into_iter()
        .take(surplus)
        .filter(|n| std::fs::remove_file(dir.join(n)).is_ok())
        .collect()
}

/// When the next backup is due: one interval after the newest, or now.
fn next_due(schedule: &Schedule, now: i64) -> i64 {
    backups_in(&schedule.dir)
        .last()
        .and_then(|n| time_of(n))
        .map_or(now, |t| (t.0 + schedule.every.as_millis() as i64).max(now))
}

/// One backup now: written under a temporary name, verified, then renamed, so a file with a
/// backup's name is always whole. Returns the file's name.
pub async fn run_once(pool: &AnyPool, schedule: &Schedule) -> Result<String, String> {
    std::fs::create_dir_all(&schedule.dir)
        .map_err(|e| format!("{}: {e}", schedule.dir.display()))?;
    let name = file_name(UnixMillis(now_millis()));
    let target = schedule.dir.join(&name);
    if target.exists() {
        return Err(format!("{} exists already", target.display()));
    }
    let partial = schedule.dir.join(format!("{name}.partial"));
    let _ = std::fs::remove_file(&partial);
    backup::backup_with(pool, &partial).await?;
    std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(name)
}

/// Runs the schedule for as long as the server runs.
pub fn spawn(pool: AnyPool, schedule: Schedule) -> Status {
    let status: Status = Arc::new(Mutex::new(Report {
        dir: schedule.dir.display().to_string(),
        ..Report::default()
    }));
    let report = status.clone();
    tokio::spawn(async move {
        let mut due = next_due(&schedule, now_millis());
        loop {
            set(&report, |r| r.next_at = Some(due));
            let wait = (due - now_millis()).max(0) as u64;
            tokio::time::sleep(Duration::from_millis(wait)).await;
            match run_once(&pool, &schedule).await {
                Ok(name) => {
                    let removed = prune(&schedule.dir, schedule.keep);
                    tracing::info!(file = %name, removed = removed.len(), "backup written and verified");
                    set(&report, |r| {
                        r.last_ok_at = Some(now_millis());
                        r.last_file = Some(name);
                        r.error = None;
                    });
                    due = next_due(&schedule, now_millis());
                }
                Err(e) => {
                    tracing::error!(error = %e, dir = %schedule.dir.display(), "automatic backup failed");
                    set(&report, |r| r.error = Some(e));
                    due = now_millis() + schedule.every.min(RETRY).as_millis() as i64;
                }
            }
        }
    });
    status
}

fn set(status: &Status, f: impl FnOnce(&mut Report)) {
    if let Ok(mut r) = status.lock() {
        f(&mut r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sort_by_time() {
        let t = UnixMillis(1_796_236_205_000); // 2026-12-02 18:30:05 UTC
        assert_eq!(file_name(t), "doorstep-20261202-183005.sqlite");
        assert_eq!(time_of(&file_name(t)), Some(t));
        let later = UnixMillis(t.0 + 86_400_000 * 40 + 1000);
        assert!(file_name(later) > file_name(t));
        for other in [
            "doorstep.db",
            "doorstep-20261202-183005.sqlite.partial",
            "doorstep-20261302-183005.sqlite",
            "doorstep-20261202-243005.sqlite",
            "doorstep-2026120-1830050.sqlite",
            "notes.txt",
        ] {
            assert_eq!(time_of(other), None, "{other}");
        }
    }

    #[test]
    fn prune_keeps_the_newest_and_leaves_other_files() {
        let dir = tempfile::tempdir().unwrap();
        for h in 10..15 {
            std::fs::write(
                dir.path().join(format!("doorstep-20261202-{h}0000.sqlite")),
                "x",
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("README.txt"), "mine").unwrap();
        let removed = prune(dir.path(), 2);
        assert_eq!(removed.len(), 3);
        assert_eq!(
            backups_in(dir.path()),
            [
                "doorstep-20261202-130000.sqlite",
                "doorstep-20261202-140000.sqlite"
            ]
        );
        assert!(dir.path().join("README.txt").exists());
    }

    #[test]
    fn due_one_interval_after_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let schedule = Schedule {
            dir: dir.path().to_owned(),
            every: Duration::from_secs(3600),
            keep: 3,
        };
        let now = 1_796_236_205_000;
        assert_eq!(next_due(&schedule, now), now);
        std::fs::write(dir.path().join(file_name(UnixMillis(now - 600_000))), "x").unwrap();
        assert_eq!(next_due(&schedule, now), now - 600_000 + 3_600_000);
        // Overdue (the server was down): now.
        assert_eq!(next_due(&schedule, now + 7_200_000), now + 7_200_000);
    }
}
