//! Sprig's date functions (`now`, `date`, `dateInZone`, `htmlDate`,
//! `dateModify`, `ago`, `duration`, `durationRound`, `toDate`, `unixEpoch`
//! and their aliases) over a Go-compatible `time.Time`.
//!
//! Sprig hands Go's `time` package straight to templates, so chart output
//! depends on Go's exact behaviour: the reference-time layout language
//! (`2006-01-02`, `_2`, `.999`, `Z07:00`, …) for both formatting and
//! `toDate`'s parsing, `Time.String()` with its `m=+…` monotonic suffix,
//! `Duration.String()` (`1h2m3.5s`, `1.5µs`), `ParseDuration`, and
//! `time.Local` chosen from `TZ`. We implement these ourselves (submodules
//! `layout`, `gotime`, `duration`, `zone`) rather than adapting `chrono` or
//! `jiff`: neither speaks Go layouts, and the Go semantics that show up in
//! rendered output (zone abbreviations before the first transition, `Local`
//! naming, case-sensitive zone files, UTC fallback for unknown zones,
//! parse-error texts) would all have needed re-implementing around them
//! anyway. Zone data comes from the machine's TZif files, as for Go; no
//! database is bundled and nothing is fetched.
//!
//! Like Helm, these functions read the clock and the `TZ` variable, so their
//! output depends on the machine. Known deviations: `time.Duration`
//! parameters of methods (`.Add`, `.Round`, `.Truncate`) are declared as
//! `int64`, so they accept an `int64` value where Go reports `wrong type for
//! value; expected time.Duration; got int64`; methods with several results
//! (`Clock`, `Date`, `ISOWeek`, `Zone`, `ZoneBounds`) are not callable, so
//! the error for them differs; `*time.Time` arguments cannot occur (no
//! function produces one); `ZONEINFO` may name a directory but not a zip
//! file.

pub(crate) mod civil;
mod duration;
pub(crate) mod gotime;
mod layout;
pub(crate) mod zone;

use rudder_template::{FuncError, FuncMap, Function};
use rudder_value::{GoType, IntKind, Signature, Value};

use duration::{format_duration, parse_duration, round_duration};
use gotime::GoTime;
use zone::Loc;

const TIME: GoType = GoType::Object("time.Time");

pub(crate) fn register(m: &mut FuncMap) {
    gotime::init_clock();

    m.insert(
        "now",
        Function::new(Signature::new(vec![]), |_, _| {
            Ok(Value::object(GoTime::now()))
        }),
    );

    let date = Function::new(
        Signature::new(vec![GoType::String, GoType::Any]),
        |_, args| {
            let (fmt, t) = (str_arg(&args, 0), args.get(1));
            Ok(Value::string(date_in_zone(fmt, t, "Local")))
        },
    );
    m.insert("date", date);

    let in_zone = Function::new(
        Signature::new(vec![GoType::String, GoType::Any, GoType::String]),
        |_, args| {
            let (fmt, t, zone) = (str_arg(&args, 0), args.get(1), str_arg(&args, 2));
            Ok(Value::string(date_in_zone(fmt, t, zone)))
        },
    );
    m.insert("dateInZone", in_zone.clone());
    m.insert("date_in_zone", in_zone);

    m.insert(
        "htmlDate",
        Function::new(Signature::new(vec![GoType::Any]), |_, args| {
            Ok(Value::string(date_in_zone(
                "2006-01-02",
                args.first(),
                "Local",
            )))
        }),
    );
    m.insert(
        "htmlDateInZone",
        Function::new(
            Signature::new(vec![GoType::Any, GoType::String]),
            |_, args| {
                Ok(Value::string(date_in_zone(
                    "2006-01-02",
                    args.first(),
                    str_arg(&args, 1),
                )))
            },
        ),
    );

    let modify = Function::new(Signature::new(vec![GoType::String, TIME]), |_, args| {
        let t = time_arg(&args, 1)?;
        Ok(Value::object(match parse_duration(str_arg(&args, 0)) {
            Ok(d) => t.add(d),
            Err(_) => t,
        }))
    });
    m.insert("dateModify", modify.clone());
    m.insert("date_modify", modify);

    let must_modify = Function::new(Signature::new(vec![GoType::String, TIME]), |_, args| {
        let t = time_arg(&args, 1)?;
        let d = parse_duration(str_arg(&args, 0)).map_err(FuncError::new)?;
        Ok(Value::object(t.add(d)))
    });
    m.insert("mustDateModify", must_modify.clone());
    m.insert("must_date_modify", must_modify);

    m.insert(
        "ago",
        Function::new(Signature::new(vec![GoType::Any]), |_, args| {
            let t = match args.first() {
                Some(Value::Int(i, IntKind::Int | IntKind::Int64)) => GoTime::unix(*i),
                Some(v) => v.downcast::<GoTime>().cloned().unwrap_or_else(GoTime::now),
                None => GoTime::now(),
            };
            let since = GoTime::now().sub(&t);
            Ok(Value::string(format_duration(round_duration(
                since,
                duration::SECOND,
            ))))
        }),
    );

    m.insert(
        "duration",
        Function::new(Signature::new(vec![GoType::Any]), |_, args| {
            let n = match args.first() {
                Some(Value::Str(s)) => parse_int64_base10(s),
                Some(Value::Int(i, IntKind::Int64)) => *i,
                _ => 0,
            };
            Ok(Value::string(format_duration(
                n.wrapping_mul(duration::SECOND),
            )))
        }),
    );

    m.insert(
        "durationRound",
        Function::new(Signature::new(vec![GoType::Any]), |_, args| {
            let d = match args.first() {
                Some(Value::Str(s)) => parse_duration(s).unwrap_or(0),
                Some(Value::Int(i, IntKind::Int64)) => *i,
                Some(v) => v.downcast::<GoTime>().map_or(0, |t| GoTime::now().sub(t)),
                None => 0,
            };
            Ok(Value::string(duration_round(d)))
        }),
    );

    m.insert(
        "toDate",
        Function::new(
            Signature::new(vec![GoType::String, GoType::String]),
            |_, args| {
                let t = layout::parse(str_arg(&args, 0), str_arg(&args, 1), &Loc::Local)
                    .unwrap_or_else(|_| GoTime::zero());
                Ok(Value::object(t))
            },
        ),
    );
    m.insert(
        "mustToDate",
        Function::new(
            Signature::new(vec![GoType::String, GoType::String]),
            |_, args| {
                let t = layout::parse(str_arg(&args, 0), str_arg(&args, 1), &Loc::Local)
                    .map_err(FuncError::new)?;
                Ok(Value::object(t))
            },
        ),
    );

    m.insert(
        "unixEpoch",
        Function::new(Signature::new(vec![TIME]), |_, args| {
            Ok(Value::string(time_arg(&args, 0)?.sec.to_string()))
        }),
    );
}

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// A `time.Time` parameter (the engine has checked the type already).
fn time_arg(args: &[Value], i: usize) -> Result<GoTime, FuncError> {
    args.get(i)
        .and_then(|v| v.downcast::<GoTime>())
        .cloned()
        .ok_or_else(|| FuncError::new("wrong type for value; expected time.Time"))
}

/// Sprig's `dateInZone`: a time, or `int`/`int32`/`int64` Unix seconds;
/// anything else means now. An unknown zone means UTC.
fn date_in_zone(fmt: &str, t: Option<&Value>, zone: &str) -> String {
    let t = match t {
        Some(Value::Int(i, IntKind::Int | IntKind::Int32 | IntKind::Int64)) => GoTime::unix(*i),
        Some(v) => v.downcast::<GoTime>().cloned().unwrap_or_else(GoTime::now),
        None => GoTime::now(),
    };
    let loc = zone::load_location(zone).unwrap_or(Loc::Utc);
    layout::format(&t.with_loc(loc), fmt)
}

/// `strconv.ParseInt(s, 10, 64)` with the error ignored, as Sprig's
/// `duration` does: a syntax error gives 0, an out-of-range value the
/// nearest bound.
fn parse_int64_base10(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    let mut v: i128 = 0;
    for c in digits.bytes() {
        v = (v * 10 + i128::from(c - b'0')).min(i128::from(u64::MAX));
    }
    let v = if neg { -v } else { v };
    i64::try_from(v).unwrap_or(if neg { i64::MIN } else { i64::MAX })
}

/// Sprig's `durationRound`: the largest whole unit (years of 365 days,
/// months of 30) strictly below the duration's magnitude.
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    const MIN: u64 = 60 * SEC;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    const MONTH: u64 = 30 * DAY;
    const YEAR: u64 = 365 * DAY;
    for (unit, suffix) in [
        (YEAR, "y"),
        (MONTH, "mo"),
        (DAY, "d"),
        (HOUR, "h"),
        (MIN, "m"),
        (SEC, "s"),
    ] {
        if u > unit {
            return format!("{}{suffix}", u / unit);
        }
    }
    "0s".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_units() {
        assert_eq!(duration_round(0), "0s");
        assert_eq!(duration_round(1_000_000_000), "0s");
        assert_eq!(duration_round(1_000_000_001), "1s");
        assert_eq!(duration_round(-3_600_000_000_001), "1h");
        assert_eq!(duration_round(i64::MIN), "292y");
    }

    #[test]
    fn absurd_times_do_not_panic() {
        // A real zone file with a POSIX rule after its last transition.
        let ny = zone::Location::from_tzif(
            "America/New_York",
            include_bytes!("../tests/data/date_zoneinfo/America/New_York"),
        )
        .map(std::sync::Arc::new)
        .unwrap_or_else(|| unreachable!("fixture zone file"));
        assert_eq!(ny.lookup(1_615_705_200).offset, -4 * 3600);
        assert_eq!(ny.lookup(4_118_054_400).name, "EDT");
        let posix = Loc::Zone(ny);
        for sec in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            for loc in [Loc::Utc, Loc::Local, posix.clone()] {
                let t = GoTime::unix(sec).with_loc(loc);
                let _ = layout::format(
                    &t,
                    "2006-01-02 15:04:05.000 Z07:00 MST Mon Jan 002 __2 06 PM",
                );
                let _ = t.go_string();
                let _ = t.add(i64::MAX).add(i64::MIN);
                let _ = t.sub(&GoTime::zero());
            }
        }
        for d in [i64::MIN, i64::MAX, 0] {
            let _ = GoTime::date(d, d, d, d, d, d, d, Loc::Local);
        }
    }

    #[test]
    fn base10_ints() {
        assert_eq!(parse_int64_base10("42"), 42);
        assert_eq!(parse_int64_base10("-42"), -42);
        assert_eq!(parse_int64_base10("4_2"), 0);
        assert_eq!(parse_int64_base10("0x10"), 0);
        assert_eq!(parse_int64_base10("99999999999999999999"), i64::MAX);
        assert_eq!(parse_int64_base10("-99999999999999999999"), i64::MIN);
        assert_eq!(parse_int64_base10(""), 0);
    }
}
