//! Calendar days (no time of day), for visit dates, follow-up due dates and cadences.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::UnixMillis;

/// A calendar day in the team's time zone, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day(Date);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a calendar day (YYYY-MM-DD): {0:?}")]
pub struct InvalidDay(String);

impl Day {
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Day> {
        let month = Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, day).ok().map(Day)
    }

    pub fn parse(s: &str) -> Result<Day, InvalidDay> {
        let bad = || InvalidDay(s.to_owned());
        let mut parts = s.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or_else(bad);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |p: &str| p.parse::<i64>().map_err(|_| bad());
        let (y, m, d) = (num(y)?, num(m)?, num(d)?);
        Day::from_ymd(y as i32, m as u8, d as u8).ok_or_else(bad)
    }

    /// The day an instant falls on, `utc_offset_minutes` east of UTC (China: +480).
    pub fn from_unix_millis(t: UnixMillis, utc_offset_minutes: i32) -> Day {
        let local_ms = t.0 + i64::from(utc_offset_minutes) * 60_000;
        let days = local_ms.div_euclid(86_400_000);
        Day::from_days_since_epoch(days)
    }

    fn from_days_since_epoch(days: i64) -> Day {
        const EPOCH_JULIAN: i64 = 2_440_588; // 1970-01-01
        let julian = (EPOCH_JULIAN + days).clamp(
            i64::from(Date::MIN.to_julian_day()),
            i64::from(Date::MAX.to_julian_day()),
        );
        Day(Date::from_julian_day(julian as i32).expect("clamped into range"))
    }

    /// Year, month (1–12) and day of the month.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.0.year(), self.0.month().into(), self.0.day())
    }

    pub fn day_of_month(self) -> u8 {
        self.0.day()
    }

    pub fn days_since_epoch(self) -> i64 {
        i64::from(self.0.to_julian_day()) - 2_440_588
    }

    /// Saturates at the ends of the supported range instead of panicking.
    pub fn add_days(self, n: i64) -> Day {
        self.0
            .checked_add(Duration::days(n))
            .map(Day)
            .unwrap_or(if n < 0 {
                Day(Date::MIN)
            } else {
                Day(Date::MAX)
            })
    }

    /// The same day of the month `n` months later, clamped to the month's last day
    /// (31 January + 1 month = 28/29 February).
    pub fn add_months(self, n: u32) -> Day {
        let total =
            i64::from(self.0.year()) * 12 + i64::from(self.0.month() as u8 - 1) + i64::from(n);
        let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
        let Ok(year) = i32::try_from(year) else {
            return Day(Date::MAX);
        };
        let month = Month::try_from(month0 as u8 + 1).expect("1..=12");
        let last = time::util::days_in_month(month, year);
        Date::from_calendar_date(year, month, self.0.day().min(last))
            .map(Day)
            .unwrap_or(Day(Date::MAX))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Day) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month() as u8,
            self.0.day()
        )
    }
}

impl TryFrom<String> for Day {
    type Error = InvalidDay;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Day::parse(&s)
    }
}

impl From<Day> for String {
    fn from(d: Day) -> String {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn parses_only_real_days() {
        assert_eq!(d("2026-02-28").to_string(), "2026-02-28");
        assert!(Day::parse("2026-02-29").is_err());
        assert!(Day::parse("2028-02-29").is_ok());
        assert!(Day::parse("2026-2-3").is_err());
        assert!(Day::parse("2026-13-01").is_err());
        assert!(Day::parse("yesterday").is_err());
        assert!(Day::parse("").is_err());
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(d("2026-01-31").add_months(1), d("2026-02-28"));
        assert_eq!(d("2028-01-31").add_months(1), d("2028-02-29"));
        assert_eq!(d("2026-12-15").add_months(1), d("2027-01-15"));
        assert_eq!(d("2026-11-26").add_months(0), d("2026-11-26"));
    }

    #[test]
    fn local_day_uses_the_offset() {
        // 2026-11-26 17:30 UTC is already the 27th in Beijing (UTC+8).
        let t = UnixMillis(1_795_714_200_000);
        assert_eq!(Day::from_unix_millis(t, 0), d("2026-11-26"));
        assert_eq!(Day::from_unix_millis(t, 480), d("2026-11-27"));
    }

    proptest! {
        #[test]
        fn display_parse_roundtrip(days in -100_000i64..100_000) {
            let day = Day::from_days_since_epoch(days);
            prop_assert_eq!(Day::parse(&day.to_string()), Ok(day));
            prop_assert_eq!(day.days_since_epoch(), days);
        }

        #[test]
        fn add_days_and_days_until_agree(days in -100_000i64..100_000, n in -10_000i64..10_000) {
            let day = Day::from_days_since_epoch(days);
            prop_assert_eq!(day.days_until(day.add_days(n)), n);
        }

        #[test]
        fn add_months_moves_forward_by_28_to_31_days_per_month(days in -100_000i64..100_000, n in 0u32..36) {
            let day = Day::from_days_since_epoch(days);
            let later = day.add_months(n);
            let gap = day.days_until(later);
            prop_assert!(gap >= 28 * i64::from(n) - 3 && gap <= 31 * i64::from(n));
        }
    }
}
