//! Helm 4.2.3's values coalescing (`pkg/chart/common/util/coalesce.go`),
//! reproduced algorithm for algorithm, quirks included (spec §2.5–§2.7):
//!
//! * a user `null` deletes the key and its default when coalescing, but is
//!   kept when merging (`MergeValues`, used for import-values);
//! * subchart sections are merged with `merge = true` even when coalescing;
//! * `coalesceTablesFullKey` writes the destination's nils *into the
//!   source*, and globals are copied shallowly, so shared maps are mutated
//!   exactly where Go mutates them (maps here are shared by reference like
//!   Go's);
//! * warnings carry Helm's texts.
//!
//! Key order: Go iterates maps randomly; here every map is walked in byte
//! order, which is one of the orders Go may pick.

use rudder_chart::Chart;
use rudder_value::{Map, MapKind, Value};

use crate::error::ValuesError;

/// The key of the globals table.
pub const GLOBAL_KEY: &str = "global";

/// Warnings Helm prints while coalescing (`log.Printf`), in order.
pub(crate) type Warnings = Vec<String>;

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}.{b}")
    }
}

/// Go's `istable`: a `map[string]interface{}`.
pub(crate) fn table(v: &Value) -> Option<&Map> {
    match v {
        Value::Map(m) if m.kind() != MapKind::String => Some(m),
        _ => None,
    }
}

fn fmt_v(v: &Value) -> String {
    rudder_value::fmt::format_v(v)
}

/// Helm's `CoalesceValues`: the chart's values (and its dependencies',
/// recursively) under the user's values, nulls deleting keys. The result is
/// a fresh tree typed `common.Values` at the root.
pub fn coalesce_values(chart: &Chart, user: &Map) -> Result<(Map, Vec<String>), ValuesError> {
    let mut warnings = Vec::new();
    let dest = user.deep_copy().with_kind_of(MapKind::Any);
    coalesce(&mut warnings, chart, &dest, "", false)?;
    Ok((dest.with_kind_of(MapKind::Named("common.Values")), warnings))
}

/// Helm's `MergeValues`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(chart: &Chart, user: &Map) -> Result<(Map, Vec<String>), ValuesError> {
    let mut warnings = Vec::new();
    let dest = user.deep_copy().with_kind_of(MapKind::Any);
    coalesce(&mut warnings, chart, &dest, "", true)?;
    Ok((dest.with_kind_of(MapKind::Named("common.Values")), warnings))
}

pub(crate) fn coalesce(
    w: &mut Warnings,
    chart: &Chart,
    dest: &Map,
    prefix: &str,
    merge: bool,
) -> Result<(), ValuesError> {
    coalesce_chart_values(w, chart, dest, prefix, merge);
    coalesce_deps(w, chart, dest, prefix, merge)
}

fn coalesce_deps(
    w: &mut Warnings,
    chart: &Chart,
    dest: &Map,
    prefix: &str,
    merge: bool,
) -> Result<(), ValuesError> {
    for sub in &chart.dependencies {
        let name = sub.name();
        let dv = match dest.get(name) {
            None => {
                let m = Map::new();
                dest.insert(name, Value::Map(m.clone()));
                m
            }
            Some(v) => match table(&v) {
                Some(m) => m.clone(),
                None => {
                    return Err(ValuesError::TypeMismatch {
                        name: name.to_owned(),
                        shown: rudder_value::fmt::sprintf("%t", &[v]),
                    });
                }
            },
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(w, &dv, dest, &sub_prefix);
        coalesce(w, sub, &dv, &sub_prefix, merge)?;
        dest.insert(name, Value::Map(dv));
    }
    Ok(())
}

/// Copies the parent's globals (`src.global`) into `dest.global`; the
/// parent wins. Map-valued globals are copied shallowly, so the subchart's
/// own global entries are merged into maps shared with the parent, as in Go.
fn coalesce_globals(w: &mut Warnings, dest: &Map, src: &Map, prefix: &str) {
    let dg = match dest.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match table(&v) {
            Some(m) => m.clone(),
            None => {
                w.push(format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    let sg = match src.get(GLOBAL_KEY) {
        None => Map::new(),
        Some(v) => match table(&v) {
            Some(m) => m.clone(),
            None => {
                w.push(format!(
                    "warning: skipping globals because source {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        },
    };
    for (key, val) in sg.entries() {
        if let Some(src_table) = table(&val) {
            let vv = src_table.shallow_copy().with_kind_of(MapKind::Any);
            match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Map(vv));
                }
                Some(destv) => match table(&destv) {
                    None => w.push(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        rudder_value::fmt::quote(&key)
                    )),
                    Some(destvmap) => {
                        let sub_prefix = concat_prefix(prefix, &key);
                        coalesce_tables_full_key(w, &vv, destvmap, &sub_prefix, true);
                        dg.insert(key, Value::Map(vv));
                    }
                },
            }
        } else if dg.get(&key).as_ref().and_then(table).is_some() {
            w.push(format!("key {key} is table. Skipping"));
        } else {
            dg.insert(key, val);
        }
    }
    dest.insert(GLOBAL_KEY, Value::Map(dg));
}

/// Helm's `coalesceValues`: the chart's own defaults into `v`.
fn coalesce_chart_values(w: &mut Warnings, chart: &Chart, v: &Map, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    let vc = chart.values.deep_copy();
    for (key, val) in vc.entries() {
        match v.get(&key) {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.remove(&key);
                } else if let Some(dest) = table(&value) {
                    match table(&val) {
                        None => {
                            if !val.is_nil() {
                                w.push(format!(
                                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                                ));
                            }
                        }
                        Some(src) => {
                            let merge =
                                merge || chart.dependencies.iter().any(|d| d.name() == &*key);
                            if !merge {
                                clean_nil_values(src);
                            }
                            coalesce_tables_full_key(
                                w,
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                            );
                        }
                    }
                }
            }
            None => {
                if !merge {
                    if val.is_nil() {
                        continue;
                    }
                    if let Some(sub) = table(&val) {
                        clean_nil_values(sub);
                    }
                }
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `MergeTables` (`merge = true`): `src` under `dst`, nulls kept.
pub(crate) fn merge_tables(w: &mut Warnings, dst: &Map, src: &Map) {
    coalesce_tables_full_key(w, dst, src, "", true);
}

/// Helm's `coalesceTablesFullKey`: `dst` wins. Mutates `src` too: every
/// key that is nil in `dst` is set to nil in `src` first.
pub(crate) fn coalesce_tables_full_key(
    w: &mut Warnings,
    dst: &Map,
    src: &Map,
    prefix: &str,
    merge: bool,
) {
    if dst.ptr_eq(src) {
        // Go would walk the same map as both sides; nothing can change.
        return;
    }
    let src_original_non_nil: std::collections::HashSet<rudder_value::Str> = src
        .entries()
        .into_iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, _)| k)
        .collect();
    for (key, val) in dst.entries() {
        if val.is_nil() {
            src.insert(key, Value::Nil);
        }
    }
    for (key, val) in src.entries() {
        let full_key = concat_prefix(prefix, &key);
        let dv = dst.get(&key);
        match dv {
            Some(Value::Nil) if !merge && src_original_non_nil.contains(&key) => {
                dst.remove(&key);
            }
            None => {
                dst.insert(key, val);
            }
            Some(dv) => {
                if let Some(src_table) = table(&val) {
                    match table(&dv) {
                        Some(dst_table) => {
                            coalesce_tables_full_key(w, dst_table, src_table, &full_key, merge);
                        }
                        None => w.push(format!(
                            "warning: cannot overwrite table with non table for {full_key} ({})",
                            fmt_v(&val)
                        )),
                    }
                } else if table(&dv).is_some() && !val.is_nil() {
                    w.push(format!(
                        "warning: destination for {full_key} is a table. Ignoring non-table value ({})",
                        fmt_v(&val)
                    ));
                }
            }
        }
    }
}

/// Helm's `cleanNilValues`: removes nil entries recursively, in place.
fn clean_nil_values(m: &Map) {
    for (key, val) in m.entries() {
        if val.is_nil() {
            m.remove(&key);
        } else if let Some(sub) = table(&val) {
            clean_nil_values(sub);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Value)>) -> Map {
        Map::from_entries(MapKind::Any, entries)
    }

    fn show(m: &Map) -> String {
        fmt_v(&Value::Map(m.clone()))
    }

    #[test]
    fn dst_nils_leak_into_src_and_delete_defaults() {
        let mut w = Vec::new();
        let dst = map(vec![("a", Value::Nil), ("b", Value::str("user"))]);
        let src = map(vec![
            ("a", Value::str("def")),
            ("b", Value::str("def")),
            ("c", Value::Nil),
        ]);
        coalesce_tables_full_key(&mut w, &dst, &src, "", false);
        assert_eq!(show(&dst), "map[b:user c:<nil>]");
        // The source now carries the destination's nil.
        assert_eq!(show(&src), "map[a:<nil> b:def c:<nil>]");
    }

    #[test]
    fn merge_keeps_nils() {
        let mut w = Vec::new();
        let dst = map(vec![("a", Value::Nil)]);
        let src = map(vec![("a", Value::str("def"))]);
        merge_tables(&mut w, &dst, &src);
        assert_eq!(show(&dst), "map[a:<nil>]");
    }

    #[test]
    fn table_warnings() {
        let mut w = Vec::new();
        let dst = map(vec![
            ("t", Value::Map(map(vec![]))),
            ("s", Value::Float(1.0)),
        ]);
        let src = map(vec![
            ("t", Value::Bool(false)),
            ("s", Value::Map(map(vec![("x", Value::Float(1.0))]))),
        ]);
        coalesce_tables_full_key(&mut w, &dst, &src, "p", false);
        assert_eq!(
            w,
            vec![
                "warning: cannot overwrite table with non table for p.s (map[x:1])".to_owned(),
                "warning: destination for p.t is a table. Ignoring non-table value (false)"
                    .to_owned(),
            ]
        );
    }
}
