//! Go's `strconv` number parsing and spf13/cast v1.7 conversions.
//!
//! Sprig's `int`, `int64`, `float64`, every math function and `slice`
//! convert their `interface{}` arguments with spf13/cast, which swallows
//! errors (a bad string is 0) and parses strings with Go's `strconv` rules:
//! base prefixes and underscores for ints (`"0x10"`, `"010"`, `"1_000"`),
//! Go float syntax (`"1e3"`, `"Inf"`, `"0x1p-2"`). Those rules differ from
//! Rust's `str::parse`, so they are implemented here.

use rudder_value::Value;

pub(crate) use rudder_value::strconv::{NumError, ldexp, parse_float, parse_int};

/// cast's `trimZeroDecimal`: `"1.0"` → `"1"`, `"1.50"` stays.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's conversion of a float64 to int64 on amd64: truncation, with the
/// "integer indefinite" value for NaN and out-of-range inputs.
pub(crate) fn f64_to_i64(f: f64) -> i64 {
    // 2^63 is exactly representable; every float in [-2^63, 2^63) fits.
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToInt64E`: `None` where cast reports an error.
pub(crate) fn to_int64_e(v: &Value) -> Option<i64> {
    match v {
        Value::Nil => Some(0),
        Value::Bool(b) => Some(i64::from(*b)),
        // Unsigned kinds keep their bits, as Go's int64(uint64) conversion.
        Value::Int(i, _) => Some(*i),
        Value::Float(f) => Some(f64_to_i64(*f)),
        Value::Str(s) => parse_int(trim_zero_decimal(s), 0).ok(),
        _ => None,
    }
}

/// `cast.ToInt64`.
pub(crate) fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToFloat64E`.
pub(crate) fn to_float64_e(v: &Value) -> Option<f64> {
    match v {
        Value::Nil => Some(0.0),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Int(_, k) if k.is_unsigned() => v.as_u64().map(|u| u as f64),
        Value::Int(i, _) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => parse_float(s).ok(),
        _ => None,
    }
}

/// `cast.ToFloat64`.
pub(crate) fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_rules() {
        assert_eq!(to_int64(&Value::str("1.0")), 1);
        assert_eq!(to_int64(&Value::str("1.5")), 0);
        assert_eq!(to_int64(&Value::Float(-2.7)), -2);
        assert_eq!(to_int64(&Value::Float(1e20)), i64::MIN);
        assert_eq!(to_float64(&Value::str("x")), 0.0);
        assert_eq!(to_float64(&Value::Bool(true)), 1.0);
        assert_eq!(trim_zero_decimal(".0"), "");
        assert_eq!(trim_zero_decimal("10"), "10");
    }
}
