use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC. The caller reads the clock; core only compares.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(pub i64);

/// A minute of the day written "HH:MM".
pub fn clock(minute: u32) -> String {
    let m = minute.min(24 * 60 - 1);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Minutes since midnight of a time of day written "HH:MM".
pub fn minute_of_day(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok().filter(|h| *h < 24)?;
    let m: u32 = m.parse().ok().filter(|m| *m < 60)?;
    Some(h * 60 + m)
}

/// A start and end time as typed ("HH:MM" or empty), checked: each a time of day, the end
/// after the start, an end only with a start.
pub(crate) fn span(
    e: &mut crate::validate::Errors,
    start: &str,
    end: &str,
) -> (Option<String>, Option<String>) {
    use crate::validate::Problem;
    let mut one = |field: &str, s: &str| {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if minute_of_day(s).is_none() {
            e.push(field, Problem::InvalidTime);
        }
        Some(s.to_owned())
    };
    let start = one("start_time", start);
    let end = one("end_time", end);
    match (
        start.as_deref().and_then(minute_of_day),
        end.as_deref().and_then(minute_of_day),
    ) {
        (Some(a), Some(b)) if b <= a => e.push("end_time", Problem::NotAfterStart),
        (None, Some(_)) if start.is_none() => e.push("start_time", Problem::Required),
        _ => {}
    }
    (start, end)
}

/// Minutes from `start` to `end` ("HH:MM" each) when both are known and in order.
pub fn minutes_between(start: Option<&str>, end: Option<&str>) -> Option<u32> {
    let (a, b) = (minute_of_day(start?)?, minute_of_day(end?)?);
    (b > a).then(|| b - a)
}
