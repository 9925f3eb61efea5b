//! Parse and execute benchmarks on a real chart (argo-cd, see
//! `benches/data/README.md` for the data and the Sprig stand-ins).

#![allow(
    clippy::print_stderr,
    reason = "the benchmark reports what it ran on stderr, beside criterion's output"
)]

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rudder_template::{
    Context, ExecOptions, FuncError, FuncMap, Function, GoType, MissingKey, Templates,
};
use rudder_value::{IntKind, List, Map, MapKind, Object, ObjectRepr, Signature, Value};
use serde_json::Value as Json;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/argo-cd")
}

/// Every template file, by its Helm template name, in Helm's parse order
/// (deepest first, then reverse byte order).
fn template_files() -> Vec<(String, String)> {
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

fn from_json(v: &Json, drop_nulls: bool) -> Value {
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

fn read_json(name: &str) -> Json {
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
struct Context0 {
    values: Value,
    chart: Value,
    release: Value,
    capabilities: Value,
}

fn context(values: &Json, chart: &Json) -> Context0 {
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
fn dot(ctx: &Context0, name: &str) -> Value {
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

fn variadic(
    f: impl Fn(&mut dyn Context, Vec<Value>) -> Result<Value, FuncError> + Send + Sync + 'static,
) -> Function {
    Function::new(Signature::variadic(vec![], GoType::Any), f)
}

fn last(args: Vec<Value>) -> Value {
    args.into_iter().last().unwrap_or_else(|| Value::str(""))
}

fn text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Nil => String::new(),
        other => rudder_value::fmt::format_v(other),
    }
}

fn indent(n: usize, s: &str) -> String {
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
fn standins() -> FuncMap {
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
fn build(files: &[(String, String)]) -> (Templates, Vec<String>) {
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

fn opts() -> ExecOptions {
    ExecOptions {
        missing_key: MissingKey::Zero,
        ..ExecOptions::default()
    }
}

fn benches(c: &mut Criterion) {
    let files = template_files();
    let (set, generic) = build(&files);
    let ctx = context(&read_json("values.json"), &read_json("chart.json"));
    let runnable: Vec<String> = files
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| !n.rsplit('/').next().unwrap_or("").starts_with('_'))
        .filter(|n| set.execute(n, dot(&ctx, n), &opts(), &mut ()).is_ok())
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let out_bytes: usize = runnable
        .iter()
        .map(|n| {
            set.execute(n, dot(&ctx, n), &opts(), &mut ())
                .map(|s| s.len())
                .unwrap_or(0)
        })
        .sum();
    eprintln!(
        "argo-cd: {} files ({bytes} bytes) parsed; {} of {} executable templates run under the \
         stand-ins ({out_bytes} bytes of output); generic stand-ins: {}",
        files.len(),
        runnable.len(),
        files
            .iter()
            .filter(|(n, _)| !n.rsplit('/').next().unwrap_or("").starts_with('_'))
            .count(),
        generic.join(" ")
    );

    let funcs = Arc::new({
        let mut f = standins();
        for g in &generic {
            f.insert(g.clone(), variadic(|_, a| Ok(last(a))));
        }
        f
    });
    c.bench_function("parse/argo-cd (all files)", |b| {
        b.iter(|| {
            let mut set = Templates::new(funcs.clone());
            for (name, text) in &files {
                let _ = set.parse(name, text);
            }
            set
        });
    });
    // Values are shared by every template of a render, as in Helm.
    c.bench_function("execute/argo-cd (all runnable templates)", |b| {
        let mut out = String::new();
        b.iter(|| {
            for name in &runnable {
                out.clear();
                let _ = set.execute_into(name, dot(&ctx, name), &opts(), &mut (), &mut out);
            }
            out.len()
        });
    });

    // A builtins-only template over 1000 items: range, if, comparisons,
    // printf, field access and variables.
    let mut micro = Templates::new(Arc::new(FuncMap::new()));
    let _ = micro.parse(
        "m",
        "{{- range $i, $e := .items }}\n- name: {{ $e.name }}\n  index: {{ $i }}\n  {{- if and $e.on (gt $e.port 1000.0) }}\n  port: {{ printf \"%d\" (len $e.name) }}\n  {{- else }}\n  port: {{ $e.port }}\n  {{- end }}\n{{- end }}\n",
    );
    let items: Vec<Value> = (0..1000)
        .map(|i| {
            Value::Map(Map::from_entries(
                MapKind::Any,
                [
                    ("name", Value::string(format!("item-{i}"))),
                    ("on", Value::Bool(i % 2 == 0)),
                    ("port", Value::Float(f64::from(i) * 3.0)),
                ],
            ))
        })
        .collect();
    let micro_data = Value::Map(Map::from_entries(
        MapKind::Any,
        [("items", Value::list(items))],
    ));
    c.bench_function("execute/builtins-only 1000-item range", |b| {
        b.iter(|| micro.execute("m", micro_data.clone(), &opts(), &mut ()));
    });
}

criterion_group!(template_benches, benches);
criterion_main!(template_benches);
