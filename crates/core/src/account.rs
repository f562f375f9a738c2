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

    proptest! {
        #[test]
        fn a_parsed_username_parses_to_itself(s in "\\PC{0,40}") {
            if let Ok(u) = Username::parse(&s) {
                prop_assert_eq!(Username::parse(u.as_str()).unwrap(), u);
            }
        }
    }
}
