//! Helpers shared by the integration tests: fixture paths and comparison of
//! rudder values with the oracle's JSON.

use std::path::PathBuf;

use rudder_value::Value;

/// `tests/data/<rel>`.
pub(crate) fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Reads and parses a JSON fixture.
pub(crate) fn read_json(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Compares a rudder value with the oracle's JSON rendering of the Go
/// value. Returns a description of the first difference.
pub(crate) fn diff(path: &str, got: &Value, want: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    match (got, want) {
        (Value::Nil, J::Null) => None,
        (Value::Bool(a), J::Bool(b)) if a == b => None,
        (Value::Str(a), J::String(b)) if &**a == b => None,
        (Value::Int(a, _), J::Number(n)) if n.as_i64() == Some(*a) => None,
        (Value::Float(a), J::Number(n)) if n.as_f64() == Some(*a) => None,
        (Value::List(l), J::Array(w)) => {
            if l.len() != w.len() {
                return Some(format!("{path}: list length {} vs {}", l.len(), w.len()));
            }
            l.iter()
                .zip(w)
                .enumerate()
                .find_map(|(i, (g, w))| diff(&format!("{path}[{i}]"), g, w))
        }
        (Value::Map(m), J::Object(w)) => {
            let keys: Vec<String> = m.keys().iter().map(|k| k.to_string()).collect();
            let wkeys: Vec<String> = w.keys().cloned().collect();
            let mut wsorted = wkeys.clone();
            wsorted.sort();
            if keys != wsorted {
                return Some(format!("{path}: keys {keys:?} vs {wsorted:?}"));
            }
            m.entries()
                .iter()
                .find_map(|(k, v)| diff(&format!("{path}.{k}"), v, &w[&**k]))
        }
        _ => Some(format!("{path}: {got:?} vs {want}")),
    }
}
