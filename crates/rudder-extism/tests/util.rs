//! Shared helpers: one engine per test binary, guest plugin loading, and
//! call-error assertions.

use std::sync::OnceLock;

use rudder_extism::{CallError, Engine, EngineConfig, Module, Plugin, Sandbox};

/// One engine for the whole binary, so each guest is compiled once.
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(EngineConfig::default()).expect("engine"))
}

/// Compile a guest plugin built from `plugins/` (crate name).
pub(crate) fn guest(crate_name: &str) -> Module {
    let path = rudder_extism::test_support::require_wasm(crate_name);
    engine().load_file(&path).expect("guest compiles")
}

/// Instantiate a guest plugin with a sandbox.
pub(crate) fn plugin(crate_name: &str, sandbox: Sandbox) -> Plugin {
    Plugin::new(engine(), &guest(crate_name), sandbox).expect("guest instantiates")
}

/// Compile WAT text (test modules written by hand).
pub(crate) fn wat_module(wat: &str) -> Module {
    let wasm = wat::parse_str(wat).expect("valid WAT");
    engine().compile(&wasm).expect("WAT module compiles")
}

/// Assert that `ok` still answers after whatever happened before.
pub(crate) fn assert_still_works(p: &mut Plugin) {
    let out = p
        .call("ok", b"again")
        .expect("plugin still works after the failure");
    assert_eq!(out, b"ok:again");
}

/// The call must fail as a host error whose message contains `needle`.
pub(crate) fn expect_host<T: std::fmt::Debug>(
    result: Result<T, CallError>,
    needle: &str,
) -> String {
    match result {
        Err(CallError::Host(msg)) => {
            assert!(
                msg.contains(needle),
                "host error {msg:?} does not mention {needle:?}"
            );
            msg
        }
        other => panic!("expected a host error mentioning {needle:?}, got {other:?}"),
    }
}

/// The call must fail as a trap whose message contains `needle`.
pub(crate) fn expect_trap<T: std::fmt::Debug>(
    result: Result<T, CallError>,
    needle: &str,
) -> String {
    match result {
        Err(CallError::Trap(msg)) => {
            assert!(
                msg.contains(needle),
                "trap {msg:?} does not mention {needle:?}"
            );
            msg
        }
        other => panic!("expected a trap mentioning {needle:?}, got {other:?}"),
    }
}
