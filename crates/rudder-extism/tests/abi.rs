//! The Extism ABI as other PDKs use it, exercised with hand-written WAT.
//!
//! Go cannot build wasip1 modules here (Debian ships Go 1.19), so `GO_ABI`
//! is a module importing exactly go-pdk's `extism:host/env` set (with
//! go-pdk's signatures, read from its `//go:wasmimport` declarations) plus
//! typical WASI imports, and exporting `_initialize` like a Go
//! `-buildmode=c-shared` reactor. Also checks the import set of real
//! extism-pdk 1.4 guests built from `plugins/`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rudder_extism::{CallError, ExtismError, Output, Plugin, Sandbox};

use crate::util::{engine, expect_host, expect_trap, wat_module};

/// go-pdk's `extism:host/env` imports (env.go, internal/memory/extism.go,
/// internal/http/extism_http.go).
const GO_PDK_IMPORTS: &[&str] = &[
    "input_length",
    "input_load_u8",
    "input_load_u64",
    "output_set",
    "error_set",
    "config_get",
    "var_get",
    "var_set",
    "log_info",
    "log_debug",
    "log_warn",
    "log_error",
    "get_log_level",
    "http_request",
    "http_status_code",
    "http_headers",
    "store_u8",
    "load_u8",
    "store_u64",
    "load_u64",
    "length_unsafe",
    "length",
    "alloc",
    "free",
];

/// extism-pdk 1.4.1's `extern` block (src/extism.rs).
const RUST_PDK_IMPORTS: &[&str] = &[
    "input_length",
    "input_load_u8",
    "input_load_u64",
    "length",
    "length_unsafe",
    "alloc",
    "free",
    "output_set",
    "error_set",
    "store_u8",
    "load_u8",
    "store_u64",
    "load_u64",
    "config_get",
    "var_get",
    "var_set",
    "http_request",
    "http_status_code",
    "http_headers",
    "log_info",
    "log_debug",
    "log_warn",
    "log_error",
    "log_trace",
    "get_log_level",
];

const GO_ABI: &str = r#"
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  (import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))
  (import "extism:host/env" "var_get" (func $var_get (param i64) (result i64)))
  (import "extism:host/env" "var_set" (func $var_set (param i64 i64)))
  (import "extism:host/env" "log_info" (func $log_info (param i64)))
  (import "extism:host/env" "log_debug" (func $log_debug (param i64)))
  (import "extism:host/env" "log_warn" (func $log_warn (param i64)))
  (import "extism:host/env" "log_error" (func $log_error (param i64)))
  (import "extism:host/env" "get_log_level" (func $get_log_level (result i32)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "http_status_code" (func $http_status_code (result i32)))
  (import "extism:host/env" "http_headers" (func $http_headers (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "load_u8" (func $load_u8 (param i64) (result i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "load_u64" (func $load_u64 (param i64) (result i64)))
  (import "extism:host/env" "length_unsafe" (func $length_unsafe (param i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (global $inits (mut i32) (i32.const 0))
  (global $ctors (mut i32) (i32.const 0))
  (data (i32.const 16) "hello from wasi\n")
  (data (i32.const 64) "go error")
  (data (i32.const 80) "k")
  (data (i32.const 96) "{\"url\":\"http://example.com/\"}")

  (func (export "_initialize") (global.set $inits (i32.add (global.get $inits) (i32.const 1))))
  (func (export "__wasm_call_ctors") (global.set $ctors (i32.add (global.get $ctors) (i32.const 1))))

  (func $to_host (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $h))

  (func $input_to_host (result i64)
    (local $n i64) (local $h i64) (local $i i64)
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (local.get $h))

  (func $output_digit (param $d i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (i32.add (i32.const 48) (local.get $d)))
    (call $output_set (local.get $h) (i64.const 1)))

  (func (export "echo") (result i32)
    (local $h i64)
    (local.set $h (call $input_to_host))
    (call $output_set (local.get $h) (call $length (local.get $h)))
    (i32.const 0))

  (func (export "echo64") (result i32)
    (local $n i64) (local $h i64) (local $i i64) (local $copy i64)
    (local.set $n (call $input_length))
    (local.set $h (call $alloc (local.get $n)))
    (block $done (loop $next
      (br_if $done (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $n)))
      (call $store_u64 (i64.add (local.get $h) (local.get $i)) (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $next)))
    (block $done2 (loop $next2
      (br_if $done2 (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $h) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next2)))
    ;; copy the block once more with load_u64/load_u8 to exercise the loads
    (local.set $copy (call $alloc (local.get $n)))
    (local.set $i (i64.const 0))
    (block $done3 (loop $next3
      (br_if $done3 (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $n)))
      (call $store_u64 (i64.add (local.get $copy) (local.get $i)) (call $load_u64 (i64.add (local.get $h) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $next3)))
    (block $done4 (loop $next4
      (br_if $done4 (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $copy) (local.get $i)) (call $load_u8 (i64.add (local.get $h) (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next4)))
    (call $output_set (local.get $copy) (call $length_unsafe (local.get $copy)))
    (i32.const 0))

  (func (export "init_count") (result i32) (call $output_digit (global.get $inits)) (i32.const 0))
  (func (export "ctors_count") (result i32) (call $output_digit (global.get $ctors)) (i32.const 0))

  (func (export "config") (result i32)
    (local $v i64)
    (local.set $v (call $config_get (call $input_to_host)))
    (if (i64.eqz (local.get $v)) (then (call $output_set (i64.const 0) (i64.const 0)) (return (i32.const 0))))
    (call $output_set (local.get $v) (call $length (local.get $v)))
    (i32.const 0))

  (func (export "vars") (result i32)
    (local $v i64)
    (call $var_set (call $to_host (i32.const 80) (i32.const 1)) (call $input_to_host))
    (local.set $v (call $var_get (call $to_host (i32.const 80) (i32.const 1))))
    (call $output_set (local.get $v) (call $length (local.get $v)))
    (i32.const 0))

  (func (export "log_all") (result i32)
    (call $log_info (call $to_host (i32.const 16) (i32.const 5)))
    (call $log_debug (call $to_host (i32.const 16) (i32.const 5)))
    (call $log_warn (call $to_host (i32.const 16) (i32.const 5)))
    (call $log_error (call $to_host (i32.const 16) (i32.const 5)))
    (drop (call $get_log_level))
    (call $output_digit (i32.const 0))
    (i32.const 0))

  (func (export "fail") (result i32)
    (call $error_set (call $to_host (i32.const 64) (i32.const 8)))
    (i32.const 1))

  (func (export "fail_rc0") (result i32)
    (call $error_set (call $to_host (i32.const 64) (i32.const 8)))
    (i32.const 0))

  (func (export "rc_9") (result i32) (i32.const 9))

  (func (export "wasi_write") (result i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $output_digit (i32.const 0))
    (i32.const 0))

  (func (export "env_count") (result i32)
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (call $output_digit (i32.load (i32.const 0)))
    (i32.const 0))

  (func (export "http_state") (result i32)
    (local $h i64)
    (local.set $h (call $http_headers))
    (if (i32.ne (call $http_status_code) (i32.const 0)) (then unreachable))
    (call $output_set (local.get $h) (call $length (local.get $h)))
    (i32.const 0))

  (func (export "http_denied") (result i32)
    (drop (call $http_request (call $to_host (i32.const 96) (i32.const 29)) (i64.const 0)))
    (i32.const 0))

  (func (export "free_then_length") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 10)))
    (call $free (local.get $h))
    (call $output_digit (i32.wrap_i64 (call $length (local.get $h))))
    (i32.const 0))

  (func (export "no_result") (call $output_digit (i32.const 7)))
  (func (export "exit_5") (result i32) (call $proc_exit (i32.const 5)) (i32.const 0))
)
"#;

/// Only `__wasm_call_ctors`, no `_initialize` (a C/Rust cdylib).
const CTORS_ONLY: &str = r#"
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (global $ctors (mut i32) (i32.const 0))
  (func (export "__wasm_call_ctors") (global.set $ctors (i32.add (global.get $ctors) (i32.const 1))))
  (func (export "ctors_count") (result i32)
    (local $h i64)
    (local.set $h (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $h) (i32.add (i32.const 48) (global.get $ctors)))
    (call $output_set (local.get $h) (i64.const 1))
    (i32.const 0))
)
"#;

fn extism_env_imports(wasm: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let Ok(wasmparser::Payload::ImportSection(reader)) = payload {
            for import in reader.into_imports() {
                let import = import.expect("valid import");
                if import.module == "extism:host/env" {
                    names.push(import.name.to_owned());
                }
            }
        }
    }
    names
}

fn go_plugin(sandbox: Sandbox) -> Plugin {
    Plugin::new(engine(), &wat_module(GO_ABI), sandbox).expect("instantiate")
}

#[test]
fn every_pdk_import_is_provided() {
    let provided = rudder_extism::provided_env_functions();
    for name in GO_PDK_IMPORTS.iter().chain(RUST_PDK_IMPORTS) {
        assert!(
            provided.contains(name),
            "extism:host/env::{name} is not provided"
        );
    }
    // The Go test module really imports go-pdk's whole set.
    let wasm = wat::parse_str(GO_ABI).unwrap();
    let mut imported = extism_env_imports(&wasm);
    imported.sort();
    let mut expected: Vec<String> = GO_PDK_IMPORTS.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(imported, expected);
}

#[test]
fn real_extism_pdk_guests_import_only_what_we_provide() {
    let provided = rudder_extism::provided_env_functions();
    let mut seen = std::collections::BTreeSet::new();
    for name in [
        "adv-hostcall",
        "adv-state",
        "adv-net",
        "postrender-labels",
        "getter-echo",
        "cli-hello",
    ] {
        let wasm = std::fs::read(rudder_extism::test_support::require_wasm(name)).unwrap();
        for import in extism_env_imports(&wasm) {
            assert!(
                provided.contains(&import.as_str()),
                "{name} imports unprovided {import}"
            );
            seen.insert(import);
        }
    }
    // adv-hostcall calls every import of extism-pdk 1.4 at least once.
    for name in RUST_PDK_IMPORTS {
        assert!(
            seen.contains(*name),
            "no built guest imports {name}; the coverage check is too weak"
        );
    }
}

#[test]
fn reactor_initialize_runs_once_and_wins_over_ctors() {
    let mut p = go_plugin(Sandbox::default());
    assert_eq!(p.call("init_count", b"").unwrap(), b"1");
    assert_eq!(p.call("init_count", b"").unwrap(), b"1");
    assert_eq!(p.call("ctors_count", b"").unwrap(), b"0");
}

#[test]
fn wasm_call_ctors_runs_once_without_initialize() {
    let mut p = Plugin::new(engine(), &wat_module(CTORS_ONLY), Sandbox::default()).unwrap();
    assert_eq!(p.call("ctors_count", b"").unwrap(), b"1");
    assert_eq!(p.call("ctors_count", b"").unwrap(), b"1");
}

#[test]
fn input_and_output_round_trip() {
    let mut p = go_plugin(Sandbox::default());
    assert_eq!(p.call("echo", b"hello").unwrap(), b"hello");
    assert_eq!(p.call("echo", b"").unwrap(), b"");
    let long: Vec<u8> = (0..=255u8).cycle().take(1001).collect();
    assert_eq!(p.call("echo64", &long).unwrap(), long);
    assert_eq!(p.call("echo64", b"abc").unwrap(), b"abc");
    // Many calls on one instance: memory is reset every call.
    for _ in 0..200 {
        assert_eq!(p.call("echo64", &long).unwrap(), long);
    }
}

#[test]
fn config_vars_logs_and_http_state() {
    let mut p = go_plugin(Sandbox {
        config: BTreeMap::from([("name".to_owned(), "value".to_owned())]),
        ..Sandbox::default()
    });
    assert_eq!(p.call("config", b"name").unwrap(), b"value");
    assert_eq!(p.call("config", b"missing").unwrap(), b"");
    assert_eq!(p.call("vars", b"abc").unwrap(), b"abc");
    assert_eq!(p.call("log_all", b"").unwrap(), b"0");
    assert_eq!(p.call("http_state", b"").unwrap(), b"{}");
    assert_eq!(p.call("free_then_length", b"").unwrap(), b"0");
}

#[test]
fn errors_and_return_codes_follow_go_sdk_semantics() {
    let mut p = go_plugin(Sandbox::default());
    assert_eq!(
        p.call("fail", b""),
        Err(CallError::Guest {
            message: "go error".to_owned(),
            code: 1
        })
    );
    // An error message wins even with return code 0.
    assert_eq!(
        p.call("fail_rc0", b""),
        Err(CallError::Guest {
            message: "go error".to_owned(),
            code: 0
        })
    );
    assert_eq!(p.call("rc_9", b""), Err(CallError::ReturnCode(9)));
    // An export without a result is a success unless it traps.
    assert_eq!(p.call("no_result", b"").unwrap(), b"7");
    expect_trap(p.call("exit_5", b""), "exited with code 5");
    expect_host(p.call("nope", b""), "unknown function: nope");
    assert_eq!(p.call("echo", b"still fine").unwrap(), b"still fine");
    let msg = CallError::ReturnCode(9).to_string();
    assert!(msg.contains("non-zero return code 9"), "{msg}");
}

#[test]
fn wasi_stdout_and_env_are_wired_per_sandbox() {
    let mut p = go_plugin(Sandbox {
        stdout: Output::Capture,
        env: vec![("A".into(), "1".into()), ("B".into(), "2".into())],
        ..Sandbox::default()
    });
    assert_eq!(p.call("wasi_write", b"").unwrap(), b"0");
    assert_eq!(p.captured_stdout(), b"hello from wasi\n");
    assert_eq!(p.call("env_count", b"").unwrap(), b"2");
    // Captured output is per call.
    assert_eq!(p.call("echo", b"x").unwrap(), b"x");
    assert_eq!(p.captured_stdout(), b"");
    let mut bare = go_plugin(Sandbox::default());
    assert_eq!(bare.call("env_count", b"").unwrap(), b"0");
    assert_eq!(bare.call("wasi_write", b"").unwrap(), b"0");
    assert_eq!(bare.captured_stdout(), b"");
}

#[test]
fn http_is_denied_without_allowed_hosts() {
    let mut p = go_plugin(Sandbox::default());
    expect_host(
        p.call("http_denied", b""),
        "HTTP request to http://example.com/ is not allowed",
    );
    assert_eq!(p.call("echo", b"ok").unwrap(), b"ok");
}

#[test]
fn unknown_imports_are_reported_at_compile_time() {
    let wasm = wat::parse_str(
        r#"(module (import "extism:host/user" "my_fn" (func (param i64) (result i64))))"#,
    )
    .unwrap();
    match engine().compile(&wasm) {
        Err(ExtismError::UnknownImport { module, name }) => {
            assert_eq!(
                (module.as_str(), name.as_str()),
                ("extism:host/user", "my_fn")
            );
        }
        other => panic!("expected UnknownImport, got {other:?}"),
    }
    let wasm =
        wat::parse_str(r#"(module (import "extism:host/env" "no_such_fn" (func)))"#).unwrap();
    assert!(matches!(
        engine().compile(&wasm),
        Err(ExtismError::UnknownImport { .. })
    ));
    assert!(matches!(
        engine().compile(b"not wasm"),
        Err(ExtismError::Compile(_))
    ));
}

#[test]
fn a_looping_start_function_is_bounded_by_the_timeout() {
    let module = wat_module(r#"(module (func $spin (loop $l (br $l))) (start $spin))"#);
    let started = Instant::now();
    let err = Plugin::new(
        engine(),
        &module,
        Sandbox {
            timeout: Some(Duration::from_millis(100)),
            ..Sandbox::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("timeout"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn initial_memory_over_the_budget_fails_instantiation() {
    let module = wat_module(r#"(module (memory 100))"#);
    let err = Plugin::new(
        engine(),
        &module,
        Sandbox {
            max_pages: Some(10),
            ..Sandbox::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("maxPages"), "{err}");
    // The same module fits a larger budget.
    Plugin::new(
        engine(),
        &module,
        Sandbox {
            max_pages: Some(200),
            ..Sandbox::default()
        },
    )
    .unwrap();
}
