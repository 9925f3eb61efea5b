//! Helm's `fromJson`, `fromJsonArray`, `fromYaml` and `fromYamlArray`
//! (piped to `toJson`) against real Helm.

use rudder_value::{Map, Value};

use crate::util::{read_json, report};

fn error_map(msg: String) -> Value {
    let m = Map::new();
    m.insert("Error", Value::string(msg));
    Value::Map(m)
}

fn render(func: &str, text: &str) -> String {
    let v = match func {
        "fromJson" => {
            let (m, err) = rudder_yaml::from_json_map_partial(text, "map[string]interface {}");
            if let Some(e) = err {
                m.insert("Error", Value::string(e.to_string()));
            }
            Value::Map(m)
        }
        "fromJsonArray" => rudder_yaml::from_json_array(text)
            .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())])),
        "fromYaml" => rudder_yaml::from_yaml_map(text, "map[string]interface {}")
            .map(Value::Map)
            .unwrap_or_else(|e| error_map(e.to_string())),
        "fromYamlArray" => rudder_yaml::from_yaml_array(text)
            .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())])),
        other => panic!("unknown function {other}"),
    };
    rudder_yaml::to_json(&v).unwrap_or_default()
}

#[test]
fn decoders_match_helm() {
    let cases = read_json("decode/cases.json");
    let cases = cases.as_array().expect("array");
    let mut failures = Vec::new();
    for c in cases {
        let func = c["fn"].as_str().unwrap_or("");
        let text = c["text"].as_str().unwrap_or("");
        let Some(want) = c["output"].as_str() else {
            failures.push(format!("{func} {text:?}: Helm failed: {}", c["error"]));
            continue;
        };
        let got = render(func, text);
        // A Go nil map or slice marshals as `null`; rudder's Value has no
        // nil map, so an empty one stands in for it (documented gap).
        let nil_stand_in = want == "null" && (got == "{}" || got == "[]");
        if want != got && !nil_stand_in {
            failures.push(format!("{func} {text:?}\n  want {want}\n  got  {got}"));
        }
    }
    report("decode", cases.len(), failures);
}
