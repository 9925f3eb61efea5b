//! Go's `time.Duration`: its `String` form (`1h2m3.5s`, `1.5µs`, `0s`),
//! `ParseDuration`, rounding, and the `time.Duration` host object that
//! `Time.Sub` returns.

use std::any::Any;

use rudder_value::{GoType, IntKind, Object, ObjectRepr, Signature, Value};

pub(crate) const NANOSECOND: i64 = 1;
pub(crate) const MICROSECOND: i64 = 1_000;
pub(crate) const MILLISECOND: i64 = 1_000_000;
pub(crate) const SECOND: i64 = 1_000_000_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;

/// `Duration.String()`.
pub(crate) fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    // Built back to front, as the digits come out least significant first.
    let mut rev: Vec<u8> = Vec::with_capacity(32);
    if u < SECOND as u64 {
        let prec;
        rev.push(b's');
        if u == 0 {
            return "0s".to_owned();
        } else if u < MICROSECOND as u64 {
            prec = 0;
            rev.push(b'n');
        } else if u < MILLISECOND as u64 {
            prec = 3;
            // U+00B5, the micro sign, reversed byte by byte.
            rev.extend_from_slice(&[0xB5, 0xC2]);
        } else {
            prec = 6;
            rev.push(b'm');
        }
        u = push_frac(&mut rev, u, prec);
        push_int(&mut rev, u);
    } else {
        rev.push(b's');
        u = push_frac(&mut rev, u, 9);
        push_int(&mut rev, u % 60);
        u /= 60;
        if u > 0 {
            rev.push(b'm');
            push_int(&mut rev, u % 60);
            u /= 60;
            if u > 0 {
                rev.push(b'h');
                push_int(&mut rev, u);
            }
        }
    }
    if neg {
        rev.push(b'-');
    }
    rev.reverse();
    String::from_utf8_lossy(&rev).into_owned()
}

/// Push the `prec` low decimal digits of `v` as a fraction, without
/// trailing zeros (and without the point if they are all zero); return the
/// remaining integer part.
fn push_frac(rev: &mut Vec<u8>, mut v: u64, prec: u32) -> u64 {
    let mut print = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        print = print || digit != 0;
        if print {
            rev.push(b'0' + digit);
        }
        v /= 10;
    }
    if print {
        rev.push(b'.');
    }
    v
}

fn push_int(rev: &mut Vec<u8>, mut v: u64) {
    if v == 0 {
        rev.push(b'0');
        return;
    }
    while v > 0 {
        rev.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

/// Go's `time` package quoting (used in its error texts): ASCII printable
/// characters as they are, `"` and `\` escaped, anything else as `\xNN`
/// bytes.
pub(crate) fn time_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Go's `time.ParseDuration`.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let before = s.len();
        let (v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = before != s.len();
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let before = s.len();
            let (ff, sc, rest) = leading_fraction(s);
            (f, scale, s) = (ff, sc, rest);
            post = before != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let (u, rest) = s.split_at(unit_len);
        s = rest;
        let unit: u64 = match u {
            b"ns" => 1,
            // "us", "µs" (micro sign) and "μs" (Greek mu).
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(&String::from_utf8_lossy(u)),
                    time_quote(orig)
                ));
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        let mut v = v * unit;
        if f > 0 {
            // Go goes through float64 here; so do we, for the same rounding.
            v = v.wrapping_add((f as f64 * (unit as f64 / scale)) as u64);
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d = d.wrapping_add(v);
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// The leading decimal digits of `s` (`None` on overflow past 2^63).
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(c - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// The leading digits of a fraction: value, 10^digits kept, rest. Digits
/// past 63 bits of precision are skipped, not an error.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut x: u64 = 0;
    let mut scale = 1f64;
    let mut overflow = false;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > ((1u64 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[i..])
}

fn less_than_half(x: i64, y: i64) -> bool {
    (x as u64).wrapping_add(x as u64) < y as u64
}

/// `Duration.Round(m)`.
pub(crate) fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r, m) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        return if d1 < d { d1 } else { i64::MIN };
    }
    if less_than_half(r, m) {
        return d - r;
    }
    let d1 = d.wrapping_add(m).wrapping_sub(r);
    if d1 > d { d1 } else { i64::MAX }
}

/// `Duration.Truncate(m)`.
pub(crate) fn truncate_duration(d: i64, m: i64) -> i64 {
    if m <= 0 { d } else { d - d % m }
}

/// A `time.Duration` value (nanoseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Duration(pub(crate) i64);

impl Duration {
    fn split(self, unit: i64) -> f64 {
        let whole = self.0 / unit;
        let rest = self.0 % unit;
        whole as f64 + rest as f64 / unit as f64
    }
}

const INT64: GoType = GoType::Int(IntKind::Int64);

impl Object for Duration {
    fn type_name(&self) -> &str {
        "time.Duration"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::int64(self.0))
    }

    fn stringer(&self) -> Option<String> {
        Some(format_duration(self.0))
    }

    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Hours" | "Minutes" | "Seconds" | "Milliseconds" | "Microseconds" | "Nanoseconds"
            | "String" | "Abs" => Some(Signature::new(vec![])),
            // A Duration parameter; see the module docs of `date` on why it
            // is declared as int64.
            "Round" | "Truncate" => Some(Signature::new(vec![INT64])),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let arg = || args.first().and_then(duration_arg).unwrap_or(0);
        Ok(match name {
            "Hours" => Value::Float(self.split(HOUR)),
            "Minutes" => Value::Float(self.split(MINUTE)),
            "Seconds" => Value::Float(self.split(SECOND)),
            "Milliseconds" => Value::int64(self.0 / MILLISECOND),
            "Microseconds" => Value::int64(self.0 / MICROSECOND),
            "Nanoseconds" => Value::int64(self.0 / NANOSECOND),
            "String" => Value::string(format_duration(self.0)),
            "Abs" => Value::object(Duration(if self.0 == i64::MIN {
                i64::MAX
            } else {
                self.0.abs()
            })),
            "Round" => Value::object(Duration(round_duration(self.0, arg()))),
            "Truncate" => Value::object(Duration(truncate_duration(self.0, arg()))),
            _ => return Err(format!("can't call method/function {name:?}")),
        })
    }

    fn marshal_json(&self) -> Result<Value, String> {
        Ok(Value::int64(self.0))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A Duration argument: an integer or a `time.Duration` object.
pub(crate) fn duration_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Int(..) => v.as_i64(),
        _ => v.downcast::<Duration>().map(|d| d.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        for (d, s) in [
            (0, "0s"),
            (1, "1ns"),
            (1_100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (4 * MINUTE + 5 * SECOND, "4m5s"),
            (4 * MINUTE + 5_001 * MILLISECOND, "4m5.001s"),
            (5 * HOUR + 6 * MINUTE + 7_001 * MILLISECOND, "5h6m7.001s"),
            (8 * MINUTE + 1, "8m0.000000001s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
            (-1_500, "-1.5µs"),
        ] {
            assert_eq!(format_duration(d), s);
        }
    }

    #[test]
    fn parsing() {
        assert_eq!(
            parse_duration("1h2m3.5s"),
            Ok(HOUR + 2 * MINUTE + 3_500 * MILLISECOND)
        );
        assert_eq!(parse_duration("-1.5h"), Ok(-90 * MINUTE));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("1µs"), Ok(1_000));
        assert_eq!(parse_duration(".5s"), Ok(500 * MILLISECOND));
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".to_owned())
        );
        assert_eq!(
            parse_duration("1"),
            Err("time: missing unit in duration \"1\"".to_owned())
        );
        assert_eq!(
            parse_duration("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".to_owned())
        );
        assert_eq!(
            parse_duration("9999999999h"),
            Err("time: invalid duration \"9999999999h\"".to_owned())
        );
        assert_eq!(
            parse_duration("1é"),
            Err("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"".to_owned())
        );
    }

    #[test]
    fn rounding() {
        assert_eq!(round_duration(1_499_999_999, SECOND), SECOND);
        assert_eq!(round_duration(1_500_000_000, SECOND), 2 * SECOND);
        assert_eq!(round_duration(-1_500_000_000, SECOND), -2 * SECOND);
        assert_eq!(round_duration(i64::MAX, HOUR), i64::MAX);
        assert_eq!(truncate_duration(1_999, MICROSECOND), MICROSECOND);
    }
}
