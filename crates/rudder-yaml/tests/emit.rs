//! The serialisers (`toYaml`, `toJson`, `toPrettyJson`, `toRawJson`,
//! `toYamlPretty`, `toToml`) against Helm's output for the same values.

use rudder_value::{Map, Value};
use serde_json::Value as J;

use crate::util::{from_tagged, read_json, report};

/// Helm's coalescing drops null entries from chart values before templates
/// see them.
fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            let out = Map::new();
            for (k, v) in m.entries() {
                if !v.is_nil() {
                    out.insert(k, drop_nulls(&v));
                }
            }
            Value::Map(out)
        }
        other => other.clone(),
    }
}

/// Every case of both fixture files: (name, value, expected outputs).
fn cases() -> Vec<(String, Value, J)> {
    let mut out = Vec::new();
    let vals = read_json("emit/values.json");
    for c in vals.as_array().expect("array") {
        let yaml = c["yaml"].as_str().unwrap_or("");
        let v = match rudder_yaml::load_values(yaml) {
            Ok(m) => drop_nulls(&Value::Map(m)),
            Err(e) => panic!("{}: load_values failed: {e}", c["name"]),
        };
        out.push((
            c["name"].as_str().unwrap_or("?").to_owned(),
            v,
            c["out"].clone(),
        ));
    }
    let typed = read_json("emit/typed.json");
    for c in typed.as_array().expect("array") {
        let name = format!(
            "{} {}",
            c["name"].as_str().unwrap_or("?"),
            c["expr"].as_str().unwrap_or("")
        );
        out.push((name, from_tagged(&c["value"]), c["out"].clone()));
    }
    out
}

/// Compare one function over all cases. `render` gives the template's
/// output, or `Err(message)` when Helm would fail the render.
fn check(func: &str, render: impl Fn(&Value) -> Result<String, String>) {
    let all = cases();
    let mut failures = Vec::new();
    for (name, v, outs) in &all {
        let want = &outs[func];
        match (want, render(v)) {
            (J::String(w), Ok(g)) if *w == g => {}
            (J::Object(o), Err(g)) => {
                let w = o.get("error").and_then(J::as_str).unwrap_or("");
                if !w.ends_with(&g) {
                    failures.push(format!("{name}\n  want error {w}\n  got  error {g}"));
                }
            }
            (w, g) => failures.push(format!("{name}\n  want {w}\n  got  {g:?}")),
        }
    }
    report(func, all.len(), failures);
}

#[test]
fn to_yaml_matches_helm() {
    check("toYaml", |v| {
        Ok(rudder_yaml::to_yaml(v)
            .map(|s| s.strip_suffix('\n').map(str::to_owned).unwrap_or(s))
            .unwrap_or_default())
    });
}

#[test]
fn to_json_matches_helm() {
    check(
        "toJson",
        |v| Ok(rudder_yaml::to_json(v).unwrap_or_default()),
    );
}

#[test]
fn to_pretty_json_matches_helm() {
    check("toPrettyJson", |v| {
        Ok(rudder_yaml::to_json_pretty(v).unwrap_or_default())
    });
}

#[test]
fn to_raw_json_matches_helm() {
    check("toRawJson", |v| {
        rudder_yaml::to_json_raw(v).map_err(|e| format!("error calling toRawJson: {e}"))
    });
}

#[test]
fn to_yaml_pretty_matches_helm() {
    check("toYamlPretty", |v| {
        Ok(rudder_yaml::to_yaml_pretty(v)
            .map(|s| s.strip_suffix('\n').map(str::to_owned).unwrap_or(s))
            .unwrap_or_default())
    });
}

#[test]
fn to_toml_matches_helm() {
    check("toToml", |v| match rudder_yaml::to_toml(v) {
        Ok(s) => Ok(s),
        Err(rudder_yaml::TomlError::Panic(e)) => Err(format!("error calling toToml: {e}")),
        Err(e) => Ok(e.to_string()),
    });
}
