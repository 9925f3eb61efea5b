//! Property tests: the parsers never panic on arbitrary input, and values
//! survive `to_yaml` → `from_yaml` and `to_json` → `from_json` in their
//! JSON-normalised form (every number a float64).

use proptest::prelude::*;
use rudder_value::{IntKind, List, Map, Value};

use crate::util::show;

/// YAML-ish text: fragments that exercise indicators, indentation, quotes,
/// anchors, block scalars and flow collections.
fn yamlish() -> impl Strategy<Value = String> {
    let frag = prop_oneof![
        Just("a: ".to_owned()),
        Just("- ".to_owned()),
        Just("\n".to_owned()),
        Just("  ".to_owned()),
        Just("\t".to_owned()),
        Just("? ".to_owned()),
        Just(": ".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(", ".to_owned()),
        Just("&x ".to_owned()),
        Just("*x".to_owned()),
        Just("<<: ".to_owned()),
        Just("|".to_owned()),
        Just(">-".to_owned()),
        Just("'q'".to_owned()),
        Just("\"d\\n\"".to_owned()),
        Just("!!str ".to_owned()),
        Just("# c".to_owned()),
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("%YAML 1.1".to_owned()),
        "[a-z0-9.~-]{1,5}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(frag, 0..40).prop_map(|v| v.concat())
}

/// Values as templates build them, already JSON-normalised where it
/// matters for comparison after a round trip.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Nil),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|i| Value::Int(i64::from(i), IntKind::Int64)),
        (-1e15f64..1e15).prop_map(Value::Float),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::Float),
        "\\PC{0,30}".prop_map(Value::string),
        prop::sample::select(vec![
            "yes",
            "on",
            "~",
            "",
            "1e3",
            "0x1F",
            "2024-01-02",
            "a: b",
            "- x",
            " lead",
            "trail ",
            "a\nb",
            "a\n",
            "\n",
            "x \ny",
            "#c",
            "'",
            "\"",
            "\t",
            "1:20",
            "<<",
            "null",
        ])
        .prop_map(Value::str),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| Value::List(List::new(v))),
            prop::collection::btree_map("\\PC{0,12}", inner, 0..6).prop_map(|m| {
                let map = Map::new();
                for (k, v) in m {
                    map.insert(k, v);
                }
                Value::Map(map)
            }),
        ]
    })
}

/// What a value looks like after a JSON round trip in Go: numbers become
/// float64.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Int(i, _) => Value::Float(*i as f64),
        Value::Float(f) if *f == 0.0 => Value::Float(0.0),
        Value::List(l) => Value::List(List::new(l.iter().map(normalise).collect())),
        Value::Map(m) => {
            let out = Map::new();
            for (k, v) in m.entries() {
                out.insert(k, normalise(&v));
            }
            Value::Map(out)
        }
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(text in yamlish()) {
        let _ = rudder_yaml::from_yaml(&text);
        let _ = rudder_yaml::load_values(&text);
        let _ = rudder_yaml::from_json(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = rudder_yaml::from_yaml(&text);
        let _ = rudder_yaml::from_json(&text);
    }

    #[test]
    fn yaml_round_trip(v in value()) {
        let text = rudder_yaml::to_yaml(&v).expect("finite values marshal");
        let back = rudder_yaml::from_yaml(&text).expect("our YAML parses");
        // -0 prints as 0 in YAML, so compare with -0 folded to 0.
        prop_assert_eq!(show(&normalise(&back)), show(&normalise(&v)), "yaml: {}", text);
    }

    #[test]
    fn json_round_trip(v in value()) {
        let text = rudder_yaml::to_json(&v).expect("finite values marshal");
        let back = rudder_yaml::from_json(&text).expect("our JSON parses");
        prop_assert_eq!(show(&normalise(&back)), show(&normalise(&v)), "json: {}", text);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "[".repeat(5000) + &"]".repeat(5000);
    assert!(rudder_yaml::from_yaml(&deep).is_err());
    assert!(rudder_yaml::from_json(&deep).is_err());
    let mut v = Value::Nil;
    for _ in 0..2000 {
        v = Value::list(vec![v]);
    }
    assert!(rudder_yaml::to_yaml(&v).is_err());
    assert!(rudder_yaml::to_json(&v).is_err());
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = rudder_yaml::from_yaml(&text).expect_err("must refuse");
    assert!(err.to_string().contains("excessive aliasing"), "{err}");
}

#[test]
fn cyclic_maps_fail_to_marshal() {
    let m = Map::new();
    m.insert("self", Value::Map(m.clone()));
    let v = Value::Map(m.clone());
    let err = rudder_yaml::to_json(&v).expect_err("cycle");
    assert!(err.to_string().contains("encountered a cycle"), "{err}");
    assert!(rudder_yaml::to_yaml(&v).is_err());
    // Break the cycle so the Rc graph is freed.
    m.remove("self");
}
