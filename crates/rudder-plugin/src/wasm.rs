//! The `extism/v1` runtime: `plugin.wasm` run by `rudder-extism` under a
//! sandbox built from `runtimeConfig`, exchanging JSON messages with Go's
//! encoding rules (`rudder-plugin-api`).
//!
//! What each type gets (as in Helm 4.2 unless noted):
//!
//! | Type | WASI env | WASI stdio |
//! |---|---|---|
//! | cli/v1 | the process environment + `HELM_*` settings (no `HELM_PLUGIN_*`) | inherited |
//! | getter/v1 | `HELM_*` settings | none |
//! | postrenderer/v1 | none | none |
//! | test/v1 | none | none |
//!
//! Differences from Helm, where Helm is broken: post-renderers exchange the
//! manifests as a JSON string (Helm sends `{}`); a non-zero return code
//! without an error message is a clean `plugin "x" exited with error` with
//! that exit code (Helm dereferences a nil error and panics); omitted
//! `maxHttpResponseBytes`/`maxVarBytes` mean Extism's defaults rather than
//! "disabled" (see [`crate::ExtismConfig`]). One module compilation is
//! cached on disk and reused, where Helm re-creates a runtime per call and
//! never closes it.

use crate::discovery::Plugin;
use crate::error::InvokeError;
use crate::metadata::{ExtismConfig, RuntimeConfig};

/// What a Wasm invocation is wired to.
#[derive(Clone, Debug, Default)]
#[cfg_attr(
    not(feature = "wasm"),
    allow(dead_code, reason = "only read by the Wasm runtime")
)]
pub(crate) struct WasmIo {
    /// WASI environment.
    pub(crate) env: Vec<(String, String)>,
    /// Inherit the process's stdin/stdout/stderr (cli/v1).
    pub(crate) inherit_stdio: bool,
}

fn extism_config(plugin: &Plugin) -> Result<&ExtismConfig, InvokeError> {
    match &plugin.metadata().runtime_config {
        RuntimeConfig::Extism(c) => Ok(c),
        RuntimeConfig::Subprocess(_) => Err(InvokeError::Unsupported {
            runtime: "extism/v1".to_owned(),
            plugin_type: plugin.metadata().plugin_type.as_str().to_owned(),
        }),
    }
}

/// A memory limit as rudder reads it: omitted or negative → the Extism
/// default (`None`), otherwise exactly the value (0 disables).
#[cfg_attr(
    not(feature = "wasm"),
    allow(dead_code, reason = "only used by the Wasm runtime")
)]
fn limit(v: Option<i64>) -> Option<u64> {
    v.and_then(|n| u64::try_from(n).ok())
}

#[cfg(feature = "wasm")]
mod imp {
    use std::path::PathBuf;
    use std::sync::OnceLock;
    use std::time::Duration;

    use rudder_extism::{CallError, Engine, EngineConfig, InstancePool, Output, Sandbox, Stdin};

    use super::{WasmIo, extism_config, limit};
    use crate::discovery::{Plugin, WASM_FILE_NAME};
    use crate::error::InvokeError;

    /// The Wasm engine, created on first use.
    #[derive(Default)]
    pub(crate) struct WasmRuntime {
        cache_dir: Option<PathBuf>,
        /// Pooled instance slots (see `PluginHost::with_pooled_instances`).
        max_instances: Option<u32>,
        engine: OnceLock<Result<Engine, String>>,
    }

    impl std::fmt::Debug for WasmRuntime {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("WasmRuntime")
                .field("cache_dir", &self.cache_dir)
                .finish_non_exhaustive()
        }
    }

    impl WasmRuntime {
        pub(crate) fn new(cache_dir: Option<PathBuf>) -> WasmRuntime {
            WasmRuntime {
                cache_dir,
                max_instances: None,
                engine: OnceLock::new(),
            }
        }

        /// Use pooled instance slots; takes effect if the engine does not
        /// exist yet (it is created on the first call).
        pub(crate) fn set_pooled_instances(&mut self, max_instances: u32) {
            self.max_instances = Some(max_instances);
        }

        fn engine(&self) -> Result<&Engine, InvokeError> {
            self.engine
                .get_or_init(|| {
                    Engine::new(EngineConfig {
                        cache_dir: self.cache_dir.clone(),
                        instance_pool: self.max_instances.map(|max_instances| InstancePool {
                            max_instances,
                            ..InstancePool::default()
                        }),
                    })
                    .map_err(|e| e.to_string())
                })
                .as_ref()
                .map_err(|e| InvokeError::WasmSetup(e.clone()))
        }

        /// Call the plugin's entry function with `input`; the raw output.
        pub(crate) fn call(
            &self,
            plugin: &Plugin,
            input: &[u8],
            io: WasmIo,
        ) -> Result<Vec<u8>, InvokeError> {
            let cfg = extism_config(plugin)?;
            if let Some(f) = cfg.host_functions.first() {
                return Err(InvokeError::HostFunction(f.clone()));
            }
            let engine = self.engine()?;
            let module = engine
                .load_file(&plugin.dir().join(WASM_FILE_NAME))
                .map_err(|e| InvokeError::WasmSetup(e.to_string()))?;
            let (stdin, stdout, stderr) = if io.inherit_stdio {
                (Stdin::Inherit, Output::Inherit, Output::Inherit)
            } else {
                (Stdin::None, Output::None, Output::None)
            };
            let sandbox = Sandbox {
                config: cfg.config.clone(),
                allowed_hosts: cfg.allowed_hosts.clone(),
                max_pages: (cfg.memory.max_pages != 0).then_some(cfg.memory.max_pages),
                max_http_response_bytes: limit(cfg.memory.max_http_response_bytes),
                max_var_bytes: limit(cfg.memory.max_var_bytes),
                timeout: (cfg.timeout_ms != 0).then(|| Duration::from_millis(cfg.timeout_ms)),
                temp_dir: cfg.create_temp_dir,
                env: io.env,
                stdin,
                stdout,
                stderr,
                max_output_bytes: None,
            };
            let mut instance = rudder_extism::Plugin::new(engine, &module, sandbox)
                .map_err(|e| InvokeError::WasmSetup(e.to_string()))?;
            let entry = cfg.entry_function();
            if !instance.function_exists(entry) {
                // go-sdk's wording, which Helm shows.
                return Err(InvokeError::Wasm(format!("unknown function: {entry}")));
            }
            instance.call(entry, input).map_err(|e| match e {
                CallError::Guest { message, .. } => InvokeError::Wasm(message),
                CallError::ReturnCode(code) => InvokeError::Exit {
                    name: plugin.name().to_owned(),
                    code,
                },
                other => InvokeError::Wasm(other.to_string()),
            })
        }
    }
}

#[cfg(not(feature = "wasm"))]
mod imp {
    use std::path::PathBuf;

    use super::{WasmIo, extism_config};
    use crate::discovery::Plugin;
    use crate::error::InvokeError;

    /// Stand-in when the `wasm` feature is off: every call fails clearly.
    #[derive(Debug, Default)]
    pub(crate) struct WasmRuntime;

    impl WasmRuntime {
        pub(crate) fn new(_cache_dir: Option<PathBuf>) -> WasmRuntime {
            WasmRuntime
        }

        pub(crate) fn set_pooled_instances(&mut self, _max_instances: u32) {}

        pub(crate) fn call(
            &self,
            plugin: &Plugin,
            _input: &[u8],
            _io: WasmIo,
        ) -> Result<Vec<u8>, InvokeError> {
            extism_config(plugin)?;
            Err(InvokeError::WasmUnavailable(plugin.name().to_owned()))
        }
    }
}

pub(crate) use imp::WasmRuntime;

/// Decode a plugin's JSON answer with Go's rules, with Helm's error text.
/// Syntax is checked with rudder's Go-compatible JSON scanner first, so the
/// messages are Go's (`unexpected end of JSON input`, `invalid character …`).
pub(crate) fn decode_output<T: rudder_plugin_api::GoDecode + Default>(
    out: &[u8],
) -> Result<T, InvokeError> {
    // std's validator has a word-at-a-time ASCII path; the lossy decoder
    // walks chunk by chunk, which shows on multi-MiB outputs.
    let text = match std::str::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(out),
    };
    // Decode first and only look for Go's syntax-error text when decoding
    // failed: on the happy path a multi-MiB output is parsed once, not
    // also into a throwaway value tree.
    rudder_plugin_api::from_json::<T>(text.as_bytes()).map_err(
        |decode| match rudder_yaml::from_json(&text) {
            Err(syntax) => InvokeError::Output(syntax.to_string()),
            Ok(_) => InvokeError::Output(decode.to_string()),
        },
    )
}

/// Encode a message with Go's rules.
pub(crate) fn encode_input<T: serde::Serialize>(msg: &T) -> Result<Vec<u8>, InvokeError> {
    encode_input_sized(msg, 0)
}

/// [`encode_input`] into a buffer of `capacity` bytes to start with.
pub(crate) fn encode_input_sized<T: serde::Serialize>(
    msg: &T,
    capacity: usize,
) -> Result<Vec<u8>, InvokeError> {
    rudder_plugin_api::to_json_sized(msg, capacity)
        .map_err(|e| InvokeError::Io(format!("failed to json marshal plugin input message: {e}")))
}
