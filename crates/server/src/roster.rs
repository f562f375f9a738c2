//! The server's part of the roster (crates/core/src/sync/legacy.rs): every account has its
//! roster person, and records from before the roster get theirs once (free-text names, old
//! partner categories). What is made goes out in the next pull like any change.

use std::collections::{BTreeMap, HashMap, HashSet};

use doorstep_core::roster::Person;
use doorstep_core::store::RecordKind;
use doorstep_core::sync::legacy::{self, Made};
use doorstep_core::sync::merge::Doc;
use doorstep_core::sync::push;
use doorstep_core::{RecordId, UnixMillis};
use sqlx::AnyPool;

use crate::accounts::now_millis;
use crate::records::{existing_ids, lock_team, readable, store_all, SyncError};

/// Fills the roster of every team not filled yet (at start), and the people of accounts of
/// every team. Returns how many records it made or changed.
pub async fn fill_all(db: &AnyPool) -> Result<usize, SyncError> {
    let teams: Vec<String> = sqlx::query_scalar("SELECT id FROM teams")
        .fetch_all(db)
        .await?;
    let mut n = 0;
    for team in teams {
        n += fill_team(db, &team).await?;
    }
    Ok(n)
}

/// One team: a person for each account that has none; once, people and units for what its
/// stored visits and events name the old way.
pub async fn fill_team(db: &AnyPool, team: &str) -> Result<usize, SyncError> {
    let filled: i64 = sqlx::query_scalar("SELECT roster_filled FROM teams WHERE id = $1")
        .bind(team)
        .fetch_one(db)
        .await?;
    let people: Vec<Doc> = docs_of(db, team, "person").await?;
    let mut wanted = BTreeMap::new();
    if filled == 0 {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, doc FROM records WHERE team_id = $1 AND kind IN ('visit', 'event')",
        )
        .bind(team)
        .fetch_all(db)
        .await?;
        let docs: Vec<Doc> = rows.iter().filter_map(|(id, j)| readable(id, j)).collect();
        wanted = legacy::wanted(docs.iter());
        if docs_of(db, team, "unit").await?.is_empty() {
            for (id, w) in legacy::first_units() {
                wanted.entry(id).or_insert(w);
            }
        }
    }
    let at = UnixMillis(now_millis());
    let mut ids: HashSet<RecordId> = people.iter().map(|d| d.id).collect();
    ids.extend(existing_ids(&mut *db.acquire().await?, team, wanted.keys()).await?);
    let mut writes: Vec<(Option<Doc>, Made, Option<Vec<String>>)> =
        legacy::to_make(&wanted, &ids, at)
            .into_iter()
            .map(|m| (None, m, None))
            .collect();
    // Accounts: the person of the display name takes the account, unless another account
    // has it (two members of one name): then a person of their own.
    let accounts: Vec<(String, String)> =
        sqlx::query_as("SELECT id, display_name FROM users WHERE team_id = $1")
            .bind(team)
            .fetch_all(db)
            .await?;
    let by_id: HashMap<RecordId, Person> = people
        .iter()
        .filter_map(|d| serde_json::from_value(serde_json::Value::Object(d.record())).ok())
        .map(|p: Person| (p.id, p))
        .collect();
    let has_person: HashSet<&str> = by_id
        .values()
        .filter_map(|p| p.account.as_deref())
        .collect();
    let made_now: HashSet<RecordId> = writes.iter().map(|w| w.1.id).collect();
    for (user, name) in &accounts {
        if has_person.contains(user.as_str()) {
            continue;
        }
        let mut p = legacy::person_for_account(user, name, at);
        let taken = by_id.get(&p.id).is_some_and(|o| o.account.is_some());
        if taken {
            p.id = RecordId::derived("account", user);
        }
        let json = serde_json::to_string(&p).map_err(|e| SyncError::Corrupt(e.to_string()))?;
        let made = Made {
            kind: RecordKind::Person,
            id: p.id,
            json,
        };
        match (
            people.iter().find(|d| d.id == p.id),
            made_now.contains(&p.id),
        ) {
            (Some(doc), _) => writes.push((
                Some(doc.clone()),
                made,
                Some(vec!["account".into(), "to_check".into()]),
            )),
            // Made above for an old name in this same fill: made with the account instead.
            (None, true) => {
                writes.retain(|w| w.1.id != p.id);
                writes.push((None, made, None));
            }
            (None, false) => writes.push((None, made, None)),
        }
    }
    let n = write(db, team, writes).await?;
    if filled == 0 {
        sqlx::query("UPDATE teams SET roster_filled = 1 WHERE id = $1")
            .bind(team)
            .execute(db)
            .await?;
    }
    Ok(n)
}

async fn docs_of(db: &AnyPool, team: &str, kind: &str) -> Result<Vec<Doc>, SyncError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, doc FROM records WHERE team_id = $1 AND kind = $2")
            .bind(team)
            .bind(kind)
            .fetch_all(db)
            .await?;
    Ok(rows.iter().filter_map(|(id, j)| readable(id, j)).collect())
}

/// Applies the server's writes as one change of the team (new revisions, digest, clock).
async fn write(
    db: &AnyPool,
    team: &str,
    writes: Vec<(Option<Doc>, Made, Option<Vec<String>>)>,
) -> Result<usize, SyncError> {
    if writes.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let (mut clock, digest) = lock_team(&mut tx, team).await?;
    let now = crate::records::now_micros();
    let at = UnixMillis(now_millis());
    let mut before: HashMap<String, u64> = HashMap::new();
    let mut docs: Vec<Doc> = Vec::new();
    for (existing, made, fields) in &writes {
        if let Some(d) = existing {
            before.insert(d.id.to_string(), d.version());
        }
        let rev = push::next_rev(clock as u64, now);
        if let Ok(Some(doc)) = legacy::apply(existing.as_ref(), made, fields.clone(), rev, at) {
            clock = doc.rev as i64;
            docs.push(doc);
        }
    }
    let refs: Vec<&Doc> = docs.iter().collect();
    store_all(&mut tx, team, &refs).await?;
    crate::digest::store(
        &mut tx,
        team,
        crate::digest::after_push(digest, &before, &refs),
    )
    .await?;
    crate::records::set_clock(&mut tx, team, clock).await?;
    tx.commit().await?;
    Ok(docs.len())
}
