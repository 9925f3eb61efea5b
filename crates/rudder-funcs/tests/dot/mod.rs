//! The dot the oracle's throwaway chart gives `c/templates/t.yaml`, built
//! from a golden case's JSON values the way Helm types them.

use rudder_value::{IntKind, Map, Value};

/// A JSON value as Helm's values loader types it (every number a float64).
fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k.as_str(), from_json(v));
            }
            Value::Map(m)
        }
    }
}

/// Helm's coalescing drops keys whose value is null from the chart's
/// values (at every level of nested maps).
fn drop_nulls(m: &Map) {
    for (k, v) in m.entries() {
        match v {
            Value::Nil => {
                m.remove(&k);
            }
            Value::Map(inner) => drop_nulls(&inner),
            _ => {}
        }
    }
}

/// The dot Helm gives `c/templates/t.yaml` in the oracle's throwaway chart.
pub(crate) fn root(values: Option<&serde_json::Value>) -> Value {
    let vals = match values.map(from_json) {
        Some(Value::Map(m)) => {
            drop_nulls(&m);
            m.with_kind_of(rudder_value::MapKind::Named("common.Values"))
        }
        _ => Map::with_kind(rudder_value::MapKind::Named("common.Values")),
    };
    let release = Map::from_entries(
        rudder_value::MapKind::Any,
        [
            ("IsInstall", Value::Bool(true)),
            ("IsUpgrade", Value::Bool(false)),
            ("Name", Value::str("rel")),
            ("Namespace", Value::str("ns")),
            ("Revision", Value::Int(1, IntKind::Int)),
            ("Service", Value::str("Helm")),
        ],
    );
    Value::Map(Map::from_entries(
        rudder_value::MapKind::Any,
        [
            ("Values", Value::Map(vals)),
            ("Release", Value::Map(release)),
        ],
    ))
}
