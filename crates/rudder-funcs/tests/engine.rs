//! Runs every oracle golden case (`tests/data/funcs_*.json`) through the
//! real template engine (`rudder-template`) with `helm()`'s functions, the
//! way Helm renders `c/templates/t.yaml` in the oracle's throwaway chart:
//! templates parsed into one set, executed with `missingkey=zero` and a
//! `RenderState` as host, `<no value>` removed from the output, and errors
//! reformatted as Helm's `reformatExecErrorMsg` does.

mod dot;

use std::path::Path;
use std::sync::Arc;

use rudder_funcs::{HelmFuncOptions, RenderState, helm};
use rudder_template::{Error, ExecOptions, MissingKey, Templates};
use rudder_value::{Map, MapKind, Value};

/// Helm's `parseTemplateExecErrorString`: (location, function, message).
fn traceable(s: &str) -> Option<(String, String, String)> {
    let rest = s.strip_prefix("template: ")?;
    if rest.starts_with("no template ") {
        return Some((String::new(), String::new(), s.to_owned()));
    }
    let cut = |m: &str| {
        m.find(" template:")
            .map_or(m.to_owned(), |i| m[..i].to_owned())
    };
    if let Some((name, after)) = rest.split_once(": executing ") {
        let after = after.strip_prefix('"')?;
        let q = after.find('"')?;
        let func = &after[..q];
        let after = after[q + 1..].strip_prefix(" at <")?;
        let (loc, msg) = after.split_once(">: ")?;
        return Some((
            name.to_owned(),
            format!("executing \"{func}\" at <{loc}>:"),
            cut(msg),
        ));
    }
    let sep = rest.rfind(": ")?;
    Some((rest[..sep].to_owned(), String::new(), cut(&rest[sep + 2..])))
}

/// Helm's `cleanupParseError`.
fn parse_error(file: &str, e: &Error) -> String {
    let text = e.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    match tokens.as_slice() {
        [_] => format!("parse error in ({file}): {text}"),
        [_, location, .., last] => format!("parse error at ({location}): {last}"),
        _ => text,
    }
}

/// Helm's `reformatExecErrorMsg`.
fn helm_error(e: &Error) -> String {
    let raw = e.to_string();
    if !matches!(e, Error::Exec(_)) {
        return raw;
    }
    let tokens: Vec<&str> = raw.splitn(3, ": ").collect();
    let [_, location, rest] = tokens.as_slice() else {
        return raw;
    };
    if let Some(i) = rest.find("HELM_ERR_START")
        && let Some(j) = rest.rfind("HELM_ERR_END")
        && j >= i + 14
    {
        return format!("execution error at ({location}): {}", &rest[i + 14..j]);
    }
    let mut blocks: Vec<(String, String, String)> = Vec::new();
    for link in e.go_chain() {
        let Some(t) = traceable(&link) else {
            return raw;
        };
        if blocks.last() != Some(&t) {
            blocks.push(t);
        }
    }
    let mut out = String::new();
    for (loc, func, msg) in blocks {
        if !loc.is_empty() {
            out.push_str(&format!("{loc}\n  "));
        }
        if !func.is_empty() {
            out.push_str(&format!("{func}\n    "));
        }
        if !msg.is_empty() {
            out.push_str(&format!("{msg}\n"));
        }
    }
    out.trim().to_owned()
}

fn render(funcs: &Arc<rudder_template::FuncMap>, c: &serde_json::Value) -> Result<String, String> {
    let tpl = c["template"].as_str().unwrap_or_default();
    let mut set = Templates::new(funcs.clone());
    let name = "c/templates/t.yaml";
    set.parse(name, tpl).map_err(|e| parse_error(name, &e))?;
    if let Some(h) = c["helpers"].as_str() {
        set.parse("c/templates/_helpers.tpl", h)
            .map_err(|e| e.to_string())?;
    }
    let root = dot::root(c.get("values"));
    if let Value::Map(m) = &root {
        m.insert(
            "Template",
            Value::Map(Map::from_entries(
                MapKind::Named("common.Values"),
                [
                    ("Name", Value::str(name)),
                    ("BasePath", Value::str("c/templates")),
                ],
            )),
        );
    }
    let opts = ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    };
    let mut state = RenderState::default();
    set.execute(name, root, &opts, &mut state)
        .map(|s| s.replace("<no value>", ""))
        .map_err(|e| helm_error(&e))
}

#[test]
fn oracle_cases_through_the_engine() {
    let funcs = Arc::new(helm(HelmFuncOptions::default()));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("funcs_") && n.ends_with(".json"))
    });
    files.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for f in &files {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f).unwrap_or_default())
                .unwrap_or_default();
        for c in doc["cases"].as_array().cloned().unwrap_or_default() {
            let got = render(&funcs, &c);
            let want = match c.get("output").and_then(|o| o.as_str()) {
                Some(o) => Ok(o.to_owned()),
                None => Err(c["error"].as_str().unwrap_or_default().to_owned()),
            };
            if got == want {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}\n   want: {want:?}\n    got: {got:?}",
                    c["template"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{passed} passed, {} failed\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed >= 900, "only {passed} cases ran");
}
