//! The number parsing of Go's `strconv`: `ParseUint`, `ParseInt` (any base,
//! with base 0's prefixes and `_` separators) and `ParseFloat` (decimal and
//! hexadecimal float syntax, `inf`/`nan`), plus `math.Ldexp`.
//!
//! Two layers depend on exactly these rules: the template parser types a
//! number literal by which of them accept it (`089` is not an integer but
//! is a float; `1_000` is fine, `1__0` is not), and the function library
//! converts strings with them (spf13/cast). Rust's `str::parse` differs on
//! all of those points, hence this module.

/// Why `strconv.ParseInt`/`ParseFloat` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// `invalid syntax`.
    Syntax,
    /// `value out of range`.
    Range,
}

/// Go's `underscoreOK`: underscores only between digits, or between a base
/// prefix and a digit.
fn underscore_ok(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(s, base, 64)` for base 0 or 2..=36.
pub fn parse_uint(s: &str, base: u32) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let base0 = base == 0;
    let mut digits = s.as_bytes();
    let mut base = base;
    if base0 {
        base = 10;
        if digits[0] == b'0' {
            let p = digits.get(1).map(u8::to_ascii_lowercase);
            match p {
                Some(b'b') if digits.len() >= 3 => (base, digits) = (2, &digits[2..]),
                Some(b'o') if digits.len() >= 3 => (base, digits) = (8, &digits[2..]),
                Some(b'x') if digits.len() >= 3 => (base, digits) = (16, &digits[2..]),
                _ => (base, digits) = (8, &digits[1..]),
            }
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u32::from(c - b'0'),
            _ if c.is_ascii_alphabetic() => u32::from(c.to_ascii_lowercase() - b'a') + 10,
            _ => return Err(NumError::Syntax),
        };
        if d >= base {
            return Err(NumError::Syntax);
        }
        n = n
            .checked_mul(u64::from(base))
            .and_then(|n| n.checked_add(u64::from(d)))
            .ok_or(NumError::Range)?;
    }
    if underscores && !underscore_ok(s) {
        return Err(NumError::Syntax);
    }
    Ok(n)
}

/// Go's `strconv.ParseInt(s, base, 64)`.
pub fn parse_int(s: &str, base: u32) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = parse_uint(body, base)?;
    let cutoff = 1u64 << 63;
    if !neg && un >= cutoff {
        return Err(NumError::Range);
    }
    if neg && un > cutoff {
        return Err(NumError::Range);
    }
    Ok(if neg {
        (un as i64).wrapping_neg()
    } else {
        un as i64
    })
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal and hexadecimal Go float
/// syntax with optional underscores, plus `inf`/`infinity`/`nan` in any case.
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    if let Some(f) = special_float(s) {
        return Ok(f);
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first()
        && (c == b'+' || c == b'-')
    {
        neg = c == b'-';
        i = 1;
    }
    let hex = b.len() >= i + 2 && b[i] == b'0' && b[i + 1].eq_ignore_ascii_case(&b'x');
    if hex {
        i += 2;
    }
    let mut underscores = false;
    let mut mant = String::new();
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut dot_pos = 0usize;
    let mut ndigits = 0usize;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if saw_dot {
                break;
            }
            saw_dot = true;
            dot_pos = ndigits;
        } else if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw_digits = true;
            mant.push(c as char);
            ndigits += 1;
        } else {
            break;
        }
        i += 1;
    }
    if !saw_digits {
        return Err(NumError::Syntax);
    }
    if !saw_dot {
        dot_pos = ndigits;
    }
    let mut exp: i64 = 0;
    let mut saw_exp = false;
    if i < b.len() && b[i].to_ascii_lowercase() == if hex { b'p' } else { b'e' } {
        i += 1;
        let mut esign = 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            if b[i] == b'-' {
                esign = -1;
            }
            i += 1;
        }
        let mut any = false;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else {
                any = true;
                if exp < 100_000 {
                    exp = exp * 10 + i64::from(b[i] - b'0');
                }
            }
            i += 1;
        }
        if !any {
            return Err(NumError::Syntax);
        }
        exp *= esign;
        saw_exp = true;
    }
    if i != b.len() || (hex && !saw_exp) {
        return Err(NumError::Syntax);
    }
    if underscores && !underscore_ok(&s[..i]) {
        return Err(NumError::Syntax);
    }
    let v = if hex {
        hex_float(&mant, dot_pos, exp)
    } else {
        let frac_digits = (ndigits - dot_pos) as i64;
        let text = format!("{mant}e{}", exp - frac_digits);
        text.parse::<f64>().map_err(|_| NumError::Syntax)?
    };
    if v.is_infinite() {
        return Err(NumError::Range);
    }
    Ok(if neg { -v } else { v })
}

/// Go's `special`: `[+-]inf`, `[+-]infinity` and `nan`, case-insensitively,
/// as the whole string.
fn special_float(s: &str) -> Option<f64> {
    let (sign, body) = match s.as_bytes().first()? {
        b'+' => (1.0, &s[1..]),
        b'-' => (-1.0, &s[1..]),
        _ => (0.0, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if sign < 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if sign == 0.0 && lower == "nan" {
        return Some(f64::NAN);
    }
    None
}

/// The value of a hexadecimal mantissa (digits with the point after
/// `dot_pos` digits) times 2^exp.
fn hex_float(digits: &str, dot_pos: usize, exp: i64) -> f64 {
    let mut mant: u64 = 0;
    let mut shift: i64 = 0;
    let mut sticky = false;
    for (k, c) in digits.chars().enumerate() {
        let d = u64::from(c.to_digit(16).unwrap_or(0));
        if mant >> 58 == 0 {
            mant = (mant << 4) | d;
            if k >= dot_pos {
                shift -= 4;
            }
        } else {
            sticky |= d != 0;
            if k < dot_pos {
                shift += 4;
            }
        }
    }
    if sticky {
        mant |= 1;
    }
    let e = exp + shift;
    let e = e.clamp(-5000, 5000) as i32;
    ldexp(mant as f64, e)
}

/// `frac * 2^exp`, scaling in exact power-of-two steps (only a result in
/// the subnormal range can round twice).
pub fn ldexp(frac: f64, exp: i32) -> f64 {
    let mut x = frac;
    let mut e = exp;
    while e > 0 && x.is_finite() && x != 0.0 {
        let k = e.min(1000);
        x *= 2f64.powi(k);
        e -= k;
    }
    while e < 0 && x.is_finite() && x != 0.0 {
        let k = (-e).min(1000);
        x *= 2f64.powi(-k);
        e += k;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_with_prefixes_and_separators() {
        assert_eq!(parse_uint("0x1F", 0), Ok(31));
        assert_eq!(parse_uint("0o17", 0), Ok(15));
        assert_eq!(parse_uint("017", 0), Ok(15));
        assert_eq!(parse_uint("0b101", 0), Ok(5));
        assert_eq!(parse_uint("1_000", 0), Ok(1000));
        assert_eq!(parse_uint("0", 0), Ok(0));
        assert_eq!(parse_uint("089", 0), Err(NumError::Syntax));
        assert_eq!(parse_uint("1__0", 0), Err(NumError::Syntax));
        assert_eq!(parse_uint("_1", 0), Err(NumError::Syntax));
        assert_eq!(parse_uint("0x", 0), Err(NumError::Syntax));
        assert_eq!(parse_uint("18446744073709551616", 0), Err(NumError::Range));
        assert_eq!(parse_uint("-1", 0), Err(NumError::Syntax));
        assert_eq!(parse_int("0x10", 0), Ok(16));
        assert_eq!(parse_int("-0x10", 0), Ok(-16));
        assert_eq!(parse_int("+7", 0), Ok(7));
        assert_eq!(parse_int("010", 0), Ok(8));
        assert_eq!(parse_int("1_000", 0), Ok(1000));
        assert_eq!(parse_int("-0b101", 0), Ok(-5));
        assert_eq!(parse_int("0", 0), Ok(0));
        assert_eq!(parse_int("0x", 0), Err(NumError::Syntax));
        assert_eq!(parse_int("_1", 0), Err(NumError::Syntax));
        assert_eq!(parse_int("9223372036854775808", 0), Err(NumError::Range));
        assert_eq!(parse_int("-9223372036854775808", 0), Ok(i64::MIN));
        assert_eq!(parse_int("777", 8), Ok(511));
        assert_eq!(parse_int("1_0", 8), Err(NumError::Syntax));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("1.5"), Ok(1.5));
        assert_eq!(parse_float("089"), Ok(89.0));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("1."), Ok(1.0));
        assert_eq!(parse_float("-2.5e-1"), Ok(-0.25));
        assert_eq!(parse_float("1_000.5"), Ok(1000.5));
        assert_eq!(parse_float("0x1p-2"), Ok(0.25));
        assert_eq!(parse_float("0x1.8p1"), Ok(3.0));
        assert_eq!(parse_float("-Inf"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("NaN").is_ok_and(f64::is_nan));
        assert_eq!(parse_float("+nan"), Err(NumError::Syntax));
        assert_eq!(parse_float("0x1"), Err(NumError::Syntax));
        assert_eq!(parse_float("1e400"), Err(NumError::Range));
        assert_eq!(parse_float("1e"), Err(NumError::Syntax));
        assert_eq!(parse_float("."), Err(NumError::Syntax));
        assert_eq!(parse_float("-"), Err(NumError::Syntax));
        assert_eq!(parse_float(""), Err(NumError::Syntax));
        assert_eq!(parse_float("abc"), Err(NumError::Syntax));
        assert_eq!(parse_float("1_.5"), Err(NumError::Syntax));
    }
}
