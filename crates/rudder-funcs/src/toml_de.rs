//! `fromToml` (Helm): TOML decoded as BurntSushi/toml v1.6 decodes into a
//! `map[string]interface{}`.
//!
//! The Go types matter to templates (`typeOf`, `eq`): integers are `int64`,
//! floats `float64`, arrays `[]interface {}` except arrays of tables
//! (`[[x]]`), which are `[]map[string]interface {}`; datetimes are
//! `time.Time` — offset ones in UTC or a nameless fixed zone, local ones in
//! the fixed zones BurntSushi names `datetime-local`, `date-local` and
//! `time-local`. All of this was checked with the oracle.
//!
//! Parsing uses `toml_edit`, which keeps the difference between `[[x]]`
//! and an inline array of tables that the Go types depend on. Its error
//! messages are not BurntSushi's: `fromToml` reports them as `toml: line
//! N: MESSAGE`, the same shape, but the wording differs.

use std::sync::Arc;

use rudder_value::{ElemType, IntKind, List, Map, Value};
use toml_edit::{DocumentMut, Item, Table, Value as TomlValue};

use crate::date::gotime::GoTime;
use crate::date::zone::{Loc, Location};

/// Decode `text`; an `Err` is the text Helm puts under the `Error` key.
pub(crate) fn from_toml(text: &str) -> Result<Map, String> {
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        let message = e.message().trim().to_owned();
        format!("toml: line {line}: {message}")
    })?;
    Ok(table(doc.as_table()))
}

fn table(t: &Table) -> Map {
    let m = Map::new();
    for (k, item) in t.iter() {
        if let Some(v) = item_value(item) {
            m.insert(k, v);
        }
    }
    m
}

fn item_value(item: &Item) -> Option<Value> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(value(v)),
        Item::Table(t) => Some(Value::Map(table(t))),
        Item::ArrayOfTables(a) => Some(Value::List(List::typed(
            a.iter().map(|t| Value::Map(table(t))).collect(),
            ElemType::AnyMap,
        ))),
    }
}

fn value(v: &TomlValue) -> Value {
    match v {
        TomlValue::String(s) => Value::str(s.value()),
        TomlValue::Integer(i) => Value::Int(*i.value(), IntKind::Int64),
        TomlValue::Float(f) => Value::Float(*f.value()),
        TomlValue::Boolean(b) => Value::Bool(*b.value()),
        TomlValue::Datetime(d) => datetime(d.value()),
        TomlValue::Array(a) => Value::list(a.iter().map(value).collect()),
        TomlValue::InlineTable(t) => {
            let m = Map::new();
            for (k, v) in t.iter() {
                m.insert(k, value(v));
            }
            Value::Map(m)
        }
    }
}

/// A TOML datetime as the `time.Time` BurntSushi produces.
fn datetime(d: &toml_edit::Datetime) -> Value {
    let (year, month, day) = d.date.map_or((0, 1, 1), |x| {
        (i64::from(x.year), i64::from(x.month), i64::from(x.day))
    });
    let (hour, min, sec, nsec) = d.time.map_or((0, 0, 0, 0), |t| {
        (
            i64::from(t.hour),
            i64::from(t.minute),
            i64::from(t.second.unwrap_or(0)),
            i64::from(t.nanosecond.unwrap_or(0)),
        )
    });
    let loc = match d.offset {
        Some(toml_edit::Offset::Z) => Loc::Utc,
        Some(toml_edit::Offset::Custom { minutes }) => {
            Loc::Zone(Arc::new(Location::fixed("", i64::from(minutes) * 60)))
        }
        None => {
            let name = match (d.date.is_some(), d.time.is_some()) {
                (true, true) => "datetime-local",
                (true, false) => "date-local",
                _ => "time-local",
            };
            Loc::Zone(Arc::new(Location::fixed(name, 0)))
        }
    };
    Value::object(GoTime::date(year, month, day, hour, min, sec, nsec, loc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_have_burntsushis_shape() {
        // Helm (oracle): `toml: line 2 (last key "b"): expected value but
        // found '\n' instead`; the line and the prefix match.
        let e = from_toml("a = 1\nb = \n").err().unwrap_or_default();
        assert!(e.starts_with("toml: line 2: "), "{e}");
        let e = from_toml("[a]\n[a]\n").err().unwrap_or_default();
        assert!(e.starts_with("toml: line 2: "), "{e}");
    }

    #[test]
    fn array_of_tables_is_a_slice_of_maps() {
        let m = from_toml("[[x]]\ny = 1\n").unwrap_or_default();
        assert_eq!(
            m.get("x").map(|v| v.type_name().into_owned()),
            Some("[]map[string]interface {}".to_owned())
        );
    }
}
