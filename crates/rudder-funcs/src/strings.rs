//! Sprig's string functions (`strings.go` and the string entries of
//! `functions.go`), with Go's byte-oriented slicing and the quirks of the
//! goutils and xstrings helpers they wrap.

use rudder_template::{FuncError, FuncMap};
use rudder_value::Value;
use rudder_value::fmt::{format_v, quote};

use crate::unicode as uc;
use crate::util::{A, I, S, def, from_bytes, repeat, sig, sigv, slice_bytes, strval};

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "hello", sig(&[]), |_| Ok(Value::str("Hello!")));
    def(m, "abbrev", sig(&[I, S]), |mut a| {
        let (w, s) = (a.int()?, a.str()?);
        Ok(Value::string(abbrev(w, &s)))
    });
    def(m, "abbrevboth", sig(&[I, I, S]), |mut a| {
        let (l, r, s) = (a.int()?, a.int()?, a.str()?);
        Ok(Value::string(abbrevboth(l, r, &s)))
    });
    def(m, "trunc", sig(&[I, S]), |mut a| {
        let (c, s) = (a.int()?, a.str()?);
        Ok(Value::string(trunc(c, &s)))
    });
    str1(m, "trim", |s| s.trim_matches(uc::is_space).to_owned());
    str1(m, "upper", |s| s.chars().map(uc::to_upper).collect());
    str1(m, "lower", |s| s.chars().map(uc::to_lower).collect());
    str1(m, "title", title);
    str1(m, "untitle", untitle);
    def(m, "substr", sig(&[I, I, S]), |mut a| {
        let (start, end, s) = (a.int()?, a.int()?, a.str()?);
        substr(start, end, &s).map(Value::string)
    });
    def(m, "repeat", sig(&[I, S]), |mut a| {
        let (n, s) = (a.int()?, a.str()?);
        repeat(&s, n).map(Value::string)
    });
    for name in ["trimall", "trimAll"] {
        str2(m, name, |cut, s| {
            s.trim_matches(|c| cut.contains(c)).to_owned()
        });
    }
    str2(m, "trimSuffix", |p, s| {
        s.strip_suffix(p).unwrap_or(s).to_owned()
    });
    str2(m, "trimPrefix", |p, s| {
        s.strip_prefix(p).unwrap_or(s).to_owned()
    });
    str1(m, "nospace", nospace);
    str1(m, "initials", initials);
    str1(m, "swapcase", swapcase);
    str1(m, "snakecase", |s| camel_to_lower(s, '_'));
    str1(m, "kebabcase", |s| camel_to_lower(s, '-'));
    str1(m, "camelcase", pascal_case);
    def(m, "wrap", sig(&[I, S]), |mut a| {
        let (l, s) = (a.int()?, a.str()?);
        Ok(Value::string(wrap_custom(&s, l, "", false)))
    });
    def(m, "wrapWith", sig(&[I, S, S]), |mut a| {
        let (l, sep, s) = (a.int()?, a.str()?, a.str()?);
        Ok(Value::string(wrap_custom(&s, l, &sep, true)))
    });
    pred2(m, "contains", |sub, s| s.contains(sub));
    pred2(m, "hasPrefix", |p, s| s.starts_with(p));
    pred2(m, "hasSuffix", |p, s| s.ends_with(p));
    def(m, "quote", sigv(&[], A), |a| {
        let out: Vec<String> = a
            .rest()
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| quote(&strval(v)))
            .collect();
        Ok(Value::string(out.join(" ")))
    });
    def(m, "squote", sigv(&[], A), |a| {
        let out: Vec<String> = a
            .rest()
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", format_v(v)))
            .collect();
        Ok(Value::string(out.join(" ")))
    });
    def(m, "cat", sigv(&[], A), |a| {
        let out: Vec<String> = a
            .rest()
            .iter()
            .filter(|v| !v.is_nil())
            .map(format_v)
            .collect();
        Ok(Value::string(out.join(" ")))
    });
    def(m, "indent", sig(&[I, S]), |mut a| {
        let (n, s) = (a.int()?, a.str()?);
        indent(n, &s).map(Value::string)
    });
    def(m, "nindent", sig(&[I, S]), |mut a| {
        let (n, s) = (a.int()?, a.str()?);
        indent(n, &s).map(|s| Value::string(format!("\n{s}")))
    });
    def(m, "replace", sig(&[S, S, S]), |mut a| {
        let (old, new, src) = (a.str()?, a.str()?, a.str()?);
        Ok(Value::string(src.replace(&*old, &new)))
    });
    def(m, "plural", sig(&[S, S, I]), |mut a| {
        let (one, many, n) = (a.str()?, a.str()?, a.int()?);
        Ok(Value::Str(if n == 1 { one } else { many }))
    });
    def(m, "toString", sig(&[A]), |mut a| {
        Ok(Value::string(strval(&a.any()?)))
    });
    def(m, "toStrings", sig(&[A]), |mut a| {
        Ok(crate::util::strings(strslice(&a.any()?)))
    });
    def(m, "split", sig(&[S, S]), |mut a| {
        let (sep, s) = (a.str()?, a.str()?);
        Ok(indexed_map(go_split(&s, &sep, -1)))
    });
    def(m, "splitn", sig(&[S, I, S]), |mut a| {
        let (sep, n, s) = (a.str()?, a.int()?, a.str()?);
        Ok(indexed_map(go_split(&s, &sep, n)))
    });
    def(m, "splitList", sig(&[S, S]), |mut a| {
        let (sep, s) = (a.str()?, a.str()?);
        Ok(crate::util::strings(go_split(&s, &sep, -1)))
    });
    def(m, "join", sig(&[S, A]), |mut a| {
        let (sep, v) = (a.str()?, a.any()?);
        Ok(Value::string(strslice(&v).join(&sep)))
    });
    def(m, "sortAlpha", sig(&[A]), |mut a| {
        let v = a.any()?;
        let mut out = match &v {
            Value::List(_) | Value::Bytes(_) => strslice(&v),
            other => vec![strval(other)],
        };
        out.sort();
        Ok(crate::util::strings(out))
    });
}

/// Register a `func(string) string`.
fn str1(m: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    def(m, name, sig(&[S]), move |mut a| {
        Ok(Value::string(f(&a.str()?)))
    });
}

/// Register a `func(a, b string) string`.
fn str2(m: &mut FuncMap, name: &str, f: fn(&str, &str) -> String) {
    def(m, name, sig(&[S, S]), move |mut a| {
        let (x, y) = (a.str()?, a.str()?);
        Ok(Value::string(f(&x, &y)))
    });
}

/// Register a `func(a, b string) bool`.
fn pred2(m: &mut FuncMap, name: &str, f: fn(&str, &str) -> bool) {
    def(m, name, sig(&[S, S]), move |mut a| {
        let (x, y) = (a.str()?, a.str()?);
        Ok(Value::Bool(f(&x, &y)))
    });
}

/// Sprig's `strslice`: a slice's non-nil elements through `strval`, a nil
/// as no elements, anything else as one element.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// A `map[string]string` keyed `_0`, `_1`, … (Sprig's `split`/`splitn`).
fn indexed_map(parts: Vec<String>) -> Value {
    crate::util::string_map(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), p)),
    )
}

/// Go's `strings.SplitN(s, sep, n)` (`n < 0`: all parts; `n == 0`: none).
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // Explode into runes, the last part keeping the rest.
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let limit = if n < 0 || n as usize > chars.len() {
            chars.len()
        } else {
            n as usize
        };
        let mut out = Vec::with_capacity(limit);
        for (k, (i, c)) in chars.iter().enumerate().take(limit) {
            if k + 1 == limit {
                out.push(s[*i..].to_owned());
            } else {
                out.push(c.to_string());
            }
        }
        return out;
    }
    if n < 0 {
        return s.split(sep).map(str::to_owned).collect();
    }
    s.splitn(n as usize, sep).map(str::to_owned).collect()
}

/// Sprig's `trunc`: bytes from the start (`c >= 0`) or the end (`c < 0`).
fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return from_bytes(&s.as_bytes()[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return from_bytes(&s.as_bytes()[..c as usize]);
    }
    s.to_owned()
}

/// Sprig's `substring`.
fn substr(start: i64, end: i64, s: &str) -> Result<String, FuncError> {
    if start < 0 {
        return slice_bytes(s, None, Some(end));
    }
    if end < 0 || end > s.len() as i64 {
        return slice_bytes(s, Some(start), None);
    }
    slice_bytes(s, Some(start), Some(end))
}

/// Sprig's `indent`.
fn indent(n: i64, s: &str) -> Result<String, FuncError> {
    let pad = repeat(" ", n)?;
    let mut out = String::with_capacity(s.len() + pad.len() * 2);
    out.push_str(&pad);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(out)
}

/// goutils `AbbreviateFull` on bytes, with Sprig's handling of its errors
/// (an empty result). It recurses on a byte slice that may start inside a
/// UTF-8 sequence, so it never looks at characters.
fn abbreviate_full(b: &[u8], offset: i64, width: i64) -> Vec<u8> {
    let len = b.len() as i64;
    if b.is_empty() || width < 4 {
        return Vec::new();
    }
    if len <= width {
        return b.to_vec();
    }
    let mut offset = offset.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    let cut = |from: i64, to: i64| {
        b.get(from.max(0) as usize..to.max(0) as usize)
            .unwrap_or_default()
    };
    if offset <= 4 {
        return [cut(0, width - 3), b"..."].concat();
    }
    if width < 7 {
        return Vec::new();
    }
    if offset + width - 3 < len {
        return [
            &b"..."[..],
            &abbreviate_full(cut(offset, len), 0, width - 3),
        ]
        .concat();
    }
    [&b"..."[..], cut(len - (width - 3), len)].concat()
}

fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_owned();
    }
    from_bytes(&abbreviate_full(s.as_bytes(), 0, width))
}

fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || (left > 0 && right < 7) {
        return s.to_owned();
    }
    from_bytes(&abbreviate_full(s.as_bytes(), left, right))
}

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    let is_sep = |r: char| {
        if r.is_ascii() {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if uc::is_letter(r) || uc::is_digit(r) {
            return false;
        }
        uc::is_space(r)
    };
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_sep(prev) { uc::to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: the first letter of every space-separated word
/// lower-cased.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if uc::is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                uc::to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if uc::is_upper(c) || uc::is_title(c) {
                ws = false;
                uc::to_lower(c)
            } else if uc::is_lower(c) {
                if ws {
                    ws = false;
                    uc::to_title(c)
                } else {
                    uc::to_upper(c)
                }
            } else {
                ws = uc::is_space(c);
                c
            }
        })
        .collect()
}

/// goutils `DeleteWhiteSpace`. It works on bytes, treating each byte as
/// the rune of the same value, so multi-byte characters come out re-encoded
/// as Latin-1 (`"é x"` becomes `"Ã©x"`) whenever anything was deleted.
fn nospace(s: &str) -> String {
    let b = s.as_bytes();
    if !b.iter().any(|&x| uc::is_space(char::from(x))) {
        return s.to_owned();
    }
    b.iter()
        .map(|&x| char::from(x))
        .filter(|&c| !uc::is_space(c))
        .collect()
}

/// goutils `Initials`, which, like `DeleteWhiteSpace`, reads bytes as runes.
fn initials(s: &str) -> String {
    let mut gap = true;
    let mut out = String::new();
    for &x in s.as_bytes() {
        let c = char::from(x);
        if uc::is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils `WrapCustom`: byte columns, breaking at spaces.
fn wrap_custom(s: &str, width: i64, newline: &str, wrap_long: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let nl = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(len + len / width.max(1));
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(len);
        let space = b[offset..end].iter().rposition(|&c| c == b' ');
        if let Some(p) = space {
            out.extend_from_slice(&b[offset..offset + p]);
            out.extend_from_slice(nl.as_bytes());
            offset += p + 1;
        } else if wrap_long {
            out.extend_from_slice(&b[offset..offset + width]);
            out.extend_from_slice(nl.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(i) => {
                    let at = i + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(nl.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    from_bytes(&out)
}

/// xstrings' connector runes: `-`, `_` and spaces.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || uc::is_space(c)
}

/// xstrings v1.5 `ToPascalCase` (Sprig's `camelcase`). Words are
/// separated by connector runes, which are dropped (a run of connectors
/// keeps all but its last rune; leading ones stay). The first rune of each
/// word is upper-cased, and when it was upper case already, the capitals
/// that immediately follow it are lower-cased (`HTTPServer` → `Httpserver`,
/// `fooBar` → `FooBar`). A string of connectors only comes out with its
/// last rune doubled, as xstrings does.
fn pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut r0: Option<char> = None;
    let mut run = false;
    for c in chars.by_ref() {
        if is_connector(c) {
            out.push(c);
            r0 = Some(c);
        } else {
            run = uc::is_upper(c);
            r0 = Some(uc::to_upper(c));
            break;
        }
    }
    let Some(mut r0) = r0 else {
        return out;
    };
    for c in chars {
        let r1 = r0;
        if is_connector(c) && is_connector(r1) {
            out.push(r1);
            r0 = c;
            continue;
        }
        if is_connector(r1) {
            run = uc::is_upper(c);
            r0 = uc::to_upper(c);
        } else {
            out.push(r1);
            if run && uc::is_upper(c) {
                r0 = uc::to_lower(c);
            } else {
                run = false;
                r0 = c;
            }
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    /// The end of the input (xstrings' `invalidWord`).
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings' `isAlphabet`: a letter that is not a common CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !uc::is_letter(c) {
        return false;
    }
    let u = c as u32;
    !(u >= 0x3400
        && ((0x4E00..=0x9FCC).contains(&u)
            || (0x3400..=0x4D85).contains(&u)
            || (0x20000..=0x2B81D).contains(&u)))
}

/// xstrings' `nextWord`: the type and length (in bytes) of the word at the
/// start of `s`.
fn next_word(s: &str) -> (Word, usize) {
    let mut it = s.char_indices().peekable();
    let Some((_, r)) = it.next() else {
        return (Word::Invalid, 0);
    };
    let end_of = |it: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
                  f: &dyn Fn(char) -> bool| {
        while let Some(&(_, c)) = it.peek() {
            if !f(c) {
                break;
            }
            it.next();
        }
        it.peek().map_or(s.len(), |&(i, _)| i)
    };
    if is_connector(r) {
        return (Word::Connector, end_of(&mut it, &is_connector));
    }
    if uc::is_punct(r) {
        return (Word::Punct, end_of(&mut it, &uc::is_punct));
    }
    if uc::is_upper(r) {
        let Some(&(i1, r1)) = it.peek() else {
            return (Word::Upper, s.len());
        };
        if uc::is_upper(r1) {
            // A run of capitals; if a lower-case letter follows, its last
            // capital starts the next word ("HTTPStatus" → "HTTP", "Status").
            let mut last_start = i1;
            it.next();
            while let Some(&(i, c)) = it.peek() {
                if !uc::is_upper(c) {
                    break;
                }
                last_start = i;
                it.next();
            }
            return match it.peek() {
                Some(&(_, c)) if is_alphabet(c) => (Word::Upper, last_start),
                Some(&(i, _)) => (Word::Upper, i),
                None => (Word::Upper, s.len()),
            };
        }
        if is_alphabet(r1) {
            it.next();
            return (
                Word::Upper,
                end_of(&mut it, &|c| is_alphabet(c) && !uc::is_upper(c)),
            );
        }
        return (Word::Upper, i1);
    }
    if is_alphabet(r) {
        return (
            Word::Alpha,
            end_of(&mut it, &|c| is_alphabet(c) && !uc::is_upper(c)),
        );
    }
    if uc::is_number(r) {
        return (Word::Number, end_of(&mut it, &uc::is_number));
    }
    (
        Word::Other,
        end_of(&mut it, &|c| {
            !(is_connector(c) || is_alphabet(c) || uc::is_number(c) || uc::is_punct(c))
        }),
    )
}

/// xstrings' `toLower` for one word.
fn word_lower(out: &mut String, w: Word, s: &str, connector: char) {
    if w != Word::Upper && w != Word::Connector {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if uc::is_upper(c) {
            out.push(uc::to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (`ToSnakeCase`/`ToKebabCase`).
fn camel_to_lower(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut rest = s;
    let take = |rest: &mut &str| -> (Word, String) {
        let (w, n) = next_word(rest);
        let word = rest[..n].to_owned();
        *rest = &rest[n..];
        (w, word)
    };
    let (mut wt, mut word) = take(&mut rest);
    while !rest.is_empty() {
        if wt != Word::Connector {
            word_lower(&mut out, wt, &word, connector);
        }
        let prev = wt;
        let last = word.clone();
        (wt, word) = take(&mut rest);
        match prev {
            Word::Number => {
                while wt == Word::Alpha || wt == Word::Number {
                    word_lower(&mut out, wt, &word, connector);
                    (wt, word) = take(&mut rest);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    out.push(connector);
                }
            }
            Word::Connector => word_lower(&mut out, prev, &last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let num = word.clone();
                (wt, word) = take(&mut rest);
                if wt != Word::Alpha {
                    word_lower(&mut out, Word::Number, &num, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                word_lower(&mut out, Word::Number, &num, connector);
                while wt == Word::Alpha || wt == Word::Number {
                    word_lower(&mut out, wt, &word, connector);
                    (wt, word) = take(&mut rest);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    out.push(connector);
                }
            }
        }
    }
    word_lower(&mut out, wt, &word, connector);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(camel_to_lower("FirstName", '_'), "first_name");
        assert_eq!(camel_to_lower("HTTPServer", '_'), "http_server");
        assert_eq!(camel_to_lower("NoHTTPS", '_'), "no_https");
        assert_eq!(camel_to_lower("GO_PATH", '_'), "go_path");
        assert_eq!(camel_to_lower("GO PATH", '-'), "go-path");
        assert_eq!(camel_to_lower("http2xx", '_'), "http_2xx");
        assert_eq!(camel_to_lower("HTTP20xOK", '_'), "http_20x_ok");
        assert_eq!(camel_to_lower("Duration2m3s", '_'), "duration_2m3s");
        assert_eq!(camel_to_lower("Bld4Floor3rd", '_'), "bld4_floor_3rd");
        assert_eq!(pascal_case("some_words"), "SomeWords");
        assert_eq!(pascal_case("_complex__case_"), "_Complex_Case_");
        assert_eq!(pascal_case("GOLANG_IS_GREAT"), "GolangIsGreat");
        assert_eq!(pascal_case("HTTPServer"), "Httpserver");
        assert_eq!(pascal_case("aBC"), "ABC");
        assert_eq!(pascal_case("_"), "__");
    }

    #[test]
    fn byte_oriented_helpers() {
        assert_eq!(nospace("é x"), "Ã©x");
        assert_eq!(nospace("éx"), "éx");
        assert_eq!(initials("hello world"), "hw");
        assert_eq!(
            wrap_custom("hello world foo", 5, "", false),
            "hello\nworld\nfoo"
        );
        assert_eq!(trunc(-2, "hello"), "lo");
        assert_eq!(abbrev(5, "hello world"), "he...");
    }

    #[test]
    fn go_split_semantics() {
        assert_eq!(go_split("a,b,c", ",", 2), vec!["a", "b,c"]);
        assert_eq!(go_split("abc", "", -1), vec!["a", "b", "c"]);
        assert_eq!(go_split("abc", "", 2), vec!["a", "bc"]);
        assert!(go_split("abc", ",", 0).is_empty());
        assert_eq!(go_split("", ",", -1), vec![""]);
    }
}
