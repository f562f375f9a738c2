//! The festivals teams greet elderly residents for (节日慰问), with their dates.
//!
//! Most follow the lunar calendar, so their Gregorian dates are a table, not a rule. It runs to
//! 2030; past its end no festival is known, festivals-only households are not due, and the
//! greeting round screen says so. Extend it before then.

use crate::day::Day;
pub use crate::labels::Festival;

/// (festival, year, month, day), in date order.
const DATES: [(Festival, i32, u8, u8); 20] = [
    (Festival::SpringFestival, 2026, 2, 17),
    (Festival::DragonBoat, 2026, 6, 19),
    (Festival::MidAutumn, 2026, 9, 25),
    (Festival::DoubleNinth, 2026, 10, 18),
    (Festival::SpringFestival, 2027, 2, 6),
    (Festival::DragonBoat, 2027, 6, 9),
    (Festival::MidAutumn, 2027, 9, 15),
    (Festival::DoubleNinth, 2027, 10, 8),
    (Festival::SpringFestival, 2028, 1, 26),
    (Festival::DragonBoat, 2028, 5, 28),
    (Festival::MidAutumn, 2028, 10, 3),
    (Festival::DoubleNinth, 2028, 10, 26),
    (Festival::SpringFestival, 2029, 2, 13),
    (Festival::DragonBoat, 2029, 6, 16),
    (Festival::MidAutumn, 2029, 9, 22),
    (Festival::DoubleNinth, 2029, 10, 16),
    (Festival::SpringFestival, 2030, 2, 3),
    (Festival::DragonBoat, 2030, 6, 5),
    (Festival::MidAutumn, 2030, 9, 12),
    (Festival::DoubleNinth, 2030, 10, 5),
];

/// The festivals on or after `today`, soonest first, at most `n`.
pub fn upcoming(today: Day, n: usize) -> Vec<(Festival, Day)> {
    DATES
        .iter()
        .filter_map(|&(f, y, m, d)| Day::from_ymd(y, m, d).map(|day| (f, day)))
        .filter(|(_, day)| *day >= today)
        .take(n)
        .collect()
}

/// The next festival on or after `today`, if the table reaches that far.
pub fn next(today: Day) -> Option<(Festival, Day)> {
    upcoming(today, 1).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn the_table_is_in_order_and_every_date_exists() {
        let days: Vec<Day> = upcoming(d("2000-01-01"), 100).iter().map(|x| x.1).collect();
        assert_eq!(days.len(), DATES.len());
        assert!(days.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn next_is_today_or_later() {
        assert_eq!(
            next(d("2026-11-26")),
            Some((Festival::SpringFestival, d("2027-02-06")))
        );
        assert_eq!(
            next(d("2027-09-15")),
            Some((Festival::MidAutumn, d("2027-09-15")))
        );
        assert_eq!(next(d("2030-10-06")), None);
        assert_eq!(upcoming(d("2026-11-26"), 3).len(), 3);
    }

    /// Lunar festivals keep their spacing: Mid-Autumn (8/15) and
    /// the Double Ninth (9/9) are 23 or 24 days apart every year — a check on typing errors.
    #[test]
    fn mid_autumn_and_double_ninth_are_23_or_24_days_apart() {
        let all = upcoming(d("2000-01-01"), 100);
        for y in 2026..=2030 {
            let of = |f: Festival| {
                all.iter()
                    .find(|(g, day)| *g == f && day.to_string().starts_with(&y.to_string()))
                    .unwrap()
                    .1
            };
            let gap = of(Festival::MidAutumn).days_until(of(Festival::DoubleNinth));
            assert!(gap == 23 || gap == 24, "{y}: {gap}");
        }
    }
}
