//! Criterion benchmarks: `from_yaml`/`load_values` and `to_yaml`/`to_json`
//! on the largest values file in the fixtures (thanos, 266 KB).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

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
