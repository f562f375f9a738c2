//! Accounts: roles, usernames, passwords and device names, and the session wire types of
//! API v1 (shared by the app and the server, so both agree on them).

use serde::{Deserialize, Serialize};

use crate::validate::{FieldError, Problem};

pub use crate::labels::Role;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const DEVICE_NAME_MAX: usize = 60;
pub const DISPLAY_NAME_MAX: usize = 40;
pub const TEAM_NAME_MAX: usize = 60;

impl Role {
    /// How the API and the database spell it (serde's snake_case).
    pub fn code(self) -> &'static str {
        match self {
            Role::Volunteer => "volunteer",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Coordinators and admins see and manage the whole team.
    pub fn is_coordinator(self) -> bool {
        matches!(self, Role::Coordinator | Role::Admin)
    }
}

/// A device of the team, as coordinators list them (`GET /api/v1/devices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: String,
    pub name: String,
    pub user: DeviceUser,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Changes waiting on the phone, as it last reported them.
    pub unsynced: Option<i64>,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
}

/// A username as stored: trimmed, lower case, `[a-z0-9._-]{3,32}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let u = s.trim().to_ascii_lowercase();
        let n = u.chars().count();
        let problem = if n == 0 {
            Some(Problem::Required)
        } else if n < USERNAME_MIN {
            Some(Problem::TooShort { min: USERNAME_MIN })
        } else if n > USERNAME_MAX {
            Some(Problem::TooLong { max: USERNAME_MAX })
        } else if !u
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            Some(Problem::InvalidUsername)
        } else {
            None
        };
        match problem {
            Some(p) => Err(FieldError::new("username", p)),
            None => Ok(Username(u)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Username::parse(&s).map_err(|e| e.message(crate::Lang::En))
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password: 8 to 128 characters. (Checked when set, never when signing in: a
/// sign-in with a short password simply fails like any wrong one.)
pub fn check_new_password(p: &str) -> Result<(), FieldError> {
    let n = p.chars().count();
    if n < PASSWORD_MIN {
        Err(FieldError::new(
            "password",
            Problem::TooShort { min: PASSWORD_MIN },
        ))
    } else if n > PASSWORD_MAX {
        Err(FieldError::new(
            "password",
            Problem::TooLong { max: PASSWORD_MAX },
        ))
    } else {
        Ok(())
    }
}

/// `POST /api/v1/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// What the volunteer calls this phone ("张三的手机"), shown to coordinators.
    pub device_name: String,
    /// The id of the device this phone was signed in as before (a forgotten PIN, the
    /// lockout): the answer then carries that device's recovery key, if it is this user's and
    /// was not revoked by a coordinator (docs/threat-model.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recover: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub id: String,
    pub name: String,
}

/// The signed-in user: `GET /api/v1/me`, and part of the login answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: TeamInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// The device token: send it as `Authorization: Bearer …` until it is revoked.
    pub token: String,
    pub user: UserInfo,
    /// This device's id (what a later sign-in names in `recover`).
    #[serde(default)]
    pub device_id: String,
    /// This device's recovery key (64 hex digits): the phone wraps its data key with it and
    /// keeps only the wrapped copy.
    #[serde(default)]
    pub recovery_key: String,
    /// The recovery key of the device named in `recover`, given once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered_key: Option<String>,
}

/// `POST /api/v1/me/device/recovery-key`: the recovery key a device signed in before they
/// existed gets, once, to seal its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRecoveryKey {
    pub device_id: String,
    pub recovery_key: String,
}

/// How long an invite or password-reset link works.
pub const INVITE_MILLIS: i64 = 7 * 24 * 60 * 60 * 1000;

/// Who may invite, disable, enable or reset whom: coordinators look after volunteers, admins
/// after everyone in the team. (Nobody disables or resets themselves: see the server.)
pub fn may_manage(actor: Role, target: Role) -> bool {
    match actor {
        Role::Admin => true,
        Role::Coordinator => target == Role::Volunteer,
        Role::Volunteer => false,
    }
}

/// Changing someone's role is the admins'.
pub fn may_change_roles(actor: Role) -> bool {
    actor == Role::Admin
}

/// `s` trimmed, if it has 1 to `max` characters: the rule of every name below.
fn trimmed_name(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let name = s.trim();
    if name.is_empty() {
        Err(FieldError::new(field, Problem::Required))
    } else if name.chars().count() > max {
        Err(FieldError::new(field, Problem::TooLong { max }))
    } else {
        Ok(name.to_owned())
    }
}

/// A person's name as others see it: 1 to 40 characters after trimming.
pub fn parse_display_name(s: &str) -> Result<String, FieldError> {
    trimmed_name("display_name", s, DISPLAY_NAME_MAX)
}

/// A phone's name, as coordinators see it in the device list: 1 to 60 characters after
/// trimming.
pub fn parse_device_name(s: &str) -> Result<String, FieldError> {
    trimmed_name("device_name", s, DEVICE_NAME_MAX)
}

/// A team's name: 1 to 60 characters after trimming.
pub fn parse_team_name(s: &str) -> Result<String, FieldError> {
    trimmed_name("team", s, TEAM_NAME_MAX)
}

/// `POST /api/v1/setup`: the first team and its admin, with the code the server printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRequest {
    pub code: String,
    pub team: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub device_name: String,
}

/// `POST /api/v1/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    pub role: Role,
    pub display_name: String,
}

/// An invite or password-reset link: the code is shown once, the server keeps its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteResponse {
    pub code: String,
    pub url: String,
    pub expires_at: i64,
}

/// `POST /api/v1/join`: accepts an invite (a new account) or a reset link (a new password
/// for that account; `username` must then be the account's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub code: String,
    pub username: String,
    pub password: String,
    pub device_name: String,
    /// The new member's own spelling of their name (default: the one on the invite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// With a password-reset link: a device of this user whose sealed data the phone cannot
    /// open any more (as in [`LoginRequest::recover`]); ignored for an invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recover: Option<String>,
}

/// `POST /api/v1/join/check {code}`: what a link is for, before the form is filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinInfo {
    /// "invite" or "reset".
    pub kind: String,
    pub team: String,
    pub role: Role,
    pub display_name: String,
    /// The account a reset link is for.
    pub username: Option<String>,
    pub expires_at: i64,
}

/// `GET /api/v1/members`: a person of the team, for coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Phones signed in now (not signed out or revoked).
    pub devices: i64,
    pub last_seen_at: Option<i64>,
    /// The communities whose households the member's phone holds as a volunteer
    /// (`sync::scope`); none: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communities: Vec<String>,
}

/// `POST /api/v1/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `POST /api/v1/members/{id}/role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChange {
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usernames_are_trimmed_lower_case_and_checked() {
        assert_eq!(
            Username::parse("  Zhang.San_1 ").unwrap().as_str(),
            "zhang.san_1"
        );
        let problem = |s: &str| Username::parse(s).unwrap_err().problem;
        assert_eq!(problem(""), Problem::Required);
        assert_eq!(problem("ab"), Problem::TooShort { min: 3 });
        assert_eq!(problem(&"a".repeat(33)), Problem::TooLong { max: 32 });
        assert_eq!(problem("张三"), Problem::TooShort { min: 3 });
        assert_eq!(problem("zhang san"), Problem::InvalidUsername);
        assert_eq!(problem("王小明abc"), Problem::InvalidUsername);
    }

    #[test]
    fn passwords_need_eight_characters() {
        assert!(check_new_password("1234567").is_err());
        assert!(check_new_password("12345678").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn roles_are_snake_case_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&Role::Coordinator).unwrap(),
            r#""coordinator""#
        );
        assert!(Role::Admin.is_coordinator() && !Role::Volunteer.is_coordinator());
    }

    #[test]
    fn coordinators_manage_volunteers_and_admins_everyone() {
        use Role::*;
        for target in [Volunteer, Coordinator, Admin] {
            assert!(may_manage(Admin, target));
            assert!(!may_manage(Volunteer, target));
        }
        assert!(may_manage(Coordinator, Volunteer));
        assert!(!may_manage(Coordinator, Coordinator) && !may_manage(Coordinator, Admin));
        assert!(may_change_roles(Admin) && !may_change_roles(Coordinator));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_display_name("  张三 ").unwrap(), "张三");
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"张".repeat(41)).is_err());
        assert_eq!(
            parse_team_name(" 邮政志愿服务队 ").unwrap(),
            "邮政志愿服务队"
        );
        assert_eq!(parse_team_name("").unwrap_err().field, "team");
        assert!(parse_team_name(&"队".repeat(61)).is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_username_parses_to_itself(s in "\\PC{0,40}") {
            if let Ok(u) = Username::parse(&s) {
                prop_assert_eq!(Username::parse(u.as_str()).unwrap(), u);
            }
        }
    }
}
