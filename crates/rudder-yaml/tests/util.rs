//! Fixture loading and conversion between the fixtures' tagged JSON and
//! [`Value`].

use std::path::PathBuf;

use rudder_value::{IntKind, List, Map, Value};
use serde_json::Value as J;

/// The path of a fixture file under `tests/data`.
pub(crate) fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Read a JSON fixture.
pub(crate) fn read_json(path: &str) -> J {
    let text = std::fs::read_to_string(data(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture value: null, bools, strings, lists, `{"f": "1.5"}` (float64),
/// `{"i": "3", "k": "int64"}` (Go integers), `{"m": {...}}` (maps),
/// `{"b": [..bytes..]}` ([]byte).
pub(crate) fn from_tagged(j: &J) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::String(s) => Value::str(s),
        J::Array(items) => Value::List(List::new(items.iter().map(from_tagged).collect())),
        J::Object(o) => {
            if let Some(J::String(f)) = o.get("f") {
                return Value::Float(f.parse().unwrap_or_else(|_| panic!("bad float {f}")));
            }
            if let Some(J::String(i)) = o.get("i") {
                let kind = match o.get("k").and_then(J::as_str).unwrap_or("int") {
                    "int" => IntKind::Int,
                    "int64" => IntKind::Int64,
                    "int32" => IntKind::Int32,
                    "uint64" => IntKind::Uint64,
                    "uint" => IntKind::Uint,
                    "uint8" => IntKind::Uint8,
                    k => panic!("kind {k}"),
                };
                let v: i128 = i.parse().unwrap_or_else(|_| panic!("bad int {i}"));
                return Value::Int(v as i64, kind);
            }
            if let Some(J::Array(b)) = o.get("b") {
                let bytes: Vec<u8> = b.iter().map(|x| x.as_u64().unwrap_or(0) as u8).collect();
                return Value::Bytes(bytes.into());
            }
            if let Some(J::Object(m)) = o.get("m") {
                let map = Map::new();
                for (k, v) in m {
                    map.insert(k.as_str(), from_tagged(v));
                }
                return Value::Map(map);
            }
            panic!("bad tagged value {o:?}")
        }
        J::Number(n) => panic!("untagged number {n}"),
    }
}

/// A debug rendering that distinguishes types, for assertion messages and
/// structural comparison (floats compare by bits, -0 included).
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::Float(f) => format!("f({f:?})"),
        Value::Map(m) => {
            let parts: Vec<String> = m
                .entries()
                .iter()
                .map(|(k, v)| format!("{k:?}: {}", show(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::List(l) => {
            let parts: Vec<String> = l.iter().map(show).collect();
            format!("[{}]", parts.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// Run every case, collect failures, and fail once with all of them.
pub(crate) fn report(name: &str, total: usize, failures: Vec<String>) {
    #[expect(clippy::print_stderr, reason = "the pass count is the test's report")]
    {
        eprintln!("{name}: {} of {total} passed", total - failures.len());
    }
    if !failures.is_empty() {
        panic!(
            "{name}: {} of {total} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
