//! An Extism-compatible plugin host on wasmtime 48, for rudder's `extism/v1`
//! plugin runtime.
//!
//! Guests built with Extism's PDKs (`extism-pdk` for Rust, go-pdk, …) import
//! `extism:host/env`. Upstream serves that module from a small "kernel" Wasm
//! module plus host functions; rudder implements the whole import set as
//! host functions over a host-side memory arena, and WASI preview 1 through
//! `wasmtime-wasi`, so the WASI context (stdin/stdout/stderr, env, `/tmp`) is
//! fully under our control, which the `extism` crate does not allow.
//!
//! ```no_run
//! use rudder_extism::{Engine, EngineConfig, Plugin, Sandbox};
//! use std::time::Duration;
//!
//! let engine = Engine::new(EngineConfig::default())?;
//! let module = engine.load_file("plugin.wasm".as_ref())?;
//! let sandbox = Sandbox {
//!     timeout: Some(Duration::from_secs(30)),
//!     max_pages: Some(1024),
//!     ..Sandbox::default()
//! };
//! let mut plugin = Plugin::new(&engine, &module, sandbox)?;
//! let output = plugin.call("helm_plugin_main", br#"{"manifests":"","extraArgs":[]}"#)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What this crate does: compile and cache modules ([`Engine`], [`Module`]),
//! run them under a deny-by-default [`Sandbox`] ([`Plugin`]), and report
//! failures as [`CallError`]. What it does not do: read plugin.yaml, map
//! Helm's `runtimeConfig` onto a [`Sandbox`], or encode Helm's JSON messages;
//! that is `rudder-plugin`'s job. No Helm-specific host functions exist (as
//! in Helm 4.2), and custom `extism:host/user` functions are not offered.
//!
//! The security model (what each capability grants, what is never granted,
//! where each guarantee is enforced) is in `docs/security.md`.

mod arena;
mod cache;
mod engine;
mod error;
mod host;
mod http;
mod plugin;
mod sandbox;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use engine::{CacheStats, Engine, EngineConfig, InstancePool, Module};
pub use error::{CallError, ExtismError};
pub use plugin::Plugin;
pub use sandbox::{Output, Sandbox, Stdin};

/// Default name of the export Helm calls (`runtimeConfig.entryFuncName`).
pub const DEFAULT_ENTRY: &str = "helm_plugin_main";

/// Every function of the `extism:host/env` import module this host provides
/// (the Extism kernel plus the standard host functions).
pub fn provided_env_functions() -> &'static [&'static str] {
    host::ENV_FUNCTIONS
}

#[cfg(test)]
mod tests {
    /// The thread-safety promises of the public API, checked at compile time.
    #[test]
    fn api_types_are_send_and_sync_as_documented() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>() {}
        send_sync::<crate::Engine>();
        send_sync::<crate::Module>();
        send::<crate::Plugin>();
        send_sync::<crate::Sandbox>();
        send_sync::<crate::CallError>();
        send_sync::<crate::ExtismError>();
    }
}
