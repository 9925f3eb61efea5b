//! Criterion benchmarks of the hot template functions: `toYaml`,
//! `include` (through the real engine), `indent`/`nindent`, `dict` and
//! `merge`. Functions are called through their `Function` implementations
//! with the argument values the engine would pass.

use std::any::Any;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rudder_funcs::{HelmFuncOptions, RenderState, helm};
use rudder_template::{Context, Error, ExecOptions, FuncMap, MissingKey, Templates};
use rudder_value::{Map, MapKind, Value};

/// A context for functions that never call back into the engine.
struct NoEngine;

impl Context for NoEngine {
    fn execute_template(&mut self, _: &str, _: Value) -> Result<String, Error> {
        Err(Error::Other("no engine".into()))
    }
    fn execute_text(&mut self, _: &str, _: &str, _: Value) -> Result<String, Error> {
        Err(Error::Other("no engine".into()))
    }
    fn host(&mut self) -> &mut dyn Any {
        self
    }
}

/// A values tree shaped like a typical chart's: nested maps, lists, strings
/// and float64 numbers.
fn values(width: usize) -> Value {
    let root = Map::new();
    for i in 0..width {
        let svc = Map::new();
        svc.insert("enabled", Value::Bool(i % 2 == 0));
        svc.insert("replicas", Value::Float(i as f64));
        svc.insert(
            "image",
            Value::string(format!("registry.example.com/app-{i}:1.2.{i}")),
        );
        svc.insert(
            "ports",
            Value::list((0..3).map(|p| Value::Float(8000.0 + p as f64)).collect()),
        );
        let res = Map::new();
        res.insert("cpu", Value::str("100m"));
        res.insert("memory", Value::str("128Mi"));
        svc.insert("resources", Value::Map(res));
        root.insert(format!("service{i}"), Value::Map(svc));
    }
    Value::Map(root)
}

fn call(m: &FuncMap, name: &str, args: Vec<Value>) -> Value {
    match m.get(name) {
        Some(f) => (f.imp)(&mut NoEngine, args).unwrap_or(Value::Nil),
        None => Value::Nil,
    }
}

fn benches(c: &mut Criterion) {
    let m = helm(HelmFuncOptions::default());
    let v = values(20);

    c.bench_function("toYaml/20-services", |b| {
        b.iter(|| call(&m, "toYaml", vec![black_box(v.clone())]))
    });

    let text = "line of yaml: value\n".repeat(100);
    c.bench_function("indent/100-lines", |b| {
        b.iter(|| {
            call(
                &m,
                "indent",
                vec![Value::int(4), black_box(Value::str(&text))],
            )
        })
    });
    c.bench_function("nindent/100-lines", |b| {
        b.iter(|| {
            call(
                &m,
                "nindent",
                vec![Value::int(8), black_box(Value::str(&text))],
            )
        })
    });

    c.bench_function("dict/10-pairs", |b| {
        b.iter(|| {
            let args = (0..10)
                .flat_map(|i| [Value::string(format!("k{i}")), Value::Float(i as f64)])
                .collect();
            call(&m, "dict", black_box(args))
        })
    });

    c.bench_function("merge/20-services-into-empty", |b| {
        b.iter(|| {
            let dst = Value::Map(Map::new());
            call(&m, "merge", vec![dst, black_box(v.clone())])
        })
    });

    let funcs = Arc::new(helm(HelmFuncOptions::default()));
    let mut set = Templates::new(funcs);
    let parsed = set
        .parse(
            "c/templates/_helpers.tpl",
            r#"{{- define "labels" -}}
app.kubernetes.io/name: {{ .name | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .instance | quote }}
{{- end }}"#,
        )
        .and_then(|()| {
            set.parse(
                "c/templates/t.yaml",
                r#"{{ range $i := until 10 }}{{ include "labels" $ | nindent 4 }}{{ end }}"#,
            )
        });
    if parsed.is_ok() {
        let dot = Value::Map(Map::from_entries(
            MapKind::Any,
            [
                ("name", Value::str("my-app")),
                ("instance", Value::str("rel")),
            ],
        ));
        let opts = ExecOptions {
            missing_key: MissingKey::Zero,
            ..ExecOptions::default()
        };
        c.bench_function("include/10-calls-with-nindent", |b| {
            b.iter(|| {
                let mut state = RenderState::default();
                set.execute(
                    "c/templates/t.yaml",
                    black_box(dot.clone()),
                    &opts,
                    &mut state,
                )
            })
        });
    }
}

criterion_group!(funcs, benches);
criterion_main!(funcs);
