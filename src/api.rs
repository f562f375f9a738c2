//! The server's API v1 over `fetch`: sign in, who am I, sign out. Errors are values the UI
//! can show (never a panic); the server's error codes map to them.

use doorstep_core::account::{
    DeviceView, InviteRequest, InviteResponse, JoinInfo, JoinRequest, LoginRequest, LoginResponse,
    MemberView, PasswordChange, Role, RoleChange, SetupRequest, UserInfo,
};
use doorstep_core::i18n::Text;
use doorstep_core::sync::window::TeamSettings;
use doorstep_core::sync::wire::{
    IdsResponse, PullResponse, PullScope, PushRequest, PushResponse, PROTOCOL,
};
use doorstep_core::RecordId;
use doorstep_core::{Day, Lang};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiProblem {
    /// No network, or the server did not answer.
    Offline,
    InvalidCredentials,
    TooManyAttempts,
    /// A coordinator signed this phone out.
    Revoked,
    /// The server no longer knows this phone's token.
    SignedOut,
    /// Anything else the server said (its error code).
    Server(String),
    /// Not from the server: too many wrong PINs ended the sign-in on this phone.
    TooManyPins,
    /// Not from the server: the phone holds another user's records not yet synced.
    OtherUsersRecords,
    /// A setup, invite or reset link that does not work (unknown, used, expired).
    InvalidLink,
    LinkUsed,
    LinkExpired,
    SetupDone,
    UsernameTaken,
}

impl ApiProblem {
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            ApiProblem::Offline => Text::new(
                "连不上服务器。登录需要联网，请到有信号的地方再试。",
                "Cannot reach the server. Signing in needs a connection: try again where there is signal.",
            ),
            ApiProblem::InvalidCredentials => {
                Text::new("用户名或密码不对。", "Wrong username or password.")
            }
            ApiProblem::TooManyAttempts => Text::new(
                "尝试次数太多，请一分钟后再试。",
                "Too many attempts: wait a minute and try again.",
            ),
            ApiProblem::Revoked => Text::new(
                "负责人已让这台手机退出登录，请重新登录。本机未同步的记录仍然保留。",
                "The person in charge signed this phone out: please sign in again. Records not yet synced are still on the phone.",
            ),
            ApiProblem::SignedOut => Text::new(
                "登录已失效，请重新登录。本机未同步的记录仍然保留。",
                "Your sign-in has ended: please sign in again. Records not yet synced are still on the phone.",
            ),
            ApiProblem::TooManyPins => Text::new(
                "解锁密码错了太多次，请重新登录。本机未同步的记录仍然保留。",
                "Too many wrong PINs: please sign in again. Records not yet synced are still on the phone.",
            ),
            ApiProblem::OtherUsersRecords => Text::new(
                "这台手机上还有上一位用户未同步的记录。请上一位用户先登录并同步，之后才能换人登录。",
                "This phone holds records of the previous user that are not synced yet. That user must sign in and sync first.",
            ),
            ApiProblem::InvalidLink => Text::new(
                "这个链接无效。请向负责人要一个新的邀请链接。",
                "This link is not valid. Ask the person in charge for a new one.",
            ),
            ApiProblem::LinkUsed => Text::new(
                "这个链接已经用过了。请直接登录，或向负责人要一个新的链接。",
                "This link was used already. Sign in, or ask the person in charge for a new one.",
            ),
            ApiProblem::LinkExpired => Text::new(
                "这个链接已过期（有效期 7 天）。请向负责人要一个新的链接。",
                "This link has expired (links work for 7 days). Ask the person in charge for a new one.",
            ),
            ApiProblem::SetupDone => Text::new(
                "服务队已经建好了。请直接登录，或向负责人要邀请链接。",
                "The team is set up already. Sign in, or ask the person in charge for an invite.",
            ),
            ApiProblem::UsernameTaken => Text::new(
                "这个用户名已有人使用，请换一个。",
                "This username is taken: choose another.",
            ),
            ApiProblem::Server(_) => Text::new(
                "服务器出错了，请稍后再试。",
                "The server had a problem: please try again later.",
            ),
        }
        .get(lang)
    }
}

/// `{"error":{"code":…}}`, read with a struct: `serde_json::Value` costs kilobytes of WASM.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorCode,
}

#[derive(Deserialize)]
struct ErrorCode {
    code: String,
}

/// Answers whose body does not matter (`204 No Content`).
#[derive(Deserialize)]
struct Ignored {}

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<Option<T>, ApiProblem> {
    let response = send(method, path, body, token).await?;
    let text = text_of(&response).await;
    if response.ok() {
        if text.is_empty() {
            return Ok(None);
        }
        return serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| ApiProblem::Server("unreadable answer".into()));
    }
    Err(problem(&response, &text))
}

async fn send(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<Response, ApiProblem> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = &body {
        init.set_body(&JsValue::from_str(b));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| ApiProblem::Offline)?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    if let Some(t) = token {
        let _ = headers.set("Authorization", &format!("Bearer {t}"));
    }
    let window = web_sys::window().ok_or(ApiProblem::Offline)?;
    JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiProblem::Offline)?
        .dyn_into()
        .map_err(|_| ApiProblem::Offline)
}

async fn text_of(response: &Response) -> String {
    match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The server's error code, as a problem the UI can show.
fn problem(response: &Response, text: &str) -> ApiProblem {
    let code = serde_json::from_str::<ErrorBody>(text)
        .map(|b| b.error.code)
        .unwrap_or_else(|_| response.status().to_string());
    match code.as_str() {
        "invalid_credentials" => ApiProblem::InvalidCredentials,
        "too_many_attempts" => ApiProblem::TooManyAttempts,
        "device_revoked" => ApiProblem::Revoked,
        "unauthorized" => ApiProblem::SignedOut,
        "invalid_link" => ApiProblem::InvalidLink,
        "link_used" => ApiProblem::LinkUsed,
        "link_expired" => ApiProblem::LinkExpired,
        "setup_done" => ApiProblem::SetupDone,
        "conflict" => ApiProblem::UsernameTaken,
        _ => ApiProblem::Server(code),
    }
}

/// A file the server makes (an export, a report), as a blob to save.
pub async fn file(token: &str, path: &str) -> Result<web_sys::Blob, ApiProblem> {
    let response = send("GET", path, None, Some(token)).await?;
    if !response.ok() {
        let text = text_of(&response).await;
        return Err(problem(&response, &text));
    }
    let blob = response
        .blob()
        .map_err(|_| ApiProblem::Server("no body".into()))?;
    JsFuture::from(blob)
        .await
        .ok()
        .and_then(|b| b.dyn_into().ok())
        .ok_or(ApiProblem::Offline)
}

/// A request body as JSON.
fn json(body: &impl serde::Serialize) -> Result<Option<String>, ApiProblem> {
    serde_json::to_string(body)
        .map(Some)
        .map_err(|e| ApiProblem::Server(e.to_string()))
}

/// The body of a POST that sends nothing.
fn empty() -> Option<String> {
    Some("{}".into())
}

/// A call whose answer has a body.
async fn answer<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<T, ApiProblem> {
    call(method, path, body, token)
        .await?
        .ok_or_else(|| ApiProblem::Server("empty answer".into()))
}

/// A call whose answer's body does not matter.
async fn done(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<(), ApiProblem> {
    call::<Ignored>(method, path, body, token).await.map(|_| ())
}

pub async fn login(req: &LoginRequest) -> Result<LoginResponse, ApiProblem> {
    answer("POST", "/api/v1/login", json(req)?, None).await
}

pub async fn setup(req: &SetupRequest) -> Result<LoginResponse, ApiProblem> {
    answer("POST", "/api/v1/setup", json(req)?, None).await
}

/// What a setup, invite or reset link is for.
pub async fn join_check(code: &str) -> Result<JoinInfo, ApiProblem> {
    #[derive(serde::Serialize)]
    struct Code<'a> {
        code: &'a str,
    }
    answer("POST", "/api/v1/join/check", json(&Code { code })?, None).await
}

pub async fn join(req: &JoinRequest) -> Result<LoginResponse, ApiProblem> {
    answer("POST", "/api/v1/join", json(req)?, None).await
}

pub async fn me(token: &str) -> Result<UserInfo, ApiProblem> {
    answer("GET", "/api/v1/me", None, Some(token)).await
}

pub async fn logout(token: &str) -> Result<(), ApiProblem> {
    done("POST", "/api/v1/logout", empty(), Some(token)).await
}

pub async fn push(token: &str, req: &PushRequest) -> Result<PushResponse, ApiProblem> {
    answer("POST", "/api/v1/sync/push", json(req)?, Some(token)).await
}

/// `except`: ids to leave out of the digest (this phone's refused changes).
pub async fn pull(
    token: &str,
    cursor: u64,
    except: &[RecordId],
    scope: PullScope,
) -> Result<PullResponse, ApiProblem> {
    let except: Vec<String> = except.iter().map(RecordId::to_string).collect();
    let mut path = format!(
        "/api/v1/sync/pull?protocol={PROTOCOL}&cursor={cursor}&except={}",
        except.join(",")
    );
    if let Some(today) = scope.today {
        path.push_str(&format!("&today={today}&full={}", scope.full));
    }
    answer("GET", &path, None, Some(token)).await
}

/// A page of the team's ids, for a repair.
pub async fn ids(token: &str, after: Option<RecordId>) -> Result<IdsResponse, ApiProblem> {
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    let path = format!("/api/v1/sync/ids?protocol={PROTOCOL}&after={after}");
    answer("GET", &path, None, Some(token)).await
}

/// This device's recovery key, made now: only for a device signed in before they existed.
pub async fn missing_recovery_key(
    token: &str,
) -> Result<doorstep_core::account::DeviceRecoveryKey, ApiProblem> {
    answer(
        "POST",
        "/api/v1/me/device/recovery-key",
        empty(),
        Some(token),
    )
    .await
}

/// Tells the server how many changes wait on this phone (the coordinator's device list).
pub async fn report_unsynced(token: &str, unsynced: usize) -> Result<(), ApiProblem> {
    let body = format!(r#"{{"unsynced":{unsynced}}}"#);
    done("POST", "/api/v1/me/device", Some(body), Some(token)).await
}

/// The team's devices (coordinators).
pub async fn devices(token: &str) -> Result<Vec<DeviceView>, ApiProblem> {
    answer("GET", "/api/v1/devices", None, Some(token)).await
}

/// Signs a phone of the team out; it wipes the team's data once what it saved is sent.
pub async fn revoke_device(token: &str, id: &str) -> Result<(), ApiProblem> {
    let path = format!("/api/v1/devices/{id}/revoke");
    done("POST", &path, empty(), Some(token)).await
}

/// A page of the team's visits or events (coordinators), newest first.
#[derive(Deserialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_offset: Option<usize>,
}

/// The team's `kind` ("visits", "events") from one day to another, a page from `offset`.
pub async fn records_between<T: DeserializeOwned>(
    token: &str,
    kind: &str,
    (from, to): (Day, Day),
    offset: usize,
) -> Result<Listed<T>, ApiProblem> {
    let path = format!("/api/v1/{kind}?since={from}&until={to}&limit=500&offset={offset}");
    answer("GET", &path, None, Some(token)).await
}

/// The team's people (coordinators).
pub async fn team_settings(token: &str) -> Result<TeamSettings, ApiProblem> {
    answer("GET", "/api/v1/team/settings", None, Some(token)).await
}

pub async fn set_team_settings(token: &str, s: &TeamSettings) -> Result<(), ApiProblem> {
    done("PUT", "/api/v1/team/settings", json(s)?, Some(token)).await
}

pub async fn members(token: &str) -> Result<Vec<MemberView>, ApiProblem> {
    answer("GET", "/api/v1/members", None, Some(token)).await
}

/// A one-time link for a new member.
pub async fn invite(token: &str, req: &InviteRequest) -> Result<InviteResponse, ApiProblem> {
    answer("POST", "/api/v1/invites", json(req)?, Some(token)).await
}

/// A one-time link that sets a new password for the member `id`.
pub async fn reset_link(token: &str, id: &str) -> Result<InviteResponse, ApiProblem> {
    let path = format!("/api/v1/members/{id}/reset");
    answer("POST", &path, empty(), Some(token)).await
}

/// Disables (their phones are signed out) or enables the member `id`.
pub async fn set_disabled(token: &str, id: &str, disabled: bool) -> Result<(), ApiProblem> {
    let action = if disabled { "disable" } else { "enable" };
    let path = format!("/api/v1/members/{id}/{action}");
    done("POST", &path, empty(), Some(token)).await
}

pub async fn set_communities(
    token: &str,
    id: &str,
    communities: &doorstep_core::sync::scope::Communities,
) -> Result<(), ApiProblem> {
    let path = format!("/api/v1/members/{id}/communities");
    done("PUT", &path, json(communities)?, Some(token)).await
}

pub async fn set_role(token: &str, id: &str, role: Role) -> Result<(), ApiProblem> {
    let path = format!("/api/v1/members/{id}/role");
    done("POST", &path, json(&RoleChange { role })?, Some(token)).await
}

pub async fn change_password(token: &str, req: &PasswordChange) -> Result<(), ApiProblem> {
    done("POST", "/api/v1/me/password", json(req)?, Some(token)).await
}
