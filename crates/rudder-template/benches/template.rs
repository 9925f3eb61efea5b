//! Parse and execute benchmarks on a real chart (argo-cd, see
//! `benches/data/README.md` for the data and the Sprig stand-ins).

#![allow(
    clippy::print_stderr,
    reason = "the benchmark reports what it ran on stderr, beside criterion's output"
)]

mod support;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rudder_template::{FuncMap, Templates};
use rudder_value::{Map, MapKind, Value};

use support::{build, context, dot, last, opts, read_json, standins, template_files, variadic};

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
