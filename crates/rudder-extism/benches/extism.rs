//! Plugin costs with the example postrenderer (plugins/examples/
//! postrender-labels): compile without cache, load from the disk cache,
//! instantiate, and warm calls at 1 KiB, 100 KiB and 5 MiB of manifests
//! (rudder's JSON envelope included, as in a real invocation).
//!
//! `abi_echo` measures the bare host-call ABI (no guest parsing) for
//! comparison. Run: `cargo bench -p rudder-extism --bench extism`. Builds the guest
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
        ..EngineConfig::default()
    })
    .unwrap()
    .compile(&wasm)
    .unwrap();
    g.bench_function("disk_cache_load", |b| {
        b.iter(|| {
            let engine = Engine::new(EngineConfig {
                cache_dir: Some(cache.path().to_owned()),
                ..EngineConfig::default()
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

/// The bare Extism ABI cost: a hand-written guest that copies its input to
/// its output 8 bytes at a time (`input_load_u64` + `store_u64`, one host
/// call each, like extism-pdk's own input/output loops), with no guest-side
/// parsing at all.
const ABI_ECHO: &str = r#"
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (func (export "echo") (result i32)
    (local $n i64) (local $h i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $next
      (br_if $done (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $n)))
      (call $store_u64 (i64.add (local.get $h) (local.get $i)) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $next)))
    (call $output_set (local.get $h) (local.get $n))
    (i32.const 0))
)
"#;

fn bench_abi(c: &mut Criterion) {
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let module = engine.compile(&wat::parse_str(ABI_ECHO).unwrap()).unwrap();
    let mut plugin = Plugin::new(&engine, &module, sandbox()).unwrap();
    let mut g = c.benchmark_group("abi_echo");
    for (label, size) in [("1KiB", 1 << 10), ("100KiB", 100 << 10), ("5MiB", 5 << 20)] {
        let input = vec![7u8; size];
        g.throughput(Throughput::Bytes(size as u64));
        if size >= 5 << 20 {
            g.sample_size(10);
        }
        g.bench_with_input(BenchmarkId::from_parameter(label), &input, |b, input| {
            b.iter(|| black_box(plugin.call("echo", input).unwrap()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_abi);
criterion_main!(benches);
