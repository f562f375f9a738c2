//! What phones keep (`doorstep_core::sync::window`), on the server: the team's window, the
//! columns its rule reads, and the pull of a phone that asks for a window.

use std::collections::HashSet;

use doorstep_core::store::RecordKind;
use doorstep_core::sync::digest::Digest;
use doorstep_core::sync::scope::Scope;
use doorstep_core::sync::window::{self, Facts, Window};
use doorstep_core::{Day, RecordId, UnixMillis};
use sqlx::AnyPool;

use crate::accounts::now_millis;
use crate::records::{readable, SyncError};

/// The team's window in days.
pub async fn team_days(db: &AnyPool, team: &str) -> Result<u32, SyncError> {
    let days: Option<i64> = sqlx::query_scalar("SELECT window_days FROM teams WHERE id = $1")
        .bind(team)
        .fetch_one(db)
        .await?;
    Ok(days.map_or(window::DEFAULT_DAYS, |d| {
        (d.clamp(window::MIN_DAYS as i64, window::MAX_DAYS as i64)) as u32
    }))
}

pub async fn set_team_days(db: &AnyPool, team: &str, days: u32) -> Result<(), SyncError> {
    sqlx::query("UPDATE teams SET window_days = $1 WHERE id = $2")
        .bind(i64::from(days))
        .bind(team)
        .execute(db)
        .await?;
    Ok(())
}

/// The window of the team's length ending on the phone's day, kept within a day of the
/// server's (UTC) day: a phone with its clock far off gets neither more nor less for it.
pub fn window_for(phone_today: Day, days: u32) -> Window {
    let server = Day::from_unix_millis(UnixMillis(now_millis()), 0);
    let today = phone_today.clamp(server.add_days(-1), server.add_days(1));
    Window::ending(today, days)
}

/// Fills the window's columns of rows stored before they existed (migration 0009), from
/// each record as stored. Returns how many rows.
pub async fn fill_record_facts(db: &AnyPool) -> Result<usize, SyncError> {
    let mut filled = 0;
    loop {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT team_id, id, doc FROM records WHERE updated_at IS NULL LIMIT 500",
        )
        .fetch_all(db)
        .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.begin().await?;
        for (team, id, json) in &rows {
            let (updated_at, household, open, community) = match readable(id, json) {
                Some(doc) => {
                    let f = doc.facts();
                    (
                        doc.updated_at.0,
                        f.household.map(|h| h.to_string()),
                        f.open_follow_up,
                        doc.community().map(str::to_owned),
                    )
                }
                None => (-1, None, false, None),
            };
            sqlx::query(
                "UPDATE records SET updated_at = $1, household_id = $2, follow_up_open = $3,
                 community = $6 WHERE team_id = $4 AND id = $5",
            )
            .bind(updated_at)
            .bind(household)
            .bind(i64::from(open))
            .bind(team)
            .bind(id)
            .bind(community)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        filled += rows.len();
    }
}

/// One row as the window's rule reads it.
#[derive(sqlx::FromRow)]
struct FactRow {
    id: String,
    kind: String,
    day: Option<String>,
    household_id: Option<String>,
    follow_up_open: i64,
    deleted: i64,
}

fn kind_of(kind: &str) -> RecordKind {
    // The database's check admits only the kinds' names.
    RecordKind::from_name(kind).unwrap_or(RecordKind::Event)
}

fn facts_of(r: &FactRow) -> Option<Facts> {
    Some(Facts {
        id: RecordId::parse(&r.id).ok()?,
        kind: kind_of(&r.kind),
        day: r.day.as_deref().and_then(|d| Day::parse(d).ok()),
        household: r
            .household_id
            .as_deref()
            .and_then(|h| RecordId::parse(h).ok()),
        open_follow_up: r.follow_up_open != 0,
        deleted: r.deleted != 0,
    })
}

/// The visits the window keeps beyond its days (`window::extras`: each household's latest
/// visit not deleted, by day then id, and every visit not deleted with an open follow-up),
/// as SQL over the index, which reads a team's 40,000 visits in milliseconds where decoding
/// them row by row takes over a second. `tests/window.rs` checks it against the core's rule
/// ([`extras_by_the_rule`]).
/// The kinds without a day, which the window keeps whole (`Window::covers(None)`).
const UNDATED: &str = "kind IN ('household', 'person', 'unit')";

const EXTRAS: &str = "SELECT id FROM records
     WHERE team_id = $1 AND kind = 'visit' AND deleted = 0 AND updated_at >= 0 AND follow_up_open = 1
     UNION
     SELECT substr(MAX(day || ' ' || id), 12) FROM records
     WHERE team_id = $1 AND kind = 'visit' AND deleted = 0 AND updated_at >= 0
       AND household_id IS NOT NULL AND day IS NOT NULL
     GROUP BY household_id";

pub async fn extras(db: &AnyPool, team: &str) -> Result<HashSet<RecordId>, SyncError> {
    let ids: Vec<String> = sqlx::query_scalar(EXTRAS).bind(team).fetch_all(db).await?;
    Ok(ids
        .iter()
        .filter_map(|id| RecordId::parse(id).ok())
        .collect())
}

/// The same from every visit's facts, by the core's rule (what `extras` must equal).
pub async fn extras_by_the_rule(db: &AnyPool, team: &str) -> Result<HashSet<RecordId>, SyncError> {
    let rows: Vec<FactRow> = sqlx::query_as(
        "SELECT id, kind, day, household_id, follow_up_open, deleted FROM records
         WHERE team_id = $1 AND kind = 'visit' AND updated_at >= 0",
    )
    .bind(team)
    .fetch_all(db)
    .await?;
    let facts: Vec<Facts> = rows.iter().filter_map(facts_of).collect();
    Ok(window::extras(&facts))
}

/// Revisions after `from` up to `upto`, oldest first, that a phone starting from nothing
/// gets: at most `limit`, and whether more follow. Rows with a revision above `full` are
/// sent whatever their day (the phone may hold an earlier copy); the others if the window
/// keeps them (`window::keeps`: a household, a day in the window, or one of [`EXTRAS`]).
pub async fn pick(
    db: &AnyPool,
    team: &str,
    (from, upto, full): (u64, i64, u64),
    w: Window,
    limit: usize,
    scope: Option<&Scope>,
) -> Result<(Vec<i64>, bool), SyncError> {
    // With a scope, only what is in it too (rows changed after `full` come whatever they
    // are: the pull lists those out of the scope as left).
    let in_scope = scope.map_or("1 = 1".to_owned(), |s| crate::scope::in_scope_sql(7, s));
    let sql = format!(
        "SELECT rev FROM records
         WHERE team_id = $1 AND rev > $2 AND rev <= $3
           AND (rev > $4 OR (({UNDATED} OR day >= $5 OR id IN ({EXTRAS})) AND {in_scope}))
         ORDER BY rev LIMIT $6"
    );
    let q = sqlx::query_scalar(&sql)
        .bind(team)
        .bind(from as i64)
        .bind(upto)
        .bind(full.min(i64::MAX as u64) as i64)
        .bind(w.from.to_string())
        .bind(limit as i64 + 1);
    let q = match scope {
        Some(s) => crate::scope::bind(q, s),
        None => q,
    };
    let mut revs: Vec<i64> = q.fetch_all(db).await?;
    let more = revs.len() > limit;
    revs.truncate(limit);
    Ok((revs, more))
}

/// The digest of what the window covers (households, and records from its first day) as of
/// revision `upto`, leaving out `except`. `None` when one of them changed after `upto` (the
/// phone checks next time).
pub async fn digest(
    db: &AnyPool,
    team: &str,
    w: Window,
    except: &[RecordId],
    upto: i64,
    inside: Option<&HashSet<RecordId>>,
) -> Result<Option<Digest>, SyncError> {
    let sql = format!(
        "SELECT id, updated_at, deleted, rev, kind, household_id FROM records
         WHERE team_id = $1 AND updated_at >= 0 AND ({UNDATED} OR day >= $2)"
    );
    let rows: Vec<(String, i64, i64, i64, String, Option<String>)> = sqlx::query_as(&sql)
        .bind(team)
        .bind(w.from.to_string())
        .fetch_all(db)
        .await?;
    let mut d = Digest::default();
    for (id, updated_at, deleted, rev, kind, household) in rows {
        let Ok(id) = RecordId::parse(&id) else {
            continue;
        };
        if rev > upto {
            return Ok(None);
        }
        if let Some(inside) = inside {
            let f = Facts {
                household: household.as_deref().and_then(|h| RecordId::parse(h).ok()),
                ..Facts::bare(id, kind_of(&kind), deleted != 0)
            };
            if !doorstep_core::sync::scope::in_scope(&f, inside) {
                continue;
            }
        }
        if !except.contains(&id) {
            d.add(id, Digest::version(UnixMillis(updated_at), deleted != 0));
        }
    }
    Ok(Some(d))
}
