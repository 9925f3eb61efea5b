//! Plugin costs with the example postrenderer (plugins/examples/
//! postrender-labels): compile without cache, load from the disk cache,
//! instantiate, and warm calls at 1 KiB, 100 KiB and 5 MiB of manifests
//! (rudder's JSON envelope included, as in a real invocation).
//!
//! Run: `cargo bench -p rudder-extism --bench extism`. Builds the guest
//! plugins first (needs the wasm32-wasip1 target).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rudder_extism::{Engine, EngineConfig, Plugin, Sandbox, test_support};

/// ConfigMap documents until the stream reaches `bytes`.
fn manifests(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels:\n    app: demo\ndata:\n  key: \"value {i}\"\n"
        ));
        i += 1;
    }
    out
}

fn envelope(manifests: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"manifests": manifests, "extraArgs": []}))
        .unwrap_or_default()
}

fn sandbox() -> Sandbox {
    Sandbox {
        max_pages: Some(4096),
        ..Sandbox::default()
    }
}

fn bench(c: &mut Criterion) {
    let path = test_support::require_wasm("postrender-labels");
    let wasm = std::fs::read(&path).unwrap_or_default();

    let mut g = c.benchmark_group("phases");
    g.sample_size(10).measurement_time(Duration::from_secs(5));
    g.bench_function("compile_no_cache", |b| {
        b.iter(|| {
            let engine = Engine::new(EngineConfig::default()).unwrap();
            black_box(engine.compile(&wasm).unwrap());
        })
    });
    let cache = tempfile::tempdir().unwrap();
    Engine::new(EngineConfig {
        cache_dir: Some(cache.path().to_owned()),
    })
    .unwrap()
    .compile(&wasm)
    .unwrap();
    g.bench_function("disk_cache_load", |b| {
        b.iter(|| {
            let engine = Engine::new(EngineConfig {
                cache_dir: Some(cache.path().to_owned()),
            })
            .unwrap();
            black_box(engine.compile(&wasm).unwrap());
        })
    });
    g.finish();

    let engine = Engine::new(EngineConfig::default()).unwrap();
    let module = engine.compile(&wasm).unwrap();
    let mut g = c.benchmark_group("instance");
    g.bench_function("instantiate", |b| {
        b.iter(|| black_box(Plugin::new(&engine, &module, sandbox()).unwrap()))
    });
    g.finish();

    let mut g = c.benchmark_group("warm_call");
    for (label, size) in [("1KiB", 1 << 10), ("100KiB", 100 << 10), ("5MiB", 5 << 20)] {
        let input = envelope(&manifests(size));
        let mut plugin = Plugin::new(&engine, &module, sandbox()).unwrap();
        plugin.call(rudder_extism::DEFAULT_ENTRY, &input).unwrap();
        g.throughput(Throughput::Bytes(input.len() as u64));
        if size >= 5 << 20 {
            g.sample_size(10).measurement_time(Duration::from_secs(8));
        }
        g.bench_with_input(BenchmarkId::from_parameter(label), &input, |b, input| {
            b.iter(|| black_box(plugin.call(rudder_extism::DEFAULT_ENTRY, input).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
