//! One-time links in the database: the first-run setup code, invites, password resets. A
//! link is kept as the SHA-256 of its code and works once, until it expires; using it and
//! making the account happen in one transaction, so two phones cannot both use one link.

use doorstep_core::account::{Role, INVITE_MILLIS};
use sqlx::{AnyPool, Row};

use crate::accounts::{now_millis, parse_role, AccountError};
use crate::auth::token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Setup,
    Invite,
    Reset,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Setup => "setup",
            Kind::Invite => "invite",
            Kind::Reset => "reset",
        }
    }
}

/// A link that works, as found by its code.
#[derive(Debug, Clone)]
pub struct Link {
    pub code_hash: String,
    pub kind: Kind,
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub role: Role,
    pub display_name: String,
    /// For a reset: the account and its username.
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub expires_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("no such link")]
    Unknown,
    #[error("this link was used already")]
    Used,
    #[error("this link has expired")]
    Expired,
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl From<sqlx::Error> for LinkError {
    fn from(e: sqlx::Error) -> Self {
        LinkError::Account(AccountError::Database(e))
    }
}

/// A new link; its code (shown once) and when it expires.
pub async fn create(
    db: &AnyPool,
    kind: Kind,
    team_id: Option<&str>,
    role: Role,
    display_name: &str,
    user_id: Option<&str>,
    created_by: Option<&str>,
) -> Result<(String, i64), AccountError> {
    let code = token::mint_code();
    let now = now_millis();
    let expires_at = now + INVITE_MILLIS;
    sqlx::query(
        "INSERT INTO invites (code_hash, kind, team_id, role, display_name, user_id, created_by,
                              created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(token::digest(&code))
    .bind(kind.as_str())
    .bind(team_id)
    .bind(role.code())
    .bind(display_name)
    .bind(user_id)
    .bind(created_by)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok((code, expires_at))
}

/// On a database without accounts: a fresh setup code (earlier ones stop working), to be
/// printed to the log. `None` once there is an account.
pub async fn setup_code(db: &AnyPool) -> Result<Option<String>, AccountError> {
    if !crate::accounts::is_empty(db).await? {
        return Ok(None);
    }
    sqlx::query("DELETE FROM invites WHERE kind = 'setup'")
        .execute(db)
        .await?;
    let (code, _) = create(db, Kind::Setup, None, Role::Admin, "", None, None).await?;
    Ok(Some(code))
}

/// The link `code` opens, if it still works.
pub async fn find(db: &AnyPool, code: &str) -> Result<Link, LinkError> {
    let row = sqlx::query(
        "SELECT i.code_hash, i.kind, i.team_id, t.name AS team_name, i.role, i.display_name,
                i.user_id, u.username, i.expires_at, i.used_at
         FROM invites i LEFT JOIN teams t ON t.id = i.team_id
                        LEFT JOIN users u ON u.id = i.user_id
         WHERE i.code_hash = $1",
    )
    .bind(token::digest(code.trim()))
    .fetch_optional(db)
    .await?
    .ok_or(LinkError::Unknown)?;
    if row.get::<Option<i64>, _>("used_at").is_some() {
        return Err(LinkError::Used);
    }
    let expires_at: i64 = row.get("expires_at");
    if expires_at <= now_millis() {
        return Err(LinkError::Expired);
    }
    let kind = match row.get::<String, _>("kind").as_str() {
        "setup" => Kind::Setup,
        "reset" => Kind::Reset,
        _ => Kind::Invite,
    };
    Ok(Link {
        code_hash: row.get("code_hash"),
        kind,
        team_id: row.get("team_id"),
        team_name: row.get("team_name"),
        role: parse_role(&row.get::<Option<String>, _>("role").unwrap_or_default()),
        display_name: row
            .get::<Option<String>, _>("display_name")
            .unwrap_or_default(),
        user_id: row.get("user_id"),
        username: row.get("username"),
        expires_at,
    })
}

/// Marks the link used inside `tx`; false if another request used it first.
pub async fn consume(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    link: &Link,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now_millis())
    .bind(&link.code_hash)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
