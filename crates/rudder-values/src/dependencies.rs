//! Helm's `ProcessDependencies` (`pkg/chart/v2/util/dependencies.go`,
//! spec §2.4): rebuilding each chart's dependency list (aliases, version
//! ranges), enabling and disabling subcharts by tags and conditions, then
//! import-values bottom-up.
//!
//! Known deviation: Go's alias copies share their *grandchildren's*
//! metadata by pointer, so a chart aliased twice whose own subcharts have
//! dependencies is processed once per copy in rudder but cumulatively in
//! Helm. See the crate report.

use rudder_chart::semver::is_compatible_range;
use rudder_chart::{Chart, Dependency};
use rudder_value::{Map, MapKind, Value};

use crate::coalesce::{self, table};
use crate::error::ValuesError;

/// Helm's `Values.Table`: the table at a dotted path.
pub(crate) fn values_table(v: &Map, name: &str) -> Option<Map> {
    let mut t = v.clone();
    for part in name.split('.') {
        let next = t.get(part)?;
        t = table(&next)?.clone();
    }
    Some(t)
}

/// Helm's `Values.PathValue`: a non-table value at a dotted path. `Ok(None)`
/// is Go's `ErrNoValue`.
fn path_value(v: &Map, path: &str) -> Option<Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let (key, rest) = parts.split_last()?;
    let t = if rest.is_empty() {
        v.clone()
    } else {
        values_table(v, &rest.join("."))?
    };
    let value = t.get(key)?;
    if table(&value).is_some() {
        return None;
    }
    Some(value)
}

/// Helm's `ProcessDependencies` with the user's values: prunes disabled
/// subcharts, applies aliases, then imports values. `chart` is changed in
/// place (dependency lists, metadata, and `values` of charts that import).
/// Returns the warnings Helm logs.
pub fn process_dependencies(
    chart: &mut Chart,
    user_values: &Map,
) -> Result<Vec<String>, ValuesError> {
    let mut warnings = Vec::new();
    process_enabled(&mut warnings, chart, user_values, "")?;
    process_import_values_tree(&mut warnings, chart)?;
    Ok(warnings)
}

/// Helm's `getAliasDependency`: the first loaded chart with the
/// dependency's name whose version satisfies the range, as a copy renamed
/// to the alias.
fn alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    let c = charts
        .iter()
        .find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut out = c.clone();
    if !dep.alias.is_empty() {
        out.metadata.name = dep.alias.clone();
    }
    Some(out)
}

fn process_enabled(
    w: &mut Vec<String>,
    c: &mut Chart,
    v: &Map,
    path: &str,
) -> Result<(), ValuesError> {
    let Some(mut reqs) = c.metadata.dependencies.take() else {
        return Ok(());
    };
    let loaded = std::mem::take(&mut c.dependencies);
    let mut deps: Vec<Chart> = Vec::new();
    for existing in &loaded {
        let declared = reqs.iter().any(|r| {
            existing.name() == r.name && is_compatible_range(&r.version, &existing.metadata.version)
        });
        if !declared {
            deps.push(existing.clone());
        }
    }
    for req in &mut reqs {
        if let Some(cd) = alias_dependency(&loaded, req) {
            deps.push(cd);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    for req in &mut reqs {
        req.enabled = true;
    }
    c.dependencies = deps;
    c.metadata.dependencies = Some(reqs);
    let (cvals, cw) = coalesce::coalesce_values(c, v)?;
    w.extend(cw);
    let mut reqs = c.metadata.dependencies.take().unwrap_or_default();
    process_tags(w, &mut reqs, &cvals);
    process_conditions(w, &mut reqs, &cvals, path);
    let removed: Vec<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    let mut kept: Vec<Chart> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .filter(|d| !removed.iter().any(|n| n == d.name()))
        .collect();
    let kept_meta: Vec<Dependency> = reqs
        .into_iter()
        .filter(|r| !removed.contains(&r.name))
        .collect();
    let cvals_plain = cvals.with_kind_of(MapKind::Any);
    for t in &mut kept {
        let sub_path = format!("{path}{}.", t.name());
        process_enabled(w, t, &cvals_plain, &sub_path)?;
    }
    // Go appends to a nil slice: no survivors leaves the list nil.
    c.metadata.dependencies = if kept_meta.is_empty() {
        None
    } else {
        Some(kept_meta)
    };
    c.dependencies = kept;
    Ok(())
}

/// Helm's `processDependencyTags`.
fn process_tags(w: &mut Vec<String>, reqs: &mut [Dependency], cvals: &Map) {
    let Some(vt) = values_table(cvals, "tags") else {
        return;
    };
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            if let Some(b) = vt.get(k) {
                match b {
                    Value::Bool(true) => has_true = true,
                    Value::Bool(false) => has_false = true,
                    _ => w.push(format!("returned non-bool value tag={k} chart={}", r.name)),
                }
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

/// Helm's `processDependencyConditions`: the first condition path that
/// holds a bool decides.
fn process_conditions(w: &mut Vec<String>, reqs: &mut [Dependency], cvals: &Map, cpath: &str) {
    for r in reqs.iter_mut() {
        let cond = r.condition.trim_matches(char::is_whitespace).to_owned();
        for c in cond.split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(vv) = path_value(cvals, &format!("{cpath}{c}")) {
                if let Value::Bool(b) = vv {
                    r.enabled = b;
                    break;
                }
                w.push(format!("returned non-bool value path={c} chart={}", r.name));
            }
        }
    }
}

/// Helm's `pathToMap`: `data` nested under the dotted `path` (`.` is the
/// root itself).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        cur = Map::from_entries(MapKind::Any, [(part, Value::Map(cur))]);
    }
    cur
}

/// Helm's `Values.AsMap`: an empty table becomes a fresh map.
fn as_map(m: Map) -> Map {
    if m.is_empty() { Map::new() } else { m }
}

fn process_import_values_tree(w: &mut Vec<String>, c: &mut Chart) -> Result<(), ValuesError> {
    for d in &mut c.dependencies {
        process_import_values_tree(w, d)?;
    }
    process_import_values(w, c)
}

/// Helm's `processImportValues` with `merge = true`.
fn process_import_values(w: &mut Vec<String>, c: &mut Chart) -> Result<(), ValuesError> {
    let Some(mut reqs) = c.metadata.dependencies.take() else {
        return Ok(());
    };
    let result = (|| {
        let (cvals, cw) = coalesce::merge_values(c, &Map::new())?;
        w.extend(cw);
        let cvals = cvals.with_kind_of(MapKind::Any);
        let b = Map::new();
        for r in reqs.iter_mut() {
            let mut out = Vec::new();
            for riv in &r.import_values {
                match riv {
                    Value::Map(iv) if iv.kind() != MapKind::String => {
                        let child = rudder_value::fmt::format_v(&iv.get_or_zero("child"));
                        let parent = rudder_value::fmt::format_v(&iv.get_or_zero("parent"));
                        out.push(child_parent(&child, &parent));
                        let Some(vv) = values_table(&cvals, &format!("{}.{child}", r.name)) else {
                            w.push(format!(
                                "ImportValues missing table from chart chart={} error=\"{}\"",
                                r.name,
                                no_table_text(&cvals, &format!("{}.{child}", r.name))
                            ));
                            continue;
                        };
                        coalesce::merge_tables(w, &b, &path_to_map(&parent, as_map(vv)));
                    }
                    Value::Str(s) => {
                        let child = format!("exports.{s}");
                        out.push(child_parent(&child, "."));
                        let Some(vm) = values_table(&cvals, &format!("{}.{child}", r.name)) else {
                            w.push(format!(
                                "ImportValues missing table error=\"{}\"",
                                no_table_text(&cvals, &format!("{}.{child}", r.name))
                            ));
                            continue;
                        };
                        coalesce::merge_tables(w, &b, &as_map(vm));
                    }
                    // A processed entry (a second run) and other types are dropped,
                    // as Go's type switch drops them.
                    _ => {}
                }
            }
            r.import_values = out;
        }
        let merged = cvals.deep_copy();
        coalesce::merge_tables(w, &merged, &b);
        Ok::<Map, ValuesError>(merged)
    })();
    c.metadata.dependencies = Some(reqs);
    c.values = result?;
    Ok(())
}

/// A processed import-values entry: a `map[string]string`.
fn child_parent(child: &str, parent: &str) -> Value {
    Value::Map(Map::from_entries(
        MapKind::String,
        [("child", Value::str(child)), ("parent", Value::str(parent))],
    ))
}

/// Helm's `ErrNoTable` text for the first missing segment of `path`.
fn no_table_text(v: &Map, path: &str) -> String {
    let mut t = v.clone();
    for part in path.split('.') {
        match t.get(part).as_ref().and_then(table) {
            Some(next) => t = next.clone(),
            None => return format!("{} is not a table", rudder_value::fmt::quote(part)),
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_tables() {
        let inner = Map::from_entries(MapKind::Any, [("b", Value::Bool(true))]);
        let v = Map::from_entries(
            MapKind::Any,
            [("a", Value::Map(inner)), ("s", Value::str("x"))],
        );
        assert!(matches!(path_value(&v, "a.b"), Some(Value::Bool(true))));
        assert!(path_value(&v, "a").is_none());
        assert!(path_value(&v, "s.b").is_none());
        assert!(values_table(&v, "a").is_some());
        assert_eq!(no_table_text(&v, "s.x"), "\"s\" is not a table");
        let m = path_to_map("x.y", Map::new());
        assert_eq!(
            rudder_value::fmt::format_v(&Value::Map(m)),
            "map[x:map[y:map[]]]"
        );
    }
}
