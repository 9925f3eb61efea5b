//! rudder's plugin system, compatible with Helm 4.2's: the same
//! `plugin.yaml` formats, directories, environment, invocation contracts
//! and error texts, so Helm plugins work unchanged.
//!
//! * [`parse_metadata`] / [`Plugin::load`]: `plugin.yaml` in the v1 format
//!   (strict) or the legacy Helm 3 format (lenient), validated as Helm 4.2
//!   does (strict SemVer versions: the CVE-2026-35204 path traversal cannot
//!   happen).
//! * [`discover`]: every plugin of every `HELM_PLUGINS` directory; broken
//!   plugins and name clashes become [`DiscoveryWarning`]s instead of
//!   failing the others.
//! * [`PluginHost`]: runs plugins, as subprocesses or as Wasm (`extism/v1`,
//!   through `rudder-extism`), per type: [`PluginHost::run_cli`],
//!   [`PluginHost::get`], [`PluginHost::post_render`],
//!   [`PluginHost::run_hook`], [`PluginHost::invoke_test`], and
//!   [`PluginHost::complete`] for shell completion.
//! * [`split_global_flags`]: Helm's global-flag extraction for CLI plugins.
//!
//! ```no_run
//! use rudder_plugin::{Descriptor, PluginHost, PluginType, discover, split_plugin_dirs};
//!
//! let settings = rudder_env::Settings::from_env(&rudder_env::process_env);
//! let found = discover(&split_plugin_dirs(&settings.plugins_directory));
//! let host = PluginHost::from_settings(&settings, "rudder");
//! let pr = found.find_one(&Descriptor {
//!     name: Some("kustomize".into()),
//!     plugin_type: Some(PluginType::PostRenderer),
//! })?;
//! let out = host.post_render(pr, "apiVersion: v1\nkind: ConfigMap\n", &[])?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Where rudder deliberately differs from Helm 4.2
//!
//! Each is a Helm bug or limitation; the module docs give the details.
//!
//! * `HELM_PLUGINS` is a path list everywhere (Helm passes it unsplit to
//!   getters, helm/helm#32646).
//! * Name clashes skip the later plugin only (Helm fails the directory, or
//!   stops registering CLI plugins).
//! * A plugin never fails to load because a cache directory is not
//!   writable.
//! * Wasm post-renderers receive and return the manifests as a JSON string
//!   (Helm's `*bytes.Buffer` fields make them unusable).
//! * A Wasm plugin returning a non-zero code without an error message is a
//!   clean `plugin "x" exited with error` (Helm panics).
//! * Omitted `maxHttpResponseBytes`/`maxVarBytes` mean Extism's defaults,
//!   not "disabled" ([`ExtismConfig`]).
//! * Absolute getter commands are used as they are (Helm prefixes the
//!   plugin directory again, hayorov/helm-gcs#255).
//! * Getter failures name the plugin (Helm prints its whole Go struct).
//!
//! Not here: `plugin install/uninstall/update/package/verify`, which live
//! in `rudder-plugin-install` (it runs hooks through
//! [`PluginHost::run_hook`]).

mod args;
mod command;
mod completion;
mod discovery;
mod env;
mod error;
mod host;
mod metadata;
mod provenance;
mod quote;
mod subprocess;
mod wasm;
mod yamlv3;

pub use args::{known_flags_as_assignments, split_global_flags};
pub use command::{
    PrepareError, go_arch, go_os, os_expand, prepare_command, prepare_command_for,
    select_platform_command,
};
pub use completion::{
    COMPLETION_EXECUTABLE, COMPLETION_FILE, Completion, CompletionSpec, DIRECTIVE_DEFAULT,
    DIRECTIVE_NO_FILE_COMP, load_completion_spec,
};
pub use discovery::{
    Descriptor, Discovery, DiscoveryWarning, LoadError, NotFound, PLUGIN_FILE_NAME, Plugin,
    WASM_FILE_NAME, clean_path, discover, split_plugin_dirs,
};
pub use env::{helm_env_vars, process_env_map};
pub use error::InvokeError;
pub use host::{GetterError, HookEvent, PluginHost, PostRenderError, url_scheme};
pub use metadata::{
    CliConfig, Config, ExtismConfig, ExtismMemory, GetterConfig, Metadata, MetadataError,
    PlatformCommand, PluginType, ProtocolCommand, RuntimeConfig, RuntimeKind, SubprocessConfig,
    is_valid_plugin_name, parse_metadata,
};
pub use provenance::signing_status;
pub use quote::go_quote;
pub use rudder_semver::is_strict_semver;

/// The message types, re-exported for callers of [`PluginHost`].
pub use rudder_plugin_api as api;
