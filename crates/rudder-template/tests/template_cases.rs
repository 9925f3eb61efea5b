//! Conformance runner: every case in `tests/data/cases/*.json` was rendered
//! by real Helm 4.2.3 (see `scripts/oracle/gen_template_cases.py`); this
//! renders the same template with rudder-template and compares output or
//! error text.
//!
//! The oracle renders through Helm, so the runner rebuilds Helm's data: the
//! dot is Helm's context map with `.Values` (a `common.Values` built from the
//! case's JSON, with `null` map entries dropped as Helm's value coalescing
//! does), `.Release` and `.Template`; the template is `c/templates/t.yaml`,
//! parsed with the case's other files (`_helpers.tpl`, `files`) in Helm's
//! order (deepest first, then reverse byte order), and executed with
//! `missingkey=zero`. Two steps are Helm's
//! post-processing, not the engine's: every `<no value>` in the output is
//! replaced by the empty string, and parse errors are compared after Helm's
//! `cleanupParseError` rewrite (which keeps only the last `: ` segment).
//!
//! Usage: `cargo test -p rudder-template --test template_cases [FILTER]`.

#![allow(
    clippy::print_stdout,
    reason = "a harness=false test runner reports on stdout"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rudder_template::{Error, ExecOptions, FuncMap, MissingKey, Templates};
use rudder_value::{List, Map, MapKind, Value};
use serde_json::Value as Json;

const FILE: &str = "c/templates/t.yaml";
const HELPERS: &str = "c/templates/_helpers.tpl";

/// A JSON document as Helm's values: numbers are float64, maps are
/// `map[string]interface{}`; `null` entries of maps reached through maps
/// are dropped (Helm's coalescing), those inside lists are kept.
fn from_json(v: &Json, drop_nulls: bool) -> Value {
    match v {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        Json::String(s) => Value::str(s),
        Json::Array(items) => Value::List(List::new(
            items.iter().map(|x| from_json(x, false)).collect(),
        )),
        Json::Object(obj) => {
            let m = Map::new();
            for (k, x) in obj {
                if drop_nulls && x.is_null() {
                    continue;
                }
                m.insert(k.as_str(), from_json(x, drop_nulls));
            }
            Value::Map(m)
        }
    }
}

fn dot(values: &Json) -> Value {
    let vals = match from_json(values, true) {
        Value::Map(m) => m.with_kind_of(MapKind::Named("common.Values")),
        _ => Map::with_kind(MapKind::Named("common.Values")),
    };
    let release = Map::from_entries(
        MapKind::Any,
        [
            ("Name", Value::str("rel")),
            ("Namespace", Value::str("ns")),
            ("Revision", Value::int(1)),
            ("IsInstall", Value::Bool(true)),
            ("IsUpgrade", Value::Bool(false)),
            ("Service", Value::str("Helm")),
        ],
    );
    let template = Map::from_entries(
        MapKind::Named("common.Values"),
        [
            ("Name", Value::str(FILE)),
            ("BasePath", Value::str("c/templates")),
        ],
    );
    let top = Map::from_entries(
        MapKind::Named("common.Values"),
        [
            ("Values", Value::Map(vals)),
            ("Release", Value::Map(release)),
            ("Template", Value::Map(template)),
            ("Subcharts", Value::Map(Map::new())),
        ],
    );
    Value::Map(top)
}

/// Helm's `cleanupParseError`.
fn helm_parse_error(file: &str, msg: &str) -> String {
    let tokens: Vec<&str> = msg.split(": ").collect();
    match (tokens.get(1), tokens.last()) {
        (Some(loc), Some(last)) if tokens.len() > 1 => {
            format!("parse error at ({loc}): {last}")
        }
        _ => format!("parse error in ({file}): {msg}"),
    }
}

enum Outcome {
    Output(String),
    Error(String),
}

/// The case's template files by Helm template name, in Helm's parse order:
/// deepest paths first, then reverse byte order.
fn template_files(case: &Json) -> Vec<(String, String)> {
    let mut files = vec![(
        FILE.to_owned(),
        case["template"].as_str().unwrap_or("").to_owned(),
    )];
    if let Some(h) = case["helpers"].as_str() {
        files.push((HELPERS.to_owned(), h.to_owned()));
    }
    if let Some(extra) = case["files"].as_object() {
        for (path, text) in extra {
            if path.starts_with("templates/") {
                files.push((format!("c/{path}"), text.as_str().unwrap_or("").to_owned()));
            }
        }
    }
    files.sort_by(|a, b| {
        let depth = |s: &str| s.matches('/').count();
        depth(&b.0).cmp(&depth(&a.0)).then_with(|| b.0.cmp(&a.0))
    });
    files
}

fn render(case: &Json) -> Outcome {
    let mut set = Templates::new(Arc::new(FuncMap::new()));
    for (name, text) in template_files(case) {
        if let Err(e) = set.parse(&name, &text) {
            return Outcome::Error(helm_parse_error(&name, &e.to_string()));
        }
    }
    let opts = ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    };
    match set.execute(FILE, dot(&case["values"]), &opts, &mut ()) {
        // Helm's post-processing of every rendered file.
        Ok(out) => Outcome::Output(out.replace("<no value>", "")),
        Err(e @ Error::Parse(_)) => Outcome::Error(helm_parse_error(FILE, &e.to_string())),
        Err(e) => Outcome::Error(e.to_string()),
    }
}

fn check(case: &Json) -> Result<(), String> {
    let got = render(case);
    if let Some(want) = case.get("output").and_then(Json::as_str) {
        return match got {
            Outcome::Output(o) if o == want => Ok(()),
            Outcome::Output(o) => Err(format!("output {o:?}\n      want {want:?}")),
            Outcome::Error(e) => Err(format!("error {e:?}\n     want output {want:?}")),
        };
    }
    let want_go = case["error"]["go"].as_str().unwrap_or("");
    let want_helm = case["error"]["helm"].as_str().unwrap_or("");
    match got {
        Outcome::Output(o) => Err(format!("output {o:?}\n     want error {want_go:?}")),
        Outcome::Error(e) => {
            let want = if e.starts_with("parse error") {
                want_helm
            } else {
                want_go
            };
            if e == want {
                Ok(())
            } else {
                Err(format!("error {e:?}\n     want {want:?}"))
            }
        }
    }
}

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cases");
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in case_files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let doc: Json = serde_json::from_str(&text).unwrap_or(Json::Null);
        let group = doc["group"].as_str().unwrap_or("?").to_owned();
        for case in doc["cases"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let name = format!("{group}/{}", case["name"].as_str().unwrap_or("?"));
            if filter.as_deref().is_some_and(|f| !name.contains(f)) {
                continue;
            }
            match check(case) {
                Ok(()) => passed += 1,
                Err(msg) => {
                    failed += 1;
                    println!("FAILED {name}\n  template {:?}\n  {msg}", case["template"]);
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
