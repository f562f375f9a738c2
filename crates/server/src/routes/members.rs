//! The team's people, in the app: first-run setup (`POST /api/v1/setup`), invites and
//! joining (`POST /api/v1/invites`, `/join/check`, `/join`), the member list and what
//! coordinators and admins do to it (`/members…`), and changing one's own password
//! (`POST /api/v1/me/password`), and the team's settings (`/team/settings`). Each change is
//! in the audit log.

use axum::extract::{Path, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use doorstep_core::account::{
    check_new_password, may_change_roles, may_manage, parse_device_name, parse_display_name,
    parse_team_name, InviteRequest, InviteResponse, JoinInfo, JoinRequest, LoginResponse,
    MemberView, PasswordChange, Role, RoleChange, SetupRequest, UserInfo, Username, PASSWORD_MAX,
};
use doorstep_core::sync::scope::Communities;
use doorstep_core::sync::window::TeamSettings;
use doorstep_core::Lang;
use serde::Deserialize;

use crate::accounts;
use crate::audit;
use crate::auth::password;
use crate::auth::rate_limit::Key;
use crate::auth::{AuthUser, Coordinator};
use crate::error::ApiError;
use crate::invites::{self, Kind, Link, LinkError};
use crate::json::ApiJson;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/setup", post(setup))
        .route("/invites", post(invite))
        .route("/join/check", post(check))
        .route("/join", post(join))
        .route("/members", get(members))
        .route("/members/{id}/disable", post(disable))
        .route("/members/{id}/enable", post(enable))
        .route("/members/{id}/role", post(change_role))
        .route("/members/{id}/reset", post(reset))
        .route("/members/{id}/communities", put(set_communities))
        .route("/me/password", post(change_password))
        .route("/team/settings", get(settings).put(set_settings))
}

/// What the team's phones keep; every member may read it (the app shows it).
async fn settings(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<TeamSettings>, ApiError> {
    Ok(Json(TeamSettings {
        window_days: crate::window::team_days(&state.db, auth.team_id()).await?,
    }))
}

async fn set_settings(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    ApiJson(req): ApiJson<TeamSettings>,
) -> Result<Json<TeamSettings>, ApiError> {
    let req = field(req.parse())?;
    crate::window::set_team_days(&state.db, auth.team_id(), req.window_days).await?;
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        "team_settings",
        &format!("window_days={}", req.window_days),
        "",
    )
    .await?;
    Ok(Json(req))
}

impl From<LinkError> for ApiError {
    fn from(e: LinkError) -> Self {
        match e {
            LinkError::Unknown => ApiError::InvalidLink,
            LinkError::Used => ApiError::LinkUsed,
            LinkError::Expired => ApiError::LinkExpired,
            LinkError::Account(a) => a.into(),
        }
    }
}

pub(crate) fn field<T>(r: Result<T, doorstep_core::validate::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::BadRequest(format!("{}: {}", e.field, e.message(Lang::En))))
}

/// An Argon2 hash of a new password, off the async threads and bounded.
async fn hash(state: &AppState, password: &str) -> Result<String, ApiError> {
    field(check_new_password(password))?;
    let p = password.to_owned();
    state
        .hashing
        .run(move || password::hash(&p))
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Where the phone reached the server: the link opens the app there.
fn origin(headers: &HeaderMap, tls: bool) -> String {
    if let Some(o) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        if o.starts_with("http://") || o.starts_with("https://") {
            return o.trim_end_matches('/').to_owned();
        }
    }
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("{}://{host}", if tls { "https" } else { "http" })
}

async fn signed_in(
    state: &AppState,
    user: UserInfo,
    device: &str,
    recovered_key: Option<String>,
) -> Result<Json<LoginResponse>, ApiError> {
    let d = accounts::add_device(&state.db, &user, device).await?;
    Ok(Json(LoginResponse {
        token: d.token,
        user,
        device_id: d.id,
        recovery_key: d.recovery_key,
        recovered_key,
    }))
}

async fn setup(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<SetupRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    if !accounts::is_empty(&state.db).await? {
        return Err(ApiError::SetupDone);
    }
    let link = invites::find(&state.db, &req.code).await?;
    if link.kind != Kind::Setup {
        return Err(ApiError::InvalidLink);
    }
    let team = field(parse_team_name(&req.team))?;
    let username = field(Username::parse(&req.username))?;
    let name = field(parse_display_name(&req.display_name))?;
    let device = field(parse_device_name(&req.device_name))?;
    let hash = hash(&state, &req.password).await?;
    let mut tx = state.db.begin().await?;
    if !invites::consume(&mut tx, &link).await? {
        return Err(ApiError::SetupDone);
    }
    let team_id = accounts::insert_team(&mut *tx, &team).await?;
    let user_id =
        accounts::insert_user(&mut *tx, &team_id, &username, &name, Role::Admin, &hash).await?;
    tx.commit().await?;
    // Every account is a roster person.
    crate::roster::fill_team(&state.db, &team_id).await?;
    audit::record(&state.db, &team_id, &user_id, "setup", &team, "").await?;
    tracing::info!(user = %user_id, "team set up");
    let (user, _) = accounts::user_of_team(&state.db, &team_id, &user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    signed_in(&state, user, &device, None).await
}

async fn invite(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    headers: HeaderMap,
    ApiJson(req): ApiJson<InviteRequest>,
) -> Result<Json<InviteResponse>, ApiError> {
    if !may_manage(auth.user.role, req.role) {
        return Err(ApiError::Forbidden);
    }
    let name = field(parse_display_name(&req.display_name))?;
    let (code, expires_at) = invites::create(
        &state.db,
        Kind::Invite,
        Some(auth.team_id()),
        req.role,
        &name,
        None,
        Some(&auth.user.id),
    )
    .await?;
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        "invite",
        &format!("{} ({})", name, req.role.code()),
        "",
    )
    .await?;
    Ok(Json(InviteResponse {
        url: format!("{}/join#{code}", origin(&headers, state.tls)),
        code,
        expires_at,
    }))
}

#[derive(Deserialize)]
struct CodeOnly {
    code: String,
}

/// A setup code says only that it works; invites and resets say what they are for.
async fn check(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CodeOnly>,
) -> Result<Json<JoinInfo>, ApiError> {
    let link = invites::find(&state.db, &req.code).await?;
    let kind = match link.kind {
        Kind::Setup if !accounts::is_empty(&state.db).await? => return Err(ApiError::SetupDone),
        Kind::Setup => "setup",
        Kind::Invite => "invite",
        Kind::Reset => "reset",
    };
    Ok(Json(JoinInfo {
        kind: kind.to_owned(),
        team: link.team_name.clone().unwrap_or_default(),
        role: link.role,
        display_name: link.display_name.clone(),
        username: link.username.clone(),
        expires_at: link.expires_at,
    }))
}

async fn join(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<JoinRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let link = invites::find(&state.db, &req.code).await?;
    let (Some(team_id), Kind::Invite | Kind::Reset) = (link.team_id.clone(), link.kind) else {
        return Err(ApiError::InvalidLink);
    };
    let username = field(Username::parse(&req.username))?;
    let device = field(parse_device_name(&req.device_name))?;
    let name = match &req.display_name {
        Some(n) => field(parse_display_name(n))?,
        None => link.display_name.clone(),
    };
    // hash() checks the new password's length first.
    let hash = hash(&state, &req.password).await?;
    let mut tx = state.db.begin().await?;
    if !invites::consume(&mut tx, &link).await? {
        return Err(ApiError::LinkUsed);
    }
    let user_id = match link.kind {
        Kind::Reset => reset_password(&mut tx, &link, &username, &hash).await?,
        _ => accounts::insert_user(&mut *tx, &team_id, &username, &name, link.role, &hash).await?,
    };
    tx.commit().await?;
    // Every account is a roster person.
    crate::roster::fill_team(&state.db, &team_id).await?;
    let action = if link.kind == Kind::Reset {
        "password_reset"
    } else {
        "join"
    };
    audit::record(&state.db, &team_id, &user_id, action, username.as_str(), "").await?;
    let (user, _) = accounts::user_of_team(&state.db, &team_id, &user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A reset is a password sign-in of that user (who may have forgotten the PIN too).
    let recovered = match (link.kind, req.recover.as_deref()) {
        (Kind::Reset, Some(device)) => {
            crate::routes::session::recover(&state, &user, device).await?
        }
        _ => None,
    };
    signed_in(&state, user, &device, recovered).await
}

async fn reset_password(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    link: &Link,
    username: &Username,
    hash: &str,
) -> Result<String, ApiError> {
    let (Some(user_id), Some(owner)) = (&link.user_id, &link.username) else {
        return Err(ApiError::InvalidLink);
    };
    if owner != username.as_str() {
        return Err(ApiError::BadRequest(
            "username: this link resets another account's password".into(),
        ));
    }
    accounts::set_password_hash(&mut **tx, user_id, hash).await?;
    Ok(user_id.clone())
}

async fn members(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
) -> Result<Json<Vec<MemberView>>, ApiError> {
    Ok(Json(
        accounts::list_members(&state.db, auth.team_id()).await?,
    ))
}

/// The member `id` of the caller's team if the caller may manage them (not themselves).
async fn managed(state: &AppState, auth: &AuthUser, id: &str) -> Result<UserInfo, ApiError> {
    let (target, _) = accounts::user_of_team(&state.db, auth.team_id(), id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if target.id == auth.user.id || !may_manage(auth.user.role, target.role) {
        return Err(ApiError::Forbidden);
    }
    Ok(target)
}

async fn disable(
    state: State<AppState>,
    auth: Coordinator,
    id: Path<String>,
) -> Result<StatusCode, ApiError> {
    set_disabled(state, auth, id, true).await
}

async fn enable(
    state: State<AppState>,
    auth: Coordinator,
    id: Path<String>,
) -> Result<StatusCode, ApiError> {
    set_disabled(state, auth, id, false).await
}

/// The communities whose households the member's phone holds as a volunteer; none: all.
/// Their phone fetches or drops households at its next sync.
async fn set_communities(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<Communities>,
) -> Result<Json<Communities>, ApiError> {
    let req = field(req.parse())?;
    let target = managed(&state, &auth, &id).await?;
    crate::scope::set(&state.db, auth.team_id(), &target.id, &req).await?;
    // The count only: community names stay out of the log like the rest of an address.
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        "communities",
        &target.username,
        &format!("{} communities", req.communities.len()),
    )
    .await?;
    Ok(Json(req))
}

/// Disabling also signs out every phone of the member.
async fn set_disabled(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Path(id): Path<String>,
    disabled: bool,
) -> Result<StatusCode, ApiError> {
    let target = managed(&state, &auth, &id).await?;
    accounts::set_disabled(&state.db, auth.team_id(), &target.id, disabled).await?;
    let action = if disabled { "disable" } else { "enable" };
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        action,
        &target.username,
        "",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn change_role(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RoleChange>,
) -> Result<StatusCode, ApiError> {
    if !may_change_roles(auth.user.role) {
        return Err(ApiError::Forbidden);
    }
    let target = managed(&state, &auth, &id).await?;
    accounts::set_role(&state.db, auth.team_id(), &target.id, req.role).await?;
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        "role",
        &format!("{} → {}", target.username, req.role.code()),
        "",
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset(
    State(state): State<AppState>,
    Coordinator(auth): Coordinator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<InviteResponse>, ApiError> {
    let target = managed(&state, &auth, &id).await?;
    let (code, expires_at) = invites::create(
        &state.db,
        Kind::Reset,
        Some(auth.team_id()),
        target.role,
        &target.display_name,
        Some(&target.id),
        Some(&auth.user.id),
    )
    .await?;
    audit::record(
        &state.db,
        auth.team_id(),
        &auth.user.id,
        "reset_link",
        &target.username,
        "",
    )
    .await?;
    Ok(Json(InviteResponse {
        url: format!("{}/join#{code}", origin(&headers, state.tls)),
        code,
        expires_at,
    }))
}

async fn change_password(
    State(state): State<AppState>,
    auth: AuthUser,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    if req.current.chars().count() > PASSWORD_MAX {
        return Err(ApiError::InvalidCredentials);
    }
    // Guessing the current password counts like failed sign-ins.
    let attempt = state
        .failed_logins
        .begin(vec![Key::User(auth.user.username.clone())])
        .ok_or(ApiError::TooManyAttempts)?;
    let (_, stored) = accounts::user_of_team(&state.db, auth.team_id(), &auth.user.id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let current = req.current.clone();
    let ok = state
        .hashing
        .run(move || password::verify(&current, &stored))
        .await
        .map_err(|_| ApiError::Busy)?;
    if !ok {
        return Err(ApiError::InvalidCredentials);
    }
    state.failed_logins.succeeded(attempt);
    let hash = hash(&state, &req.new).await?;
    accounts::set_password_hash(&state.db, &auth.user.id, &hash).await?;
    audit::record(&state.db, auth.team_id(), &auth.user.id, "password", "", "").await?;
    Ok(StatusCode::NO_CONTENT)
}
