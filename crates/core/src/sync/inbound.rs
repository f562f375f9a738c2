//! What a server accepts from a phone. The server trusts nothing a phone sends: a record is
//! decoded into the core's typed record, checked with the forms' rules, and kept as the core
//! writes it again (unknown keys dropped, every value of its type), so nothing stored can
//! fail a later read, export or report.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::wire::{RejectCode, Rejection};
use super::Synced;
use crate::event::Event;
use crate::household::Household;
use crate::store::RecordKind;
use crate::validate::{has_control, FieldError};
use crate::visit::Visit;
use crate::{Day, Lang, UnixMillis};

/// The largest record a phone may send, as JSON. The largest a form can make (a household of
/// 20 residents with every text at its limit) is about 9 KiB.
pub const RECORD_BYTES_MAX: usize = 32 * 1024;

/// How far ahead of the server's clock a phone's clock may be: times beyond it would win every
/// later conflict (the shown value is the latest).
pub const CLOCK_SKEW_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// Most characters of an author's user id.
pub const AUTHOR_MAX: usize = 64;

/// The latest time a record may carry, given the server's clock.
pub fn latest(now: UnixMillis) -> UnixMillis {
    UnixMillis(now.0.saturating_add(CLOCK_SKEW_MILLIS))
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection {
        code: RejectCode::Invalid,
        message: printable(&message.into()),
    }
}

/// A message safe to store and show: no control characters (a decoding error may quote what
/// the phone sent), and not longer than a sentence.
fn printable(message: &str) -> String {
    message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect()
}

/// Every problem in both languages, fields named, "中文 / English" (every refusal here is
/// written so): the phone shows the half in its language with the refused change.
fn problems(errors: &[FieldError]) -> String {
    let each = |lang: Lang| {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message(lang)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!("{} / {}", each(Lang::Zh), each(Lang::En))
}

/// A time the server accepts: not before 1970 and not beyond `latest`.
pub fn check_time(what: &str, t: UnixMillis, latest: UnixMillis) -> Result<(), Rejection> {
    if t.0 < 0 || t > latest {
        let zh = match what {
            "at" => "保存时间",
            "created_at" => "创建时间",
            "updated_at" => "修改时间",
            other => other,
        };
        return Err(invalid(format!(
            "{zh}超出范围（请检查手机日期） / {what} is out of range (the phone's date may be wrong)"
        )));
    }
    Ok(())
}

/// The record of a put as the server keeps it: decoded, checked and written again.
pub fn accept(
    kind: RecordKind,
    json: &str,
    latest: UnixMillis,
) -> Result<Map<String, Value>, Rejection> {
    if json.len() > RECORD_BYTES_MAX {
        return Err(invalid(format!(
            "记录超过 {} KB / the record is larger than {RECORD_BYTES_MAX} bytes",
            RECORD_BYTES_MAX / 1024
        )));
    }
    let today = Day::from_unix_millis(latest, 0);
    crate::with_kind!(kind, T => typed(json, latest, |r: &T| r.rules(today)))
}

/// The metadata every kind carries, checked alike.
trait Meta {
    fn times(&self) -> [(&'static str, UnixMillis); 2];
    fn author(&self) -> &str;
}

macro_rules! meta {
    ($($t:ty),*) => {$(
        impl Meta for $t {
            fn times(&self) -> [(&'static str, UnixMillis); 2] {
                [("created_at", self.created_at), ("updated_at", self.updated_at)]
            }
            fn author(&self) -> &str {
                &self.author
            }
        }
    )*};
}
meta!(
    Household,
    Visit,
    Event,
    crate::roster::Person,
    crate::units::Unit
);

fn typed<T: DeserializeOwned + Serialize + Meta>(
    json: &str,
    latest: UnixMillis,
    rules: impl Fn(&T) -> Result<(), Vec<FieldError>>,
) -> Result<Map<String, Value>, Rejection> {
    let record: T =
        serde_json::from_str(json).map_err(|e| invalid(format!("not a valid record: {e}")))?;
    for (what, t) in record.times() {
        check_time(what, t, latest)?;
    }
    let author = record.author();
    if author.chars().count() > AUTHOR_MAX || has_control(author) {
        return Err(invalid("author is not a user id"));
    }
    rules(&record).map_err(|e| invalid(problems(&e)))?;
    match serde_json::to_value(&record) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(invalid("not a record")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::conformance::{full_visit, household};

    const NOW: UnixMillis = UnixMillis(1_795_714_200_000);

    fn put(kind: RecordKind, v: &Value) -> Result<Map<String, Value>, Rejection> {
        accept(kind, &v.to_string(), latest(NOW))
    }

    #[test]
    fn a_valid_record_is_kept_as_the_core_writes_it() {
        let h = household(1);
        let mut sent = serde_json::to_value(&h).unwrap();
        sent["smuggled"] = serde_json::json!({"deep": [[[1]]]});
        let kept = put(RecordKind::Household, &sent).unwrap();
        assert!(!kept.contains_key("smuggled"), "unknown keys are dropped");
        assert_eq!(Value::Object(kept), serde_json::to_value(&h).unwrap());
    }

    #[test]
    fn wrong_types_deep_nesting_and_huge_text_are_refused() {
        let h = serde_json::to_value(household(1)).unwrap();
        let mut wrong = h.clone();
        wrong["notes"] = serde_json::json!({"not": "a string"});
        assert!(put(RecordKind::Household, &wrong).is_err());
        let mut deep = h.clone();
        deep["notes"] =
            serde_json::from_str(&format!("{}1{}", "[".repeat(120), "]".repeat(120))).unwrap();
        assert!(put(RecordKind::Household, &deep).is_err());
        let mut huge = h.clone();
        huge["notes"] = Value::String("长".repeat(501));
        let err = put(RecordKind::Household, &huge).unwrap_err();
        assert!(err.message.contains("notes"), "{}", err.message);
        let mut too_big = h;
        too_big["notes"] = Value::String("x".repeat(RECORD_BYTES_MAX));
        let err = put(RecordKind::Household, &too_big).unwrap_err();
        assert!(err.message.contains("larger than"), "{}", err.message);
    }

    #[test]
    fn the_basis_rule_and_list_sizes_hold_for_what_a_phone_sends() {
        let mut h = household(1);
        h.residents[0].lives_alone = true;
        let err = put(RecordKind::Household, &serde_json::to_value(&h).unwrap()).unwrap_err();
        assert!(
            err.message.contains("residents.0.lives_alone"),
            "{}",
            err.message
        );
        let mut crowd = household(1);
        crowd.residents = vec![crowd.residents[0].clone(); 5_000];
        let err = put(
            RecordKind::Household,
            &serde_json::to_value(&crowd).unwrap(),
        );
        assert!(err.is_err());
        let mut v = full_visit(1, &household(1), "");
        v.volunteers = (0..31).map(|i| format!("v{i}")).collect();
        assert!(put(RecordKind::Visit, &serde_json::to_value(&v).unwrap()).is_err());
    }

    #[test]
    fn times_beyond_the_servers_clock_and_control_characters_are_refused() {
        let mut h = household(1);
        h.updated_at = UnixMillis(9_000_000_000_000_000);
        assert!(put(RecordKind::Household, &serde_json::to_value(&h).unwrap()).is_err());
        let mut h = household(1);
        h.updated_at = UnixMillis(NOW.0 + CLOCK_SKEW_MILLIS - 1);
        assert!(put(RecordKind::Household, &serde_json::to_value(&h).unwrap()).is_ok());
        let mut h = household(1);
        h.notes = "a\u{0}b".into();
        let err = put(RecordKind::Household, &serde_json::to_value(&h).unwrap()).unwrap_err();
        assert!(!err.message.contains('\u{0}'));
        let mut h = household(1);
        h.author = "u\u{0}".into();
        assert!(put(RecordKind::Household, &serde_json::to_value(&h).unwrap()).is_err());
        let mut v = full_visit(1, &household(1), "");
        v.day = Day::from_unix_millis(NOW, 0).add_days(3);
        let err = put(RecordKind::Visit, &serde_json::to_value(&v).unwrap()).unwrap_err();
        assert!(err.message.contains("day"), "{}", err.message);
    }

    #[test]
    fn a_refusal_message_quotes_nothing_unprintable() {
        let err = accept(RecordKind::Event, "{\"kind\":\"\\u0000\"}", latest(NOW)).unwrap_err();
        assert!(
            !err.message.chars().any(char::is_control),
            "{}",
            err.message
        );
    }
}
