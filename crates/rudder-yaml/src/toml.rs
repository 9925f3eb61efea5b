//! Helm's `toToml`: BurntSushi/toml v1.6's `Encoder` over a Go value.
//!
//! The encoder's layout rules, reproduced here: keys in byte order, plain
//! keys before sub-tables at each level, every line indented two spaces per
//! key component beyond the first, a blank line before each top-level table
//! and before each `[[array-of-tables]]` entry, nil map values skipped,
//! arrays holding only maps written as arrays of tables, anything else
//! inline (maps inside inline arrays as `{k = v}`), floats in `'g'` form with
//! `.0` added when needed.

use rudder_value::float::format_g;
use rudder_value::{ObjectRepr, Value};

use crate::MAX_DEPTH;
use crate::error::TomlError;

/// The TOML kind of a value, as the encoder classifies it.
#[derive(PartialEq, Eq)]
enum Kind {
    Nil,
    Table,
    ArrayOfTables,
    Other,
}

/// A value with host objects and typed collections reduced to what the
/// encoder sees.
fn plain(v: &Value) -> Value {
    match v {
        Value::Object(o) => match o.repr() {
            ObjectRepr::Struct { fields, .. } => Value::Map(rudder_value::Map::from_entries(
                rudder_value::MapKind::Any,
                fields,
            )),
            ObjectRepr::Value(inner) => plain(&inner),
        },
        Value::Bytes(b) => Value::list(
            b.iter()
                .map(|x| Value::Int(i64::from(*x), rudder_value::IntKind::Uint8))
                .collect(),
        ),
        other => other.clone(),
    }
}

struct Encoder {
    out: String,
    has_written: bool,
}

fn err_nil_element() -> TomlError {
    TomlError::Encode("toml: cannot encode array with nil element".to_owned())
}

/// `tomlTypeOfGo`, including its check that arrays hold no nil.
fn kind_of(v: &Value, depth: usize) -> Result<Kind, TomlError> {
    if depth > MAX_DEPTH {
        return Err(TomlError::Encode(format!(
            "toml: exceeded max depth of {MAX_DEPTH}"
        )));
    }
    Ok(match plain(v) {
        Value::Nil => Kind::Nil,
        Value::Map(_) => Kind::Table,
        Value::List(l) => {
            if l.is_empty() {
                Kind::Other
            } else {
                let mut all_tables = true;
                for it in l.iter() {
                    let k = kind_of(it, depth + 1)?;
                    if k == Kind::Nil {
                        return Err(err_nil_element());
                    }
                    if k != Kind::Table {
                        all_tables = false;
                    }
                }
                if all_tables {
                    Kind::ArrayOfTables
                } else {
                    Kind::Other
                }
            }
        }
        _ => Kind::Other,
    })
}

fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn maybe_quoted(k: &str) -> String {
    if is_bare_key(k) {
        k.to_owned()
    } else {
        quoted(k)
    }
}

fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| maybe_quoted(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn indent_str(key: &[String]) -> String {
    "  ".repeat(key.len().saturating_sub(1))
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        if f.is_sign_negative() { "-nan" } else { "nan" }.to_owned()
    } else if f.is_infinite() {
        if f < 0.0 { "-inf" } else { "inf" }.to_owned()
    } else {
        let s = format_g(f);
        if s.contains('.') || s.contains('e') {
            s
        } else {
            s + ".0"
        }
    }
}

impl Encoder {
    fn wf(&mut self, s: &str) {
        self.out.push_str(s);
        self.has_written = true;
    }

    fn newline(&mut self) {
        if self.has_written {
            self.wf("\n");
        }
    }

    fn encode(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), TomlError> {
        if depth > MAX_DEPTH {
            return Err(TomlError::Encode(format!(
                "toml: exceeded max depth of {MAX_DEPTH}"
            )));
        }
        let v = plain(v);
        match &v {
            Value::Nil => Ok(()),
            Value::Map(_) => self.table(key, &v, depth),
            Value::List(_) => {
                if kind_of(&v, depth)? == Kind::ArrayOfTables {
                    self.array_of_tables(key, &v, depth)
                } else {
                    self.key_value(key, &v, false, depth)
                }
            }
            _ => self.key_value(key, &v, false, depth),
        }
    }

    fn key_value(
        &mut self,
        key: &[String],
        v: &Value,
        inline: bool,
        depth: usize,
    ) -> Result<(), TomlError> {
        if key.is_empty() {
            return self.element(v, depth);
        }
        let last = key.last().map_or(String::new(), |k| maybe_quoted(k));
        self.wf(&format!("{}{} = ", indent_str(key), last));
        self.element(v, depth)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn table(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), TomlError> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.wf(&format!("{}[{}]", indent_str(key), key_string(key)));
            self.newline();
        }
        self.map(key, v, false, depth)
    }

    fn array_of_tables(
        &mut self,
        key: &[String],
        v: &Value,
        depth: usize,
    ) -> Result<(), TomlError> {
        if key.is_empty() {
            return Err(TomlError::Encode(
                "toml: top-level values must be Go maps or structs".to_owned(),
            ));
        }
        if let Value::List(l) = v {
            for it in l.iter() {
                let it = plain(it);
                if it.is_nil() {
                    continue;
                }
                self.newline();
                self.wf(&format!("{}[[{}]]", indent_str(key), key_string(key)));
                self.newline();
                self.map(key, &it, false, depth + 1)?;
            }
        }
        Ok(())
    }

    fn map(
        &mut self,
        key: &[String],
        v: &Value,
        inline: bool,
        depth: usize,
    ) -> Result<(), TomlError> {
        let Value::Map(m) = v else {
            return Ok(());
        };
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, val) in m.entries() {
            match kind_of(&val, depth + 1)? {
                Kind::Table | Kind::ArrayOfTables => sub.push((k, val)),
                _ => direct.push((k, val)),
            }
        }
        if inline {
            self.wf("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trail) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, val)) in group.into_iter().enumerate() {
                if plain(&val).is_nil() {
                    continue;
                }
                if inline {
                    self.key_value(&[k.to_string()], &val, true, depth + 1)?;
                    if trail || i + 1 != n {
                        self.wf(", ");
                    }
                } else {
                    let mut child = key.to_vec();
                    child.push(k.to_string());
                    self.encode(&child, &val, depth + 1)?;
                }
            }
        }
        if inline {
            self.wf("}");
        }
        Ok(())
    }

    fn element(&mut self, v: &Value, depth: usize) -> Result<(), TomlError> {
        if depth > MAX_DEPTH {
            return Err(TomlError::Encode(format!(
                "toml: exceeded max depth of {MAX_DEPTH}"
            )));
        }
        match plain(v) {
            Value::Bool(b) => self.wf(if b { "true" } else { "false" }),
            Value::Int(i, k) => {
                let s = if k.is_unsigned() {
                    (i as u64).to_string()
                } else {
                    i.to_string()
                };
                self.wf(&s);
            }
            Value::Float(f) => self.wf(&float_text(f)),
            Value::Str(s) => self.wf(&quoted(&s)),
            Value::List(l) => {
                self.wf("[");
                let n = l.len();
                for (i, it) in l.iter().enumerate() {
                    self.element(it, depth + 1)?;
                    if i + 1 != n {
                        self.wf(", ");
                    }
                }
                self.wf("]");
            }
            m @ Value::Map(_) => self.map(&[], &m, true, depth + 1)?,
            Value::Nil => {
                return Err(TomlError::Panic(
                    "reflect: call of reflect.Value.Type on zero Value".to_owned(),
                ));
            }
            other => {
                return Err(TomlError::Encode(format!(
                    "toml: unexpected type: {}",
                    other.type_name()
                )));
            }
        }
        Ok(())
    }
}

/// Encode `v` as BurntSushi's `Encoder.Encode` does.
pub(crate) fn to_toml(v: &Value) -> Result<String, TomlError> {
    let v = plain(v);
    if v.is_nil() {
        return Err(TomlError::Panic(
            "reflect: call of reflect.Value.Type on zero Value".to_owned(),
        ));
    }
    let mut e = Encoder {
        out: String::new(),
        has_written: false,
    };
    e.encode(&[], &v, 0)?;
    Ok(e.out)
}
