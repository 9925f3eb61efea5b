//! `from_yaml` and `load_values` against Helm's own results.

use crate::util::{from_tagged, read_json, report, show};
use serde_json::Value as J;

#[test]
fn parse_cases_match_helm() {
    let cases = read_json("parse/cases.json");
    let cases = cases.as_array().expect("array");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let yaml = case["yaml"].as_str().unwrap_or("");
        // Helm's ReadValues: unmarshal into common.Values.
        let got = rudder_yaml::from_yaml_map(yaml, "common.Values");
        match (case.get("value"), case.get("error"), got) {
            (Some(want), _, Ok(m)) => {
                let want = show(&from_tagged(want));
                let got = show(&rudder_value::Value::Map(m));
                if want != got {
                    failures.push(format!("{name} {yaml:?}\n  want {want}\n  got  {got}"));
                }
            }
            (_, Some(J::String(want)), Err(e)) => {
                if *want != e.to_string() {
                    failures.push(format!(
                        "{name} {yaml:?}\n  want error {want}\n  got  error {e}"
                    ));
                }
            }
            (_, Some(want), Ok(m)) => failures.push(format!(
                "{name} {yaml:?}\n  want error {want}\n  got  {}",
                show(&rudder_value::Value::Map(m))
            )),
            (Some(want), _, Err(e)) => failures.push(format!(
                "{name} {yaml:?}\n  want {}\n  got  error {e}",
                show(&from_tagged(want))
            )),
            _ => failures.push(format!("{name}: bad fixture")),
        }
    }
    report("parse", cases.len(), failures);
}

#[test]
fn load_values_match_helm() {
    let cases = read_json("parse/load_values.json");
    let cases = cases.as_array().expect("array");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let yaml = case["yaml"].as_str().unwrap_or("");
        let got = rudder_yaml::load_values(yaml);
        match (case.get("json"), case.get("error"), got) {
            (Some(J::String(want)), _, Ok(m)) => {
                let want_v = numbers_as_f64(&serde_json::from_str(want).expect("json"));
                let got_v =
                    numbers_as_f64(&drop_nulls(&to_plain_json(&rudder_value::Value::Map(m))));
                if want_v != got_v {
                    failures.push(format!(
                        "{name} {yaml:.60?}\n  want {want_v}\n  got  {got_v}"
                    ));
                }
            }
            (_, Some(J::String(want)), Err(e)) => {
                let want = want
                    .strip_prefix("cannot load values.yaml: ")
                    .unwrap_or(want);
                if want != e.to_string() {
                    failures.push(format!(
                        "{name} {yaml:.60?}\n  want error {want}\n  got  error {e}"
                    ));
                }
            }
            (want, want_err, got) => failures.push(format!(
                "{name} {yaml:.60?}\n  want {want:?} {want_err:?}\n  got  {got:?}"
            )),
        }
    }
    report("load_values", cases.len(), failures);
}

/// A value as serde_json sees it, for comparing with Helm's `toJson`.
fn to_plain_json(v: &rudder_value::Value) -> J {
    use rudder_value::Value;
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.to_string()),
        Value::List(l) => J::Array(l.iter().map(to_plain_json).collect()),
        Value::Map(m) => J::Object(
            m.entries()
                .iter()
                .map(|(k, v)| (k.to_string(), to_plain_json(v)))
                .collect(),
        ),
        other => J::String(format!("{other:?}")),
    }
}

/// The oracle renders `.Values` after Helm's coalescing, which deletes keys
/// whose value is null; LoadValues itself keeps them.
fn drop_nulls(j: &J) -> J {
    match j {
        J::Object(o) => J::Object(
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Compare numbers as float64, as Go holds them.
fn numbers_as_f64(j: &J) -> J {
    match j {
        J::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(J::Null, J::Number),
        J::Array(a) => J::Array(a.iter().map(numbers_as_f64).collect()),
        J::Object(o) => J::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), numbers_as_f64(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}
