//! Sprig's date functions against the oracle: every golden case of
//! `tests/data/date_*.json` rendered under the `TZ` it was generated with
//! (each in a child process, since `Local` is fixed per process), plus
//! shape checks of what depends on the clock (`now`, `ago`).

mod date_harness;

use std::time::{SystemTime, UNIX_EPOCH};

use date_harness::{in_zone, ok, run_golden, zoneinfo_dir};

#[test]
fn golden_utc() {
    in_zone("golden_utc", "UTC", || {
        assert!(run_golden("date_utc.json") >= 400);
    });
}

#[test]
fn golden_new_york_local() {
    // An absolute TZ path, so the zone data is the fixture's copy.
    let tz = zoneinfo_dir().join("America/New_York");
    in_zone("golden_new_york_local", &tz.to_string_lossy(), || {
        assert!(run_golden("date_new_york.json") >= 80);
    });
}

#[test]
fn golden_empty_tz_is_utc() {
    in_zone("golden_empty_tz_is_utc", "", || {
        assert_eq!(run_golden("date_tz_empty.json"), 5);
    });
}

#[test]
fn golden_unknown_tz_is_utc() {
    in_zone("golden_unknown_tz_is_utc", "Nowhere/Zone", || {
        assert_eq!(run_golden("date_tz_unknown.json"), 5);
    });
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[test]
fn now_prints_like_go_with_a_monotonic_reading() {
    in_zone("now_prints_like_go_with_a_monotonic_reading", "UTC", || {
        let re = regex::Regex::new(
            r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC m=\+\d+\.\d{9}$",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = ok("{{ now }}");
        assert!(re.is_match(&s), "{s}");
        // Go drops trailing zeros of the nanoseconds; never a bare dot.
        assert!(!s.contains(". "), "{s}");
        assert_eq!(ok("{{ typeOf now }}"), "time.Time");
        let year = ok("{{ now | date \"2006\" }}");
        let epoch: i64 = ok("{{ now | unixEpoch }}").parse().unwrap_or(0);
        assert!((epoch - unix_now()).abs() <= 5, "{epoch}");
        let (y, _, _) = civil(unix_now());
        assert_eq!(year, y.to_string());
        // dateModify keeps the monotonic reading, shifted; UTC drops it.
        assert!(ok("{{ now | dateModify \"1h\" }}").contains(" m=+3600."));
        assert!(!ok("{{ now.UTC }}").contains("m="));
        assert!(!ok("{{ now | dateModify \"-1h\" | date \"MST\" }}").is_empty());
    });
}

/// Year, month, day of a Unix time (for checking `now`).
fn civil(unix: i64) -> (i64, i64, i64) {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (era * 400 + yoe + i64::from(m <= 2), m, d)
}

#[test]
fn ago_and_duration_round_against_the_clock() {
    assert_eq!(ok("{{ now | dateModify \"-90m\" | ago }}"), "1h30m0s");
    assert_eq!(ok("{{ ago now }}"), "0s");
    assert_eq!(ok("{{ now | dateModify \"-49h\" | durationRound }}"), "2d");
    let past = unix_now() - 3 * 86_400 - 10;
    let s = ok(&format!("{{{{ ago (int64 {past}) }}}}"));
    assert!(s == "72h0m10s" || s == "72h0m11s", "{s}");
    assert_eq!(
        ok("{{ durationRound (now | dateModify \"-800h\") }}"),
        "1mo"
    );
    // Anything that is not a time means now.
    assert_eq!(ok("{{ ago \"x\" }}"), "0s");
}

#[test]
fn date_of_a_non_time_is_now() {
    in_zone("date_of_a_non_time_is_now", "UTC", || {
        let (y, _, _) = civil(unix_now());
        assert_eq!(ok("{{ date \"2006\" \"x\" }}"), y.to_string());
        assert_eq!(ok("{{ date \"2006\" 1.5 }}"), y.to_string());
        assert_eq!(ok("{{ htmlDate nil | len }}"), "10");
    });
}
