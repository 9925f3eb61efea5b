//! Benchmark support: the argo-cd data, Helm's context and the Sprig
//! stand-ins (see `benches/data/README.md`). Shared by the benchmarks so
//! other timing tools can load the same workload.

#![allow(dead_code, reason = "each benchmark uses a part of the support")]

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rudder_template::{
    Context, ExecOptions, FuncError, FuncMap, Function, GoType, MissingKey, Templates,
};
use rudder_value::{IntKind, List, Map, MapKind, Object, ObjectRepr, Signature, Value};
use serde_json::Value as Json;

pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/argo-cd")
}

/// Every template file, by its Helm template name, in Helm's parse order
/// (deepest first, then reverse byte order).
pub(crate) fn template_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let rel = format!("{rel}/{name}");
            if path.is_dir() {
                walk(&path, &rel, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((rel, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir().join("templates"), "argo-cd/templates", &mut out);
    out.sort_by(|a, b| {
        let da = a.0.matches('/').count();
        let db = b.0.matches('/').count();
        db.cmp(&da).then_with(|| b.0.cmp(&a.0))
    });
    out
}

pub(crate) fn from_json(v: &Json, drop_nulls: bool) -> Value {
    match v {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        Json::String(s) => Value::str(s),
        Json::Array(items) => Value::list(items.iter().map(|x| from_json(x, false)).collect()),
        Json::Object(obj) => {
            let m = Map::new();
            for (k, x) in obj {
                if !(drop_nulls && x.is_null()) {
                    m.insert(k.as_str(), from_json(x, drop_nulls));
                }
            }
            Value::Map(m)
        }
    }
}

pub(crate) fn read_json(name: &str) -> Json {
    let text = std::fs::read_to_string(data_dir().join(name)).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Json::Null)
}

struct ApiVersions;

impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::List(List::strings(["v1", "apps/v1"])))
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Has").then(|| Signature::new(vec![GoType::String]))
    }
    fn call_method(&self, _name: &str, args: Vec<Value>) -> Result<Value, String> {
        let v = args.first().and_then(Value::as_str).unwrap_or("");
        Ok(Value::Bool(v == "v1" || v.ends_with("/v1")))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

struct Capabilities;

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn repr(&self) -> ObjectRepr {
        let kube = Map::from_entries(
            MapKind::Any,
            [
                ("Version", Value::str("v1.36.0")),
                ("GitVersion", Value::str("v1.36.0")),
                ("Major", Value::str("1")),
                ("Minor", Value::str("36")),
            ],
        );
        ObjectRepr::Struct {
            pointer: true,
            fields: vec![
                ("KubeVersion", Value::Map(kube)),
                ("APIVersions", Value::object(ApiVersions)),
            ],
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The parts of Helm's context shared by every template of a render.
pub(crate) struct Context0 {
    values: Value,
    chart: Value,
    release: Value,
    capabilities: Value,
}

pub(crate) fn context(values: &Json, chart: &Json) -> Context0 {
    let vals = match from_json(values, true) {
        Value::Map(m) => m.with_kind_of(MapKind::Named("common.Values")),
        _ => Map::with_kind(MapKind::Named("common.Values")),
    };
    let c = Map::new();
    for (k, key) in [
        ("Name", "name"),
        ("Version", "version"),
        ("AppVersion", "appVersion"),
        ("Description", "description"),
        ("KubeVersion", "kubeVersion"),
    ] {
        c.insert(k, from_json(&chart[key], false));
    }
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
    Context0 {
        values: Value::Map(vals),
        chart: Value::Map(c),
        release: Value::Map(release),
        capabilities: Value::object(Capabilities),
    }
}

/// The context Helm gives one template: the shared parts plus its name.
pub(crate) fn dot(ctx: &Context0, name: &str) -> Value {
    let template = Map::from_entries(
        MapKind::Named("common.Values"),
        [
            ("Name", Value::str(name)),
            ("BasePath", Value::str("argo-cd/templates")),
        ],
    );
    Value::Map(Map::from_entries(
        MapKind::Named("common.Values"),
        [
            ("Values", ctx.values.clone()),
            ("Chart", ctx.chart.clone()),
            ("Release", ctx.release.clone()),
            ("Template", Value::Map(template)),
            ("Capabilities", ctx.capabilities.clone()),
            ("Files", Value::Map(Map::new())),
        ],
    ))
}

pub(crate) fn variadic(
    f: impl Fn(&mut dyn Context, Vec<Value>) -> Result<Value, FuncError> + Send + Sync + 'static,
) -> Function {
    Function::new(Signature::variadic(vec![], GoType::Any), f)
}

pub(crate) fn last(args: Vec<Value>) -> Value {
    args.into_iter().last().unwrap_or_else(|| Value::str(""))
}

pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Nil => String::new(),
        other => rudder_value::fmt::format_v(other),
    }
}

pub(crate) fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(s.len() + 8 * n);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out
}

/// Sprig and Helm stand-ins (see `benches/data/README.md`).
pub(crate) fn standins() -> FuncMap {
    let mut m = FuncMap::new();
    m.insert(
        "include",
        Function::new(
            Signature::new(vec![GoType::String, GoType::Any]),
            |ctx, a| {
                let mut it = a.into_iter();
                let name = it.next().unwrap_or(Value::Nil);
                let data = it.next().unwrap_or(Value::Nil);
                Ok(Value::string(
                    ctx.execute_template(name.as_str().unwrap_or(""), data)?,
                ))
            },
        ),
    );
    m.insert(
        "tpl",
        Function::new(
            Signature::new(vec![GoType::String, GoType::Any]),
            |ctx, a| {
                let mut it = a.into_iter();
                let text = it.next().unwrap_or(Value::Nil);
                let data = it.next().unwrap_or(Value::Nil);
                let out = ctx.execute_text("gotpl", text.as_str().unwrap_or(""), data)?;
                Ok(Value::string(out.replace("<no value>", "")))
            },
        ),
    );
    m.insert("toYaml", variadic(|_, a| Ok(Value::string(text(&last(a))))));
    m.insert(
        "nindent",
        Function::new(
            Signature::new(vec![GoType::Int(IntKind::Int), GoType::String]),
            |_, a| {
                let n = a.first().and_then(Value::as_i64).unwrap_or(0);
                let s = a.get(1).and_then(Value::as_str).unwrap_or("");
                Ok(Value::string(format!("\n{}", indent(n as usize, s))))
            },
        ),
    );
    m.insert(
        "indent",
        Function::new(
            Signature::new(vec![GoType::Int(IntKind::Int), GoType::String]),
            |_, a| {
                let n = a.first().and_then(Value::as_i64).unwrap_or(0);
                let s = a.get(1).and_then(Value::as_str).unwrap_or("");
                Ok(Value::string(indent(n as usize, s)))
            },
        ),
    );
    m.insert(
        "default",
        Function::new(
            Signature::variadic(vec![GoType::Any], GoType::Any),
            |_, a| {
                let mut it = a.into_iter();
                let d = it.next().unwrap_or(Value::Nil);
                Ok(match it.next() {
                    Some(v) if v.is_true() => v,
                    _ => d,
                })
            },
        ),
    );
    m.insert(
        "quote",
        variadic(|_, a| {
            let parts: Vec<String> = a
                .iter()
                .filter(|v| !v.is_nil())
                .map(|v| rudder_value::fmt::quote(&text(v)))
                .collect();
            Ok(Value::string(parts.join(" ")))
        }),
    );
    m.insert(
        "dict",
        variadic(|_, a| {
            let out = Map::new();
            for pair in a.chunks(2) {
                if let [k, v] = pair {
                    out.insert(text(k), v.clone());
                }
            }
            Ok(Value::Map(out))
        }),
    );
    m.insert("list", variadic(|_, a| Ok(Value::list(a))));
    m.insert(
        "hasKey",
        Function::new(
            Signature::new(vec![GoType::Map(MapKind::Any), GoType::String]),
            |_, a| {
                let has = match (a.first(), a.get(1).and_then(Value::as_str)) {
                    (Some(Value::Map(m)), Some(k)) => m.contains_key(k),
                    _ => false,
                };
                Ok(Value::Bool(has))
            },
        ),
    );
    m.insert(
        "empty",
        variadic(|_, a| Ok(Value::Bool(!last(a).is_true()))),
    );
    m.insert(
        "ternary",
        variadic(|_, a| {
            let cond = a.get(2).is_some_and(Value::is_true);
            Ok(a.get(if cond { 0 } else { 1 })
                .cloned()
                .unwrap_or(Value::Nil))
        }),
    );
    let merge = |_: &mut dyn Context, a: Vec<Value>| {
        let mut it = a.into_iter();
        let dst = match it.next() {
            Some(Value::Map(m)) => m,
            _ => Map::new(),
        };
        for src in it {
            if let Value::Map(s) = src {
                for (k, v) in s.entries() {
                    dst.insert(k, v);
                }
            }
        }
        Ok(Value::Map(dst))
    };
    m.insert("merge", variadic(merge));
    m.insert("mergeOverwrite", variadic(merge));
    m.insert("deepCopy", variadic(|_, a| Ok(last(a).deep_copy())));
    m.insert(
        "concat",
        variadic(|_, a| {
            let mut out = Vec::new();
            for l in a {
                if let Value::List(l) = l {
                    out.extend(l.iter().cloned());
                }
            }
            Ok(Value::list(out))
        }),
    );
    for name in [
        "trim",
        "lower",
        "upper",
        "toString",
        "b64enc",
        "sha256sum",
        "toJson",
    ] {
        m.insert(name, variadic(|_, a| Ok(Value::string(text(&last(a))))));
    }
    m.insert(
        "trunc",
        Function::new(
            Signature::new(vec![GoType::Int(IntKind::Int), GoType::String]),
            |_, a| {
                let n = a.first().and_then(Value::as_i64).unwrap_or(0).max(0) as usize;
                let s = a.get(1).and_then(Value::as_str).unwrap_or("");
                Ok(Value::str(s.get(..n.min(s.len())).unwrap_or(s)))
            },
        ),
    );
    for name in ["trimSuffix", "trimPrefix"] {
        m.insert(
            name,
            Function::new(
                Signature::new(vec![GoType::String, GoType::String]),
                move |_, a| {
                    let affix = a.first().and_then(Value::as_str).unwrap_or("");
                    let s = a.get(1).and_then(Value::as_str).unwrap_or("");
                    let out = if name == "trimSuffix" {
                        s.strip_suffix(affix).unwrap_or(s)
                    } else {
                        s.strip_prefix(affix).unwrap_or(s)
                    };
                    Ok(Value::str(out))
                },
            ),
        );
    }
    m
}

/// Parse every file, adding a last-argument stand-in for each function the
/// chart uses that `standins` lacks.
pub(crate) fn build(files: &[(String, String)]) -> (Templates, Vec<String>) {
    let mut funcs = standins();
    let mut generic = Vec::new();
    loop {
        let mut set = Templates::new(Arc::new(funcs.clone()));
        let mut missing = None;
        for (name, text) in files {
            if let Err(e) = set.parse(name, text) {
                let msg = e.to_string();
                match msg
                    .split("function \"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                {
                    Some(f) => missing = Some(f.to_owned()),
                    None => panic!("parse error in {name}: {msg}"),
                }
                break;
            }
        }
        match missing {
            Some(f) => {
                funcs.insert(f.clone(), variadic(|_, a| Ok(last(a))));
                generic.push(f);
            }
            None => return (set, generic),
        }
    }
}

pub(crate) fn opts() -> ExecOptions {
    ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    }
}
