//! Shared harness of the date, crypto, random and network integration
//! tests: renders oracle golden cases (`tests/data/{date_*,crypto,random,
//! network}.json`, from `scripts/oracle/gen_funcs_time_crypto.py`) through
//! the real template engine with Helm's function map, the way Helm renders
//! `c/templates/t.yaml` of the oracle's throwaway chart, and runs tests
//! that need a particular `TZ` in a child process (Go, and we, read `TZ`
//! once per process).

#![allow(dead_code, reason = "each test binary uses a different part")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use rudder_funcs::{HelmFuncOptions, RenderState, helm};
use rudder_template::{ExecOptions, FuncMap, MissingKey, Templates};
use rudder_value::{Map, MapKind, Value};

/// The fixture directory.
pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// The copies of the TZif files the oracle used.
pub(crate) fn zoneinfo_dir() -> PathBuf {
    data_dir().join("date_zoneinfo")
}

/// Helm's function map as `helm template` has it (no DNS, no cluster).
pub(crate) fn funcs() -> Arc<FuncMap> {
    Arc::new(helm(HelmFuncOptions::default()))
}

/// A JSON value typed the way Helm's values loader types YAML: numbers
/// are float64, and null map entries are dropped (as coalescing drops them).
fn from_json(j: &serde_json::Value) -> Option<Value> {
    Some(match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(
            a.iter()
                .map(|v| from_json(v).unwrap_or(Value::Nil))
                .collect(),
        ),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                if !v.is_null() {
                    m.insert(k.as_str(), from_json(v)?);
                }
            }
            Value::Map(m)
        }
    })
}

/// The dot of the oracle's template: `.Values` (a `common.Values`) and
/// `.Release`.
fn root(values: Option<&serde_json::Value>) -> Value {
    let vals = match values.and_then(from_json) {
        Some(Value::Map(m)) => m.with_kind_of(MapKind::Named("common.Values")),
        _ => Map::with_kind(MapKind::Named("common.Values")),
    };
    let release = Map::from_entries(
        MapKind::Any,
        [("Name", Value::str("rel")), ("Namespace", Value::str("ns"))],
    );
    Value::Map(Map::from_entries(
        MapKind::Any,
        [
            ("Values", Value::Map(vals)),
            ("Release", Value::Map(release)),
        ],
    ))
}

/// Render `template` as `c/templates/t.yaml`; an error is Go's text.
pub(crate) fn render_with(
    funcs: &Arc<FuncMap>,
    template: &str,
    values: Option<&serde_json::Value>,
) -> Result<String, String> {
    let name = "c/templates/t.yaml";
    let mut set = Templates::new(funcs.clone());
    set.parse(name, template).map_err(|e| e.to_string())?;
    let opts = ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    };
    let mut state = RenderState::new();
    set.execute(name, root(values), &opts, &mut state)
        .map(|s| s.replace("<no value>", ""))
        .map_err(|e| e.to_string())
}

/// Render with Helm's function map.
pub(crate) fn render(template: &str) -> Result<String, String> {
    render_with(&funcs(), template, None)
}

/// Render, failing the test on an error.
pub(crate) fn ok(template: &str) -> String {
    match render(template) {
        Ok(s) => s,
        Err(e) => panic!("{template}: {e}"),
    }
}

/// Run every case of a golden file; panic listing the mismatches.
/// Returns the number of cases.
pub(crate) fn run_golden(file: &str) -> usize {
    let path = data_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        doc["oracle"]
            .as_str()
            .is_some_and(|o| o.contains("Helm v4.2.3")),
        "{file}: not an oracle fixture"
    );
    let cases = doc["cases"].as_array().cloned().unwrap_or_default();
    let funcs = funcs();
    let mut failures = Vec::new();
    for c in &cases {
        let tpl = c["template"].as_str().unwrap_or_default();
        let got = render_with(&funcs, tpl, c.get("values"));
        let want = match c.get("output").and_then(|o| o.as_str()) {
            Some(o) => Ok(o.to_owned()),
            None => Err(c["go_error"]
                .as_str()
                .or(c["error"].as_str())
                .unwrap_or_default()
                .to_owned()),
        };
        if got != want {
            failures.push(format!("{tpl}\n   want: {want:?}\n    got: {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{file}: {} of {} cases failed\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(!cases.is_empty(), "{file}: no cases");
    cases.len()
}

const CHILD_VAR: &str = "RUDDER_FUNCS_TZ_CHILD";

/// Run the test `name` with `TZ` set to `tz` (a zone name or an absolute
/// TZif path) and `ZONEINFO` pointing at the fixture zones: when this
/// process is that child, run `body`; otherwise re-run this test binary
/// for just this test in such an environment and check that it passed.
pub(crate) fn in_zone(name: &str, tz: &str, body: impl FnOnce()) {
    if std::env::var(CHILD_VAR).as_deref() == Ok(name) {
        body();
        return;
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, name)
        .env("TZ", tz)
        .env("ZONEINFO", zoneinfo_dir())
        .output()
        .unwrap_or_else(|e| panic!("spawning the {name} child: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} under TZ={tz} failed:\n{stdout}\n{stderr}"
    );
}
