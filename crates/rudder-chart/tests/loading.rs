//! Loading crafted charts, archives (safe and malicious) and corpus charts,
//! compared with what `helm.Chart.load` / `load_archive` returned: the
//! metadata as Helm's JSON, file and template names in order with CRC-32s
//! of their contents, CRDs, loaded subcharts, default values, or the error.

use std::path::{Path, PathBuf};

use rudder_chart::{Chart, Dependency, Metadata};
use rudder_value::Value;
use serde_json::{Map as JMap, Value as J, json};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn read_json(path: &Path) -> J {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn crc(bytes: &[u8]) -> u64 {
    let mut c = flate2::Crc::new();
    c.update(bytes);
    u64::from(c.sum())
}

/// Helm's `Dependency` as `encoding/json` writes it (its json tags).
fn dep_json(d: &Dependency) -> J {
    let mut m = JMap::new();
    m.insert("name".into(), json!(d.name));
    if !d.version.is_empty() {
        m.insert("version".into(), json!(d.version));
    }
    m.insert("repository".into(), json!(d.repository));
    if !d.condition.is_empty() {
        m.insert("condition".into(), json!(d.condition));
    }
    if !d.tags.is_empty() {
        m.insert("tags".into(), json!(d.tags));
    }
    if d.enabled {
        m.insert("enabled".into(), json!(true));
    }
    if !d.alias.is_empty() {
        m.insert("alias".into(), json!(d.alias));
    }
    J::Object(m)
}

/// Helm's `Metadata` as `encoding/json` writes it (json tags, omitempty).
fn metadata_json(md: &Metadata) -> J {
    let mut m = JMap::new();
    let mut s = |k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k.into(), json!(v));
        }
    };
    s("name", &md.name);
    s("home", &md.home);
    s("version", &md.version);
    s("description", &md.description);
    s("icon", &md.icon);
    s("apiVersion", &md.api_version);
    s("condition", &md.condition);
    s("tags", &md.tags);
    s("appVersion", &md.app_version);
    s("kubeVersion", &md.kube_version);
    s("type", &md.chart_type);
    if !md.sources.is_empty() {
        m.insert("sources".into(), json!(md.sources));
    }
    if !md.keywords.is_empty() {
        m.insert("keywords".into(), json!(md.keywords));
    }
    if !md.maintainers.is_empty() {
        let list: Vec<J> = md
            .maintainers
            .iter()
            .map(|x| {
                let mut o = JMap::new();
                for (k, v) in [("name", &x.name), ("email", &x.email), ("url", &x.url)] {
                    if !v.is_empty() {
                        o.insert(k.into(), json!(v));
                    }
                }
                J::Object(o)
            })
            .collect();
        m.insert("maintainers".into(), J::Array(list));
    }
    if md.deprecated {
        m.insert("deprecated".into(), json!(true));
    }
    if let Some(a) = &md.annotations
        && !a.is_empty()
    {
        m.insert("annotations".into(), json!(a));
    }
    if let Some(d) = &md.dependencies
        && !d.is_empty()
    {
        m.insert(
            "dependencies".into(),
            J::Array(d.iter().map(dep_json).collect()),
        );
    }
    J::Object(m)
}

fn value_json(v: &Value) -> J {
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i, _) => json!(i),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(&**s),
        Value::List(l) => J::Array(l.iter().map(value_json).collect()),
        Value::Map(m) => J::Object(
            m.entries()
                .iter()
                .map(|(k, v)| (k.to_string(), value_json(v)))
                .collect(),
        ),
        _ => J::Null,
    }
}

/// Numbers compare by value (Go writes 1 for float64(1)).
fn same(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn summary(c: &Chart) -> J {
    let files = |fs: &[rudder_chart::ChartFile]| -> J {
        J::Array(fs.iter().map(|f| json!([f.name, crc(&f.data)])).collect())
    };
    let mut deps: Vec<String> = c.dependencies.iter().map(|d| d.name().to_owned()).collect();
    deps.sort();
    json!({
        "metadata": metadata_json(&c.metadata),
        "files": files(&c.files),
        "templates": files(&c.templates),
        "crds": c.crd_objects().iter().map(|x| json!([x.name, x.filename])).collect::<Vec<_>>(),
        "dependencies": deps,
        "values": value_json(&Value::Map(c.values.clone())),
        "has_schema": c.schema.is_some(),
    })
}

/// The differing top-level fields of a summary.
fn compare(name: &str, got: Result<Chart, rudder_chart::LoadError>, want: &J) -> Vec<String> {
    match (got, want.get("error")) {
        (Err(e), Some(w)) if Some(e.to_string().as_str()) == w.as_str() => vec![],
        (Err(e), Some(w)) => vec![format!("{name}: error {:?}, want {w}", e.to_string())],
        (Err(e), None) => vec![format!("{name}: unexpected error {e}")],
        (Ok(_), Some(w)) => vec![format!("{name}: expected error {w}")],
        (Ok(c), None) => {
            let got = summary(&c);
            let mut out = Vec::new();
            for key in [
                "metadata",
                "files",
                "templates",
                "crds",
                "dependencies",
                "values",
                "has_schema",
            ] {
                // Go's Values is nil without a values.yaml; rudder's is an empty map.
                let nil_values = key == "values" && want[key].is_null() && got[key] == json!({});
                if !nil_values && !same(&got[key], &want[key]) {
                    out.push(format!(
                        "{name}: {key}\n   got  {}\n   want {}",
                        got[key], want[key]
                    ));
                }
            }
            out
        }
    }
}

#[test]
fn crafted_charts_archives_and_corpus_copies_match_helm() {
    let expected = read_json(&data("expected.json"));
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, want) in expected["crafted"].as_object().into_iter().flatten() {
        count += 1;
        let got = rudder_chart::load_dir(&data(&format!("crafted/{name}/chart")));
        failures.extend(compare(name, got, want));
    }
    for (name, want) in expected["archives"].as_object().into_iter().flatten() {
        count += 1;
        let bytes = std::fs::read(data(&format!("archives/{name}.tgz"))).unwrap_or_default();
        failures.extend(compare(
            name,
            rudder_chart::load_archive_bytes(&bytes),
            want,
        ));
    }
    for (name, want) in expected["corpus"].as_object().into_iter().flatten() {
        count += 1;
        let got = rudder_chart::load(&data(&format!("corpus/{name}")));
        failures.extend(compare(name, got, want));
    }
    assert!(count >= 40, "too few cases: {count}");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn archive_file_errors() {
    let yaml = data("crafted/values-multidoc/chart/values.yaml");
    let err = rudder_chart::load(&yaml).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "file '{}' seems to be a YAML file, but expected a gzipped archive",
            yaml.display()
        ))
    );
    let missing = data("does-not-exist");
    let err = rudder_chart::load(&missing).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "stat {}: no such file or directory",
            missing.display()
        ))
    );
    let ok = rudder_chart::load(&data("archives/ok.tgz"));
    assert!(ok.is_ok_and(|c| c.dependencies.len() == 1));
    // Helm's generic loader hides the reason for a rejected archive.
    let bad = rudder_chart::load(&data("archives/dotdot.tgz"))
        .err()
        .map(|e| e.to_string());
    assert_eq!(bad.as_deref(), Some("unable to load chart archive"));
}

#[test]
fn check_dependencies_names_missing_charts() {
    let chart = rudder_chart::load_dir(&data("crafted/v1-requirements/chart"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(rudder_chart::check_dependencies(&chart).is_ok());
    let mut stripped = chart.clone();
    stripped.dependencies.clear();
    assert_eq!(
        rudder_chart::check_dependencies(&stripped)
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some("found in Chart.yaml, but missing in charts/ directory: sub")
    );
}

/// Every chart of the shared corpus, compared with the oracle's summary in
/// `corpus_expected.json`. Needs `/work/shared/corpus` (run with
/// `cargo test -p rudder-chart -- --ignored`).
#[test]
#[ignore = "needs /work/shared/corpus"]
#[expect(
    clippy::print_stderr,
    reason = "the corpus run reports its counts and timing"
)]
fn shared_corpus_matches_helm() {
    let root = Path::new("/work/shared/corpus/charts");
    assert!(root.is_dir(), "/work/shared/corpus/charts is missing");
    let expected = read_json(&data("corpus_expected.json"));
    let mut failures = Vec::new();
    let mut slowest = (String::new(), std::time::Duration::ZERO);
    for (name, want) in expected.as_object().into_iter().flatten() {
        let start = std::time::Instant::now();
        let got = rudder_chart::load(&root.join(name));
        let took = start.elapsed();
        if took > slowest.1 {
            slowest = (name.clone(), took);
        }
        failures.extend(compare(name, got, want));
    }
    eprintln!("slowest load: {} in {:?}", slowest.0, slowest.1);
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
