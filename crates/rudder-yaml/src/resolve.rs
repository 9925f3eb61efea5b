//! YAML 1.1 implicit typing of plain scalars, as yaml.v2's `resolve` does
//! it: the keyword table (`yes`, `on`, `~`, `.inf`, `<<`, …), Go's
//! `strconv.ParseInt(s, 0, 64)` prefixes (`0x`, `0o`, `0b`, legacy `017`),
//! underscores, the float pattern, and the timestamp layouts yaml.v2 tries.
//!
//! The emitter uses the same function to decide when a string must be quoted,
//! so parsing and printing agree by construction.

/// The standard tags, in long form, as the parser reports them.
pub(crate) const STR_TAG: &str = "tag:yaml.org,2002:str";
pub(crate) const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub(crate) const INT_TAG: &str = "tag:yaml.org,2002:int";
pub(crate) const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub(crate) const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub(crate) const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub(crate) const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
pub(crate) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

const LONG_PREFIX: &str = "tag:yaml.org,2002:";

/// A scalar as yaml.v2 resolves it into Go: the dynamic type matters
/// (`int` and `uint64` keys differ, `float64` keys print as float32).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    /// A timestamp-looking plain scalar; decoded into `interface{}` it stays
    /// the original string.
    Timestamp(String),
}

/// `tag:yaml.org,2002:x` → `!!x`, as yaml.v2 prints tags in errors.
pub(crate) fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

fn resolvable(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

/// A resolved scalar without its text: what [`resolve_kind`] returns, so
/// that decoding can classify a scalar without copying it (the string
/// variants' text is always the scalar's own value).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str,
    Timestamp,
}

fn keyword(s: &str) -> Option<Kind> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Kind::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Kind::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        ".nan" | ".NaN" | ".NAN" => Kind::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Kind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Kind::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Whether an untagged plain scalar resolves to NaN or an infinity (which
/// JSON cannot carry). Only the keywords do: a number too large for a
/// float64 stays a string.
pub(crate) fn is_non_finite_keyword(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'.' | b'+' | b'-'))
        && matches!(keyword(s), Some(Kind::Float(_)))
}

fn tag_of(k: Kind) -> &'static str {
    match k {
        Kind::Null => NULL_TAG,
        Kind::Bool(_) => BOOL_TAG,
        Kind::Int(_) | Kind::Uint(_) => INT_TAG,
        Kind::Float(_) => FLOAT_TAG,
        Kind::Str => STR_TAG,
        Kind::Timestamp => TIMESTAMP_TAG,
    }
}

/// Resolve `value` under `tag` (long form, or `""` for an untagged plain
/// scalar). An error is yaml.v2's `cannot decode …` text. Tags yaml.v2 does
/// not resolve (custom tags, `!!binary`, `!!merge`, `!`) give the string.
pub(crate) fn resolve(tag: &str, value: &str) -> Result<Scalar, String> {
    Ok(match resolve_kind(tag, value)? {
        Kind::Null => Scalar::Null,
        Kind::Bool(b) => Scalar::Bool(b),
        Kind::Int(i) => Scalar::Int(i),
        Kind::Uint(u) => Scalar::Uint(u),
        Kind::Float(f) => Scalar::Float(f),
        Kind::Str => Scalar::Str(value.to_owned()),
        Kind::Timestamp => Scalar::Timestamp(value.to_owned()),
    })
}

/// [`resolve`] without copying the text.
pub(crate) fn resolve_kind(tag: &str, value: &str) -> Result<Kind, String> {
    if !resolvable(tag) {
        return Ok(Kind::Str);
    }
    let out = resolve_untyped(tag, value);
    let rtag = tag_of(out);
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok(out);
    }
    if tag == FLOAT_TAG {
        match out {
            Kind::Int(i) => return Ok(Kind::Float(i as f64)),
            Kind::Uint(u) => return Ok(Kind::Float(u as f64)),
            _ => {}
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(rtag),
        value,
        short_tag(tag)
    ))
}

fn resolve_untyped(tag: &str, value: &str) -> Kind {
    let hint = match value.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || tag == STR_TAG {
        return Kind::Str;
    }
    if let Some(k) = keyword(value) {
        return k;
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(value) {
                return Kind::Float(f);
            }
        }
        b'D' | b'S' => {
            if (tag.is_empty() || tag == TIMESTAMP_TAG) && is_timestamp(value) {
                return Kind::Timestamp;
            }
            let plain: std::borrow::Cow<'_, str> = if value.contains('_') {
                value
                    .chars()
                    .filter(|&c| c != '_')
                    .collect::<String>()
                    .into()
            } else {
                value.into()
            };
            let plain = &*plain;
            if let Some(i) = go_parse_int(plain) {
                return Kind::Int(i);
            }
            if let Some(u) = go_parse_uint(plain) {
                return Kind::Uint(u);
            }
            if is_yaml_float(plain)
                && let Some(f) = go_parse_float(plain)
            {
                return Kind::Float(f);
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if let Ok(i) = i64::from_str_radix(rest, 2)
                    && !rest.starts_with(['+', '-'])
                {
                    return Kind::Int(i);
                }
                if let Ok(u) = u64::from_str_radix(rest, 2)
                    && !rest.starts_with('+')
                {
                    return Kind::Uint(u);
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && !rest.starts_with(['+', '-'])
                && let Ok(i) = i64::from_str_radix(&format!("-{rest}"), 2)
            {
                return Kind::Int(i);
            }
        }
        _ => {}
    }
    Kind::Str
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - st
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms YAML can reach
/// here; out-of-range values are errors, as in Go.
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    // Rust accepts the words inf/nan too; Go does as well, but those never
    // reach this point with a leading '.', sign or digit except as
    // "+inf"/"-nan" style words, which Go also accepts.
    if s.contains('_')
        || b.iter()
            .any(|c| c.is_ascii_alphabetic() && !matches!(c, b'e' | b'E'))
    {
        return go_parse_special(s);
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

fn go_parse_special(s: &str) -> Option<f64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..)?),
        Some(b'-') => (true, s.get(1..)?),
        _ => (false, s),
    };
    let lower = rest.to_ascii_lowercase();
    let v = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    };
    Some(if neg { -v } else { v })
}

/// Split Go's base-0 prefix: returns (negative, digits, radix).
fn split_base0(s: &str, allow_sign: bool) -> Option<(bool, &str, u32)> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') if allow_sign => (false, s.get(1..)?),
        Some(b'-') if allow_sign => (true, s.get(1..)?),
        _ => (false, s),
    };
    let bytes = body.as_bytes();
    let (digits, radix) = if bytes.first() == Some(&b'0') && bytes.len() > 1 {
        match bytes.get(1) {
            Some(b'x' | b'X') => (body.get(2..)?, 16),
            Some(b'b' | b'B') => (body.get(2..)?, 2),
            Some(b'o' | b'O') => (body.get(2..)?, 8),
            _ => (body.get(1..)?, 8),
        }
    } else {
        (body, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some((neg, digits, radix))
}

/// Go's `strconv.ParseInt(s, 0, 64)` (without underscores: the caller
/// removed them, as yaml.v2 does).
pub(crate) fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, digits, radix) = split_base0(s, true)?;
    let mag = u128::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= (i64::MAX as u128) + 1 {
            Some((-(mag as i128)) as i64)
        } else {
            None
        }
    } else if mag <= i64::MAX as u128 {
        Some(mag as i64)
    } else {
        None
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
fn go_parse_uint(s: &str) -> Option<u64> {
    let (_, digits, radix) = split_base0(s, false)?;
    u64::from_str_radix(digits, radix).ok()
}

/// Whether yaml.v2 would read `s` as a timestamp: it starts with four
/// digits and a dash, and Go's `time.Parse` accepts it with one of the
/// layouts `2006-1-2T15:4:5.999999999Z07:00` (also with `t`),
/// `2006-1-2 15:4:5.999999999` or `2006-1-2`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b.iter().take(4).all(u8::is_ascii_digit) || b.get(4) != Some(&b'-') {
        return false;
    }
    let Some((year, rest)) = take_fixed(b, 4) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b"-") else {
        return false;
    };
    let Some((month, rest)) = take_num(rest) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b"-") else {
        return false;
    };
    let Some((day, rest)) = take_num(rest) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let (sep, rest) = match rest.split_first() {
        Some((c, r)) => (*c, r),
        None => return false,
    };
    let needs_zone = match sep {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    let Some(rest) = parse_clock(rest) else {
        return false;
    };
    if needs_zone {
        match rest {
            b"Z" => true,
            [b'+' | b'-', h1, h2, b':', m1, m2] => {
                [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                    && (h1 - b'0') * 10 + (h2 - b'0') <= 24
                    && (m1 - b'0') * 10 + (m2 - b'0') <= 60
            }
            _ => false,
        }
    } else {
        rest.is_empty()
    }
}

/// `15:4:5` with an optional fraction; returns what follows.
fn parse_clock(b: &[u8]) -> Option<&[u8]> {
    let (h, rest) = take_num(b)?;
    let rest = rest.strip_prefix(b":")?;
    let (m, rest) = take_num(rest)?;
    let rest = rest.strip_prefix(b":")?;
    let (s, mut rest) = take_num(rest)?;
    if h >= 24 || m >= 60 || s >= 60 {
        return None;
    }
    if let [b'.' | b',', d, ..] = rest
        && d.is_ascii_digit()
    {
        let mut i = 1;
        while rest.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        rest = rest.get(i..)?;
    }
    Some(rest)
}

/// Go's `getnum(s, false)`: one or two digits.
fn take_num(b: &[u8]) -> Option<(u32, &[u8])> {
    let d0 = *b.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match b.get(1) {
        Some(d1) if d1.is_ascii_digit() => Some((
            u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'),
            b.get(2..)?,
        )),
        _ => Some((u32::from(d0 - b'0'), b.get(1..)?)),
    }
}

fn take_fixed(b: &[u8], n: usize) -> Option<(u32, &[u8])> {
    let head = b.get(..n)?;
    let mut v = 0u32;
    for d in head {
        v = v * 10 + u32::from(d - b'0');
    }
    Some((v, b.get(n..)?))
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 => {
            if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// yaml.v2's base-60 float pattern, used only to quote such strings on output:
/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // [0-5]?[0-9]: one digit, or two with the first in 0-5.
        let d1 = b.get(i).copied();
        let d2 = b.get(i + 1).copied();
        match (d1, d2) {
            (Some(a), Some(c)) if (b'0'..=b'5').contains(&a) && c.is_ascii_digit() => {
                // Prefer two digits when possible; fall back to one if the
                // rest then fails (regex backtracking).
                if rest_base60(b, i + 2) {
                    return true;
                }
                i += 1;
            }
            (Some(a), _) if a.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    tail_fraction(b, i)
}

fn rest_base60(b: &[u8], mut i: usize) -> bool {
    loop {
        if b.get(i) == Some(&b':') {
            i += 1;
            let d1 = b.get(i).copied();
            let d2 = b.get(i + 1).copied();
            match (d1, d2) {
                (Some(a), Some(c)) if (b'0'..=b'5').contains(&a) && c.is_ascii_digit() => {
                    if rest_base60(b, i + 2) {
                        return true;
                    }
                    i += 1;
                }
                (Some(a), _) if a.is_ascii_digit() => i += 1,
                _ => return false,
            }
        } else {
            return tail_fraction(b, i);
        }
    }
}

fn tail_fraction(b: &[u8], mut i: usize) -> bool {
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_scalars() {
        assert_eq!(resolve("", "yes"), Ok(Scalar::Bool(true)));
        assert_eq!(resolve("", "Off"), Ok(Scalar::Bool(false)));
        assert_eq!(resolve("", "0x1F"), Ok(Scalar::Int(31)));
        assert_eq!(resolve("", "017"), Ok(Scalar::Int(15)));
        assert_eq!(resolve("", "0o17"), Ok(Scalar::Int(15)));
        assert_eq!(resolve("", "0b101"), Ok(Scalar::Int(5)));
        assert_eq!(resolve("", "1_000"), Ok(Scalar::Int(1000)));
        assert_eq!(resolve("", "08"), Ok(Scalar::Float(8.0)));
        assert_eq!(resolve("", "+1"), Ok(Scalar::Int(1)));
        assert_eq!(resolve("", "1e3"), Ok(Scalar::Float(1000.0)));
        assert_eq!(resolve("", "1e400"), Ok(Scalar::Str("1e400".into())));
        assert_eq!(
            resolve("", "12345678901234567890"),
            Ok(Scalar::Uint(12345678901234567890))
        );
        assert_eq!(
            resolve("", "2024-01-02"),
            Ok(Scalar::Timestamp("2024-01-02".into()))
        );
        assert_eq!(
            resolve("", "2024-02-30"),
            Ok(Scalar::Str("2024-02-30".into()))
        );
        // `<` is not in yaml.v2's hint table, so `<<` resolves as a string.
        assert_eq!(resolve("", "<<"), Ok(Scalar::Str("<<".into())));
        assert!(resolve(INT_TAG, "abc").is_err());
        assert_eq!(resolve(FLOAT_TAG, "1"), Ok(Scalar::Float(1.0)));
    }

    #[test]
    fn timestamps() {
        for s in [
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2002-12-14",
            "2024-1-2 3:4:5",
            "2024-01-02T10:00:00Z",
        ] {
            assert!(is_timestamp(s), "{s}");
        }
        for s in [
            "2001-12-14 21:59:43.10 -5",
            "2024-13-01",
            "20240-1-1",
            "2024-01-02T10:00:00",
        ] {
            assert!(!is_timestamp(s), "{s}");
        }
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("1:20"));
        assert!(is_base60_float("190:20:30.15"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("a:1"));
        assert!(!is_base60_float("1:"));
    }
}
