//! The template engine run over a chart tree (Helm's `engine.Render`).
//!
//! Every template of every chart in the (pruned) tree is parsed into one Go
//! template set, deepest paths first and, at equal depth, in reverse byte
//! order — which decides which `{{define}}` wins — and every non-partial
//! file is executed in that same order with its chart's context. The
//! contexts share the coalesced `.Values` maps, so `set`/`merge` mutations
//! made by one file are visible to the files executed after it, exactly as
//! in Helm.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rudder_funcs::{HelmFuncOptions, RenderState};
use rudder_template::{
    Context, ExecOptions, FuncError, FuncMap, FuncResult, MapMethods, MissingKey, Parsed, Templates,
};
use rudder_value::{GoType, Map, MapKind, Signature, Value};

use crate::capabilities::Capabilities;
use crate::errors::{cleanup_parse_error, reformat_exec_error};
use crate::files::Files;

/// The Go type of `.Values` (and of each chart's context `Template` map).
pub const VALUES_KIND: MapKind = MapKind::Named("common.Values");

/// One chart of the tree, as the engine sees it.
#[derive(Clone, Debug)]
pub struct RenderChart {
    /// The chart's name in the tree (its alias, for an aliased subchart).
    pub name: String,
    /// `.Chart` without `IsRoot` (Helm 4's metadata map).
    pub metadata: Value,
    /// A library chart contributes only its `_*` partials.
    pub is_library: bool,
    /// Template files (`templates/...`), path relative to the chart, with
    /// their raw contents.
    pub templates: Vec<(String, Arc<[u8]>)>,
    /// The chart's non-template files, for `.Files`.
    pub files: Vec<(String, Arc<[u8]>)>,
    /// Enabled subcharts, in dependency order.
    pub dependencies: Vec<RenderChart>,
}

/// The release facts of a render (`.Release`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// `.Release.Name`.
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.Revision` (a Go `int`).
    pub revision: i64,
    /// `.Release.IsInstall`.
    pub is_install: bool,
    /// `.Release.IsUpgrade`.
    pub is_upgrade: bool,
}

impl ReleaseInfo {
    /// The `.Release` map (`map[string]interface{}`).
    pub fn to_value(&self) -> Value {
        Value::Map(Map::from_entries(
            MapKind::Any,
            [
                ("Name", Value::str(&self.name)),
                ("Namespace", Value::str(&self.namespace)),
                ("IsUpgrade", Value::Bool(self.is_upgrade)),
                ("IsInstall", Value::Bool(self.is_install)),
                ("Revision", Value::int(self.revision)),
                ("Service", Value::str("Helm")),
            ],
        ))
    }
}

/// Parsed templates kept across renders: "parse once, execute many".
///
/// A template's parse tree depends only on its name, its text and the
/// function map, never on values, so a host that renders the same chart
/// again (an embedder serving many renders, a benchmark) can skip parsing.
/// Entries are keyed by function map and template name and checked against
/// the text, so an edited template is parsed again. Share one cache (it is
/// `Sync`) between renders and threads; [`ParseCache::clear`] empties it.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<CacheKey, CacheEntry>>,
}

/// A function map (by address) and a template name.
type CacheKey = (usize, String);
/// The text a template was parsed from, and the result.
type CacheEntry = (Arc<[u8]>, Parsed);

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.entries.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("ParseCache").field("templates", &n).finish()
    }
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// Forget every parsed template.
    pub fn clear(&self) {
        if let Ok(mut m) = self.entries.lock() {
            m.clear();
        }
    }

    fn get(&self, funcs: usize, name: &str, text: &Arc<[u8]>) -> Option<Parsed> {
        let map = self.entries.lock().ok()?;
        let (cached_text, parsed) = map.get(&(funcs, name.to_owned()))?;
        (Arc::ptr_eq(cached_text, text) || **cached_text == **text).then(|| parsed.clone())
    }

    fn put(&self, funcs: usize, name: &str, text: &Arc<[u8]>, parsed: &Parsed) {
        if let Ok(mut m) = self.entries.lock() {
            m.insert((funcs, name.to_owned()), (text.clone(), parsed.clone()));
        }
    }
}

/// Below this many bytes of template text, parsing on one thread is
/// cheaper than starting a second one.
const PARALLEL_PARSE_BYTES: usize = 64 * 1024;

/// Engine switches (Helm's `Engine` fields).
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// `missingkey=error` instead of `missingkey=zero` (SDK only in Helm).
    pub strict: bool,
    /// Lint mode: `required` and `fail` do not fail.
    pub lint_mode: bool,
    /// Let `getHostByName` do real DNS lookups.
    pub enable_dns: bool,
    /// Parsed templates to reuse and fill (see [`ParseCache`]).
    pub cache: Option<Arc<ParseCache>>,
}

/// A render failure, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    /// The message as Helm prints it.
    pub message: String,
}

struct Renderable {
    text: Arc<[u8]>,
    vals: Map,
    base_path: String,
}

/// The function map for these options, built once per process.
fn func_map(opts: &EngineOptions) -> Arc<FuncMap> {
    static CACHE: OnceLock<[[Arc<FuncMap>; 2]; 2]> = OnceLock::new();
    let maps = CACHE.get_or_init(|| {
        let mk = |lint_mode, enable_dns| {
            Arc::new(rudder_funcs::helm(HelmFuncOptions {
                lint_mode,
                enable_dns,
                ..HelmFuncOptions::default()
            }))
        };
        [
            [mk(false, false), mk(false, true)],
            [mk(true, false), mk(true, true)],
        ]
    });
    maps[usize::from(opts.lint_mode)][usize::from(opts.enable_dns)].clone()
}

/// The methods of Helm's `common.Values` type. In Go a method shadows a
/// map key of the same name, so `.Values.Table` is always the method.
struct ValuesMethods;

impl MapMethods for ValuesMethods {
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "YAML" | "AsMap" => Some(Signature::new(vec![])),
            "Table" | "PathValue" => Some(Signature::new(vec![GoType::String])),
            "Encode" => Some(Signature::new(vec![GoType::Object("io.Writer")])),
            _ => None,
        }
    }

    fn call(
        &self,
        _ctx: &mut dyn Context,
        receiver: &Map,
        name: &str,
        args: Vec<Value>,
    ) -> FuncResult {
        let arg = args.first().and_then(Value::as_str).unwrap_or("");
        match name {
            "YAML" => rudder_yaml::to_yaml(&Value::Map(receiver.clone()))
                .map(Value::string)
                .map_err(|e| FuncError::new(e.to_string())),
            "AsMap" => Ok(Value::Map(receiver.with_kind_of(MapKind::Any))),
            "Table" => {
                let mut cur = receiver.clone();
                for key in arg.split('.') {
                    match cur.get(key) {
                        Some(Value::Map(m)) if !matches!(m.kind(), MapKind::String) => cur = m,
                        _ => return Err(FuncError::new(format!("{key:?} is not a table"))),
                    }
                }
                Ok(Value::Map(cur.with_kind_of(VALUES_KIND)))
            }
            "PathValue" => {
                if arg.is_empty() {
                    return Err(FuncError::new("YAML path cannot be empty"));
                }
                let parts: Vec<&str> = arg.split('.').collect();
                let (key, table_path) = parts.split_last().unwrap_or((&"", &[]));
                let table = if table_path.is_empty() {
                    Some(receiver.clone())
                } else {
                    table(receiver, &table_path.join("."))
                };
                match table.and_then(|t| t.get(key)) {
                    Some(Value::Map(m)) if m.kind() != MapKind::String => {
                        Err(FuncError::new(format!("{key:?} is not a value")))
                    }
                    Some(v) => Ok(v),
                    None => Err(FuncError::new(format!("{key:?} is not a value"))),
                }
            }
            _ => Err(FuncError::new(format!("can't call method {name}"))),
        }
    }
}

/// Go's `Values.Table(path)`: walk dot-separated keys through maps.
fn table(root: &Map, path: &str) -> Option<Map> {
    let mut cur = root.clone();
    for key in path.split('.') {
        let next = cur.get(key)?;
        match next {
            Value::Map(m) if !matches!(m.kind(), MapKind::String) => cur = m,
            _ => return None,
        }
    }
    Some(cur.with_kind_of(VALUES_KIND))
}

fn collect(
    chart: &RenderChart,
    full_path: &str,
    is_root: bool,
    parent: &Map,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let chart_meta = match &chart.metadata {
        Value::Map(m) => m.shallow_copy(),
        _ => Map::new(),
    };
    chart_meta.insert("IsRoot", Value::Bool(is_root));
    let subcharts = Map::new();
    let values = if is_root {
        match parent.get("Values") {
            Some(Value::Map(m)) => Value::Map(m),
            _ => Value::Map(Map::with_kind(VALUES_KIND)),
        }
    } else {
        Value::Map(
            table(parent, &format!("Values.{}", chart.name))
                .unwrap_or_else(|| Map::with_kind(VALUES_KIND)),
        )
    };
    let next = Map::from_entries(
        MapKind::Any,
        [
            ("Chart", Value::Map(chart_meta)),
            ("Files", Files::new(chart.files.iter().cloned()).to_value()),
            ("Release", parent.get("Release").unwrap_or(Value::Nil)),
            (
                "Capabilities",
                parent.get("Capabilities").unwrap_or(Value::Nil),
            ),
            ("Values", values),
            ("Subcharts", Value::Map(subcharts.clone())),
        ],
    );
    for dep in &chart.dependencies {
        let child_path = format!("{full_path}/charts/{}", dep.name);
        let sub = collect(dep, &child_path, false, &next, out);
        subcharts.insert(dep.name.as_str(), Value::Map(sub));
    }
    for (name, text) in &chart.templates {
        let base = name.rsplit('/').next().unwrap_or(name);
        if chart.is_library && !base.starts_with('_') {
            continue;
        }
        out.insert(
            join_path(full_path, name),
            Renderable {
                text: text.clone(),
                vals: next.clone(),
                base_path: format!("{full_path}/templates"),
            },
        );
    }
    next
}

/// Go's `path.Join(a, b)` for our relative, already clean paths.
fn join_path(a: &str, b: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in a.split('/').chain(b.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Helm's template order: more `/` first, then reverse byte order.
fn sorted_names(names: impl Iterator<Item = String>) -> Vec<String> {
    // Depths counted once per name, not once per comparison.
    let mut v: Vec<(usize, String)> = names.map(|n| (n.matches('/').count(), n)).collect();
    v.sort_unstable_by(|(da, a), (db, b)| db.cmp(da).then_with(|| b.cmp(a)));
    v.into_iter().map(|(_, n)| n).collect()
}

/// How many threads parsing may use (at most two), looked up once: the
/// standard library reads the cgroup files on every call, which cost small
/// charts about 4% of their render.
fn parse_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(2)))
}

/// Parse every template (from the cache when possible), in Helm's order.
/// Large sets are parsed on two threads; the results come back in order so
/// that the first parse error in Helm's order is the one reported.
fn parse_all(
    set: &Templates,
    texts: &[(String, Arc<[u8]>)],
    cache: Option<&ParseCache>,
    funcs_id: usize,
) -> Vec<(String, Result<Parsed, rudder_template::Error>)> {
    let parse_one = |(name, raw): &(String, Arc<[u8]>)| {
        if let Some(hit) = cache.and_then(|c| c.get(funcs_id, name, raw)) {
            return (name.clone(), Ok(hit));
        }
        // Templates are almost always UTF-8; only invalid input pays for
        // the lossy copy.
        let text = match std::str::from_utf8(raw) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(raw),
        };
        let parsed = set.parse_detached(name, &text);
        if let (Some(c), Ok(p)) = (cache, &parsed) {
            c.put(funcs_id, name, raw, p);
        }
        (name.clone(), parsed)
    };
    let order = texts;
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    if total < PARALLEL_PARSE_BYTES || order.len() < 2 || parse_threads() < 2 {
        return order.iter().map(parse_one).collect();
    }
    let mid = order.len() / 2;
    let (first, second) = order.split_at(mid);
    std::thread::scope(|s| {
        let h = s.spawn(|| second.iter().map(parse_one).collect::<Vec<_>>());
        let mut out: Vec<_> = first.iter().map(parse_one).collect();
        match h.join() {
            Ok(rest) => out.extend(rest),
            // A panic in the parser thread is a bug; parse the rest here
            // so it surfaces (or succeeds) on this thread instead.
            Err(_) => out.extend(second.iter().map(parse_one)),
        }
        out
    })
}

/// Render every template of the chart tree: Helm's `engine.Render`.
///
/// `values` is the coalesced `.Values` of the root chart. The result maps
/// each executed file's template name to its output, with `<no value>`
/// removed.
pub fn render(
    root: &RenderChart,
    values: &Map,
    release: &ReleaseInfo,
    caps: &Arc<Capabilities>,
    opts: &EngineOptions,
) -> Result<BTreeMap<String, String>, RenderError> {
    let top = Map::from_entries(
        MapKind::Any,
        [
            ("Chart", root.metadata.clone()),
            ("Capabilities", caps.to_value()),
            ("Release", release.to_value()),
            ("Values", Value::Map(values.with_kind_of(VALUES_KIND))),
        ],
    );
    let mut renderables = BTreeMap::new();
    collect(root, &root.name, true, &top, &mut renderables);

    let funcs = func_map(opts);
    let funcs_id = Arc::as_ptr(&funcs) as usize;
    let mut set = Templates::new(funcs);
    set.set_map_methods(VALUES_KIND.name(), Arc::new(ValuesMethods));
    let order = sorted_names(renderables.keys().cloned());
    let texts: Vec<(String, Arc<[u8]>)> = order
        .iter()
        .filter_map(|n| renderables.get(n).map(|r| (n.clone(), r.text.clone())))
        .collect();
    for (name, parsed) in parse_all(&set, &texts, opts.cache.as_deref(), funcs_id) {
        set.add_parsed(parsed.map_err(|e| RenderError {
            message: cleanup_parse_error(&name, &e.to_string()),
        })?);
    }

    let exec_opts = ExecOptions {
        missing_key: if opts.strict {
            MissingKey::Error
        } else {
            MissingKey::Zero
        },
        ..ExecOptions::default()
    };
    let mut state = RenderState::default();
    let mut rendered = BTreeMap::new();
    for name in &order {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let Some(r) = renderables.get(name) else {
            continue;
        };
        r.vals.insert(
            "Template",
            Value::Map(Map::from_entries(
                VALUES_KIND,
                [
                    ("Name", Value::str(name)),
                    ("BasePath", Value::str(&r.base_path)),
                ],
            )),
        );
        let out = set
            .execute(name, Value::Map(r.vals.clone()), &exec_opts, &mut state)
            .map_err(|e| RenderError {
                message: reformat_exec_error(name, &e),
            })?;
        let out = if out.contains("<no value>") {
            out.replace("<no value>", "")
        } else {
            out
        };
        rendered.insert(name.clone(), out);
    }
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_order_is_deepest_first_then_reverse_bytes() {
        let names = [
            "c/templates/a.yaml",
            "c/templates/b.yaml",
            "c/charts/s/templates/x.yaml",
            "c/templates/sub/z.yaml",
        ];
        assert_eq!(
            sorted_names(names.iter().map(|s| (*s).to_owned())),
            vec![
                "c/charts/s/templates/x.yaml",
                "c/templates/sub/z.yaml",
                "c/templates/b.yaml",
                "c/templates/a.yaml"
            ]
        );
    }

    #[test]
    fn path_join() {
        assert_eq!(join_path("c", "templates/a.yaml"), "c/templates/a.yaml");
        assert_eq!(join_path("c/charts/s", "./templates/../x"), "c/charts/s/x");
    }
}
