//! Invocation errors, with Helm's texts where Helm has one.

use crate::command::PrepareError;
use crate::quote::go_quote;

/// A plugin invocation that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    /// The plugin ran and failed with an exit code (a subprocess's exit
    /// status, or a Wasm export's non-zero return code without an error
    /// message). The CLI exits with `code`, as Helm does.
    #[error("plugin {} exited with error", go_quote(name))]
    Exit {
        /// The plugin name.
        name: String,
        /// The exit code (`-1` when a signal killed the process, as Go reports it).
        code: i32,
    },
    /// No command fits this platform (cli/v1, postrenderer/v1).
    #[error("failed to prepare plugin command: {0}")]
    Prepare(PrepareError),
    /// No command of a getter fits this platform.
    #[error(
        "failed to prepare commands for protocol {}: {cause}",
        go_quote(protocol)
    )]
    PrepareGetter {
        /// The URL scheme.
        protocol: String,
        /// Why.
        cause: PrepareError,
    },
    /// The getter declares no command for this scheme.
    #[error("no downloader found for protocol {}", go_quote(.0))]
    NoDownloader(String),
    /// The process could not be started (Go's `exec:` / `fork/exec` texts).
    #[error("{0}")]
    Spawn(String),
    /// An install/update/delete hook failed.
    #[error("plugin {event} hook for {} exited with error", go_quote(name))]
    Hook {
        /// The event.
        event: String,
        /// The plugin name.
        name: String,
    },
    /// The Wasm call failed: guest error text, trap, timeout, sandbox
    /// refusal (Helm's `plugin error: …`).
    #[error("plugin error: {0}")]
    Wasm(String),
    /// The plugin's answer is not the JSON its type expects.
    #[error("failed to json marshal plugin output message: reflect.Value: {0}")]
    Output(String),
    /// `runtimeConfig.hostFunctions` names a function the host lacks (rudder,
    /// like Helm 4.2, provides none).
    #[error("plugin requested host function {} not found", go_quote(.0))]
    HostFunction(String),
    /// The Wasm module could not be loaded or instantiated.
    #[error("failed to create existing plugin: {0}")]
    WasmSetup(String),
    /// This build has no Wasm runtime (the `wasm` feature is off).
    #[error("plugin {} needs the extism/v1 runtime, which this build of rudder does not include", go_quote(.0))]
    WasmUnavailable(String),
    /// The plugin's type cannot be invoked this way (e.g. a `test/v1`
    /// subprocess plugin).
    #[error("unsupported {runtime} plugin type {}", go_quote(plugin_type))]
    Unsupported {
        /// The runtime.
        runtime: String,
        /// The type.
        plugin_type: String,
    },
    /// Talking to the process failed (pipes).
    #[error("{0}")]
    Io(String),
}

impl InvokeError {
    /// The exit code the CLI should exit with for this failure.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            InvokeError::Exit { code, .. } => Some(*code),
            _ => None,
        }
    }
}
