//! Go's `time.Time` as a host object, with the exported methods a template
//! can call on it (`.Unix`, `.Format`, `.Year`, `.Add`, `.UTC`, …) and the
//! small types those methods return (`time.Month`, `time.Weekday`,
//! `*time.Location`).
//!
//! A time is a Unix second and nanosecond, an optional monotonic clock
//! reading (only `now` has one, and it shows in `String()` as `m=+…`, and
//! decides `Sub`/`Before`/`Equal` when both sides have one, as in Go) and a
//! location used for display.

use std::any::Any;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rudder_value::{GoType, IntKind, Object, ObjectRepr, Signature, Value};

use super::civil;
use super::duration::{Duration, SECOND, duration_arg};
use super::layout;
use super::zone::{Loc, ZoneInfo};

/// Unix seconds of Go's zero time, January 1 of year 1, UTC.
pub(crate) const ZERO_UNIX: i64 = -62_135_596_800;

const SECONDS_PER_DAY: i64 = 86_400;

/// A `time.Time`.
#[derive(Clone, Debug)]
pub(crate) struct GoTime {
    pub(crate) sec: i64,
    /// Nanoseconds within the second, in `0..1e9`.
    pub(crate) nsec: i64,
    /// Monotonic clock reading in nanoseconds, for times from `now`.
    pub(crate) mono: Option<i64>,
    pub(crate) loc: Loc,
}

/// The broken-down local form of a time.
pub(crate) struct Parts {
    pub(crate) year: i64,
    pub(crate) month: i64,
    pub(crate) day: i64,
    pub(crate) yday: i64,
    pub(crate) weekday: i64,
    pub(crate) hour: i64,
    pub(crate) min: i64,
    pub(crate) sec: i64,
    pub(crate) zone: ZoneInfo,
}

fn mono_base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

/// Start the monotonic clock, so `now` readings count from about process
/// start as Go's do.
pub(crate) fn init_clock() {
    let _ = mono_base();
}

/// Normalise `hi`/`lo` so that `0 <= lo < base`, carrying into `hi`.
fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    (hi.wrapping_add(lo.div_euclid(base)), lo.rem_euclid(base))
}

impl GoTime {
    /// `time.Now()`.
    pub(crate) fn now() -> GoTime {
        let base = mono_base();
        let (sec, nsec) = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, i64::from(d.subsec_nanos())),
            Err(e) => {
                let d = e.duration();
                let (s, n) = (d.as_secs() as i64, i64::from(d.subsec_nanos()));
                if n == 0 {
                    (-s, 0)
                } else {
                    (-s - 1, 1_000_000_000 - n)
                }
            }
        };
        let mono = i64::try_from(base.elapsed().as_nanos()).unwrap_or(i64::MAX);
        GoTime {
            sec,
            nsec,
            mono: Some(mono.saturating_add(1)),
            loc: Loc::Local,
        }
    }

    /// `time.Unix(sec, 0)`, in Local.
    pub(crate) fn unix(sec: i64) -> GoTime {
        GoTime {
            sec,
            nsec: 0,
            mono: None,
            loc: Loc::Local,
        }
    }

    /// The zero `time.Time{}`.
    pub(crate) fn zero() -> GoTime {
        GoTime {
            sec: ZERO_UNIX,
            nsec: 0,
            mono: None,
            loc: Loc::Utc,
        }
    }

    /// `time.Date(year, month, day, hour, min, sec, nsec, loc)`, with Go's
    /// normalisation of out-of-range fields and its resolution of local
    /// times that fall in a zone transition.
    #[expect(clippy::too_many_arguments, reason = "mirrors Go's time.Date")]
    pub(crate) fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Loc,
    ) -> GoTime {
        let (year, m0) = norm(year, month.wrapping_sub(1), 12);
        let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);
        let days = civil::days_from_civil(year, m0 + 1, 1).wrapping_add(day.wrapping_sub(1));
        let mut unix = days
            .wrapping_mul(SECONDS_PER_DAY)
            .wrapping_add(hour * 3600 + min * 60 + sec);
        // `unix` is the wall clock read as UTC; find the offset in force.
        let info = loc.lookup(unix);
        let mut offset = info.offset;
        if offset != 0 {
            let utc = unix.wrapping_sub(offset);
            if utc < info.start || utc >= info.end {
                offset = loc.lookup(utc).offset;
            }
            unix = unix.wrapping_sub(offset);
        }
        GoTime {
            sec: unix,
            nsec,
            mono: None,
            loc,
        }
    }

    /// The zone in effect and the local broken-down time.
    pub(crate) fn parts(&self) -> Parts {
        let zone = self.loc.lookup(self.sec);
        let local = self.sec.wrapping_add(zone.offset);
        let days = local.div_euclid(SECONDS_PER_DAY);
        let secs = local.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil::civil_from_days(days);
        Parts {
            year,
            month,
            day,
            yday: civil::year_day(days),
            weekday: civil::weekday(days),
            hour: secs / 3600,
            min: secs % 3600 / 60,
            sec: secs % 60,
            zone,
        }
    }

    /// A copy shown in another location; like Go's `setLoc`, it drops the
    /// monotonic reading.
    pub(crate) fn with_loc(&self, loc: Loc) -> GoTime {
        GoTime {
            mono: None,
            loc,
            ..self.clone()
        }
    }

    /// `t.Add(d)`.
    pub(crate) fn add(&self, d: i64) -> GoTime {
        let mut dsec = d / SECOND;
        let mut nsec = self.nsec + d % SECOND;
        if nsec >= SECOND {
            dsec += 1;
            nsec -= SECOND;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += SECOND;
        }
        // Go saturates rather than wrapping when the seconds overflow, and
        // drops the monotonic reading if it would overflow.
        let sec = self.sec.saturating_add(dsec);
        let mono = self.mono.and_then(|m| m.checked_add(d));
        GoTime {
            sec,
            nsec,
            mono,
            loc: self.loc.clone(),
        }
    }

    /// Nanoseconds since Go's zero time, exactly.
    fn abs_nanos(&self) -> i128 {
        (i128::from(self.sec) - i128::from(ZERO_UNIX)) * 1_000_000_000 + i128::from(self.nsec)
    }

    /// `t.Sub(u)`, clamped to the Duration range as Go clamps it.
    pub(crate) fn sub(&self, u: &GoTime) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return clamp_i64(i128::from(a) - i128::from(b));
        }
        clamp_i64(self.abs_nanos() - u.abs_nanos())
    }

    fn cmp_instant(&self, u: &GoTime) -> std::cmp::Ordering {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a.cmp(&b);
        }
        (self.sec, self.nsec).cmp(&(u.sec, u.nsec))
    }

    /// `t.Round(d)` (`round`) or `t.Truncate(d)`.
    fn round_to(&self, d: i64, round: bool) -> GoTime {
        let t = GoTime {
            mono: None,
            ..self.clone()
        };
        if d <= 0 {
            return t;
        }
        let r = t.abs_nanos().rem_euclid(i128::from(d));
        let r = i64::try_from(r).unwrap_or(0);
        if round && (r as u64).wrapping_add(r as u64) >= d as u64 {
            t.add(d - r)
        } else {
            t.add(-r)
        }
    }

    /// `t.IsZero()`.
    pub(crate) fn is_zero(&self) -> bool {
        self.sec == ZERO_UNIX && self.nsec == 0
    }

    /// `t.UnixNano()` (wrapping, as in Go).
    fn unix_nano(&self) -> i64 {
        self.sec.wrapping_mul(1_000_000_000).wrapping_add(self.nsec)
    }

    /// `t.String()`.
    pub(crate) fn go_string(&self) -> String {
        let mut s = layout::format(self, "2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let u = m.unsigned_abs();
            let (whole, frac) = (u / 1_000_000_000, u % 1_000_000_000);
            s.push_str(&format!(" m={sign}{whole}.{frac:09}"));
        }
        s
    }

    /// `t.GoString()`.
    fn go_syntax(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let p = self.parts();
        let month = usize::try_from(p.month - 1)
            .ok()
            .and_then(|i| MONTHS.get(i))
            .map_or_else(|| p.month.to_string(), |m| format!("time.{m}"));
        let loc = match &self.loc {
            Loc::Utc => "time.UTC".to_owned(),
            Loc::Local => "time.Local".to_owned(),
            Loc::Zone(l) => format!("time.Location({})", super::duration::time_quote(&l.name)),
        };
        format!(
            "time.Date({}, {}, {}, {}, {}, {}, {}, {})",
            p.year, month, p.day, p.hour, p.min, p.sec, self.nsec, loc
        )
    }

    /// RFC 3339 with nanoseconds, as `MarshalJSON`/`MarshalText` write it,
    /// or Go's error when the time has no such form.
    pub(crate) fn rfc3339_strict(&self) -> Result<String, &'static str> {
        let p = self.parts();
        if !(0..=9999).contains(&p.year) {
            return Err("year outside of range [0,9999]");
        }
        if p.zone.offset.abs() / 3600 >= 24 {
            return Err("timezone hour outside of range [0,23]");
        }
        Ok(layout::format(self, layout::RFC3339_NANO))
    }
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

const TIME: GoType = GoType::Object("time.Time");
const INT: GoType = GoType::Int(IntKind::Int);
/// `time.Duration` parameters are declared as `int64`: the signature types
/// have no named integer types, and an untyped constant converts the same
/// way (see the `date` module docs for the deviation this leaves).
const DURATION: GoType = GoType::Int(IntKind::Int64);

/// The methods of `time.Time` that a template can call (one result, or a
/// result and an error), by name.
fn time_method(name: &str) -> Option<Signature> {
    let sig = match name {
        "Add" | "Round" | "Truncate" => vec![DURATION],
        "AddDate" => vec![INT, INT, INT],
        "After" | "Before" | "Equal" | "Compare" | "Sub" => vec![TIME],
        "AppendFormat" => vec![GoType::Bytes, GoType::String],
        "Format" => vec![GoType::String],
        "In" => vec![GoType::Object("*time.Location")],
        "Day" | "Hour" | "Minute" | "Second" | "Nanosecond" | "Year" | "YearDay" | "Month"
        | "Weekday" | "IsDST" | "IsZero" | "Local" | "UTC" | "Location" | "String" | "GoString"
        | "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "MarshalJSON" | "MarshalText" => vec![],
        _ => return None,
    };
    Some(Signature::new(sig))
}

impl Object for GoTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn repr(&self) -> ObjectRepr {
        // Go's fields are unexported; these carry what DeepEqual compares
        // (instant, monotonic reading, location identity).
        ObjectRepr::Struct {
            pointer: false,
            fields: vec![
                ("sec", Value::int64(self.sec)),
                ("nsec", Value::int64(self.nsec)),
                ("mono", self.mono.map_or(Value::Nil, Value::int64)),
                (
                    "loc",
                    match &self.loc {
                        Loc::Utc => Value::Nil,
                        Loc::Local => Value::str("Local"),
                        Loc::Zone(l) => Value::string(format!("{:p}", std::sync::Arc::as_ptr(l))),
                    },
                ),
            ],
        }
    }

    fn stringer(&self) -> Option<String> {
        Some(self.go_string())
    }

    fn method(&self, name: &str) -> Option<Signature> {
        time_method(name)
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let time_arg = |i: usize| -> Result<GoTime, String> {
            args.get(i)
                .and_then(|v| v.downcast::<GoTime>())
                .cloned()
                .ok_or_else(|| "wrong type for value; expected time.Time".to_owned())
        };
        let int_arg = |i: usize| args.get(i).and_then(Value::as_i64).unwrap_or(0);
        let dur_arg = || args.first().and_then(duration_arg).unwrap_or(0);
        let p = || self.parts();
        Ok(match name {
            "Add" => Value::object(self.add(dur_arg())),
            "Round" => Value::object(self.round_to(dur_arg(), true)),
            "Truncate" => Value::object(self.round_to(dur_arg(), false)),
            "AddDate" => {
                let p = p();
                Value::object(GoTime::date(
                    p.year.wrapping_add(int_arg(0)),
                    p.month.wrapping_add(int_arg(1)),
                    p.day.wrapping_add(int_arg(2)),
                    p.hour,
                    p.min,
                    p.sec,
                    self.nsec,
                    self.loc.clone(),
                ))
            }
            "After" => Value::Bool(self.cmp_instant(&time_arg(0)?).is_gt()),
            "Before" => Value::Bool(self.cmp_instant(&time_arg(0)?).is_lt()),
            "Equal" => Value::Bool(self.cmp_instant(&time_arg(0)?).is_eq()),
            "Compare" => Value::int(self.cmp_instant(&time_arg(0)?) as i64),
            "Sub" => Value::object(Duration(self.sub(&time_arg(0)?))),
            "AppendFormat" => {
                let mut b = match args.first() {
                    Some(Value::Bytes(b)) => b.to_vec(),
                    _ => Vec::new(),
                };
                let fmt = args.get(1).and_then(Value::as_str).unwrap_or("");
                b.extend_from_slice(layout::format(self, fmt).as_bytes());
                Value::Bytes(b.into())
            }
            "Format" => Value::string(layout::format(
                self,
                args.first().and_then(Value::as_str).unwrap_or(""),
            )),
            "In" => match args.first().and_then(|v| v.downcast::<GoLocation>()) {
                Some(l) => Value::object(self.with_loc(l.0.clone())),
                // Go panics on a nil location.
                None => return Err("time: missing Location in call to Time.In".to_owned()),
            },
            "Day" => Value::int(p().day),
            "Hour" => Value::int(p().hour),
            "Minute" => Value::int(p().min),
            "Second" => Value::int(p().sec),
            "Nanosecond" => Value::int(self.nsec),
            "Year" => Value::int(p().year),
            "YearDay" => Value::int(p().yday),
            "Month" => Value::object(Month(p().month)),
            "Weekday" => Value::object(Weekday(p().weekday)),
            "IsDST" => Value::Bool(p().zone.is_dst),
            "IsZero" => Value::Bool(self.is_zero()),
            "Local" => Value::object(self.with_loc(Loc::Local)),
            "UTC" => Value::object(self.with_loc(Loc::Utc)),
            "Location" => Value::object(GoLocation(self.loc.clone())),
            "String" => Value::string(self.go_string()),
            "GoString" => Value::string(self.go_syntax()),
            "Unix" => Value::int64(self.sec),
            "UnixMilli" => Value::int64(
                self.sec
                    .wrapping_mul(1_000)
                    .wrapping_add(self.nsec / 1_000_000),
            ),
            "UnixMicro" => Value::int64(
                self.sec
                    .wrapping_mul(1_000_000)
                    .wrapping_add(self.nsec / 1_000),
            ),
            "UnixNano" => Value::int64(self.unix_nano()),
            "MarshalJSON" => match self.rfc3339_strict() {
                Ok(s) => Value::Bytes(format!("\"{s}\"").into_bytes().into()),
                Err(e) => return Err(format!("Time.MarshalJSON: {e}")),
            },
            "MarshalText" => match self.rfc3339_strict() {
                Ok(s) => Value::Bytes(s.into_bytes().into()),
                Err(e) => return Err(format!("Time.MarshalText: {e}")),
            },
            _ => return Err(format!("can't call method/function {name:?}")),
        })
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn marshal_json(&self) -> Result<Value, String> {
        self.rfc3339_strict().map(Value::string).map_err(|e| {
            format!("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: {e}")
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `time.Month`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Month(pub(crate) i64);

/// A `time.Weekday`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Weekday(pub(crate) i64);

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The English name of month 1..=12.
pub(crate) fn month_name(m: i64) -> Option<&'static str> {
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
}

/// The English name of weekday 0..=6 (Sunday first).
pub(crate) fn day_name(d: i64) -> Option<&'static str> {
    usize::try_from(d)
        .ok()
        .and_then(|i| DAY_NAMES.get(i))
        .copied()
}

impl Object for Month {
    fn type_name(&self) -> &str {
        "time.Month"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::int(self.0))
    }

    fn kind_name(&self) -> &'static str {
        "int"
    }

    fn stringer(&self) -> Option<String> {
        Some(month_name(self.0).map_or_else(|| format!("%!Month({})", self.0), str::to_owned))
    }

    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then(|| Signature::new(vec![]))
    }

    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::string(self.stringer().unwrap_or_default())),
            _ => Err(format!("can't call method/function {name:?}")),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for Weekday {
    fn type_name(&self) -> &str {
        "time.Weekday"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::int(self.0))
    }

    fn kind_name(&self) -> &'static str {
        "int"
    }

    fn stringer(&self) -> Option<String> {
        Some(day_name(self.0).map_or_else(|| format!("%!Weekday({})", self.0), str::to_owned))
    }

    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then(|| Signature::new(vec![]))
    }

    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::string(self.stringer().unwrap_or_default())),
            _ => Err(format!("can't call method/function {name:?}")),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `*time.Location`.
#[derive(Clone, Debug)]
pub(crate) struct GoLocation(pub(crate) Loc);

impl Object for GoLocation {
    fn type_name(&self) -> &str {
        "*time.Location"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: true,
            fields: vec![("name", Value::string(self.0.name()))],
        }
    }

    fn stringer(&self) -> Option<String> {
        Some(self.0.name())
    }

    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then(|| Signature::new(vec![]))
    }

    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::string(self.0.name())),
            _ => Err(format!("can't call method/function {name:?}")),
        }
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_normalises() {
        let t = GoTime::date(2020, 14, 1, 25, 0, 0, 0, Loc::Utc);
        assert_eq!(t.go_string(), "2021-02-02 01:00:00 +0000 UTC");
        let t = GoTime::date(2021, 3, 0, 0, 0, -1, 0, Loc::Utc);
        assert_eq!(t.go_string(), "2021-02-27 23:59:59 +0000 UTC");
        assert_eq!(GoTime::zero().go_string(), "0001-01-01 00:00:00 +0000 UTC");
        assert!(GoTime::zero().is_zero());
    }

    #[test]
    fn arithmetic() {
        let t = GoTime::date(2020, 1, 1, 0, 0, 0, 0, Loc::Utc);
        let u = t.add(-1);
        assert_eq!(u.go_string(), "2019-12-31 23:59:59.999999999 +0000 UTC");
        assert_eq!(t.sub(&u), 1);
        assert_eq!(
            t.round_to(7 * 24 * 3600 * SECOND, false).go_string(),
            "2019-12-30 00:00:00 +0000 UTC"
        );
        let far = GoTime::date(1, 1, 1, 0, 0, 0, 0, Loc::Utc);
        assert_eq!(t.sub(&far), i64::MAX);
        assert_eq!(far.sub(&t), i64::MIN);
    }

    #[test]
    fn monotonic_suffix() {
        let mut t = GoTime::unix(0).with_loc(Loc::Utc);
        t.mono = Some(1_500_000_000);
        assert_eq!(
            t.go_string(),
            "1970-01-01 00:00:00 +0000 UTC m=+1.500000000"
        );
        t.mono = Some(-12);
        assert!(t.go_string().ends_with(" m=-0.000000012"));
    }
}
