//! The parts of Go's `strconv` that the template parser relies on:
//! `ParseUint`/`ParseInt`/`ParseFloat` with base 0 (prefixes and `_`
//! separators), `Unquote` and `UnquoteChar`.
//!
//! The parser decides a number literal's type by which of these succeed, so
//! their exact acceptance rules (`089` is not an integer but is a float;
//! `1_000` is fine, `1__0` is not) are part of the template language.

/// Why a conversion failed, as `strconv.NumError.Err` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumErr {
    Syntax,
    Range,
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// Go's `underscoreOK`: underscores may only separate digits (or follow a
/// base prefix).
fn underscore_ok(s: &[u8]) -> bool {
    let mut saw = b'^';
    let mut i = 0;
    let mut s = s;
    if let Some((&c, rest)) = s.split_first()
        && (c == b'-' || c == b'+')
    {
        s = rest;
    }
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(lower(s[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(s[1]) == b'x';
    }
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&lower(c))) {
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

/// `strconv.ParseUint(s, 0, 64)`.
pub(crate) fn parse_uint(s: &str) -> Result<u64, NumErr> {
    let full = s.as_bytes();
    if full.is_empty() {
        return Err(NumErr::Syntax);
    }
    let mut base: u64 = 10;
    let mut digits = full;
    if full[0] == b'0' {
        if full.len() >= 3 && lower(full[1]) == b'b' {
            base = 2;
            digits = &full[2..];
        } else if full.len() >= 3 && lower(full[1]) == b'o' {
            base = 8;
            digits = &full[2..];
        } else if full.len() >= 3 && lower(full[1]) == b'x' {
            base = 16;
            digits = &full[2..];
        } else {
            base = 8;
            digits = &full[1..];
        }
    }
    let mut n: u64 = 0;
    let mut underscores = false;
    let mut overflow = false;
    for &c in digits {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(c - b'0'),
            _ if lower(c).is_ascii_lowercase() => u64::from(lower(c) - b'a') + 10,
            _ => return Err(NumErr::Syntax),
        };
        if d >= base {
            return Err(NumErr::Syntax);
        }
        if overflow {
            continue;
        }
        match n.checked_mul(base).and_then(|m| m.checked_add(d)) {
            Some(m) => n = m,
            None => overflow = true,
        }
    }
    if overflow {
        // Go reports the range error at the first overflowing digit, before
        // looking at the rest; a later bad digit would have been a syntax
        // error only if reached. Both are failures, which is all callers see.
        return Err(NumErr::Range);
    }
    if underscores && !underscore_ok(full) {
        return Err(NumErr::Syntax);
    }
    Ok(n)
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int(s: &str) -> Result<i64, NumErr> {
    if s.is_empty() {
        return Err(NumErr::Syntax);
    }
    let (neg, rest) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let un = match parse_uint(rest) {
        Ok(u) => u,
        Err(NumErr::Range) => return Err(NumErr::Range),
        Err(NumErr::Syntax) => return Err(NumErr::Syntax),
    };
    let cutoff = 1u64 << 63;
    if !neg && un >= cutoff {
        return Err(NumErr::Range);
    }
    if neg && un > cutoff {
        return Err(NumErr::Range);
    }
    if neg {
        Ok((un as i64).wrapping_neg())
    } else {
        Ok(un as i64)
    }
}

/// `strconv.ParseFloat(s, 64)` for the syntax a template lexer can produce
/// (no `inf`/`nan` words). Out of range values fail, as Go's `ErrRange` does.
pub(crate) fn parse_float(s: &str) -> Result<f64, NumErr> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if let Some(&c) = b.first() {
        if c == b'+' {
            i += 1;
        } else if c == b'-' {
            neg = true;
            i += 1;
        }
    }
    let hex = i + 2 < b.len() && b[i] == b'0' && lower(b[i + 1]) == b'x';
    if hex {
        i += 2;
    }
    let mant_start = i;
    let mut underscores = false;
    let mut sawdot = false;
    let mut sawdigits = false;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if sawdot {
                break;
            }
            sawdot = true;
        } else if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&lower(c))) {
            sawdigits = true;
        } else {
            break;
        }
        i += 1;
    }
    if !sawdigits {
        return Err(NumErr::Syntax);
    }
    let mant_end = i;
    let exp_char = if hex { b'p' } else { b'e' };
    let mut exp: i64 = 0;
    let mut has_exp = false;
    if i < b.len() && lower(b[i]) == exp_char {
        has_exp = true;
        i += 1;
        if i >= b.len() {
            return Err(NumErr::Syntax);
        }
        let mut esign = 1;
        if b[i] == b'+' {
            i += 1;
        } else if b[i] == b'-' {
            i += 1;
            esign = -1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err(NumErr::Syntax);
        }
        let mut e: i64 = 0;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if e < 10000 {
                e = e * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        exp = e * esign;
    } else if hex {
        return Err(NumErr::Syntax);
    }
    if i != b.len() {
        return Err(NumErr::Syntax);
    }
    if underscores && !underscore_ok(b) {
        return Err(NumErr::Syntax);
    }
    let mantissa: String = s[mant_start..mant_end]
        .chars()
        .filter(|&c| c != '_')
        .collect();
    let value = if hex {
        hex_float(&mantissa, exp)
    } else {
        let text = if has_exp {
            format!("{mantissa}e{exp}")
        } else {
            mantissa
        };
        text.parse::<f64>().map_err(|_| NumErr::Syntax)?
    };
    if value.is_infinite() {
        return Err(NumErr::Range);
    }
    Ok(if neg { -value } else { value })
}

/// A hexadecimal mantissa (`1.8`) times two to the `exp`.
fn hex_float(mantissa: &str, exp: i64) -> f64 {
    let mut m: u128 = 0;
    let mut shift: i64 = exp;
    let mut sticky = false;
    let mut after_dot = false;
    for c in mantissa.chars() {
        if c == '.' {
            after_dot = true;
            continue;
        }
        let d = c.to_digit(16).unwrap_or(0);
        if m >> 120 == 0 {
            m = m * 16 + u128::from(d);
            if after_dot {
                shift -= 4;
            }
        } else {
            // Too many digits to hold: keep the scale right and remember
            // that something non-zero was dropped for rounding.
            sticky |= d != 0;
            if !after_dot {
                shift += 4;
            }
        }
    }
    if sticky {
        m |= 1;
    }
    let base = m as f64;
    let shift = shift.clamp(-2000, 2000) as i32;
    base * 2f64.powi(shift)
}

/// `strconv.UnquoteChar(s, quote)`: the first character of `s` (which may
/// be an escape), whether it needs UTF-8 encoding, and the rest.
/// `Err(())` is Go's `ErrSyntax`.
pub(crate) fn unquote_char(s: &str, quote: u8) -> Result<(u32, bool, &str), ()> {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return Err(());
    };
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if c >= 0x80 {
        let ch = s.chars().next().ok_or(())?;
        return Ok((ch as u32, true, &s[ch.len_utf8()..]));
    }
    if c != b'\\' {
        return Ok((u32::from(c), false, &s[1..]));
    }
    if b.len() <= 1 {
        return Err(());
    }
    let e = b[1];
    let mut rest = &s[2..];
    let value = match e {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => 10,
        b'r' => 13,
        b't' => 9,
        b'v' => 11,
        b'x' | b'u' | b'U' => {
            let n = match e {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let rb = rest.as_bytes();
            if rb.len() < n {
                return Err(());
            }
            let mut v: u32 = 0;
            for &h in &rb[..n] {
                let x = (h as char).to_digit(16).ok_or(())?;
                v = (v << 4) | x;
            }
            rest = &rest[n..];
            if e == b'x' {
                return Ok((v, false, rest));
            }
            if char::from_u32(v).is_none() {
                return Err(());
            }
            return Ok((v, true, rest));
        }
        b'0'..=b'7' => {
            let mut v = u32::from(e - b'0');
            let rb = rest.as_bytes();
            if rb.len() < 2 {
                return Err(());
            }
            for &d in &rb[..2] {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(());
                }
                v = (v << 3) | u32::from(d - b'0');
            }
            rest = &rest[2..];
            if v > 255 {
                return Err(());
            }
            return Ok((v, false, rest));
        }
        b'\\' => u32::from(b'\\'),
        b'\'' | b'"' => {
            if e != quote {
                return Err(());
            }
            u32::from(e)
        }
        _ => return Err(()),
    };
    Ok((value, false, rest))
}

/// Why [`unquote`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnquoteErr {
    /// Go's `ErrSyntax` ("invalid syntax").
    Syntax,
    /// The literal is valid Go but denotes bytes that are not UTF-8, which a
    /// Rust string cannot hold.
    InvalidUtf8,
}

/// `strconv.Unquote` for `"…"` and `` `…` `` literals.
pub(crate) fn unquote(s: &str) -> Result<String, UnquoteErr> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(UnquoteErr::Syntax);
    }
    let quote = b[0];
    if b[b.len() - 1] != quote {
        return Err(UnquoteErr::Syntax);
    }
    let inner = &s[1..s.len() - 1];
    match quote {
        b'`' => {
            if inner.contains('`') {
                return Err(UnquoteErr::Syntax);
            }
            // Go drops carriage returns from raw strings.
            Ok(inner.chars().filter(|&c| c != '\r').collect())
        }
        b'"' => {
            if !inner.contains('\\') && !inner.contains('\n') {
                if inner.contains('"') {
                    return Err(UnquoteErr::Syntax);
                }
                return Ok(inner.to_owned());
            }
            let mut buf: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                if rest.as_bytes()[0] == b'\n' {
                    return Err(UnquoteErr::Syntax);
                }
                let (r, multibyte, tail) =
                    unquote_char(rest, b'"').map_err(|()| UnquoteErr::Syntax)?;
                rest = tail;
                if r < 0x80 || !multibyte {
                    buf.push(r as u8);
                } else {
                    let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                }
            }
            String::from_utf8(buf).map_err(|_| UnquoteErr::InvalidUtf8)
        }
        _ => Err(UnquoteErr::Syntax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_with_prefixes_and_separators() {
        assert_eq!(parse_uint("0x1F"), Ok(31));
        assert_eq!(parse_uint("0o17"), Ok(15));
        assert_eq!(parse_uint("017"), Ok(15));
        assert_eq!(parse_uint("0b101"), Ok(5));
        assert_eq!(parse_uint("1_000"), Ok(1000));
        assert_eq!(parse_uint("0"), Ok(0));
        assert_eq!(parse_uint("089"), Err(NumErr::Syntax));
        assert_eq!(parse_uint("1__0"), Err(NumErr::Syntax));
        assert_eq!(parse_uint("_1"), Err(NumErr::Syntax));
        assert_eq!(parse_uint("0x"), Err(NumErr::Syntax));
        assert_eq!(parse_uint("18446744073709551616"), Err(NumErr::Range));
        assert_eq!(parse_int("-0x10"), Ok(-16));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("9223372036854775808"), Err(NumErr::Range));
        assert_eq!(parse_int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(parse_uint("-1"), Err(NumErr::Syntax));
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
        assert_eq!(parse_float("0x1"), Err(NumErr::Syntax));
        assert_eq!(parse_float("1e400"), Err(NumErr::Range));
        assert_eq!(parse_float("1e"), Err(NumErr::Syntax));
        assert_eq!(parse_float("."), Err(NumErr::Syntax));
        assert_eq!(parse_float("-"), Err(NumErr::Syntax));
        assert_eq!(parse_float("1_.5"), Err(NumErr::Syntax));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a\tb""#), Ok("a\tb".to_owned()));
        assert_eq!(unquote(r#""\u00e9\x41\101""#), Ok("éAA".to_owned()));
        assert_eq!(unquote("`a\r\nb`"), Ok("a\nb".to_owned()));
        assert_eq!(unquote(r#""\'""#), Err(UnquoteErr::Syntax));
        assert_eq!(unquote(r#""\q""#), Err(UnquoteErr::Syntax));
        assert_eq!(unquote(r#""\xff""#), Err(UnquoteErr::InvalidUtf8));
        assert_eq!(unquote(r#""a"b""#), Err(UnquoteErr::Syntax));
        assert_eq!(unquote_char("a'", b'\''), Ok((97, false, "'")));
        assert_eq!(unquote_char("\\n'", b'\''), Ok((10, false, "'")));
        assert_eq!(unquote_char("'", b'\''), Err(()));
        assert_eq!(unquote_char("é'", b'\''), Ok((233, true, "'")));
    }
}
