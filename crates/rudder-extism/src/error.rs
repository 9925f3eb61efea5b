//! Error types: [`ExtismError`] for engine/compile/instantiate failures and
//! [`CallError`] for everything that can go wrong inside one plugin call.
//!
//! `CallError`'s `Display` is written for the person running rudder: it says
//! what the plugin did and, where useful, which sandbox setting stopped it.

use std::path::PathBuf;

/// Failure to set up the engine, compile a module or instantiate a plugin.
#[derive(Debug, thiserror::Error)]
pub enum ExtismError {
    /// The wasmtime engine could not be configured.
    #[error("failed to configure the Wasm engine: {0}")]
    Engine(String),
    /// A Wasm file could not be read.
    #[error("failed to read Wasm module {}: {source}", path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a valid Wasm module (or use unsupported features).
    #[error("failed to compile Wasm module: {0}")]
    Compile(String),
    /// The module imports something this host does not provide, e.g. a
    /// custom host function (`extism:host/user`) that rudder does not offer.
    #[error(
        "plugin imports {module}::{name}, which this host does not provide (rudder offers the Extism kernel, Extism host functions and WASI preview 1 only)"
    )]
    UnknownImport {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
    },
    /// Creating the instance failed (import type mismatch, start trap, …).
    #[error("failed to instantiate plugin: {0}")]
    Instantiate(String),
    /// The sandbox could not be set up on the host (temp dir, stdio, …).
    #[error("failed to set up the plugin sandbox: {0}")]
    Sandbox(String),
}

/// Failure of one [`crate::Plugin::call`]. The host and the plugin instance
/// stay usable after every variant: a trapped instance is transparently
/// re-instantiated before the next call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The guest reported an error with `error_set` (e.g. a `#[plugin_fn]`
    /// returning `Err`). `message` is the guest's text verbatim (use it as is
    /// for Helm's `plugin error: <message>`); `code` is the export's return
    /// value (often 1 or -1, 0 when the guest set an error and returned 0).
    #[error("plugin returned an error: {message}")]
    Guest {
        /// The guest's error text.
        message: String,
        /// The export's return code.
        code: i32,
    },
    /// The export returned a non-zero code without setting an error message.
    #[error("plugin exited with non-zero return code {0} and no error message")]
    ReturnCode(i32),
    /// The call ran longer than the sandbox's `timeout` and was interrupted.
    #[error("plugin timed out: it ran longer than its configured timeout and was stopped")]
    Timeout,
    /// The guest hit the sandbox's memory limit (`max_pages`), either growing
    /// its own memory or allocating Extism memory.
    #[error(
        "plugin ran out of memory: it tried to use more than its memory limit (runtimeConfig memory.maxPages)"
    )]
    OutOfMemory,
    /// The guest trapped: a panic, `unreachable`, an out-of-bounds access, a
    /// stack overflow, or WASI `proc_exit` with a non-zero code.
    #[error("plugin crashed: {0}")]
    Trap(String),
    /// A host function refused or failed the guest's request (bad handle or
    /// offset, HTTP to a host that is not allowed, output over the limit,
    /// variable store full, …) or the call itself could not be made (no such
    /// export, wrong signature).
    #[error("plugin call failed: {0}")]
    Host(String),
}
