//! Go's `strconv.Unquote` and `UnquoteChar`, for the template parser's
//! string and character literals. (Its number parsing, shared with the
//! function library, is [`rudder_value::strconv`].)

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
