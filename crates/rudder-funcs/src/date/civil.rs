//! Proleptic Gregorian calendar arithmetic on days since 1970-01-01.
//!
//! Go's `time` covers roughly ±292 billion years; these conversions use
//! 64-bit arithmetic that wraps rather than panics, so absurd inputs from a
//! template (a huge Unix time, `AddDate` by 10^18 years) give a garbage date
//! as Go's do, never a crash.

/// Days since 1970-01-01 of the civil date `year-month-day` (month 1..=12;
/// `day` may be out of range and is then simply added).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count years from March so February's leap day is the last day.
    let y = if month <= 2 {
        year.wrapping_sub(1)
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = month.wrapping_add(9).rem_euclid(12);
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.wrapping_mul(146_097)
        .wrapping_add(doe)
        .wrapping_sub(719_468)
        .wrapping_add(day.wrapping_sub(1))
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days.wrapping_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era.wrapping_mul(400).wrapping_add(yoe);
    (
        if month <= 2 {
            year.wrapping_add(1)
        } else {
            year
        },
        month,
        day,
    )
}

/// Whether `year` is a leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1..=12) of `year`.
pub(crate) fn days_in_month(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day of the week of a day count, 0 = Sunday.
pub(crate) fn weekday(days: i64) -> i64 {
    // 1970-01-01 was a Thursday.
    days.wrapping_add(4).rem_euclid(7)
}

/// Day of the year, 1-based.
pub(crate) fn year_day(days: i64) -> i64 {
    let (y, _, _) = civil_from_days(days);
    days.wrapping_sub(days_from_civil(y, 1, 1)).wrapping_add(1)
}

/// The days before the first of `month` in a non-leap year.
pub(crate) fn days_before(month: i64) -> i64 {
    const CUM: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    usize::try_from(month - 1)
        .ok()
        .and_then(|i| CUM.get(i))
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for days in [-719_528, -1, 0, 1, 59, 365, 11_016, 2_932_896, -2_932_897] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(weekday(0), 4);
        assert_eq!(year_day(days_from_civil(2020, 12, 31)), 366);
        assert_eq!(days_before(3), 59);
        assert_eq!(days_in_month(2, 1900), 28);
        assert_eq!(days_in_month(2, 2000), 29);
    }

    #[test]
    fn extremes_do_not_panic() {
        let _ = civil_from_days(i64::MAX);
        let _ = civil_from_days(i64::MIN);
        let _ = days_from_civil(i64::MAX, 12, i64::MAX);
        let _ = days_from_civil(i64::MIN, 1, i64::MIN);
    }
}
