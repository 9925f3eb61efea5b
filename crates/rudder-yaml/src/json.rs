//! Go's `encoding/json`: `Marshal`, `MarshalIndent`, the HTML-escape-free
//! `Encoder`, and `Unmarshal` into `interface{}` with Go's error texts.
//!
//! Marshalling first builds a [`JVal`] (the value as JSON sees it: host
//! objects replaced by their `marshal_json`, `[]byte` as base64, floats as
//! Go's JSON text); `toYaml` reuses that tree, because sigs.k8s.io/yaml
//! marshals to JSON before it writes YAML.

use rudder_value::float::{format_float, format_json};
use rudder_value::{List, Map, Value};

use crate::MAX_DEPTH;
use crate::error::JsonError;

/// A value as `encoding/json` encodes it. Object keys are in byte order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JVal {
    Null,
    Bool(bool),
    /// The number exactly as Go writes it.
    Number(String),
    Str(String),
    Array(Vec<JVal>),
    Object(Vec<(String, JVal)>),
}

/// Build the JSON view of `v`.
pub(crate) fn json_tree(v: &Value) -> Result<JVal, JsonError> {
    tree(v, 0)
}

fn tree(v: &Value, depth: usize) -> Result<JVal, JsonError> {
    if depth > MAX_DEPTH {
        // Go detects cycles after 1000 nested pointer-like levels; a
        // non-cyclic value this deep is refused here too.
        return Err(JsonError::UnsupportedValue(format!(
            "encountered a cycle via {}",
            v.type_name()
        )));
    }
    Ok(match v {
        Value::Nil => JVal::Null,
        Value::Bool(b) => JVal::Bool(*b),
        Value::Int(i, k) => {
            if k.is_unsigned() {
                JVal::Number((*i as u64).to_string())
            } else {
                JVal::Number(i.to_string())
            }
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(JsonError::UnsupportedValue(format_float(*f, 'g', -1, 64)));
            }
            JVal::Number(format_json(*f))
        }
        Value::Str(s) => JVal::Str(s.to_string()),
        Value::Bytes(b) => JVal::Str(base64_encode(b)),
        Value::List(l) => list(l, depth)?,
        Value::Map(m) => map(m, depth)?,
        Value::Object(o) => {
            let inner = o.marshal_json().map_err(|message| JsonError::Marshaler {
                type_name: o.type_name().to_owned(),
                message,
            })?;
            tree(&inner, depth + 1)?
        }
    })
}

fn list(l: &List, depth: usize) -> Result<JVal, JsonError> {
    let mut out = Vec::with_capacity(l.len());
    for it in l.iter() {
        out.push(tree(it, depth + 1)?);
    }
    Ok(JVal::Array(out))
}

fn map(m: &Map, depth: usize) -> Result<JVal, JsonError> {
    let entries = m.entries();
    let mut out = Vec::with_capacity(entries.len());
    for (k, v) in &entries {
        out.push((k.to_string(), tree(v, depth + 1)?));
    }
    Ok(JVal::Object(out))
}

/// Go's `base64.StdEncoding.EncodeToString`.
pub(crate) fn base64_encode(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sym = |i: u32| char::from(A.get((i & 63) as usize).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        out.push(if chunk.len() > 1 { sym(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sym(n) } else { '=' });
    }
    out
}

/// Append a JSON string as Go writes it.
pub(crate) fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |n: u32| char::from(HEX.get((n & 15) as usize).copied().unwrap_or(b'0'));
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                out.push_str("\\u00");
                out.push(hex(c as u32 >> 4));
                out.push(hex(c as u32));
            }
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(hex(c as u32 >> 4));
                out.push(hex(c as u32));
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_compact(out: &mut String, v: &JVal, escape_html: bool) {
    match v {
        JVal::Null => out.push_str("null"),
        JVal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JVal::Number(n) => out.push_str(n),
        JVal::Str(s) => write_string(out, s, escape_html),
        JVal::Array(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, it, escape_html);
            }
            out.push(']');
        }
        JVal::Object(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k, escape_html);
                out.push(':');
                write_compact(out, v, escape_html);
            }
            out.push('}');
        }
    }
}

fn write_indented(out: &mut String, v: &JVal, level: usize) {
    let newline = |out: &mut String, level: usize| {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    };
    match v {
        JVal::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write_indented(out, it, level + 1);
            }
            newline(out, level);
            out.push(']');
        }
        JVal::Object(entries) if !entries.is_empty() => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write_string(out, k, true);
                out.push_str(": ");
                write_indented(out, v, level + 1);
            }
            newline(out, level);
            out.push('}');
        }
        other => write_compact(out, other, true),
    }
}

/// The compact, HTML-escaped text of a tree.
pub(crate) fn write_json(t: &JVal) -> String {
    let mut out = String::new();
    write_compact(&mut out, t, true);
    out
}

/// `json.Marshal`.
pub(crate) fn to_json(v: &Value) -> Result<String, JsonError> {
    let t = json_tree(v)?;
    let mut out = String::new();
    write_compact(&mut out, &t, true);
    Ok(out)
}

/// `json.MarshalIndent(v, "", "  ")`.
pub(crate) fn to_json_pretty(v: &Value) -> Result<String, JsonError> {
    let t = json_tree(v)?;
    let mut out = String::new();
    write_indented(&mut out, &t, 0);
    Ok(out)
}

/// An `Encoder` with `SetEscapeHTML(false)`, its trailing newline removed.
pub(crate) fn to_json_raw(v: &Value) -> Result<String, JsonError> {
    let t = json_tree(v)?;
    let mut out = String::new();
    write_compact(&mut out, &t, false);
    Ok(out)
}

/// `json.Unmarshal` into `interface{}`: objects become
/// `map[string]interface{}`, arrays `[]interface{}`, numbers `float64`.
/// Syntax errors carry Go's scanner texts; they win over a number that is
/// out of range, because Go validates the whole input before decoding.
pub(crate) fn from_json(text: &str) -> Result<Value, JsonError> {
    match from_json_lenient(text)? {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(e),
    }
}

/// Like [`from_json`], but a type error (a number out of `float64` range)
/// comes back beside the value Go had decoded when it gave up: Go stores nil
/// for that number and goes on, and Helm's `fromJson` returns that partial
/// map with the error added under `Error`.
pub(crate) fn from_json_lenient(text: &str) -> Result<(Value, Option<JsonError>), JsonError> {
    let mut d = Decoder {
        b: text.as_bytes(),
        pos: 0,
        saved: None,
    };
    d.skip_ws();
    let v = d.value(0)?;
    d.skip_ws();
    if let Some(&c) = d.b.get(d.pos) {
        return Err(d.invalid(c, "after top-level value"));
    }
    Ok((v, d.saved))
}

struct Decoder<'a> {
    b: &'a [u8],
    pos: usize,
    saved: Option<JsonError>,
}

/// Go's `quoteChar`: how the scanner names a byte in an error.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_owned(),
        b'"' => "'\"'".to_owned(),
        _ => {
            let s = rudder_value::fmt::quote(&char::from(c).to_string());
            let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
            format!("'{inner}'")
        }
    }
}

impl Decoder<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn eof(&self) -> JsonError {
        JsonError::Syntax {
            message: "unexpected end of JSON input".to_owned(),
            offset: self.b.len(),
        }
    }

    fn invalid(&self, c: u8, context: &str) -> JsonError {
        JsonError::Syntax {
            message: format!("invalid character {} {context}", quote_char(c)),
            offset: self.pos + 1,
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep(MAX_DEPTH));
        }
        let Some(c) = self.peek() else {
            return Err(self.eof());
        };
        match c {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => Ok(Value::string(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Nil),
            _ => Err(self.invalid(c, "looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        for want in word.bytes() {
            match self.peek() {
                None => return Err(self.eof()),
                Some(c) if c == want => self.pos += 1,
                Some(c) => {
                    let ctx = format!("in literal {word} (expecting {})", quote_char(want));
                    return Err(self.invalid(c, &ctx));
                }
            }
        }
        Ok(v)
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1;
        let map = Map::new();
        self.skip_ws();
        match self.peek() {
            None => return Err(self.eof()),
            Some(b'}') => {
                self.pos += 1;
                return Ok(Value::Map(map));
            }
            Some(_) => {}
        }
        loop {
            match self.peek() {
                None => return Err(self.eof()),
                Some(b'"') => {}
                Some(c) => {
                    return Err(self.invalid(c, "looking for beginning of object key string"));
                }
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b':') => self.pos += 1,
                Some(c) => return Err(self.invalid(c, "after object key")),
            }
            self.skip_ws();
            let v = self.value(depth + 1)?;
            map.insert(key, v);
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Map(map));
                }
                Some(c) => return Err(self.invalid(c, "after object key:value pair")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        match self.peek() {
            None => return Err(self.eof()),
            Some(b']') => {
                self.pos += 1;
                return Ok(Value::List(List::new(items)));
            }
            Some(_) => {}
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                None => return Err(self.eof()),
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(List::new(items)));
                }
                Some(c) => return Err(self.invalid(c, "after array element")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(self.eof());
            };
            let Some(d) = char::from(c).to_digit(16) else {
                return Err(self.invalid(c, "in \\u hexadecimal character escape"));
            };
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    /// A string literal; the cursor is on the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.eof());
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(String::from_utf8(out)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.eof());
                    };
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{08}',
                        b'f' => '\u{0C}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let u = self.hex4()?;
                            self.surrogate(u)?
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.invalid(e, "in string escape code"));
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(self.invalid(c, "in string literal")),
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// Combine a `\u` escape with a following low surrogate, as Go's
    /// `unquote` does; an unpaired surrogate becomes U+FFFD.
    fn surrogate(&mut self, u: u32) -> Result<char, JsonError> {
        if (0xD800..0xDC00).contains(&u) {
            let save = self.pos;
            if self.b.get(self.pos) == Some(&b'\\') && self.b.get(self.pos + 1) == Some(&b'u') {
                self.pos += 2;
                if let Ok(lo) = self.hex4()
                    && (0xDC00..0xE000).contains(&lo)
                {
                    let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
                }
            }
            self.pos = save;
            return Ok('\u{FFFD}');
        }
        Ok(char::from_u32(u).unwrap_or('\u{FFFD}'))
    }

    fn digits(&mut self) -> usize {
        let st = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - st
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            None => return Err(self.eof()),
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(c) => return Err(self.invalid(c, "in numeric literal")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            match self.peek() {
                None => return Err(self.eof()),
                Some(c) if !c.is_ascii_digit() => {
                    return Err(self.invalid(c, "after decimal point in numeric literal"));
                }
                Some(_) => {
                    self.digits();
                }
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            match self.peek() {
                None => return Err(self.eof()),
                Some(c) if !c.is_ascii_digit() => {
                    return Err(self.invalid(c, "in exponent of numeric literal"));
                }
                Some(_) => {
                    self.digits();
                }
            }
        }
        let text = std::str::from_utf8(self.b.get(start..self.pos).unwrap_or(b"0")).unwrap_or("0");
        let f: f64 = text.parse().unwrap_or(0.0);
        if f.is_infinite() {
            if self.saved.is_none() {
                self.saved = Some(JsonError::NumberRange(text.to_owned()));
            }
            return Ok(Value::Nil);
        }
        Ok(Value::Float(f))
    }
}
