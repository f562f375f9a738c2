//! Validation errors as values: a field name the UI can put the message next to, and a
//! problem that reads in both languages.

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// This number must be greater than the one in field `other`.
    MustExceed {
        other: &'static str,
    },
    /// Sensitive data (health, living alone) needs a recorded basis first.
    NeedsBasis,
    /// Not a date (YYYY-MM-DD) or not a real calendar day.
    InvalidDate,
    /// At least one entry is needed.
    NoneGiven,
    /// A date that cannot be later than today is.
    InFuture,
    NotAPhoneNumber,
    /// Not a time of day (HH:MM).
    InvalidTime,
    /// A follow-up cannot be due before the visit that asked for it.
    BeforeVisit,
    TooShort {
        min: usize,
    },
    /// Usernames: lower-case letters, digits, `.`, `_`, `-`.
    InvalidUsername,
    DigitsOnly,
    /// The second entry of a new PIN or password differs from the first.
    Mismatch,
    /// A list longer than the form allows (residents, volunteers, supplies).
    TooMany {
        max: usize,
    },
    /// A control character (NUL and the like) that no form can type and no database should
    /// store; line breaks and tabs are fine.
    InvalidCharacter,
    /// An end time not after the start time.
    NotAfterStart,
}

/// A problem with one field. `field` is a stable path such as `address.building`,
/// `residents.0.name` or `bp.systolic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field: field.into(),
            problem,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (&self.problem, lang) {
            (Problem::Required, Lang::Zh) => "必填".into(),
            (Problem::Required, Lang::En) => "Required".into(),
            (Problem::TooLong { max }, Lang::Zh) => format!("最多 {max} 个字"),
            (Problem::TooLong { max }, Lang::En) => format!("At most {max} characters"),
            (Problem::OutOfRange { min, max }, Lang::Zh) => format!("应在 {min} 到 {max} 之间"),
            (Problem::OutOfRange { min, max }, Lang::En) => format!("Must be between {min} and {max}"),
            (Problem::MustExceed { other }, Lang::Zh) => {
                format!("应大于{}", field_name(other, Lang::Zh))
            }
            (Problem::MustExceed { other }, Lang::En) => {
                format!("Must be greater than the {}", field_name(other, Lang::En))
            }
            (Problem::NeedsBasis, Lang::Zh) => {
                "健康和独居信息需先记录信息采集依据（本人同意或社区履行法定职责）".into()
            }
            (Problem::NeedsBasis, Lang::En) => {
                "Health and living-alone details need a recorded basis (consent or the community's duty of care) first".into()
            }
            (Problem::InvalidDate, Lang::Zh) => "日期无效".into(),
            (Problem::InvalidDate, Lang::En) => "Not a valid date".into(),
            (Problem::NoneGiven, Lang::Zh) => "至少填写一项".into(),
            (Problem::NoneGiven, Lang::En) => "Add at least one".into(),
            (Problem::InFuture, Lang::Zh) => "不能晚于今天".into(),
            (Problem::InFuture, Lang::En) => "Cannot be later than today".into(),
            (Problem::NotAPhoneNumber, Lang::Zh) => "电话号码只能包含数字、空格和 + - ( )".into(),
            (Problem::NotAPhoneNumber, Lang::En) => "A phone number has only digits, spaces and + - ( )".into(),
            (Problem::InvalidTime, Lang::Zh) => "时间格式应为 时：分，如 09:30".into(),
            (Problem::InvalidTime, Lang::En) => "Use hours:minutes, e.g. 09:30".into(),
            (Problem::BeforeVisit, Lang::Zh) => "不能早于走访日期".into(),
            (Problem::BeforeVisit, Lang::En) => "Cannot be before the visit".into(),
            (Problem::TooShort { min }, Lang::Zh) => format!("至少 {min} 个字符"),
            (Problem::TooShort { min }, Lang::En) => format!("At least {min} characters"),
            (Problem::InvalidUsername, Lang::Zh) => "用户名只能包含小写字母、数字和 . _ -".into(),
            (Problem::DigitsOnly, Lang::Zh) => "只能填数字".into(),
            (Problem::DigitsOnly, Lang::En) => "Digits only".into(),
            (Problem::Mismatch, Lang::Zh) => "两次输入不一样".into(),
            (Problem::Mismatch, Lang::En) => "The two entries differ".into(),
            (Problem::TooMany { max }, Lang::Zh) => format!("最多 {max} 项"),
            (Problem::TooMany { max }, Lang::En) => format!("At most {max}"),
            (Problem::NotAfterStart, Lang::Zh) => "应晚于开始时间".into(),
            (Problem::NotAfterStart, Lang::En) => "Must be after the start time".into(),
            (Problem::InvalidCharacter, Lang::Zh) => "含有无法保存的控制字符".into(),
            (Problem::InvalidCharacter, Lang::En) => "Contains a control character that cannot be saved".into(),
            (Problem::InvalidUsername, Lang::En) => {
                "A username has only lower-case letters, digits and . _ -".into()
            }
        }
    }
}

/// Names of fields that other messages refer to.
fn field_name(field: &str, lang: Lang) -> &'static str {
    match (field, lang) {
        ("bp.diastolic", Lang::Zh) => "舒张压",
        ("bp.diastolic", Lang::En) => "diastolic pressure",
        (_, Lang::Zh) => "另一项",
        (_, Lang::En) => "other value",
    }
}

/// Collects every problem of a form, so all of them show at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    /// Trims `value`; checks it is present when required, at most `max` characters and free
    /// of control characters.
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let v = value.trim();
        if required && v.is_empty() {
            self.push(field, Problem::Required);
        } else if v.chars().count() > max {
            self.push(field, Problem::TooLong { max });
        } else if has_control(v) {
            self.push(field, Problem::InvalidCharacter);
        }
        v.to_owned()
    }

    /// Checks a list has at most `max` entries.
    pub fn count(&mut self, field: &str, len: usize, max: usize) {
        if len > max {
            self.push(field, Problem::TooMany { max });
        }
    }

    pub fn range(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.push(field, Problem::OutOfRange { min, max });
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// A control character other than a line break (\n, \r) or a tab: NUL, which PostgreSQL's
/// text cannot hold, and the others no keyboard types.
pub fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}
