//! A team's records in the database, changed only through the core's push rules
//! (`doorstep_core::sync`): one transaction per push, with the device's last applied number
//! and the team's change counter in it. Every query names the team.

use std::collections::HashMap;

use doorstep_core::store::RecordKind;
use doorstep_core::sync::merge::{self, Doc, Writer};
use doorstep_core::sync::push::{self, PushError};
use doorstep_core::sync::scope::{self, Scope};
use doorstep_core::sync::wire::{
    IdsResponse, Outcome, PullResponse, PullScope, PushRequest, PushResponse, RejectCode,
    Rejection, PROTOCOL,
};
use doorstep_core::sync::{inbound, legacy};
use doorstep_core::{RecordId, UnixMillis};
use serde_json::Value;
use sqlx::{Any, AnyPool, Transaction};

use crate::accounts::now_millis;
use crate::digest;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Push(#[from] PushError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
}

fn code_str(c: RejectCode) -> &'static str {
    match c {
        RejectCode::Invalid => "invalid",
        RejectCode::Forbidden => "forbidden",
        RejectCode::KindMismatch => "kind_mismatch",
        RejectCode::TooLarge => "too_large",
    }
}

fn parse_code(s: &str) -> RejectCode {
    match s {
        "forbidden" => RejectCode::Forbidden,
        "kind_mismatch" => RejectCode::KindMismatch,
        "too_large" => RejectCode::TooLarge,
        _ => RejectCode::Invalid,
    }
}

pub(crate) fn decode(json: &str) -> Result<Doc, SyncError> {
    serde_json::from_str(json).map_err(|e| SyncError::Corrupt(e.to_string()))
}

/// A stored record, or None when it does not decode (written by an older server, or edited
/// by hand): it is skipped with its id logged, so one bad row never fails a whole answer.
/// `doorstep-server check` lists such rows.
pub(crate) fn readable(id: &str, json: &str) -> Option<Doc> {
    match decode(json) {
        Ok(d) => Some(d),
        Err(_) => {
            // The id only: the row's content may hold what people wrote.
            tracing::warn!(record = %id, "stored record unreadable; skipped");
            None
        }
    }
}

/// The stored copies of the records a push names, in one query (each a round trip less to
/// PostgreSQL), keyed by id.
async fn load_all(
    tx: &mut Transaction<'_, Any>,
    team: &str,
    req: &PushRequest,
) -> Result<HashMap<String, Doc>, SyncError> {
    let ids: Vec<String> = req
        .mutations
        .iter()
        .filter_map(|m| Doc::target(m).map(|id| id.to_string()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT id, doc FROM records WHERE team_id = $1 AND id IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query_as(&sql).bind(team);
    for id in &ids {
        q = q.bind(id);
    }
    let rows: Vec<(String, String)> = q.fetch_all(&mut **tx).await?;
    // An unreadable row counts as absent: a put replaces it, a deletion leaves it alone.
    Ok(rows
        .iter()
        .filter_map(|(id, j)| readable(id, j).map(|d| (d.id.to_string(), d)))
        .collect())
}

/// Writes the changed records of a push, many rows per statement (each statement is a round
/// trip to PostgreSQL). Each id once: the batch's last state of it.
pub(crate) async fn store_all(
    tx: &mut Transaction<'_, Any>,
    team: &str,
    docs: &[&Doc],
) -> Result<(), SyncError> {
    const ROWS: usize = 100;
    let now = now_millis();
    for chunk in docs.chunks(ROWS) {
        const COLUMNS: usize = 14;
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let params: Vec<String> = (1..=COLUMNS)
                    .map(|c| format!("${}", r * COLUMNS + c))
                    .collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO records (team_id, id, kind, rev, deleted, created_by, day, received_at, doc, erased,
                                  updated_at, household_id, follow_up_open, community)
             VALUES {}
             ON CONFLICT (team_id, id) DO UPDATE SET
               rev = excluded.rev, deleted = excluded.deleted, day = excluded.day, doc = excluded.doc,
               erased = excluded.erased, updated_at = excluded.updated_at,
               household_id = excluded.household_id, follow_up_open = excluded.follow_up_open,
               community = excluded.community",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for doc in chunk {
            let json = serde_json::to_string(doc).map_err(|e| SyncError::Corrupt(e.to_string()))?;
            let day = doc
                .fields
                .get("day")
                .and_then(|f| f.shown().as_str().map(str::to_owned));
            let facts = doc.facts();
            q = q
                .bind(team.to_owned())
                .bind(doc.id.to_string())
                .bind(doc.kind.name())
                .bind(doc.rev as i64)
                .bind(i64::from(doc.is_deleted()))
                .bind(doc.created_by.clone())
                .bind(day)
                .bind(now)
                .bind(json)
                .bind(i64::from(doc.erased))
                .bind(doc.updated_at.0)
                .bind(facts.household.map(|h| h.to_string()))
                .bind(i64::from(facts.open_follow_up))
                .bind(doc.community().map(str::to_owned));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Applies a push: each mutation at most once, in order, in one transaction.
pub async fn push(
    db: &AnyPool,
    team: &str,
    w: Writer<'_>,
    req: &PushRequest,
) -> Result<PushResponse, SyncError> {
    let mut tx = db.begin().await?;
    if tx.backend_name() == "PostgreSQL" {
        // A push reads at most 100 records by primary key. Measured (sync_load): after five
        // runs PostgreSQL switched the prepared read to a generic plan that walks every
        // record of the team (the ids are unknown to it), and a new team's table looks tiny
        // to it until the next ANALYZE; so ingest slowed as the team grew. Plan each read for
        // its ids, by index.
        sqlx::query(
            "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
                    set_config('enable_seqscan', 'off', true)",
        )
        .execute(&mut *tx)
        .await?;
    }
    let (mut clock, digest) = lock_team(&mut tx, team).await?;
    let now = now_micros();
    let latest = inbound::latest(UnixMillis(now_millis()));
    let last: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM devices WHERE id = $1")
        .bind(w.device)
        .fetch_one(&mut *tx)
        .await?;
    let done = push::plan(last.map(|l| l as u64), req)?;
    // Kept current as the batch changes them (a batch may touch a record twice).
    let mut docs = load_all(&mut tx, team, req).await?;
    let mut before: HashMap<String, u64> = docs
        .iter()
        .map(|(id, d)| (id.clone(), d.version()))
        .collect();
    let households_before: HashMap<String, Doc> = docs
        .iter()
        .filter(|(_, d)| d.kind == RecordKind::Household)
        .map(|(id, d)| (id.clone(), d.clone()))
        .collect();
    let mut changed: Vec<String> = Vec::new();
    let mut outcomes = Vec::with_capacity(req.mutations.len());
    for (i, m) in req.mutations.iter().enumerate() {
        let mut outcome = Outcome {
            seq: m.seq,
            rejected: None,
        };
        let target = Doc::target(m).map(|id| id.to_string());
        if i < done {
            outcome.rejected = earlier_rejection(&mut tx, w.device, m.seq).await?;
            // Listed again for pull only if this device wrote it: a replay naming another
            // record changes nothing.
            let doc = target.as_ref().and_then(|id| docs.get_mut(id));
            if let Some(doc) = doc.filter(|d| d.has_value_from(w.device)) {
                clock = push::next_rev(clock as u64, now) as i64;
                doc.rev = clock as u64;
                changed.push(doc.id.to_string());
            }
        } else {
            let existing = target.as_ref().and_then(|id| docs.get(id));
            let applied = if crate::failpoint::refuse_mutations() {
                Err(Rejection {
                    code: RejectCode::Invalid,
                    message: "refused by the refuse-mutations failpoint".into(),
                })
            } else {
                merge::apply(existing, m, w, push::next_rev(clock as u64, now), latest)
            };
            match applied {
                Ok(Some(doc)) => {
                    clock = doc.rev as i64;
                    changed.push(doc.id.to_string());
                    docs.insert(doc.id.to_string(), doc);
                }
                Ok(None) => {}
                Err(r) => {
                    sqlx::query(
                        "INSERT INTO rejections (device_id, seq, code, message, at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(w.device)
                    .bind(m.seq as i64)
                    .bind(code_str(r.code))
                    .bind(&r.message)
                    .bind(now_millis())
                    .execute(&mut *tx)
                    .await?;
                    // Ids only: the record's content stays out of the log.
                    tracing::info!(device = %w.device, seq = m.seq, code = code_str(r.code), "mutation refused");
                    outcome.rejected = Some(r);
                }
            }
        }
        outcomes.push(outcome);
    }
    // Visits and events that name volunteers or partners the old way (free text, fixed
    // categories; older app versions still send them) get their roster people and units.
    let wanted = legacy::wanted(changed.iter().filter_map(|id| docs.get(id)));
    if !wanted.is_empty() {
        let mut exists = existing_ids(&mut tx, team, wanted.keys()).await?;
        exists.extend(
            wanted
                .keys()
                .filter(|id| docs.contains_key(&id.to_string())),
        );
        for made in legacy::to_make(&wanted, &exists, UnixMillis(now_millis())) {
            let rev = push::next_rev(clock as u64, now);
            if let Ok(Some(doc)) = legacy::apply(None, &made, None, rev, UnixMillis(now_millis())) {
                clock = doc.rev as i64;
                changed.push(doc.id.to_string());
                docs.insert(doc.id.to_string(), doc);
            }
        }
    }
    // A household moved to another community: its visits are listed again for pull (they
    // enter one volunteer's scope and leave another's with it).
    let moved: Vec<String> = changed
        .iter()
        .filter(|id| {
            docs.get(*id)
                .is_some_and(|d| scope::moved(households_before.get(*id), d))
        })
        .cloned()
        .collect();
    for h in moved {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, doc FROM records WHERE team_id = $1 AND kind = 'visit' AND household_id = $2",
        )
        .bind(team)
        .bind(&h)
        .fetch_all(&mut *tx)
        .await?;
        for (id, json) in rows {
            if !docs.contains_key(&id) {
                let Some(d) = readable(&id, &json) else {
                    continue;
                };
                before.insert(id.clone(), d.version());
                docs.insert(id.clone(), d);
            }
            if let Some(d) = docs.get_mut(&id) {
                clock = push::next_rev(clock as u64, now) as i64;
                d.rev = clock as u64;
                changed.push(id);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    changed.retain(|id| seen.insert(id.clone()));
    let to_store: Vec<&Doc> = changed.iter().filter_map(|id| docs.get(id)).collect();
    store_all(&mut tx, team, &to_store).await?;
    digest::store(
        &mut tx,
        team,
        digest::after_push(digest, &before, &to_store),
    )
    .await?;
    if let Some(m) = req.mutations.last().filter(|_| done < req.mutations.len()) {
        sqlx::query("UPDATE devices SET last_seq = $1 WHERE id = $2")
            .bind(m.seq as i64)
            .bind(w.device)
            .execute(&mut *tx)
            .await?;
    }
    set_clock(&mut tx, team, clock).await?;
    tx.commit().await?;
    Ok(PushResponse {
        protocol: PROTOCOL,
        outcomes,
    })
}

/// Starts a change of the team's records in `tx`: takes the team's write lock and reads its
/// change counter and digest. A write first: SQLite takes the write lock now and concurrent
/// writers wait for it (a read first would make a later write fail with "busy" instead).
pub(crate) async fn lock_team(
    tx: &mut Transaction<'_, Any>,
    team: &str,
) -> Result<(i64, doorstep_core::sync::digest::Digest), SyncError> {
    let (clock, count, xor): (i64, Option<i64>, Option<i64>) = sqlx::query_as(
        "UPDATE teams SET clock = clock WHERE id = $1 RETURNING clock, digest_count, digest_xor",
    )
    .bind(team)
    .fetch_one(&mut **tx)
    .await?;
    let digest = match digest::stored(count, xor) {
        Some(d) => d,
        None => digest::compute(&mut **tx, team, clock).await?,
    };
    Ok((clock, digest))
}

/// Which of `ids` the team has a record of (any kind, deleted or not).
pub(crate) async fn existing_ids<'a>(
    conn: &mut sqlx::AnyConnection,
    team: &str,
    ids: impl Iterator<Item = &'a RecordId>,
) -> Result<std::collections::HashSet<RecordId>, SyncError> {
    let ids: Vec<String> = ids.map(ToString::to_string).collect();
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(100) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT id FROM records WHERE team_id = $1 AND id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_scalar(&sql).bind(team);
        for id in chunk {
            q = q.bind(id);
        }
        let found: Vec<String> = q.fetch_all(&mut *conn).await?;
        out.extend(found.iter().filter_map(|id| RecordId::parse(id).ok()));
    }
    Ok(out)
}

/// Stores the team's change counter after a transaction gave out revisions up to `clock`.
pub(crate) async fn set_clock(
    tx: &mut Transaction<'_, Any>,
    team: &str,
    clock: i64,
) -> Result<(), SyncError> {
    sqlx::query("UPDATE teams SET clock = $1 WHERE id = $2")
        .bind(clock)
        .bind(team)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn earlier_rejection(
    tx: &mut Transaction<'_, Any>,
    device: &str,
    seq: u64,
) -> Result<Option<Rejection>, SyncError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT code, message FROM rejections WHERE device_id = $1 AND seq = $2")
            .bind(device)
            .bind(seq as i64)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(code, message)| Rejection {
        code: parse_code(&code),
        message,
    }))
}

/// The team's records changed after `cursor`, oldest change first. A cursor the server never
/// gave (ahead of its counter: a restored database) starts again from 0. With a window (the
/// phone sent its day), a phone starting from nothing gets only what the window keeps, and
/// the digest covers what the window covers (`doorstep_core::sync::window`).
pub async fn pull(
    db: &AnyPool,
    team: &str,
    cursor: u64,
    limit: usize,
    except: &[RecordId],
    scope: PullScope,
    member: Option<Scope>,
) -> Result<PullResponse, SyncError> {
    // The counter and digest first; rows up to that counter only, so they agree with them
    // even if a push commits in between (every change gets a larger number).
    let (clock, count, xor): (i64, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT clock, digest_count, digest_xor FROM teams WHERE id = $1")
            .bind(team)
            .fetch_one(db)
            .await?;
    let reset = cursor > clock as u64;
    let from = if reset { 0 } else { cursor };
    let window = match scope.today {
        Some(today) => Some(crate::window::window_for(
            today,
            crate::window::team_days(db, team).await?,
        )),
        None => None,
    };
    let full = match window {
        None => 0,
        Some(_) if from == 0 => clock as u64,
        Some(_) => scope.full.min(clock as u64),
    };
    // A volunteer's scope applies with a window (every phone of this version asks for one).
    let member = member.filter(|_| window.is_some());
    let (rows, more): (Vec<(String, String, i64, i64)>, bool) = match window {
        Some(w) if full > from => {
            let range = (from, clock, full);
            let (revs, more) =
                crate::window::pick(db, team, range, w, limit, member.as_ref()).await?;
            (rows_at(db, team, &revs).await?, more)
        }
        _ => {
            let mut rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                "SELECT id, doc, received_at, rev FROM records WHERE team_id = $1 AND rev > $2 AND rev <= $3
                 ORDER BY rev LIMIT $4",
            )
            .bind(team)
            .bind(from as i64)
            .bind(clock)
            .bind(limit as i64 + 1)
            .fetch_all(db)
            .await?;
            let more = rows.len() > limit;
            rows.truncate(limit);
            (rows, more)
        }
    };
    let inside = match &member {
        Some(s) => Some(crate::scope::households(db, team, s).await?),
        None => None,
    };
    let digest = match (more, window) {
        (true, _) => None,
        (false, Some(w)) => {
            crate::window::digest(db, team, w, except, clock, inside.as_ref()).await?
        }
        (false, None) => {
            let d = match digest::stored(count, xor) {
                Some(d) => d,
                None => digest::compute(db, team, clock).await?,
            };
            digest::without(db, team, d, except, clock).await?
        }
    };
    let mut left = Vec::new();
    let docs: Vec<(Doc, UnixMillis)> = rows
        .iter()
        .filter_map(|(id, j, at, rev)| {
            let d = readable(id, j)?;
            match &inside {
                Some(i) if !scope::in_scope(&d.facts(), i) => {
                    // Changed since this phone's last pull: it may hold an older copy.
                    if *rev as u64 > full {
                        left.push(d.id);
                    }
                    None
                }
                _ => Some((d, UnixMillis(*at))),
            }
        })
        .collect();
    let cursor = match rows.last() {
        // Past the page's last row even if it was unreadable (else the phone asks forever).
        Some(r) if more => r.3 as u64,
        // With a window, rows left out up to the counter were looked at too.
        _ if window.is_some() => from.max(clock as u64),
        Some(r) => r.3 as u64,
        None => from,
    };
    Ok(PullResponse {
        protocol: PROTOCOL,
        reset,
        cursor,
        more,
        records: docs
            .iter()
            .map(|(d, at)| d.pulled_received(Some(*at)))
            .collect(),
        except: if digest.is_some() {
            except.to_vec()
        } else {
            Vec::new()
        },
        digest,
        window,
        full: if full > from { full } else { 0 },
        scope: member,
        left,
    })
}

/// The rows at these revisions, in order.
async fn rows_at(
    db: &AnyPool,
    team: &str,
    revs: &[i64],
) -> Result<Vec<(String, String, i64, i64)>, SyncError> {
    if revs.is_empty() {
        return Ok(Vec::new());
    }
    let params: Vec<String> = (0..revs.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT id, doc, received_at, rev FROM records WHERE team_id = $1 AND rev IN ({})
         ORDER BY rev",
        params.join(", ")
    );
    let mut q = sqlx::query_as(&sql).bind(team);
    for r in revs {
        q = q.bind(*r);
    }
    Ok(q.fetch_all(db).await?)
}

/// The team's record ids after `after`, in id order, with what a repair compares.
pub async fn ids(
    db: &AnyPool,
    team: &str,
    after: Option<RecordId>,
    limit: usize,
) -> Result<IdsResponse, SyncError> {
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, doc FROM records WHERE team_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(team)
    .bind(after)
    .bind(limit as i64 + 1)
    .fetch_all(db)
    .await?;
    let more = rows.len() > limit;
    let ids = rows
        .iter()
        .take(limit)
        .filter_map(|(id, j)| readable(id, j).map(|d| d.id_entry()))
        .collect();
    Ok(IdsResponse {
        protocol: PROTOCOL,
        ids,
        more,
    })
}

pub(crate) fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// Every record of one kind the team has, not deleted, as the app's type (for reports).
pub async fn all_of<T: serde::de::DeserializeOwned>(
    db: &AnyPool,
    team: &str,
    kind: RecordKind,
) -> Result<Vec<T>, SyncError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, doc FROM records WHERE team_id = $1 AND kind = $2 AND deleted = 0",
    )
    .bind(team)
    .bind(kind.name())
    .fetch_all(db)
    .await?;
    Ok(rows.iter().filter_map(|(id, j)| typed(id, j)).collect())
}

/// The team's roster and partner units, for names in exports and reports.
pub async fn names(db: &AnyPool, team: &str) -> Result<doorstep_core::names::Names, SyncError> {
    let people: Vec<doorstep_core::roster::Person> = all_of(db, team, RecordKind::Person).await?;
    let units: Vec<doorstep_core::units::Unit> = all_of(db, team, RecordKind::Unit).await?;
    Ok(doorstep_core::names::Names::new(
        doorstep_core::roster::Roster::new(people),
        units,
    ))
}

/// A stored record as the app's type, or None (logged) when it is not one.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(id: &str, json: &str) -> Option<T> {
    let doc = readable(id, json)?;
    match serde_json::from_value(Value::Object(doc.record())) {
        Ok(t) => Some(t),
        Err(_) => {
            tracing::warn!(record = %id, "stored record is not of its kind; skipped");
            None
        }
    }
}

/// The team's visits or events (not deleted) with `from <= day <= to`, oldest day first, as
/// a stream of merge documents: an export of 100,000 never holds them all.
pub fn stream_docs<'a>(
    db: &'a AnyPool,
    team: &'a str,
    kind: RecordKind,
    from: Option<&'a str>,
    to: Option<&'a str>,
) -> impl futures_util::Stream<Item = Result<Doc, SyncError>> + Send + 'a {
    use futures_util::StreamExt;
    // "" and "9" bound every YYYY-MM-DD.
    sqlx::query_as::<_, (String, String)>(
        "SELECT id, doc FROM records WHERE team_id = $1 AND kind = $2 AND deleted = 0
         AND day >= $3 AND day <= $4 ORDER BY day, id",
    )
    .bind(team)
    .bind(kind.name())
    .bind(from.unwrap_or(""))
    .bind(to.unwrap_or("9"))
    .fetch(db)
    .filter_map(|row| {
        std::future::ready(match row {
            Ok((id, j)) => readable(&id, &j).map(Ok),
            Err(e) => Some(Err(SyncError::from(e))),
        })
    })
}

/// A record for the coordinator's lists: the merged record plus what the server knows.
pub struct Listed {
    pub doc: Doc,
    pub received_at: i64,
}

/// The team's records of one kind, newest day first (then newest received), not deleted;
/// with `days`, only visits and events from the first to the second day (both included).
pub async fn list(
    db: &AnyPool,
    team: &str,
    kind: RecordKind,
    days: (Option<&str>, Option<&str>),
    limit: usize,
    offset: usize,
) -> Result<Vec<Listed>, SyncError> {
    // Only the bounds given: an untyped "$n IS NULL" does not compile on PostgreSQL.
    let mut range = String::new();
    let mut n = 4;
    for (bound, op) in [(days.0, ">="), (days.1, "<=")] {
        if bound.is_some() {
            n += 1;
            range.push_str(&format!(" AND day {op} ${n}"));
        }
    }
    let sql = format!(
        "SELECT id, doc, received_at FROM records
         WHERE team_id = $1 AND kind = $2 AND deleted = 0{range}
         ORDER BY day DESC, received_at DESC, id DESC LIMIT $3 OFFSET $4"
    );
    let mut q = sqlx::query_as(&sql)
        .bind(team)
        .bind(kind.name())
        .bind(limit as i64)
        .bind(offset as i64);
    for day in [days.0, days.1].into_iter().flatten() {
        q = q.bind(day);
    }
    let rows: Vec<(String, String, i64)> = q.fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, j, received_at)| readable(&id, &j).map(|doc| Listed { doc, received_at }))
        .collect())
}

impl Listed {
    /// The record's fields with the server's facts added.
    pub fn to_json(&self) -> Value {
        let mut m = self.doc.record();
        m.insert(
            "created_by".into(),
            Value::String(self.doc.created_by.clone()),
        );
        m.insert("received_at".into(), self.received_at.into());
        m.insert("rev".into(), self.doc.rev.into());
        let conflicts = self.doc.conflicts();
        if !conflicts.is_empty() {
            m.insert(
                "conflicts".into(),
                serde_json::to_value(conflicts).unwrap_or(Value::Null),
            );
        }
        Value::Object(m)
    }
}

/// A stored record that does not decode as a record of its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub team: String,
    pub id: String,
    pub kind: String,
}

/// Every stored record that every answer skips (`doorstep-server check`).
pub async fn unreadable(db: &AnyPool) -> Result<Vec<Unreadable>, SyncError> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT team_id, id, kind, doc FROM records ORDER BY team_id, id",
    )
    .fetch(db);
    let mut bad = Vec::new();
    while let Some((team, id, kind, doc)) = rows.try_next().await? {
        if !decode(&doc).is_ok_and(|d| d.check().is_ok()) {
            bad.push(Unreadable { team, id, kind });
        }
    }
    Ok(bad)
}

/// Moves unreadable records aside into `quarantined_records` (kept, never served).
pub async fn quarantine(db: &AnyPool, rows: &[Unreadable]) -> Result<(), SyncError> {
    let mut tx = db.begin().await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO quarantined_records (team_id, id, kind, doc, at)
             SELECT team_id, id, kind, doc, $3 FROM records WHERE team_id = $1 AND id = $2",
        )
        .bind(&r.team)
        .bind(&r.id)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM records WHERE team_id = $1 AND id = $2")
            .bind(&r.team)
            .bind(&r.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
