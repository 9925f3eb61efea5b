//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`): the tokenizer
//! that finds the elements (`2006`, `Jan`, `_2`, `.000`, `Z07:00`, …), and
//! `Time.Format` and `time.ParseInLocation` built on it, with Go's error
//! texts.

use super::civil;
use super::duration::time_quote;
use super::gotime::{GoTime, day_name, month_name};
use super::zone::{Loc, Location};

pub(crate) const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// One layout element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000`: digits kept; separator and digit count.
    FracSecond0(u8, usize),
    /// `.999`: trailing zeros dropped.
    FracSecond9(u8, usize),
}

impl Std {
    fn is_iso_tz(self) -> bool {
        matches!(
            self,
            Std::Iso8601TZ
                | Std::Iso8601SecondsTZ
                | Std::Iso8601ShortTZ
                | Std::Iso8601ColonTZ
                | Std::Iso8601ColonSecondsTZ
        )
    }
}

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// Split `layout` at its first element: the literal text before it, the
/// element, and the rest. `None` when no element remains.
fn next_std_chunk(layout: &[u8]) -> (&[u8], Option<(Std, &[u8])>) {
    let at = |i: usize, pat: &[u8]| layout.get(i..).is_some_and(|s| s.starts_with(pat));
    for i in 0..layout.len() {
        let hit = |std: Std, len: usize| Some((std, layout.get(i + len..).unwrap_or(&[])));
        let found = match layout[i] {
            b'J' if at(i, b"Jan") => {
                if at(i, b"January") {
                    hit(Std::LongMonth, 7)
                } else if !starts_with_lower(layout.get(i + 3..).unwrap_or(&[])) {
                    hit(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' => {
                if at(i, b"Monday") {
                    hit(Std::LongWeekDay, 6)
                } else if at(i, b"Mon") && !starts_with_lower(layout.get(i + 3..).unwrap_or(&[])) {
                    hit(Std::WeekDay, 3)
                } else if at(i, b"MST") {
                    hit(Std::TZ, 3)
                } else {
                    None
                }
            }
            b'0' => match layout.get(i + 1) {
                Some(b'1') => hit(Std::ZeroMonth, 2),
                Some(b'2') => hit(Std::ZeroDay, 2),
                Some(b'3') => hit(Std::ZeroHour12, 2),
                Some(b'4') => hit(Std::ZeroMinute, 2),
                Some(b'5') => hit(Std::ZeroSecond, 2),
                Some(b'6') => hit(Std::Year, 2),
                Some(b'0') if layout.get(i + 2) == Some(&b'2') => hit(Std::ZeroYearDay, 3),
                _ => None,
            },
            b'1' => {
                if layout.get(i + 1) == Some(&b'5') {
                    hit(Std::Hour, 2)
                } else {
                    hit(Std::NumMonth, 1)
                }
            }
            b'2' => {
                if at(i, b"2006") {
                    hit(Std::LongYear, 4)
                } else {
                    hit(Std::Day, 1)
                }
            }
            b'_' => {
                if layout.get(i + 1) == Some(&b'2') {
                    // `_2006` is a literal underscore and a year.
                    if at(i + 1, b"2006") {
                        return (
                            layout.get(..=i).unwrap_or(&[]),
                            Some((Std::LongYear, layout.get(i + 5..).unwrap_or(&[]))),
                        );
                    }
                    hit(Std::UnderDay, 2)
                } else if at(i + 1, b"_2") {
                    hit(Std::UnderYearDay, 3)
                } else {
                    None
                }
            }
            b'3' => hit(Std::Hour12, 1),
            b'4' => hit(Std::Minute, 1),
            b'5' => hit(Std::Second, 1),
            b'P' if layout.get(i + 1) == Some(&b'M') => hit(Std::PM, 2),
            b'p' if layout.get(i + 1) == Some(&b'm') => hit(Std::Pm, 2),
            b'-' => {
                if at(i, b"-070000") {
                    hit(Std::NumSecondsTz, 7)
                } else if at(i, b"-07:00:00") {
                    hit(Std::NumColonSecondsTZ, 9)
                } else if at(i, b"-0700") {
                    hit(Std::NumTZ, 5)
                } else if at(i, b"-07:00") {
                    hit(Std::NumColonTZ, 6)
                } else if at(i, b"-07") {
                    hit(Std::NumShortTZ, 3)
                } else {
                    None
                }
            }
            b'Z' => {
                if at(i, b"Z070000") {
                    hit(Std::Iso8601SecondsTZ, 7)
                } else if at(i, b"Z07:00:00") {
                    hit(Std::Iso8601ColonSecondsTZ, 9)
                } else if at(i, b"Z0700") {
                    hit(Std::Iso8601TZ, 5)
                } else if at(i, b"Z07:00") {
                    hit(Std::Iso8601ColonTZ, 6)
                } else if at(i, b"Z07") {
                    hit(Std::Iso8601ShortTZ, 3)
                } else {
                    None
                }
            }
            c @ (b'.' | b',') => match layout.get(i + 1) {
                Some(&ch @ (b'0' | b'9')) => {
                    let mut j = i + 1;
                    while layout.get(j) == Some(&ch) {
                        j += 1;
                    }
                    // Only a run of digits that ends here is a fraction.
                    if layout.get(j).is_some_and(u8::is_ascii_digit) {
                        None
                    } else {
                        let n = j - (i + 1);
                        let std = if ch == b'0' {
                            Std::FracSecond0(c, n)
                        } else {
                            Std::FracSecond9(c, n)
                        };
                        hit(std, j - i)
                    }
                }
                _ => None,
            },
            _ => None,
        };
        if found.is_some() {
            return (layout.get(..i).unwrap_or(&[]), found);
        }
    }
    (layout, None)
}

/// Go's `appendInt`: decimal, zero-padded to `width` digits, sign first.
fn push_int(out: &mut String, x: i64, width: usize) {
    if x < 0 {
        out.push('-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// `.000`/`.999` fractions of `nanosec`.
fn push_nano(out: &mut String, nanosec: i64, sep: u8, n: usize, trim: bool) {
    if trim && (n == 0 || nanosec == 0) {
        return;
    }
    let mut frac = format!("{nanosec:09}");
    frac.truncate(n.min(9));
    let mut s = String::with_capacity(frac.len() + 1);
    s.push(char::from(sep));
    s.push_str(&frac);
    if trim {
        while s.ends_with('0') {
            s.pop();
        }
        if s.len() == 1 {
            s.pop();
        }
    }
    out.push_str(&s);
}

fn push_offset(out: &mut String, std: Std, offset: i64) {
    if offset == 0 && std.is_iso_tz() {
        out.push('Z');
        return;
    }
    let mut zone = offset / 60;
    let mut abs = offset;
    if zone < 0 {
        out.push('-');
        zone = -zone;
        abs = -abs;
    } else {
        out.push('+');
    }
    push_int(out, zone / 60, 2);
    if matches!(
        std,
        Std::Iso8601ColonTZ | Std::NumColonTZ | Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ
    ) {
        out.push(':');
    }
    if !matches!(std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
        push_int(out, zone % 60, 2);
    }
    if matches!(
        std,
        Std::Iso8601SecondsTZ
            | Std::NumSecondsTz
            | Std::NumColonSecondsTZ
            | Std::Iso8601ColonSecondsTZ
    ) {
        if matches!(std, Std::NumColonSecondsTZ | Std::Iso8601ColonSecondsTZ) {
            out.push(':');
        }
        push_int(out, abs % 60, 2);
    }
}

/// `t.Format(layout)`.
pub(crate) fn format(t: &GoTime, layout: &str) -> String {
    let p = t.parts();
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout.as_bytes();
    loop {
        let (prefix, found) = next_std_chunk(rest);
        out.push_str(&String::from_utf8_lossy(prefix));
        let Some((std, suffix)) = found else { break };
        rest = suffix;
        let hour12 = if p.hour % 12 == 0 { 12 } else { p.hour % 12 };
        match std {
            Std::Year => push_int(&mut out, p.year.abs() % 100, 2),
            Std::LongYear => push_int(&mut out, p.year, 4),
            Std::Month => out.push_str(month_name(p.month).map_or("", |m| m.get(..3).unwrap_or(m))),
            Std::LongMonth => out.push_str(month_name(p.month).unwrap_or("")),
            Std::NumMonth => push_int(&mut out, p.month, 0),
            Std::ZeroMonth => push_int(&mut out, p.month, 2),
            Std::WeekDay => {
                out.push_str(day_name(p.weekday).map_or("", |d| d.get(..3).unwrap_or(d)))
            }
            Std::LongWeekDay => out.push_str(day_name(p.weekday).unwrap_or("")),
            Std::Day => push_int(&mut out, p.day, 0),
            Std::UnderDay => {
                if p.day < 10 {
                    out.push(' ');
                }
                push_int(&mut out, p.day, 0);
            }
            Std::ZeroDay => push_int(&mut out, p.day, 2),
            Std::UnderYearDay => {
                if p.yday < 100 {
                    out.push(' ');
                    if p.yday < 10 {
                        out.push(' ');
                    }
                }
                push_int(&mut out, p.yday, 0);
            }
            Std::ZeroYearDay => push_int(&mut out, p.yday, 3),
            Std::Hour => push_int(&mut out, p.hour, 2),
            Std::Hour12 => push_int(&mut out, hour12, 0),
            Std::ZeroHour12 => push_int(&mut out, hour12, 2),
            Std::Minute => push_int(&mut out, p.min, 0),
            Std::ZeroMinute => push_int(&mut out, p.min, 2),
            Std::Second => push_int(&mut out, p.sec, 0),
            Std::ZeroSecond => push_int(&mut out, p.sec, 2),
            Std::PM => out.push_str(if p.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => out.push_str(if p.hour >= 12 { "pm" } else { "am" }),
            Std::TZ => {
                if p.zone.name.is_empty() {
                    // No abbreviation known: Go falls back to -0700.
                    let mut zone = p.zone.offset / 60;
                    if zone < 0 {
                        out.push('-');
                        zone = -zone;
                    } else {
                        out.push('+');
                    }
                    push_int(&mut out, zone / 60, 2);
                    push_int(&mut out, zone % 60, 2);
                } else {
                    out.push_str(&p.zone.name);
                }
            }
            Std::FracSecond0(sep, n) => push_nano(&mut out, t.nsec, sep, n, false),
            Std::FracSecond9(sep, n) => push_nano(&mut out, t.nsec, sep, n, true),
            _ => push_offset(&mut out, std, p.zone.offset),
        }
    }
    out
}

/// Why a parse failed; becomes Go's `ParseError` text.
enum Bad {
    /// `cannot parse "<value>" as "<elem>"`.
    Elem,
    /// A value out of range: `: <what> out of range`.
    Range(&'static str),
}

fn digit_at(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// One or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let a = i64::from(*s.first().filter(|c| c.is_ascii_digit())? - b'0');
    if !digit_at(s, 1) {
        if fixed {
            return None;
        }
        return Some((a, s.get(1..)?));
    }
    let b = i64::from(s.get(1)? - b'0');
    Some((a * 10 + b, s.get(2..)?))
}

/// One to three digits (exactly three when `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && digit_at(s, i) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, s.get(i..)?))
}

/// Go's `atoi` on a short field: optional sign, digits, nothing else.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let mut x: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
    }
    let x = x as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

/// Match `val` against a name table, ignoring ASCII case.
fn lookup_name<'a>(names: &[&str], val: &'a [u8]) -> Option<(i64, &'a [u8])> {
    for (i, name) in names.iter().enumerate() {
        if let Some(head) = val.get(..name.len())
            && head.eq_ignore_ascii_case(name.as_bytes())
        {
            return Some((i as i64, val.get(name.len()..)?));
        }
    }
    None
}

const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const LONG_MONTHS: [&str; 12] = [
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
const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Skip the literal `prefix` in `value`, where a run of spaces in the
/// layout matches any run of spaces (at least one unless at the end).
fn skip<'a>(mut value: &'a [u8], mut prefix: &[u8]) -> Option<&'a [u8]> {
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return None;
            }
            prefix = trim_spaces(prefix);
            value = trim_spaces(value);
            continue;
        }
        if value.first() != Some(&p) {
            return None;
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Some(value)
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}

/// The fraction `value[..nbytes]` (separator included) in nanoseconds.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Bad> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(Bad::Elem);
    }
    let nbytes = nbytes.min(10);
    let digits = value.get(1..nbytes).ok_or(Bad::Elem)?;
    let mut ns = atoi(digits).ok_or(Bad::Elem)?;
    if ns < 0 {
        return Err(Bad::Range("fractional second"));
    }
    for _ in 0..(10 - nbytes) {
        ns *= 10;
    }
    Ok(ns)
}

/// The length of a time-zone abbreviation at the start of `value`, by Go's
/// heuristics (3 upper-case letters, or 4–5 ending in T, `ChST`, `MeST`,
/// `WITA`, `GMT±h`, `±hh`).
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(3 + parse_signed_offset(value.get(3..).unwrap_or(&[])));
    }
    if matches!(value.first(), Some(b'+' | b'-')) {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if value.get(4) == Some(&b'T') => Some(5),
        4 if value.get(3) == Some(&b'T') || value.starts_with(b"WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// The length of `+h`/`-hh` (hours 0..=23) at the start of `value`, or 0.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let digits = value
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return 0;
    }
    let mut x: u64 = 0;
    for &c in value.iter().skip(1).take(digits) {
        x = x.saturating_mul(10).saturating_add(u64::from(c - b'0'));
    }
    if x > 23 {
        return 0;
    }
    1 + digits
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn parse_error(layout: &str, value: &str, elem: &[u8], value_elem: &[u8], message: &str) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value),
            time_quote(layout),
            time_quote(&lossy(value_elem)),
            time_quote(&lossy(elem))
        )
    } else {
        format!("parsing time {}{}", time_quote(value), message)
    }
}

/// `time.ParseInLocation(layout, value, loc)`, with Go's `ParseError` text.
pub(crate) fn parse(layout_str: &str, value_str: &str, loc: &Loc) -> Result<GoTime, String> {
    let mut layout = layout_str.as_bytes();
    let mut value = value_str.as_bytes();
    let (mut am_set, mut pm_set) = (false, false);
    let mut year: i64 = 0;
    let mut month: i64 = -1;
    let mut day: i64 = -1;
    let mut yday: i64 = -1;
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut utc = false;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name: Vec<u8> = Vec::new();

    loop {
        let (prefix, found) = next_std_chunk(layout);
        let stdstr = match found {
            Some((_, suffix)) => layout
                .get(prefix.len()..layout.len() - suffix.len())
                .unwrap_or(&[]),
            None => &[],
        };
        value = match skip(value, prefix) {
            Some(v) => v,
            None => return Err(parse_error(layout_str, value_str, prefix, value, "")),
        };
        let Some((std, suffix)) = found else {
            if !value.is_empty() {
                return Err(parse_error(
                    layout_str,
                    value_str,
                    &[],
                    value,
                    &format!(": extra text: {}", time_quote(&lossy(value))),
                ));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err: Option<&'static str> = None;
        let res: Result<(), Bad> = (|| {
            match std {
                Std::Year => {
                    let p = value.get(..2).ok_or(Bad::Elem)?;
                    value = &value[2..];
                    year = atoi(p).ok_or(Bad::Elem)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !digit_at(value, 0) {
                        return Err(Bad::Elem);
                    }
                    let p = &value[..4];
                    value = &value[4..];
                    year = atoi(p).ok_or(Bad::Elem)?;
                }
                Std::Month | Std::LongMonth => {
                    let names: &[&str] = if std == Std::Month {
                        &SHORT_MONTHS
                    } else {
                        &LONG_MONTHS
                    };
                    let (m, rest) = lookup_name(names, value).ok_or(Bad::Elem)?;
                    month = m + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(value, std == Std::ZeroMonth).ok_or(Bad::Elem)?;
                    month = m;
                    value = rest;
                    if !(1..=12).contains(&month) {
                        range_err = Some("month");
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let names: &[&str] = if std == Std::WeekDay {
                        &SHORT_DAYS
                    } else {
                        &LONG_DAYS
                    };
                    let (_, rest) = lookup_name(names, value).ok_or(Bad::Elem)?;
                    value = rest;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = getnum(value, std == Std::ZeroDay).ok_or(Bad::Elem)?;
                    day = d;
                    value = rest;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                            value = &value[1..];
                        }
                    }
                    let (d, rest) = getnum3(value, std == Std::ZeroYearDay).ok_or(Bad::Elem)?;
                    yday = d;
                    value = rest;
                }
                Std::Hour => {
                    let (h, rest) = getnum(value, false).ok_or(Bad::Elem)?;
                    hour = h;
                    value = rest;
                    if !(0..24).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(value, std == Std::ZeroHour12).ok_or(Bad::Elem)?;
                    hour = h;
                    value = rest;
                    if !(0..=12).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(value, std == Std::ZeroMinute).ok_or(Bad::Elem)?;
                    min = m;
                    value = rest;
                    if !(0..60).contains(&min) {
                        range_err = Some("minute");
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(value, std == Std::ZeroSecond).ok_or(Bad::Elem)?;
                    sec = s;
                    value = rest;
                    if !(0..60).contains(&sec) {
                        range_err = Some("second");
                        return Ok(());
                    }
                    // A fraction in the value that the layout does not ask
                    // for is accepted right after the seconds.
                    if value.len() >= 2 && matches!(value[0], b'.' | b',') && digit_at(value, 1) {
                        let next = next_std_chunk(layout).1.map(|(s, _)| s);
                        if matches!(next, Some(Std::FracSecond0(..) | Std::FracSecond9(..))) {
                            return Ok(());
                        }
                        let mut n = 2;
                        while digit_at(value, n) {
                            n += 1;
                        }
                        let r = parse_nanoseconds(value, n);
                        value = &value[n..];
                        match r {
                            Ok(ns) => nsec = ns,
                            Err(Bad::Range(what)) => range_err = Some(what),
                            Err(e) => return Err(e),
                        }
                    }
                }
                Std::PM | Std::Pm => {
                    let p = value.get(..2).ok_or(Bad::Elem)?;
                    value = &value[2..];
                    let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return Err(Bad::Elem);
                    }
                }
                Std::TZ => {
                    if value.starts_with(b"UTC") {
                        utc = true;
                        value = &value[3..];
                        return Ok(());
                    }
                    let n = parse_time_zone(value).ok_or(Bad::Elem)?;
                    zone_name = value.get(..n).ok_or(Bad::Elem)?.to_vec();
                    value = &value[n..];
                }
                Std::FracSecond0(_, n) => {
                    let ndigit = 1 + n;
                    if value.len() < ndigit {
                        return Err(Bad::Elem);
                    }
                    let r = parse_nanoseconds(value, ndigit);
                    value = &value[ndigit..];
                    match r {
                        Ok(ns) => nsec = ns,
                        Err(Bad::Range(what)) => range_err = Some(what),
                        Err(e) => return Err(e),
                    }
                }
                Std::FracSecond9(..) => {
                    if value.len() < 2 || !matches!(value[0], b'.' | b',') || !digit_at(value, 1) {
                        return Ok(());
                    }
                    let mut i = 0;
                    while digit_at(value, i + 1) {
                        i += 1;
                    }
                    let r = parse_nanoseconds(value, 1 + i);
                    value = &value[1 + i..];
                    match r {
                        Ok(ns) => nsec = ns,
                        Err(Bad::Range(what)) => range_err = Some(what),
                        Err(e) => return Err(e),
                    }
                }
                _ => {
                    if std.is_iso_tz() && value.first() == Some(&b'Z') {
                        value = &value[1..];
                        utc = true;
                        return Ok(());
                    }
                    let (sign, hh, mm, ss): (u8, &[u8], &[u8], &[u8]);
                    match std {
                        Std::Iso8601ColonTZ | Std::NumColonTZ => {
                            if value.len() < 6 || value[3] != b':' {
                                return Err(Bad::Elem);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], &value[4..6], b"00");
                            value = &value[6..];
                        }
                        Std::NumShortTZ | Std::Iso8601ShortTZ => {
                            if value.len() < 3 {
                                return Err(Bad::Elem);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], b"00", b"00");
                            value = &value[3..];
                        }
                        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
                            if value.len() < 9 || value[3] != b':' || value[6] != b':' {
                                return Err(Bad::Elem);
                            }
                            (sign, hh, mm, ss) =
                                (value[0], &value[1..3], &value[4..6], &value[7..9]);
                            value = &value[9..];
                        }
                        Std::Iso8601SecondsTZ | Std::NumSecondsTz => {
                            if value.len() < 7 {
                                return Err(Bad::Elem);
                            }
                            (sign, hh, mm, ss) =
                                (value[0], &value[1..3], &value[3..5], &value[5..7]);
                            value = &value[7..];
                        }
                        _ => {
                            if value.len() < 5 {
                                return Err(Bad::Elem);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], &value[3..5], b"00");
                            value = &value[5..];
                        }
                    }
                    let num = |s: &[u8]| getnum(s, true).map(|(n, _)| n);
                    let (hr, mi, se) = match (num(hh), num(mm), num(ss)) {
                        (Some(h), Some(m), Some(s)) => (h, m, s),
                        _ => {
                            return Err(Bad::Elem);
                        }
                    };
                    if hr > 24 {
                        range_err = Some("time zone offset hour");
                    }
                    if mi > 60 {
                        range_err = Some("time zone offset minute");
                    }
                    if se > 60 {
                        range_err = Some("time zone offset second");
                    }
                    let off = (hr * 60 + mi) * 60 + se;
                    zone_offset = Some(match sign {
                        b'+' => off,
                        b'-' => -off,
                        _ => return Err(Bad::Elem),
                    });
                }
            }
            Ok(())
        })();
        if let Some(what) = range_err {
            return Err(parse_error(
                layout_str,
                value_str,
                stdstr,
                value,
                &format!(": {what} out of range"),
            ));
        }
        match res {
            Ok(()) => {}
            Err(Bad::Range(what)) => {
                return Err(parse_error(
                    layout_str,
                    value_str,
                    stdstr,
                    value,
                    &format!(": {what} out of range"),
                ));
            }
            Err(Bad::Elem) => return Err(parse_error(layout_str, value_str, stdstr, hold, "")),
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }

    if yday >= 0 {
        let (mut d, mut m) = (0, 0);
        if civil::is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(parse_error(
                layout_str,
                value_str,
                &[],
                value,
                ": day-of-year out of range",
            ));
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if civil::days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - civil::days_before(m);
        }
        if month >= 0 && month != m {
            return Err(parse_error(
                layout_str,
                value_str,
                &[],
                value,
                ": day-of-year does not match month",
            ));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(parse_error(
                layout_str,
                value_str,
                &[],
                value,
                ": day-of-year does not match day",
            ));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > civil::days_in_month(month, year) {
        return Err(parse_error(
            layout_str,
            value_str,
            &[],
            value,
            ": day out of range",
        ));
    }

    if utc {
        return Ok(GoTime::date(
            year,
            month,
            day,
            hour,
            min,
            sec,
            nsec,
            Loc::Utc,
        ));
    }
    let zone_name = lossy(&zone_name);
    if let Some(offset) = zone_offset {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
        t.sec = t.sec.wrapping_sub(offset);
        // Use the location itself when its zone at that instant has this
        // offset (and name, if one was given); else a fixed zone.
        let info = loc.lookup(t.sec);
        if info.offset == offset && (zone_name.is_empty() || info.name == zone_name) {
            t.loc = loc.clone();
        } else {
            t.loc = Loc::Zone(Location::fixed(&zone_name, offset).into());
        }
        return Ok(t);
    }
    if !zone_name.is_empty() {
        let mut t = GoTime::date(year, month, day, hour, min, sec, nsec, Loc::Utc);
        if let Some(offset) = loc.lookup_name(&zone_name, t.sec) {
            t.sec = t.sec.wrapping_sub(offset);
            t.loc = loc.clone();
            return Ok(t);
        }
        // Unknown abbreviation: a zone of that name at offset zero, or at
        // the hours a `GMT+h` name states.
        let mut offset = 0;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            offset = atoi(zone_name.get(3..).unwrap_or("").as_bytes()).unwrap_or(0) * 3600;
        }
        t.loc = Loc::Zone(Location::fixed(&zone_name, offset).into());
        return Ok(t);
    }
    Ok(GoTime::date(
        year,
        month,
        day,
        hour,
        min,
        sec,
        nsec,
        loc.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(sec: i64, nsec: i64) -> GoTime {
        GoTime {
            sec,
            nsec,
            mono: None,
            loc: Loc::Utc,
        }
    }

    #[test]
    fn formats_reference_layouts() {
        let t = utc(1_136_239_445, 123_456_789);
        assert_eq!(
            format(&t, "2006-01-02T15:04:05Z07:00"),
            "2006-01-02T22:04:05Z"
        );
        assert_eq!(format(&t, RFC3339_NANO), "2006-01-02T22:04:05.123456789Z");
        assert_eq!(
            format(&t, "Mon Jan _2 15:04:05 MST 2006"),
            "Mon Jan  2 22:04:05 UTC 2006"
        );
        assert_eq!(
            format(&t, "3:04PM .000 ,99 __2 002"),
            "10:04PM .123 ,12   2 002"
        );
        assert_eq!(
            format(&t, "Monday January 06 -07:00:00"),
            "Monday January 06 +00:00:00"
        );
        assert_eq!(format(&t, "Janet Month _2006"), "Janet Month _2006");
    }

    #[test]
    fn random_layouts_and_values_do_not_panic() {
        let pieces = [
            "2006",
            "06",
            "01",
            "1",
            "Jan",
            "January",
            "02",
            "_2",
            "2",
            "__2",
            "002",
            "15",
            "3",
            "03",
            "4",
            "04",
            "5",
            "05",
            "PM",
            "pm",
            "MST",
            "Z0700",
            "Z07:00",
            "-07",
            "-070000",
            "Z07:00:00",
            ".000",
            ",999",
            ".9",
            "Mon",
            "Monday",
            " ",
            "-",
            ":",
            "T",
            "x",
            "é",
        ];
        let values = [
            "2020",
            "20",
            "1",
            "12",
            "Jan",
            "feb",
            "  3",
            "366",
            "23",
            "11",
            "59",
            "60",
            "PM",
            "am",
            "UTC",
            "EST",
            "GMT+25",
            "+05:30",
            "-0800",
            "Z",
            ".123456789123",
            ",5",
            " ",
            "-",
            ":",
            "T",
            "é",
            "ChST",
            "+1",
            "999999999999999999999",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as usize
        };
        for _ in 0..5000 {
            let layout: String = (0..next() % 6)
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            let value: String = (0..next() % 6)
                .map(|_| values[next() % values.len()])
                .collect();
            let _ = parse(&layout, &value, &Loc::Utc);
            let _ = parse(&layout, &value, &Loc::Local);
            let _ = format(&utc(next() as i64, 0), &layout);
        }
    }

    #[test]
    fn parses() {
        let t = parse("2006-01-02 15:04:05", "2020-03-04 05:06:07", &Loc::Utc)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.go_string(), "2020-03-04 05:06:07 +0000 UTC");
        let t = parse(
            "2006-01-02T15:04:05Z07:00",
            "2020-03-04T05:06:07.5+05:30",
            &Loc::Utc,
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.go_string(), "2020-03-04 05:06:07.5 +0530 +0530");
        let e = parse("2006-01-02", "2020-13-01", &Loc::Utc).err();
        assert_eq!(
            e.as_deref(),
            Some("parsing time \"2020-13-01\": month out of range")
        );
        let e = parse("2006-01-02", "x", &Loc::Utc).err();
        assert_eq!(
            e.as_deref(),
            Some("parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\"")
        );
        let e = parse("2006", "2006 ", &Loc::Utc).err();
        assert_eq!(
            e.as_deref(),
            Some("parsing time \"2006 \": extra text: \" \"")
        );
    }
}
