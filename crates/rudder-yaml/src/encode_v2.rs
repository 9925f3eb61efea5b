//! `sigs.k8s.io/yaml.Marshal`: `json.Marshal`, yaml.v2 `Unmarshal` of that
//! JSON into `interface{}`, then yaml.v2 `Marshal`.
//!
//! The JSON round trip decides the types yaml.v2 sees: numbers come back as
//! `int` when `ParseInt` accepts Go's JSON text (so `3.0` prints `3` and
//! `1e6` prints `1000000`), `uint64` when `ParseUint` does, and `float64`
//! otherwise (printed with `FormatFloat('g', -1, 64)`: `1e+21`). Strings stay
//! strings and take yaml.v2's quoting rules; keys are sorted in yaml.v2's
//! natural order.

use rudder_value::Value;
use rudder_value::float::format_g;

use crate::decode::{GoVal, go_lossy, parse_go};
use crate::emitter::{Config, Emitter, Node, Style};
use crate::error::YamlError;
use crate::json::{JVal, json_tree, write_json};
use crate::resolve::{Scalar, is_base60_float, resolve};
use crate::scanner::is_allowed_char;

const V2: Config = Config {
    best_width: Some(80),
    best_indent: 2,
    indentless_map_sequences: true,
    unicode: true,
    v3: false,
};

/// `sigs.k8s.io/yaml.Marshal(v)`, trailing newline included.
pub(crate) fn to_yaml(v: &Value) -> Result<String, YamlError> {
    let j = json_tree(v).map_err(YamlError::Marshal)?;
    let node = if needs_reread(&j) {
        reread(&j)?
    } else {
        to_node(&j)
    };
    Ok(Emitter::new(V2).document(&node))
}

/// yaml.v2 re-reads the JSON text as YAML. For almost every value that
/// gives back the same tree, but not when a string holds a character
/// encoding/json leaves raw and YAML treats specially: NEL (U+0085) is a
/// line break inside a double-quoted scalar (so it folds), and DEL, C1
/// controls, U+FFFE and U+FFFF are refused by the reader. Those values take
/// the faithful path: print the JSON and parse it with the YAML parser.
fn needs_reread(j: &JVal) -> bool {
    let bad = |s: &str| {
        s.chars()
            .any(|c| c == '\u{85}' || ((c as u32) >= 0x20 && !is_allowed_char(c)))
    };
    match j {
        JVal::Str(s) => bad(s),
        JVal::Array(items) => items.iter().any(needs_reread),
        JVal::Object(entries) => entries.iter().any(|(k, v)| bad(k) || needs_reread(v)),
        _ => false,
    }
}

fn reread(j: &JVal) -> Result<Node, YamlError> {
    let text = write_json(j);
    match parse_go(&text) {
        Ok(Some(g)) => Ok(go_to_node(&g)),
        Ok(None) => Ok(Node::Scalar("null".to_owned(), Style::Plain)),
        Err(YamlError::Syntax { line, problem }) => Err(YamlError::JsonToYaml(match line {
            Some(l) => format!("yaml: line {l}: {problem}"),
            None => format!("yaml: {problem}"),
        })),
        Err(e) => Err(e),
    }
}

fn go_to_node(g: &GoVal) -> Node {
    match g {
        GoVal::Nil => Node::Scalar("null".to_owned(), Style::Plain),
        GoVal::Bool(b) => Node::Scalar(b.to_string(), Style::Plain),
        GoVal::Int(i) => Node::Scalar(i.to_string(), Style::Plain),
        GoVal::Uint(u) => Node::Scalar(u.to_string(), Style::Plain),
        GoVal::Float(f) => Node::Scalar(float_text(*f), Style::Plain),
        GoVal::Str(s) => string_node(&go_lossy(s)),
        GoVal::Seq(items) => Node::Seq(items.iter().map(go_to_node).collect()),
        GoVal::Map(m) => {
            let mut entries: Vec<(String, &GoVal)> =
                m.entries.iter().map(|(k, v)| (go_key(k), v)).collect();
            let mut idx: Vec<usize> = (0..entries.len()).collect();
            merge_sort(&mut idx, &|a, b| {
                v2_key_less(
                    entries.get(a).map_or("", |e| e.0.as_str()),
                    entries.get(b).map_or("", |e| e.0.as_str()),
                )
            });
            let mut out = Vec::with_capacity(idx.len());
            for i in idx {
                if let Some((k, v)) = entries.get_mut(i) {
                    out.push((string_node(k), go_to_node(v)));
                }
            }
            Node::Map(out)
        }
    }
}

/// Keys of a re-read JSON object are always strings.
fn go_key(k: &GoVal) -> String {
    match k {
        GoVal::Str(s) => go_lossy(s),
        other => format!("{other:?}"),
    }
}

fn to_node(j: &JVal) -> Node {
    match j {
        JVal::Null => Node::Scalar("null".to_owned(), Style::Plain),
        JVal::Bool(b) => Node::Scalar(b.to_string(), Style::Plain),
        JVal::Number(n) => Node::Scalar(number_text(n), Style::Plain),
        JVal::Str(s) => string_node(s),
        JVal::Array(items) => Node::Seq(items.iter().map(to_node).collect()),
        JVal::Object(entries) => {
            let mut sorted: Vec<&(String, JVal)> = entries.iter().collect();
            merge_sort(&mut sorted, &|a, b| v2_key_less(&a.0, &b.0));
            Node::Map(
                sorted
                    .into_iter()
                    .map(|(k, v)| (string_node(k), to_node(v)))
                    .collect(),
            )
        }
    }
}

/// How yaml.v2 prints a JSON number after reading it back.
fn number_text(n: &str) -> String {
    match resolve("", n) {
        Ok(Scalar::Int(i)) => i.to_string(),
        Ok(Scalar::Uint(u)) => u.to_string(),
        Ok(Scalar::Float(f)) => float_text(f),
        _ => n.to_owned(),
    }
}

/// yaml.v2's `floatv`.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f == f64::INFINITY {
        ".inf".to_owned()
    } else if f == f64::NEG_INFINITY {
        "-.inf".to_owned()
    } else {
        format_g(f)
    }
}

/// yaml.v2's `stringv`: literal for multi-line text, plain when the text
/// reads back as the same string, double-quoted otherwise.
fn string_node(s: &str) -> Node {
    Node::Scalar(s.to_owned(), string_style(s))
}

/// The style yaml.v2's (and yaml.v3's) `stringv` asks for. yaml.v3's
/// resolver no longer reads `yes`/`on`/`y` as booleans but quotes them
/// anyway (`isOldBool`), so both encoders agree.
pub(crate) fn string_style(s: &str) -> Style {
    let can_plain = matches!(resolve("", s), Ok(Scalar::Str(_))) && !is_base60_float(s);
    if s.contains('\n') {
        Style::Literal
    } else if can_plain {
        Style::Plain
    } else {
        Style::DoubleQuoted
    }
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

/// yaml.v2's `keyList.Less` for string keys.
pub(crate) fn v2_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        let (ca, cb) = (ar[i], br[i]);
        if ca == cb {
            i += 1;
            continue;
        }
        let al = is_letter(ca);
        let bl = is_letter(cb);
        if al && bl {
            return ca < cb;
        }
        if al || bl {
            return bl;
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

/// A stable merge sort driven by a `less` function. Go's comparator need not
/// be a total order, and `slice::sort_by` may panic on such orders; this
/// never does.
pub(crate) fn merge_sort<T: Copy>(v: &mut [T], less: &dyn Fn(T, T) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut buf: Vec<T> = v.to_vec();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                let (x, y) = (v[i], v[j]);
                if less(y, x) {
                    buf[k] = y;
                    j += 1;
                } else {
                    buf[k] = x;
                    i += 1;
                }
                k += 1;
            }
            while i < mid {
                buf[k] = v[i];
                i += 1;
                k += 1;
            }
            while j < end {
                buf[k] = v[j];
                j += 1;
                k += 1;
            }
            start = end;
        }
        v.copy_from_slice(&buf);
        width *= 2;
    }
}

/// An `Ordering` view of [`v2_key_less`], for tests.
#[cfg(test)]
fn v2_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if v2_key_less(a, b) {
        Ordering::Less
    } else if v2_key_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn natural_key_order() {
        assert_eq!(v2_cmp("a2", "a10"), Ordering::Less);
        assert_eq!(v2_cmp("_x", "a"), Ordering::Less);
        assert_eq!(v2_cmp("Z", "a"), Ordering::Less);
        assert_eq!(v2_cmp("a-b", "a.b"), Ordering::Less);
        assert_eq!(v2_cmp("a", "ab"), Ordering::Less);
        let mut keys = vec!["b", "a10", "a2", "B", "_u", "123", "a"];
        merge_sort(&mut keys, &|a, b| v2_key_less(a, b));
        assert_eq!(keys, vec!["_u", "123", "B", "a", "a2", "a10", "b"]);
    }
}
