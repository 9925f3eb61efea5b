//! [`PluginHost`]: runs plugins with the environment Helm gives them, and
//! the per-type entry points (CLI command, getter, post-renderer, hooks,
//! test).

use std::collections::BTreeMap;
use std::path::PathBuf;

use rudder_env::Settings;
use rudder_plugin_api::{cli, getter, postrenderer, test};

use crate::discovery::Plugin;
use crate::env::{helm_env_vars, process_env_map};
use crate::error::InvokeError;
use crate::metadata::{Config, PluginType, RuntimeKind};
use crate::quote::go_quote;
use crate::subprocess;
use crate::wasm::{WasmIo, WasmRuntime, decode_output, encode_input, encode_input_sized};

/// A plugin lifecycle event with a hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookEvent {
    /// After `plugin install`.
    Install,
    /// After `plugin update`.
    Update,
    /// After `plugin uninstall` (the directory is already gone).
    Delete,
}

impl HookEvent {
    /// The event name in `platformHooks`.
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::Install => "install",
            HookEvent::Update => "update",
            HookEvent::Delete => "delete",
        }
    }
}

/// A post-renderer run that failed, with Helm's texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostRenderError {
    /// The plugin failed: `failed to invoke post-renderer plugin "x": …`.
    #[error("failed to invoke post-renderer plugin {}: {cause}", go_quote(name))]
    Invoke {
        /// The plugin name.
        name: String,
        /// Why.
        cause: InvokeError,
    },
    /// The plugin printed nothing but whitespace.
    #[error("post-renderer {} produced empty output", go_quote(.0))]
    Empty(String),
}

/// A getter run that failed: `plugin "x" failed to invoke: …` (Helm prints
/// the whole Go plugin struct where rudder prints the name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("plugin {} failed to invoke: {cause}", go_quote(name))]
pub struct GetterError {
    /// The plugin name.
    pub name: String,
    /// Why.
    pub cause: InvokeError,
}

/// Runs plugins. Holds the `HELM_*` variables Helm passes (its
/// `EnvVars()`), the process environment, and the Wasm engine (created on
/// first use, with its compiled-module cache).
#[derive(Debug)]
pub struct PluginHost {
    helm_env: BTreeMap<String, String>,
    process_env: BTreeMap<String, String>,
    wasm: WasmRuntime,
}

impl PluginHost {
    /// A host passing `helm_env` as Helm's settings variables, caching
    /// compiled Wasm modules in `wasm_cache_dir` (none: memory only). The
    /// process environment is read now.
    pub fn new(helm_env: BTreeMap<String, String>, wasm_cache_dir: Option<PathBuf>) -> PluginHost {
        PluginHost {
            helm_env,
            process_env: process_env_map(),
            wasm: WasmRuntime::new(wasm_cache_dir),
        }
    }

    /// A host for these settings: `HELM_*` variables from `settings`
    /// (`helm_bin` is `HELM_BIN`, the namespace is resolved the usual way)
    /// and the Wasm cache in `$HELM_CACHE_HOME/rudder/wasm`.
    pub fn from_settings(settings: &Settings, helm_bin: &str) -> PluginHost {
        let namespace = settings.namespace(&rudder_env::process_env);
        PluginHost::new(
            helm_env_vars(settings, helm_bin, &namespace),
            Some(settings.paths.cache_path("rudder/wasm")),
        )
    }

    /// Replace the process environment plugins inherit (for embedders and
    /// tests).
    pub fn with_process_env(mut self, env: BTreeMap<String, String>) -> PluginHost {
        self.process_env = env;
        self
    }

    /// Keep up to `max_instances` Wasm plugin instances' memory mapped and
    /// reuse it across calls (wasmtime's pooling allocator, see
    /// `rudder_extism::InstancePool`). For programs that make many plugin
    /// calls: a warm 5 MiB post-render call takes ~15% less time, but
    /// setting the pool up adds ~0.2 ms to the first call, which is why a
    /// one-shot `rudder` command does not use it. More than `max_instances`
    /// plugins running at once fail to start. Set it before the first call.
    pub fn with_pooled_instances(mut self, max_instances: u32) -> PluginHost {
        self.wasm.set_pooled_instances(max_instances);
        self
    }

    /// The `HELM_*` variables passed to plugins.
    pub fn helm_env(&self) -> &BTreeMap<String, String> {
        &self.helm_env
    }

    /// The process environment overlaid by the `HELM_*` variables (what
    /// `plugin.complete` gets, before the plugin's own variables).
    pub(crate) fn process_env_for_completion(&self) -> BTreeMap<String, String> {
        let mut env = self.process_env.clone();
        env.extend(self.helm_env.iter().map(|(k, v)| (k.clone(), v.clone())));
        env
    }

    /// Run a `cli/v1` plugin with the user's forwarded arguments (after
    /// global-flag extraction; dropped entirely when the plugin sets
    /// `ignoreFlags`), on the process's stdin, stdout and stderr.
    pub fn run_cli(&self, plugin: &Plugin, args: &[String]) -> Result<(), InvokeError> {
        let args: &[String] = match &plugin.metadata().config {
            Config::Cli(c) if c.ignore_flags => &[],
            _ => args,
        };
        match plugin.metadata().runtime {
            RuntimeKind::Subprocess => subprocess::run_cli(
                plugin,
                args,
                subprocess::plugin_env(plugin, &self.process_env, Some(&self.helm_env)),
            ),
            RuntimeKind::ExtismV1 => {
                let input = encode_input(&cli::Input {
                    extra_args: args.to_vec(),
                })?;
                // Helm gives Wasm CLI plugins the whole process environment
                // plus its settings, but not HELM_PLUGIN_NAME/DIR.
                let mut env = self.process_env.clone();
                env.extend(self.helm_env.iter().map(|(k, v)| (k.clone(), v.clone())));
                let out = self.wasm.call(
                    plugin,
                    &input,
                    WasmIo {
                        env: env.into_iter().collect(),
                        inherit_stdio: true,
                    },
                )?;
                decode_output::<cli::Output>(&out).map(|_| ())
            }
        }
    }

    /// Download `href` with a `getter/v1` plugin.
    pub fn get(
        &self,
        plugin: &Plugin,
        href: &str,
        options: getter::GetterOptions,
    ) -> Result<Vec<u8>, GetterError> {
        let wrap = |cause| GetterError {
            name: plugin.name().to_owned(),
            cause,
        };
        let input = getter::Input {
            href: href.to_owned(),
            protocol: url_scheme(href),
            options,
        };
        match plugin.metadata().runtime {
            RuntimeKind::Subprocess => subprocess::run_getter(
                plugin,
                &input,
                subprocess::plugin_env(plugin, &self.process_env, Some(&self.helm_env)),
            )
            .map_err(wrap),
            RuntimeKind::ExtismV1 => {
                let bytes = encode_input(&input).map_err(wrap)?;
                let out = self
                    .wasm
                    .call(
                        plugin,
                        &bytes,
                        WasmIo {
                            env: self.helm_env.clone().into_iter().collect(),
                            inherit_stdio: false,
                        },
                    )
                    .map_err(wrap)?;
                decode_output::<getter::Output>(&out)
                    .map(|o| o.data)
                    .map_err(wrap)
            }
        }
    }

    /// Run a `postrenderer/v1` plugin over `manifests` with
    /// `--post-renderer-args`; its output must not be blank.
    pub fn post_render(
        &self,
        plugin: &Plugin,
        manifests: &str,
        extra_args: &[String],
    ) -> Result<String, PostRenderError> {
        let wrap = |cause| PostRenderError::Invoke {
            name: plugin.name().to_owned(),
            cause,
        };
        let out = match plugin.metadata().runtime {
            RuntimeKind::Subprocess => {
                // Helm passes no settings variables to post-renderers.
                let bytes = subprocess::run_postrenderer(
                    plugin,
                    manifests,
                    extra_args,
                    subprocess::plugin_env(plugin, &self.process_env, None),
                )
                .map_err(wrap)?;
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
            RuntimeKind::ExtismV1 => {
                let input = encode_input_sized(
                    &PostRenderInputRef {
                        manifests,
                        extra_args,
                    },
                    manifests.len() + manifests.len() / 8 + 64,
                )
                .map_err(wrap)?;
                let out = self
                    .wasm
                    .call(plugin, &input, WasmIo::default())
                    .map_err(wrap)?;
                decode_output::<postrenderer::Output>(&out)
                    .map_err(wrap)?
                    .manifests
            }
        };
        if out.trim().is_empty() {
            return Err(PostRenderError::Empty(plugin.name().to_owned()));
        }
        Ok(out)
    }

    /// Run the plugin's hook for `event`, if it has one. Wasm plugins have
    /// no hooks (as in Helm).
    pub fn run_hook(&self, plugin: &Plugin, event: HookEvent) -> Result<(), InvokeError> {
        match plugin.metadata().runtime {
            RuntimeKind::Subprocess => subprocess::run_hook(
                plugin,
                event.as_str(),
                subprocess::plugin_env(plugin, &self.process_env, None),
            ),
            RuntimeKind::ExtismV1 => Ok(()),
        }
    }

    /// Invoke a `test/v1` plugin (Wasm only, as in Helm).
    pub fn invoke_test(
        &self,
        plugin: &Plugin,
        input: &test::Input,
    ) -> Result<test::Output, InvokeError> {
        if plugin.metadata().plugin_type != PluginType::Test
            || plugin.metadata().runtime != RuntimeKind::ExtismV1
        {
            return Err(InvokeError::Unsupported {
                runtime: plugin.metadata().runtime.as_str().to_owned(),
                plugin_type: plugin.metadata().plugin_type.as_str().to_owned(),
            });
        }
        let bytes = encode_input(input)?;
        let out = self.wasm.call(plugin, &bytes, WasmIo::default())?;
        decode_output::<test::Output>(&out)
    }
}

/// `postrenderer::Input` by reference: the manifests can be many MiB, and
/// encoding must not start with a copy of them. Same fields, same order.
#[derive(serde::Serialize)]
struct PostRenderInputRef<'a> {
    manifests: &'a str,
    #[serde(rename = "extraArgs")]
    extra_args: &'a [String],
}

/// The scheme of a URL (Go's `url.Parse(href).Scheme`, lower-cased), or ""
/// when it has none.
pub fn url_scheme(href: &str) -> String {
    let Some(i) = href.find(':') else {
        return String::new();
    };
    let s = &href[..i];
    let valid = s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if valid {
        s.to_ascii_lowercase()
    } else {
        String::new()
    }
}
