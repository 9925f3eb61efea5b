//! Helm's `toYamlPretty`: a go.yaml.in/yaml/v3 `Encoder` with `SetIndent(2)`
//! applied to the Go value itself (no JSON step).
//!
//! Compared with `toYaml`: sequences under a key are indented, there is no
//! line folding, integers keep their Go type and floats print with
//! `FormatFloat('g', -1, 64)` (`1e+06`, `-0`, `.inf`), keys use yaml.v3's
//! natural order, and structs use their lower-cased field names.

use rudder_value::{ObjectRepr, Value};

use crate::MAX_DEPTH;
use crate::emitter::{Config, Emitter, Node, Style};
use crate::encode_v2::{float_text, merge_sort, string_style};
use crate::error::YamlError;

const V3: Config = Config {
    best_width: None,
    best_indent: 2,
    indentless_map_sequences: false,
    unicode: true,
    v3: true,
};

/// The yaml.v3 encoding of `v`, trailing newline included.
pub(crate) fn to_yaml_pretty(v: &Value) -> Result<String, YamlError> {
    let node = to_node(v, 0)?;
    Ok(Emitter::new(V3).document(&node))
}

fn to_node(v: &Value, depth: usize) -> Result<Node, YamlError> {
    if depth > MAX_DEPTH {
        return Err(YamlError::TooDeep(MAX_DEPTH));
    }
    Ok(match v {
        Value::Nil => Node::Scalar("null".to_owned(), Style::Plain),
        Value::Bool(b) => Node::Scalar(b.to_string(), Style::Plain),
        Value::Int(i, k) => {
            let s = if k.is_unsigned() {
                (*i as u64).to_string()
            } else {
                i.to_string()
            };
            Node::Scalar(s, Style::Plain)
        }
        Value::Float(f) => Node::Scalar(float_text(*f), Style::Plain),
        Value::Str(s) => Node::Scalar(s.to_string(), string_style(s)),
        Value::Bytes(b) => Node::Seq(
            b.iter()
                .map(|x| Node::Scalar(x.to_string(), Style::Plain))
                .collect(),
        ),
        Value::List(l) => {
            let mut items = Vec::with_capacity(l.len());
            for it in l.iter() {
                items.push(to_node(it, depth + 1)?);
            }
            Node::Seq(items)
        }
        Value::Map(m) => {
            let entries = m.entries();
            map_node(entries.iter().map(|(k, v)| (k.to_string(), v)), depth)?
        }
        Value::Object(o) => match o.repr() {
            ObjectRepr::Struct { fields, .. } => {
                let mut out = Vec::with_capacity(fields.len());
                for (name, v) in &fields {
                    out.push((
                        Node::Scalar(name.to_lowercase(), string_style(&name.to_lowercase())),
                        to_node(v, depth + 1)?,
                    ));
                }
                Node::Map(out)
            }
            ObjectRepr::Value(inner) => to_node(&inner, depth + 1)?,
        },
    })
}

fn map_node<'a>(
    entries: impl Iterator<Item = (String, &'a Value)>,
    depth: usize,
) -> Result<Node, YamlError> {
    let mut items: Vec<(String, &Value)> = entries.collect();
    let mut idx: Vec<usize> = (0..items.len()).collect();
    merge_sort(&mut idx, &|a, b| {
        v3_key_less(
            items.get(a).map_or("", |e| e.0.as_str()),
            items.get(b).map_or("", |e| e.0.as_str()),
        )
    });
    let mut out = Vec::with_capacity(idx.len());
    for i in idx {
        if let Some((k, v)) = items.get_mut(i) {
            let style = string_style(k);
            out.push((
                Node::Scalar(std::mem::take(k), style),
                to_node(v, depth + 1)?,
            ));
        }
    }
    Ok(Node::Map(out))
}

/// yaml.v3's `keyList.Less` for string keys: yaml.v2's natural order, except
/// that after a common run of digits a letter sorts before a digit.
pub(crate) fn v3_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut digits = false;
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        let (ca, cb) = (ar[i], br[i]);
        if ca == cb {
            digits = ca.is_ascii_digit();
            i += 1;
            continue;
        }
        let al = ca.is_alphabetic();
        let bl = cb.is_alphabetic();
        if al && bl {
            return ca < cb;
        }
        if al || bl {
            return if digits { al } else { bl };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ca == '0' || cb == '0' {
            let mut j = i;
            while j > 0 {
                j -= 1;
                let d = ar[j];
                if !d.is_ascii_digit() {
                    break;
                }
                if d != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ca < cb;
    }
    ar.len() < br.len()
}
