//! `helm lint` parity: every case of tests/data/lint/expected.json (crafted
//! charts, most broken on purpose), the `helm create` scaffold, and, when
//! `../shared/corpus` exists, every corpus chart. Expected findings come
//! from Helm 4.2.3 through scripts/oracle/gen_authoring_lint.py.

use std::path::{Path, PathBuf};

use rudder_authoring::lint::{LintOptions, lint};
use rudder_value::{Map, Value};
use serde_json::Value as Json;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lint")
}

fn load(name: &str) -> serde_json::Map<String, Json> {
    let text = std::fs::read_to_string(data().join(name)).unwrap_or_default();
    match serde_json::from_str(&text) {
        Ok(Json::Object(m)) => m,
        _ => panic!("{name} is not a JSON object"),
    }
}

fn options(o: &Json, base: &Path) -> (Map, LintOptions) {
    let values = match (o.get("values"), o.get("values_file").and_then(Json::as_str)) {
        (Some(v), _) => match rudder_yaml::from_json(&v.to_string()) {
            Ok(Value::Map(m)) => m,
            _ => panic!("bad values in fixture"),
        },
        // A file passed as with -f, relative to the corpus directory.
        (None, Some(file)) => rudder_values::ValueOptions {
            value_files: vec![base.join(file).to_string_lossy().into_owned()],
            ..rudder_values::ValueOptions::default()
        }
        .merge_values(&|p| std::fs::read(p).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("{file}: {e}")),
        (None, None) => Map::new(),
    };
    let kube_version = o
        .get("kube_version")
        .and_then(Json::as_str)
        .map(|k| rudder_render::KubeVersion::parse(k).unwrap_or_default());
    let opts = LintOptions {
        strict: o.get("strict").and_then(Json::as_bool).unwrap_or(false),
        namespace: "default".to_owned(),
        kube_version,
        skip_schema_validation: o
            .get("skip_schema_validation")
            .and_then(Json::as_bool)
            .unwrap_or(false),
    };
    (values, opts)
}

/// Lints `path` and returns the differences from `want` (empty when equal).
fn check(name: &str, path: &Path, want: &Json, base: &Path) -> Vec<String> {
    let (values, opts) = options(&want["options"], base);
    let result = lint(&path.to_string_lossy(), &values, &opts);
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let got: Vec<String> = result
        .messages
        .iter()
        .map(|m| {
            let mut m = m.clone();
            if m.path == abs.to_string_lossy() {
                m.path = "<DIR>".to_owned();
            }
            m.to_string()
        })
        .collect();
    let want_msgs: Vec<String> = want["messages"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut diffs = Vec::new();
    if got != want_msgs {
        diffs.push(format!(
            "{name}: messages differ\n  want: {want_msgs:#?}\n  got:  {got:#?}"
        ));
    }
    let failed = !result.errors.is_empty();
    if Some(failed) != want["failed"].as_bool() {
        diffs.push(format!(
            "{name}: failed = {failed}, want {}",
            want["failed"]
        ));
    }
    diffs
}

#[test]
fn crafted_charts_match_helm() {
    let expected = load("expected.json");
    let mut diffs = Vec::new();
    let mut n = 0;
    for (name, want) in &expected {
        if name.starts_with('_') {
            continue;
        }
        n += 1;
        diffs.extend(check(name, &data().join("cases").join(name), want, &data()));
    }
    assert!(n >= 30, "only {n} cases");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn scaffold_matches_helm() {
    let expected = load("scaffold.json");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let arg = dir.path().join("mychart");
    rudder_authoring::create::create(&arg.to_string_lossy())
        .unwrap_or_else(|e| panic!("create: {e}"));
    let diffs = check("mychart", &arg, &expected["mychart"], &data());
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn corpus_charts_match_helm() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/charts");
    if !corpus.is_dir() {
        return;
    }
    let expected = load("corpus.json");
    let mut diffs = Vec::new();
    let mut n = 0;
    for (name, want) in &expected {
        if name.starts_with('_') {
            continue;
        }
        n += 1;
        let chart = name.split('/').next().unwrap_or(name);
        let base = corpus.parent().unwrap_or(&corpus);
        diffs.extend(check(name, &corpus.join(chart), want, base));
    }
    assert!(n >= 140, "only {n} corpus cases");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
