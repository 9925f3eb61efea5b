//! Criterion benchmarks: `from_yaml`/`load_values` and `to_yaml`/`to_json`
//! on the largest values file in the fixtures (thanos, 266 KB), and, when
//! the shared conformance corpus is checked out next to the repository,
//! `from_yaml`/`from_yaml_pruned` over every document of argo-cd's
//! rendered manifest (1.9 MB, what rendering parses a head from).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// The fields of a manifest head (as `rudder_render::manifest::parse_head`
/// asks for them).
const HEAD: &[&[&str]] = &[
    &["apiVersion"],
    &["kind"],
    &["metadata", "name"],
    &["metadata", "annotations"],
];

fn bench(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/corpus/files/charts__thanos__values.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let values = rudder_value::Value::Map(rudder_yaml::load_values(&text).unwrap_or_default());
    c.bench_function("load_values thanos (266 KB)", |b| {
        b.iter(|| rudder_yaml::load_values(black_box(&text)))
    });
    c.bench_function("from_yaml thanos (266 KB)", |b| {
        b.iter(|| rudder_yaml::from_yaml(black_box(&text)))
    });
    let manifest = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/golden/argo-cd/default.manifest.yaml"
    ))
    .unwrap_or_default();
    if !manifest.is_empty() {
        let docs: Vec<&str> = manifest.split("\n---\n").collect();
        c.bench_function("from_yaml argo-cd manifest docs (1.9 MB)", |b| {
            b.iter(|| {
                for d in &docs {
                    let _ = black_box(rudder_yaml::from_yaml(black_box(d)));
                }
            })
        });
        c.bench_function(
            "from_yaml_pruned head argo-cd manifest docs (1.9 MB)",
            |b| {
                b.iter(|| {
                    for d in &docs {
                        let _ = black_box(rudder_yaml::from_yaml_pruned(black_box(d), HEAD));
                    }
                })
            },
        );
    }
    c.bench_function("to_yaml thanos values", |b| {
        b.iter(|| rudder_yaml::to_yaml(black_box(&values)))
    });
    c.bench_function("to_json thanos values", |b| {
        b.iter(|| rudder_yaml::to_json(black_box(&values)))
    });
    c.bench_function("to_yaml_pretty thanos values", |b| {
        b.iter(|| rudder_yaml::to_yaml_pretty(black_box(&values)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
