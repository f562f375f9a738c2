//! Which households a volunteer's phone holds (`doorstep_core::sync::scope`), on the server:
//! the communities a coordinator gave each member, and the households in a scope.

use std::collections::HashSet;

use doorstep_core::account::Role;
use doorstep_core::sync::scope::{Communities, Scope};
use doorstep_core::RecordId;
use sqlx::AnyPool;

use crate::records::SyncError;

/// The communities stored for a member (as `Communities::parse` wrote them).
pub fn parse_stored(stored: Option<&str>) -> Communities {
    stored
        .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .map(|communities| Communities { communities })
        .unwrap_or_default()
}

/// The scope of a pull by this member: a volunteer's communities, if any (a coordinator's
/// phone holds every household).
pub async fn of_member(db: &AnyPool, user: &str, role: Role) -> Result<Option<Scope>, SyncError> {
    if role != Role::Volunteer {
        return Ok(None);
    }
    let stored: Option<String> = sqlx::query_scalar("SELECT communities FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(db)
        .await?
        .flatten();
    Ok(Scope::of(parse_stored(stored.as_deref()), user))
}

pub async fn set(
    db: &AnyPool,
    team: &str,
    user: &str,
    communities: &Communities,
) -> Result<(), SyncError> {
    let stored = (!communities.communities.is_empty())
        .then(|| serde_json::to_string(&communities.communities).expect("strings serialise"));
    sqlx::query("UPDATE users SET communities = $1 WHERE id = $2 AND team_id = $3")
        .bind(stored)
        .bind(user)
        .bind(team)
        .execute(db)
        .await?;
    Ok(())
}

/// `Scope::holds` over the columns written with each household (`prefix`: the table's alias
/// and a dot, or nothing), with the author at parameter `$first` and the communities after it.
fn holds_sql(prefix: &str, first: usize, scope: &Scope) -> String {
    let marks: Vec<String> = (0..scope.communities.len())
        .map(|i| format!("${}", first + 1 + i))
        .collect();
    format!(
        "({prefix}created_by = ${first} OR {prefix}community IN ({}))",
        marks.join(", ")
    )
}

/// `scope::in_scope` as SQL over `records` (team at `$1`, the scope's parameters from
/// `$first`: bind them with [`bind`]).
pub fn in_scope_sql(first: usize, scope: &Scope) -> String {
    format!(
        "(kind IN ('event', 'person', 'unit') OR (kind = 'household' AND {}) OR (kind = 'visit' AND household_id IN
           (SELECT s.id FROM records s WHERE s.team_id = $1 AND s.kind = 'household' AND {})))",
        holds_sql("", first, scope),
        holds_sql("s.", first, scope)
    )
}

/// Binds the scope's parameters, in the order its SQL names them.
pub fn bind<'q, O>(
    mut q: sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    scope: &'q Scope,
) -> sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    q = q.bind(&scope.author);
    for c in &scope.communities {
        q = q.bind(c);
    }
    q
}

/// The team's households in the scope: what decides which visits a phone gets.
pub async fn households(
    db: &AnyPool,
    team: &str,
    scope: &Scope,
) -> Result<HashSet<RecordId>, SyncError> {
    let sql = format!(
        "SELECT id FROM records WHERE team_id = $1 AND kind = 'household' AND {}",
        holds_sql("", 2, scope)
    );
    let ids: Vec<String> = bind(sqlx::query_scalar(&sql).bind(team), scope)
        .fetch_all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| RecordId::parse(id).ok())
        .collect())
}
