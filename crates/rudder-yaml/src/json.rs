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
