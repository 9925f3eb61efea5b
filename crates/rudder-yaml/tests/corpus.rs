//! Real charts' values files (from the shared corpus) through `load_values`
//! → `to_yaml` / `to_json`, against Helm's `toYaml .Values` / `toJson .Values`.

use rudder_value::{Map, Value};

use crate::util::{data, read_json, report};

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

fn fnv1a64(b: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The first differing line, for a readable failure.
fn first_diff(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n    want {w:?}\n    got  {g:?}", i + 1);
        }
    }
    format!(
        "lengths differ: want {} lines, got {}",
        want.lines().count(),
        got.lines().count()
    )
}

#[test]
fn corpus_values_round_trip_like_helm() {
    let cases = read_json("corpus/cases.json");
    let cases = cases.as_array().expect("array");
    let mut failures = Vec::new();
    for c in cases {
        let file = c["file"].as_str().unwrap_or("");
        let text = std::fs::read_to_string(data(&format!("corpus/files/{file}")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let v = match rudder_yaml::load_values(&text) {
            Ok(m) => drop_nulls(&Value::Map(m)),
            Err(e) => {
                if c.get("error").is_none() {
                    failures.push(format!("{file}: load_values failed: {e}"));
                }
                continue;
            }
        };
        if let Some(want) = c.get("toYaml").and_then(|j| j.as_str()) {
            let got = rudder_yaml::to_yaml(&v).unwrap_or_default();
            let got = got.strip_suffix('\n').unwrap_or(&got);
            if want != got {
                failures.push(format!("{file} toYaml {}", first_diff(want, got)));
            }
        }
        if let Some(want) = c.get("toJson_fnv").and_then(|j| j.as_str()) {
            let got = rudder_yaml::to_json(&v).unwrap_or_default();
            if want != fnv1a64(got.as_bytes()) {
                failures.push(format!(
                    "{file} toJson differs (len want {}, got {})",
                    c["toJson_len"],
                    got.len()
                ));
            }
        }
    }
    report("corpus", cases.len(), failures);
}
