//! Each team's digest of its records (`doorstep_core::sync::digest`), kept in `teams` and
//! changed in the same transaction as the records.

use std::collections::HashMap;

use doorstep_core::sync::digest::Digest;
use doorstep_core::sync::merge::Doc;
use doorstep_core::RecordId;
use sqlx::{Any, AnyPool, Transaction};

use crate::records::{readable, SyncError};

/// The stored digest, or `None` if never computed (teams older than the digest).
pub fn stored(count: Option<i64>, xor: Option<i64>) -> Option<Digest> {
    Some(Digest {
        count: count? as u64,
        xor: xor? as u64,
    })
}

/// Computes a team's digest from its records, as of revision `upto`.
pub async fn compute<'e, E>(db: E, team: &str, upto: i64) -> Result<Digest, SyncError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let docs: Vec<(String, String)> =
        sqlx::query_as("SELECT id, doc FROM records WHERE team_id = $1 AND rev <= $2")
            .bind(team)
            .bind(upto)
            .fetch_all(db)
            .await?;
    let mut d = Digest::default();
    // Unreadable rows are left out, as every answer leaves them out.
    for doc in docs.iter().filter_map(|(id, json)| readable(id, json)) {
        d.add(doc.id, doc.version());
    }
    Ok(d)
}

/// The digest after a push changed `docs`, given each one's version before (absent: new).
pub fn after_push(mut d: Digest, before: &HashMap<String, u64>, docs: &[&Doc]) -> Digest {
    for doc in docs {
        match before.get(&doc.id.to_string()) {
            Some(&old) => d.update(doc.id, old, doc.version()),
            None => d.add(doc.id, doc.version()),
        }
    }
    d
}

pub async fn store(tx: &mut Transaction<'_, Any>, team: &str, d: Digest) -> Result<(), SyncError> {
    sqlx::query("UPDATE teams SET digest_count = $1, digest_xor = $2 WHERE id = $3")
        .bind(d.count as i64)
        .bind(d.xor as i64)
        .bind(team)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Leaves the phone's refused records out. `None` if one changed after `upto` (the digest
/// and that record would not agree: the phone checks next time).
pub async fn without(
    db: &AnyPool,
    team: &str,
    mut d: Digest,
    except: &[RecordId],
    upto: i64,
) -> Result<Option<Digest>, SyncError> {
    for id in except {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, rev FROM records WHERE team_id = $1 AND id = $2")
                .bind(team)
                .bind(id.to_string())
                .fetch_optional(db)
                .await?;
        if let Some((json, rev)) = row {
            if rev > upto {
                return Ok(None);
            }
            if let Some(doc) = readable(&id.to_string(), &json) {
                d.remove(*id, doc.version());
            }
        }
    }
    Ok(Some(d))
}
