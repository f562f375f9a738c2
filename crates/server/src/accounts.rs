//! Teams, users and devices in the database. Every query that reads team data takes the
//! caller's team id: there is no way to ask for another team's rows.

use doorstep_core::account::{Role, TeamInfo, UserInfo, Username};
use sqlx::{AnyPool, Row};

use crate::auth::{password, token};

pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub(crate) fn parse_role(s: &str) -> Role {
    match s {
        "admin" => Role::Admin,
        "coordinator" => Role::Coordinator,
        _ => Role::Volunteer,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("no team named {0:?}")]
    NoSuchTeam(String),
    #[error("no user named {0:?}")]
    NoSuchUser(String),
    #[error("{0:?} is taken")]
    Taken(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("cannot add the account to the roster: {0}")]
    Roster(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn unique_violation(e: sqlx::Error, what: &str) -> AccountError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AccountError::Taken(what.into()),
        _ => AccountError::Database(e),
    }
}

pub async fn add_team(db: &AnyPool, name: &str) -> Result<String, AccountError> {
    insert_team(db, name).await
}

pub(crate) async fn insert_team<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    name: &str,
) -> Result<String, AccountError> {
    let id = new_id();
    sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(name)
        .bind(now_millis())
        .execute(ex)
        .await
        .map_err(|e| unique_violation(e, name))?;
    Ok(id)
}

pub struct NewUser<'a> {
    pub team: &'a str,
    pub username: &'a Username,
    pub display_name: &'a str,
    pub role: Role,
    pub password: &'a str,
}

pub async fn add_user(db: &AnyPool, u: NewUser<'_>) -> Result<String, AccountError> {
    let team_id: Option<String> = sqlx::query_scalar("SELECT id FROM teams WHERE name = $1")
        .bind(u.team)
        .fetch_optional(db)
        .await?;
    let team_id = team_id.ok_or_else(|| AccountError::NoSuchTeam(u.team.into()))?;
    let hash = password::hash(u.password).map_err(|e| AccountError::Hash(e.to_string()))?;
    let id = insert_user(db, &team_id, u.username, u.display_name, u.role, &hash).await?;
    // Every account is a roster person.
    crate::roster::fill_team(db, &team_id)
        .await
        .map_err(|e| AccountError::Roster(e.to_string()))?;
    Ok(id)
}

pub(crate) async fn insert_user<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    team_id: &str,
    username: &Username,
    display_name: &str,
    role: Role,
    password_hash: &str,
) -> Result<String, AccountError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO users (id, team_id, username, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(team_id)
    .bind(username.as_str())
    .bind(display_name)
    .bind(role.code())
    .bind(password_hash)
    .bind(now_millis())
    .execute(ex)
    .await
    .map_err(|e| unique_violation(e, username.as_str()))?;
    Ok(id)
}

/// A user of the team (enabled or not), with their password hash.
pub async fn user_of_team(
    db: &AnyPool,
    team_id: &str,
    user_id: &str,
) -> Result<Option<(UserInfo, String)>, AccountError> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.password_hash,
                t.id AS team_id, t.name AS team_name
         FROM users u JOIN teams t ON t.id = u.team_id WHERE u.id = $1 AND u.team_id = $2",
    )
    .bind(user_id)
    .bind(team_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (user_info(&r), r.get("password_hash"))))
}

pub(crate) async fn set_password_hash<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: &str,
    hash: &str,
) -> Result<(), AccountError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Disables (and signs out every device of) or enables a user of the team.
pub async fn set_disabled(
    db: &AnyPool,
    team_id: &str,
    user_id: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2 AND team_id = $3")
        .bind(i64::from(disabled))
        .bind(user_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        revoke_all(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn revoke_all(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
) -> Result<(), AccountError> {
    sqlx::query("UPDATE devices SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now_millis())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_role(
    db: &AnyPool,
    team_id: &str,
    user_id: &str,
    role: Role,
) -> Result<(), AccountError> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2 AND team_id = $3")
        .bind(role.code())
        .bind(user_id)
        .bind(team_id)
        .execute(db)
        .await?;
    Ok(())
}

pub use doorstep_core::account::MemberView;

/// Everyone in the team, by name: role, phones signed in, last seen.
pub async fn list_members(db: &AnyPool, team_id: &str) -> Result<Vec<MemberView>, AccountError> {
    let rows = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.disabled,
                (SELECT COUNT(*) FROM devices d
                 WHERE d.user_id = u.id AND d.revoked_at IS NULL) AS devices,
                (SELECT MAX(d.last_seen_at) FROM devices d WHERE d.user_id = u.id) AS last_seen_at,
                u.communities
         FROM users u WHERE u.team_id = $1 ORDER BY u.display_name, u.username",
    )
    .bind(team_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|r| MemberView {
            id: r.get("id"),
            username: r.get("username"),
            display_name: r.get("display_name"),
            role: parse_role(r.get("role")),
            disabled: r.get::<i64, _>("disabled") != 0,
            devices: r.get("devices"),
            last_seen_at: r.get("last_seen_at"),
            communities: crate::scope::parse_stored(
                r.get::<Option<String>, _>("communities").as_deref(),
            )
            .communities,
        })
        .collect())
}

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: String,
    pub disabled: bool,
}

pub async fn list_users(db: &AnyPool) -> Result<Vec<UserRow>, AccountError> {
    let rows = sqlx::query(
        "SELECT u.username, u.display_name, u.role, t.name AS team, u.disabled
         FROM users u JOIN teams t ON t.id = u.team_id ORDER BY t.name, u.username",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|r| UserRow {
            username: r.get("username"),
            display_name: r.get("display_name"),
            role: parse_role(r.get("role")),
            team: r.get("team"),
            disabled: r.get::<i64, _>("disabled") != 0,
        })
        .collect())
}

/// Disables the user and revokes all their devices.
pub async fn disable_user(db: &AnyPool, username: &Username) -> Result<(), AccountError> {
    let mut tx = db.begin().await?;
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let id = id.ok_or_else(|| AccountError::NoSuchUser(username.to_string()))?;
    sqlx::query("UPDATE users SET disabled = 1 WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    revoke_all(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn is_empty(db: &AnyPool) -> Result<bool, AccountError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await?;
    Ok(n == 0)
}

/// The user a username and password belong to, if they do and the user is enabled. The
/// password is checked behind `gate` (see [`password::HashGate`]).
pub async fn check_credentials(
    db: &AnyPool,
    gate: &password::HashGate,
    username: &str,
    password: &str,
) -> Result<Option<UserInfo>, CredentialsError> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled,
                t.id AS team_id, t.name AS team_name
         FROM users u JOIN teams t ON t.id = u.team_id WHERE u.username = $1",
    )
    .bind(username.trim().to_ascii_lowercase())
    .fetch_optional(db)
    .await
    .map_err(AccountError::from)?;
    let password = password.to_owned();
    let Some(r) = row else {
        gate.run(move || password::burn_time(&password)).await?;
        return Ok(None);
    };
    let hash: String = r.get("password_hash");
    let ok = gate.run(move || password::verify(&password, &hash)).await?;
    if !ok || r.get::<i64, _>("disabled") != 0 {
        return Ok(None);
    }
    Ok(Some(user_info(&r)))
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("too many sign-ins at once")]
    Busy,
}

impl From<password::Busy> for CredentialsError {
    fn from(_: password::Busy) -> Self {
        CredentialsError::Busy
    }
}

fn user_info(r: &sqlx::any::AnyRow) -> UserInfo {
    UserInfo {
        id: r.get("id"),
        username: r.get("username"),
        display_name: r.get("display_name"),
        role: parse_role(r.get("role")),
        team: TeamInfo {
            id: r.get("team_id"),
            name: r.get("team_name"),
        },
    }
}

/// Registers a device for `user` and returns its token (shown once, stored hashed).
/// A device just signed in: its token, id and recovery key.
pub struct NewDevice {
    pub token: String,
    pub id: String,
    pub recovery_key: String,
}

pub async fn add_device(
    db: &AnyPool,
    user: &UserInfo,
    name: &str,
) -> Result<NewDevice, AccountError> {
    let t = token::mint();
    let id = new_id();
    let recovery_key = token::mint();
    let now = now_millis();
    sqlx::query(
        "INSERT INTO devices (id, user_id, team_id, name, token_hash, created_at, last_seen_at,
                              recovery_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(&user.team.id)
    .bind(name)
    .bind(token::digest(&t))
    .bind(now)
    .bind(now)
    .bind(&recovery_key)
    .execute(db)
    .await?;
    Ok(NewDevice {
        token: t,
        id,
        recovery_key,
    })
}

/// A recovery key for a device signed in before the server gave them (its `recovery_key` is
/// empty): made once, for that device's own token, so an older phone can seal its data.
/// `None` when the device has one already (given at its sign-in: never handed out again on a
/// token alone).
pub async fn mint_missing_recovery_key(
    db: &AnyPool,
    device: &str,
) -> Result<Option<String>, AccountError> {
    let key = token::mint();
    let set =
        sqlx::query("UPDATE devices SET recovery_key = $1 WHERE id = $2 AND recovery_key IS NULL")
            .bind(&key)
            .bind(device)
            .execute(db)
            .await?;
    Ok((set.rows_affected() == 1).then_some(key))
}

/// The recovery key of `device`, once, if it is `user`'s and a coordinator did not revoke it
/// (signing out by itself is not revoking); that device's token ends with it.
pub async fn take_recovery_key(
    db: &AnyPool,
    user: &UserInfo,
    device: &str,
) -> Result<Option<String>, AccountError> {
    let key: Option<Option<String>> = sqlx::query_scalar(
        "SELECT recovery_key FROM devices
         WHERE id = $1 AND user_id = $2 AND team_id = $3
           AND (revoked_at IS NULL OR revoked_at = ended_at)",
    )
    .bind(device)
    .bind(&user.id)
    .bind(&user.team.id)
    .fetch_optional(db)
    .await?;
    let Some(Some(key)) = key else {
        return Ok(None);
    };
    sqlx::query("UPDATE devices SET recovery_key = NULL WHERE id = $1")
        .bind(device)
        .execute(db)
        .await?;
    end_device(db, device).await?;
    Ok(Some(key))
}

pub enum TokenCheck {
    Valid {
        user: UserInfo,
        device_id: String,
    },
    /// Revoked by a coordinator: it may still push what it saved (as a volunteer, records
    /// its user made, audited).
    Revoked {
        user: UserInfo,
        device_id: String,
    },
    Unknown,
}

/// Who holds `token`; notes that the device was seen.
pub async fn check_token(db: &AnyPool, token: &str) -> Result<TokenCheck, AccountError> {
    let row = sqlx::query(
        "SELECT d.id AS device_id, d.revoked_at, d.ended_at, d.last_seen_at, u.id, u.username,
                u.display_name, u.role, u.disabled, t.id AS team_id, t.name AS team_name
         FROM devices d JOIN users u ON u.id = d.user_id JOIN teams t ON t.id = d.team_id
         WHERE d.token_hash = $1",
    )
    .bind(token::digest(token))
    .fetch_optional(db)
    .await?;
    let Some(r) = row else {
        return Ok(TokenCheck::Unknown);
    };
    let device_id: String = r.get("device_id");
    // Signed out by its user, or the user disabled: the token is over, push included.
    if r.get::<Option<i64>, _>("ended_at").is_some() || r.get::<i64, _>("disabled") != 0 {
        return Ok(TokenCheck::Unknown);
    }
    if r.get::<Option<i64>, _>("revoked_at").is_some() {
        return Ok(TokenCheck::Revoked {
            user: user_info(&r),
            device_id,
        });
    }
    // At most once a minute: a write takes SQLite's one write lock, which pushes need.
    let now = now_millis();
    if now - r.get::<i64, _>("last_seen_at") > 60_000 {
        sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&device_id)
            .execute(db)
            .await?;
    }
    Ok(TokenCheck::Valid {
        user: user_info(&r),
        device_id,
    })
}

/// Ends a device's token for good: its user signed out (the app pushed everything first).
pub async fn end_device(db: &AnyPool, device_id: &str) -> Result<(), AccountError> {
    let now = now_millis();
    sqlx::query(
        "UPDATE devices SET ended_at = $1, revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
    )
    .bind(now)
    .bind(device_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Revokes a device of `team_id`; false when the team has no such device.
pub async fn revoke_device(
    db: &AnyPool,
    team_id: &str,
    device_id: &str,
) -> Result<bool, AccountError> {
    let done = sqlx::query(
        "UPDATE devices SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND team_id = $3",
    )
    .bind(now_millis())
    .bind(device_id)
    .bind(team_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn report_unsynced(
    db: &AnyPool,
    device_id: &str,
    unsynced: u32,
) -> Result<(), AccountError> {
    sqlx::query("UPDATE devices SET unsynced = $1 WHERE id = $2")
        .bind(i64::from(unsynced))
        .bind(device_id)
        .execute(db)
        .await?;
    Ok(())
}

pub use doorstep_core::account::{DeviceUser, DeviceView};

pub async fn list_devices(db: &AnyPool, team_id: &str) -> Result<Vec<DeviceView>, AccountError> {
    let rows = sqlx::query(
        "SELECT d.id, d.name, d.created_at, d.last_seen_at, d.unsynced, d.revoked_at,
                u.id AS user_id, u.username, u.display_name
         FROM devices d JOIN users u ON u.id = d.user_id
         WHERE d.team_id = $1 ORDER BY d.last_seen_at DESC",
    )
    .bind(team_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .iter()
        .map(|r| DeviceView {
            id: r.get("id"),
            name: r.get("name"),
            user: DeviceUser {
                id: r.get("user_id"),
                username: r.get("username"),
                display_name: r.get("display_name"),
            },
            created_at: r.get("created_at"),
            last_seen_at: r.get("last_seen_at"),
            unsynced: r.get("unsynced"),
            revoked: r.get::<Option<i64>, _>("revoked_at").is_some(),
        })
        .collect())
}
