//! The slice of Go's `encoding/json` that `--set-json` needs: a
//! `json.Decoder` reading *one* value from the front of a string (so the
//! rest of a `key=<json>,key2=…` list stays unread), with Go's scanner
//! error texts, and `json.Unmarshal` into a map for the `{…}` form.
//!
//! Both the scanner and the builder are iterative, so deeply nested input
//! (Go allows 10000 levels) cannot overflow the stack.

use rudder_value::{List, Map, Value};

/// Go's `maxNestingDepth` is 10000. rudder stops at the YAML layer's limit
/// (`rudder_yaml::MAX_DEPTH`, 1000) instead, because dropping a `Value`
/// nested 10000 deep recurses past a test thread's stack.
const MAX_NESTING_DEPTH: usize = 1000;

/// A failure while decoding, with Go's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonError(pub(crate) String);

/// What the scanner is in the middle of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

/// The scanner's state between bytes (Go's `scanner.step` functions).
#[derive(Clone, Copy, PartialEq, Eq)]
enum St {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    Lit(&'static [u8], usize, &'static str),
}

/// The result of one step.
#[derive(PartialEq, Eq)]
enum Op {
    Continue,
    /// The top-level value ended before this byte.
    End,
    /// A closing bracket completed the top-level value.
    EndTopAfter,
    Error,
}

/// Go's `quoteChar`, used in syntax error texts.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        _ => {
            let s = rudder_value::fmt::quote(&char::from(c).to_string());
            format!("'{}'", &s[1..s.len() - 1])
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

struct Scanner {
    st: St,
    stack: Vec<Ctx>,
    err: Option<String>,
}

impl Scanner {
    fn new() -> Scanner {
        Scanner {
            st: St::BeginValue,
            stack: Vec::new(),
            err: None,
        }
    }

    fn error(&mut self, c: u8, context: &str) -> Op {
        self.err = Some(format!("invalid character {} {context}", quote_char(c)));
        Op::Error
    }

    fn push(&mut self, c: u8, ctx: Ctx) -> Op {
        self.stack.push(ctx);
        if self.stack.len() <= MAX_NESTING_DEPTH {
            Op::Continue
        } else {
            self.error(c, "exceeded max depth")
        }
    }

    fn pop(&mut self) {
        self.stack.pop();
        self.st = if self.stack.is_empty() {
            St::EndTop
        } else {
            St::EndValue
        };
    }

    fn begin_value(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::Continue;
        }
        match c {
            b'{' => {
                self.st = St::BeginStringOrEmpty;
                self.push(c, Ctx::ObjectKey)
            }
            b'[' => {
                self.st = St::BeginValueOrEmpty;
                self.push(c, Ctx::ArrayValue)
            }
            b'"' => {
                self.st = St::InString;
                Op::Continue
            }
            b'-' => {
                self.st = St::Neg;
                Op::Continue
            }
            b'0' => {
                self.st = St::Zero;
                Op::Continue
            }
            b't' => {
                self.st = St::Lit(b"true", 1, "in literal true");
                Op::Continue
            }
            b'f' => {
                self.st = St::Lit(b"false", 1, "in literal false");
                Op::Continue
            }
            b'n' => {
                self.st = St::Lit(b"null", 1, "in literal null");
                Op::Continue
            }
            b'1'..=b'9' => {
                self.st = St::One;
                Op::Continue
            }
            _ => self.error(c, "looking for beginning of value"),
        }
    }

    fn end_value(&mut self, c: u8) -> Op {
        let Some(&ctx) = self.stack.last() else {
            self.st = St::EndTop;
            return self.end_top(c);
        };
        if is_space(c) {
            self.st = St::EndValue;
            return Op::Continue;
        }
        match ctx {
            Ctx::ObjectKey => {
                if c == b':' {
                    if let Some(last) = self.stack.last_mut() {
                        *last = Ctx::ObjectValue;
                    }
                    self.st = St::BeginValue;
                    return Op::Continue;
                }
                self.error(c, "after object key")
            }
            Ctx::ObjectValue => match c {
                b',' => {
                    if let Some(last) = self.stack.last_mut() {
                        *last = Ctx::ObjectKey;
                    }
                    self.st = St::BeginString;
                    Op::Continue
                }
                b'}' => {
                    self.pop();
                    self.closed()
                }
                _ => self.error(c, "after object key:value pair"),
            },
            Ctx::ArrayValue => match c {
                b',' => {
                    self.st = St::BeginValue;
                    Op::Continue
                }
                b']' => {
                    self.pop();
                    self.closed()
                }
                _ => self.error(c, "after array element"),
            },
        }
    }

    /// After a closing bracket: at the top level the value is complete.
    fn closed(&self) -> Op {
        if self.stack.is_empty() {
            Op::EndTopAfter
        } else {
            Op::Continue
        }
    }

    fn end_top(&mut self, c: u8) -> Op {
        if !is_space(c) {
            // Go records the complaint for the next call but ends the value.
            let _ = self.error(c, "after top-level value");
        }
        Op::End
    }

    fn step(&mut self, c: u8) -> Op {
        match self.st {
            St::BeginValue => self.begin_value(c),
            St::BeginValueOrEmpty => {
                if is_space(c) {
                    return Op::Continue;
                }
                if c == b']' {
                    return self.end_value(c);
                }
                self.begin_value(c)
            }
            St::BeginStringOrEmpty => {
                if is_space(c) {
                    return Op::Continue;
                }
                if c == b'}' {
                    if let Some(last) = self.stack.last_mut() {
                        *last = Ctx::ObjectValue;
                    }
                    return self.end_value(c);
                }
                self.begin_string(c)
            }
            St::BeginString => self.begin_string(c),
            St::EndValue => self.end_value(c),
            St::EndTop => self.end_top(c),
            St::InString => match c {
                b'"' => {
                    self.st = St::EndValue;
                    Op::Continue
                }
                b'\\' => {
                    self.st = St::InStringEsc;
                    Op::Continue
                }
                0..=0x1f => self.error(c, "in string literal"),
                _ => Op::Continue,
            },
            St::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.st = St::InString;
                    Op::Continue
                }
                b'u' => {
                    self.st = St::InStringEscU(0);
                    Op::Continue
                }
                _ => self.error(c, "in string escape code"),
            },
            St::InStringEscU(n) => {
                if c.is_ascii_hexdigit() {
                    self.st = if n == 3 {
                        St::InString
                    } else {
                        St::InStringEscU(n + 1)
                    };
                    Op::Continue
                } else {
                    self.error(c, "in \\u hexadecimal character escape")
                }
            }
            St::Neg => match c {
                b'0' => {
                    self.st = St::Zero;
                    Op::Continue
                }
                b'1'..=b'9' => {
                    self.st = St::One;
                    Op::Continue
                }
                _ => self.error(c, "in numeric literal"),
            },
            St::One => {
                if c.is_ascii_digit() {
                    return Op::Continue;
                }
                self.zero(c)
            }
            St::Zero => self.zero(c),
            St::Dot => {
                if c.is_ascii_digit() {
                    self.st = St::Dot0;
                    Op::Continue
                } else {
                    self.error(c, "after decimal point in numeric literal")
                }
            }
            St::Dot0 => {
                if c.is_ascii_digit() {
                    return Op::Continue;
                }
                if c == b'e' || c == b'E' {
                    self.st = St::E;
                    return Op::Continue;
                }
                self.end_value(c)
            }
            St::E => {
                if c == b'+' || c == b'-' {
                    self.st = St::ESign;
                    return Op::Continue;
                }
                self.e_sign(c)
            }
            St::ESign => self.e_sign(c),
            St::E0 => {
                if c.is_ascii_digit() {
                    return Op::Continue;
                }
                self.end_value(c)
            }
            St::Lit(word, i, what) => {
                let want = word.get(i).copied().unwrap_or(b' ');
                if c == want {
                    self.st = if i + 1 == word.len() {
                        St::EndValue
                    } else {
                        St::Lit(word, i + 1, what)
                    };
                    Op::Continue
                } else {
                    self.error(c, &format!("{what} (expecting '{}')", char::from(want)))
                }
            }
        }
    }

    fn begin_string(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::Continue;
        }
        if c == b'"' {
            self.st = St::InString;
            return Op::Continue;
        }
        self.error(c, "looking for beginning of object key string")
    }

    fn zero(&mut self, c: u8) -> Op {
        if c == b'.' {
            self.st = St::Dot;
            return Op::Continue;
        }
        if c == b'e' || c == b'E' {
            self.st = St::E;
            return Op::Continue;
        }
        self.end_value(c)
    }

    fn e_sign(&mut self, c: u8) -> Op {
        if c.is_ascii_digit() {
            self.st = St::E0;
            Op::Continue
        } else {
            self.error(c, "in exponent of numeric literal")
        }
    }
}

/// Go's `Decoder.Decode` into an `interface{}` at the start of `input`:
/// the decoded value and the number of bytes consumed (`InputOffset`).
pub(crate) fn decode_prefix(input: &str) -> Result<(Value, usize), JsonError> {
    let bytes = input.as_bytes();
    let mut sc = Scanner::new();
    let mut end = None;
    for (i, &c) in bytes.iter().enumerate() {
        match sc.step(c) {
            Op::Continue => {}
            Op::End => {
                end = Some(i);
                break;
            }
            Op::EndTopAfter => {
                end = Some(i + 1);
                break;
            }
            Op::Error => return Err(JsonError(sc.err.unwrap_or_default())),
        }
    }
    let end = match end {
        Some(e) => e,
        None => {
            // At EOF Go feeds a space: a number at the top level ends there.
            if sc.step(b' ') == Op::End {
                bytes.len()
            } else if bytes.iter().any(|&b| !is_space(b)) {
                return Err(JsonError("unexpected EOF".to_owned()));
            } else {
                return Err(JsonError("EOF".to_owned()));
            }
        }
    };
    let value = build(&input[..end])?;
    Ok((value, end))
}

/// Go's `json.Unmarshal` into a `map[string]interface{}`: `None` for JSON
/// `null` (a nil map), an error for anything invalid or not an object.
pub(crate) fn unmarshal_object(input: &str) -> Result<Option<Map>, JsonError> {
    let bytes = input.as_bytes();
    let mut sc = Scanner::new();
    for &c in bytes {
        if sc.step(c) == Op::Error {
            return Err(JsonError(sc.err.unwrap_or_default()));
        }
    }
    if sc.err.is_some() {
        return Err(JsonError(sc.err.unwrap_or_default()));
    }
    if !matches!(sc.st, St::EndTop) && sc.step(b' ') != Op::End {
        return Err(JsonError("unexpected end of JSON input".to_owned()));
    }
    match build(input.trim_matches(|c: char| c.is_ascii() && is_space(c as u8)))? {
        Value::Nil => Ok(None),
        Value::Map(m) => Ok(Some(m)),
        other => Err(JsonError(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            match other {
                Value::List(_) => "array",
                Value::Str(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            }
        ))),
    }
}

/// A container being built.
enum Frame {
    Obj(Map, Option<String>),
    Arr(Vec<Value>),
}

/// Builds the value of a text the scanner accepted. Numbers become
/// `float64`; out-of-range numbers are Go's type error.
fn build(text: &str) -> Result<Value, JsonError> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        while i < b.len() && (is_space(b[i]) || b[i] == b',' || b[i] == b':') {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            return Err(JsonError("unexpected end of JSON input".to_owned()));
        };
        let value = match c {
            b'{' => {
                stack.push(Frame::Obj(Map::new(), None));
                i += 1;
                continue;
            }
            b'[' => {
                stack.push(Frame::Arr(Vec::new()));
                i += 1;
                continue;
            }
            b'}' | b']' => {
                i += 1;
                match stack.pop() {
                    Some(Frame::Obj(m, _)) => Value::Map(m),
                    Some(Frame::Arr(v)) => Value::List(List::new(v)),
                    None => return Err(JsonError("unexpected end of JSON input".to_owned())),
                }
            }
            b'"' => {
                let (s, next) = unquote(b, i);
                i = next;
                if let Some(Frame::Obj(_, key @ None)) = stack.last_mut() {
                    *key = Some(s);
                    continue;
                }
                Value::string(s)
            }
            b't' => {
                i += 4;
                Value::Bool(true)
            }
            b'f' => {
                i += 5;
                Value::Bool(false)
            }
            b'n' => {
                i += 4;
                Value::Nil
            }
            _ => {
                let start = i;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                let lit = &text[start..i];
                match lit.parse::<f64>() {
                    Ok(f) if f.is_finite() => Value::Float(f),
                    _ => {
                        return Err(JsonError(format!(
                            "json: cannot unmarshal number {lit} into Go value of type float64"
                        )));
                    }
                }
            }
        };
        match stack.last_mut() {
            None => return Ok(value),
            Some(Frame::Arr(v)) => v.push(value),
            Some(Frame::Obj(m, key)) => {
                if let Some(k) = key.take() {
                    m.insert(k, value);
                }
            }
        }
    }
}

/// Decodes the JSON string starting at the quote `b[start]`; returns the
/// text and the index after the closing quote. Invalid surrogates become
/// U+FFFD, as in Go.
fn unquote(b: &[u8], start: usize) -> (String, usize) {
    let mut out: Vec<u8> = Vec::new();
    let mut i = start + 1;
    let hex4 = |i: usize| -> Option<u32> {
        let s = std::str::from_utf8(b.get(i..i + 4)?).ok()?;
        u32::from_str_radix(s, 16).ok()
    };
    while i < b.len() {
        match b[i] {
            b'"' => return (String::from_utf8_lossy(&out).into_owned(), i + 1),
            b'\\' => {
                let Some(&e) = b.get(i + 1) else { break };
                i += 2;
                let simple = match e {
                    b'b' => Some(0x08),
                    b'f' => Some(0x0c),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'u' => None,
                    other => Some(other),
                };
                if let Some(ch) = simple {
                    out.push(ch);
                    continue;
                }
                let Some(u) = hex4(i) else { break };
                i += 4;
                let ch = if (0xD800..0xDC00).contains(&u) {
                    let low = if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
                        hex4(i + 2)
                    } else {
                        None
                    };
                    match low {
                        Some(l) if (0xDC00..0xE000).contains(&l) => {
                            i += 6;
                            char::from_u32(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00))
                        }
                        _ => None,
                    }
                } else {
                    char::from_u32(u)
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(s: &str) -> Result<(String, usize), String> {
        decode_prefix(s)
            .map(|(v, n)| (rudder_value::fmt::format_v(&v), n))
            .map_err(|e| e.0)
    }

    #[test]
    fn decodes_one_value_and_reports_offset() {
        assert_eq!(prefix("1,b=2"), Ok(("1".into(), 1)));
        assert_eq!(prefix("  [1, 2],x"), Ok(("[1 2]".into(), 8)));
        assert_eq!(prefix("{\"a\":true}"), Ok(("map[a:true]".into(), 10)));
        assert_eq!(prefix("true,"), Ok(("true".into(), 4)));
        assert_eq!(prefix("12"), Ok(("12".into(), 2)));
        assert_eq!(prefix("\"\\u00e9\\ud83d\\ude00\""), Ok(("é😀".into(), 20)));
    }

    #[test]
    fn go_error_texts() {
        assert_eq!(
            prefix("x").err().as_deref(),
            Some("invalid character 'x' looking for beginning of value")
        );
        assert_eq!(prefix("tru").err().as_deref(), Some("unexpected EOF"));
        assert_eq!(
            prefix("[1,]").err().as_deref(),
            Some("invalid character ']' looking for beginning of value")
        );
        assert_eq!(
            prefix("{\"a\" 1}").err().as_deref(),
            Some("invalid character '1' after object key")
        );
        assert_eq!(
            prefix("tx").err().as_deref(),
            Some("invalid character 'x' in literal true (expecting 'r')")
        );
        assert_eq!(
            prefix("1.x").err().as_deref(),
            Some("invalid character 'x' after decimal point in numeric literal")
        );
        assert_eq!(
            prefix("1e400").err().as_deref(),
            Some("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        assert_eq!(
            prefix("'").err().as_deref(),
            Some("invalid character '\\'' looking for beginning of value")
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(20000);
        assert_eq!(
            prefix(&deep).err().as_deref(),
            Some("invalid character '[' exceeded max depth")
        );
        let ok = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert!(prefix(&ok).is_ok());
    }

    #[test]
    fn unmarshal_object_form() {
        assert!(unmarshal_object("{\"a\": 1}").is_ok_and(|m| m.is_some()));
        assert!(unmarshal_object("null").is_ok_and(|m| m.is_none()));
        assert!(unmarshal_object("{\"a\": 1} x").is_err());
        assert!(unmarshal_object("{").is_err());
    }
}
