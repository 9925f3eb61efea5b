//! `plugin.yaml`: the v1 format (strict) and the legacy Helm 3 format
//! (lenient, always a subprocess plugin), both converted to one
//! [`Metadata`], with Helm 4.2's validation order and error texts.
//!
//! Load pipeline (Helm's `loadMetadata`): peek the first document's
//! `apiVersion` (leniently), dispatch on it (`""` → legacy, `v1` → v1,
//! anything else is an error), decode and validate the format, convert,
//! then validate the converted metadata (all its errors joined by newlines).

use std::collections::BTreeMap;
use std::fmt;

use rudder_value::Map;
use rudder_yaml::node::Node;

use crate::quote::go_quote;
use crate::yamlv3::{Decoder, remarshal};
use rudder_semver::is_strict_semver;

/// A plugin type: what the plugin is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PluginType {
    /// `cli/v1`: a `rudder <name>` subcommand.
    Cli,
    /// `getter/v1`: downloads URLs of its schemes.
    Getter,
    /// `postrenderer/v1`: rewrites rendered manifests.
    PostRenderer,
    /// `test/v1`: Helm's test-only type.
    Test,
}

impl PluginType {
    /// Every type, in Helm's registry order.
    pub const ALL: [PluginType; 4] = [
        PluginType::Test,
        PluginType::Cli,
        PluginType::Getter,
        PluginType::PostRenderer,
    ];

    /// The `type` value (`cli/v1`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PluginType::Cli => "cli/v1",
            PluginType::Getter => "getter/v1",
            PluginType::PostRenderer => "postrenderer/v1",
            PluginType::Test => "test/v1",
        }
    }

    /// Parse a `type` value.
    pub fn parse(s: &str) -> Option<PluginType> {
        PluginType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl fmt::Display for PluginType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a plugin runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuntimeKind {
    /// `subprocess`: an executable.
    Subprocess,
    /// `extism/v1`: `plugin.wasm` in rudder's Wasm sandbox.
    ExtismV1,
}

impl RuntimeKind {
    /// The `runtime` value.
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeKind::Subprocess => "subprocess",
            RuntimeKind::ExtismV1 => "extism/v1",
        }
    }
}

impl fmt::Display for RuntimeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plugin's metadata, from either format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// `v1`, or `legacy` for the Helm 3 format (shown by `plugin list`).
    pub api_version: String,
    /// The plugin name (`^[A-Za-z0-9_-]+$`).
    pub name: String,
    /// The plugin type.
    pub plugin_type: PluginType,
    /// The runtime.
    pub runtime: RuntimeKind,
    /// Strict SemVer; may be empty for legacy plugins.
    pub version: String,
    /// Where the plugin comes from (v1 only; informational).
    pub source_url: String,
    /// Type-specific configuration.
    pub config: Config,
    /// Runtime-specific configuration.
    pub runtime_config: RuntimeConfig,
}

/// `config`, per type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Config {
    /// `cli/v1`.
    Cli(CliConfig),
    /// `getter/v1`.
    Getter(GetterConfig),
    /// `postrenderer/v1` (no keys).
    PostRenderer,
    /// `test/v1` (no keys).
    Test,
}

/// `cli/v1` configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliConfig {
    /// The usage line; its first word is the subcommand name. Empty means
    /// the plugin name.
    pub usage: String,
    /// One-line help (default `the "<name>" plugin`).
    pub short_help: String,
    /// Long help.
    pub long_help: String,
    /// Forward no user arguments at all.
    pub ignore_flags: bool,
}

/// `getter/v1` configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetterConfig {
    /// URL schemes served.
    pub protocols: Vec<String>,
}

/// `runtimeConfig`, per runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeConfig {
    /// `subprocess`.
    Subprocess(SubprocessConfig),
    /// `extism/v1`.
    Extism(ExtismConfig),
}

/// One command candidate, selected by OS and architecture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlatformCommand {
    /// Go `GOOS` name (`linux`, `darwin`, `windows`); empty = any.
    pub os: String,
    /// Go `GOARCH` name (`amd64`, `arm64`); empty = any.
    pub arch: String,
    /// The command line, split on single spaces.
    pub command: String,
    /// Extra arguments.
    pub args: Vec<String>,
}

/// A getter's command for some protocols.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolCommand {
    /// The schemes this command serves.
    pub protocols: Vec<String>,
    /// The command candidates.
    pub platform_command: Vec<PlatformCommand>,
}

/// `runtimeConfig` of a subprocess plugin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubprocessConfig {
    /// The command (cli/v1, postrenderer/v1).
    pub platform_command: Vec<PlatformCommand>,
    /// Hook commands per event (`install`, `update`, `delete`).
    pub platform_hooks: BTreeMap<String, Vec<PlatformCommand>>,
    /// Getter commands per protocol (getter/v1).
    pub protocol_commands: Vec<ProtocolCommand>,
    /// Whether hook arguments are `$VAR`-expanded: true except for legacy
    /// string `hooks` (which run through `sh -c`, where the shell expands)
    /// and for every v1 plugin (Helm never sets it for v1).
    pub expand_hook_args: bool,
}

/// `runtimeConfig.memory` of a Wasm plugin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtismMemory {
    /// Memory budget in 64 KiB pages; 0 = no limit.
    pub max_pages: u32,
    /// Largest HTTP response body; `None` when omitted (see
    /// [`ExtismConfig`] for what rudder does then).
    pub max_http_response_bytes: Option<i64>,
    /// Variable store limit; `None` when omitted.
    pub max_var_bytes: Option<i64>,
}

/// `runtimeConfig` of an `extism/v1` plugin.
///
/// # Omitted memory limits: rudder differs from Helm on purpose
///
/// Helm 4.2 turns an omitted `memory.maxHttpResponseBytes` or
/// `memory.maxVarBytes` into 0, which go-sdk reads as "disabled": every
/// non-empty HTTP response fails and `var_set` traps, although Helm's own
/// comments promise 4 KiB defaults. rudder treats *omitted* as Extism's
/// defaults (50 MiB responses, 1 MiB of vars). Reaching the network still
/// needs `allowedHosts`, and all memory stays inside `maxPages`, so this
/// grants no new capability. An explicit `0` keeps Helm's meaning
/// (disabled), and a negative value means Extism's default, as in go-sdk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtismConfig {
    /// Memory limits.
    pub memory: ExtismMemory,
    /// Values the guest reads with `config_get`.
    pub config: BTreeMap<String, String>,
    /// Host globs the guest may reach over HTTP; empty = none.
    pub allowed_hosts: Vec<String>,
    /// Give the guest a fresh `/tmp` per call; otherwise no filesystem.
    pub create_temp_dir: bool,
    /// Call timeout in milliseconds; 0 = none.
    pub timeout_ms: u64,
    /// Host functions requested; Helm (and rudder) provide none, so any
    /// entry makes invocation fail.
    pub host_functions: Vec<String>,
    /// The export to call; empty = `helm_plugin_main`.
    pub entry_func_name: String,
}

impl ExtismConfig {
    /// The export to call.
    pub fn entry_function(&self) -> &str {
        if self.entry_func_name.is_empty() {
            rudder_plugin_api::DEFAULT_ENTRY_FUNCTION
        } else {
            &self.entry_func_name
        }
    }
}

/// A `plugin.yaml` that Helm would refuse, with Helm's message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MetadataError {
    message: String,
}

impl MetadataError {
    fn new(message: impl Into<String>) -> MetadataError {
        MetadataError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Helm's plugin name rule, `^[A-Za-z0-9_-]+$`.
pub fn is_valid_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Parse and validate `plugin.yaml` contents.
pub fn parse_metadata(data: &[u8]) -> Result<Metadata, MetadataError> {
    let text = std::str::from_utf8(data).map_err(|_| {
        MetadataError::new(
            "failed to peek plugin.yaml API version: yaml: invalid leading UTF-8 octet",
        )
    })?;
    // Helm's YAML reader drops a UTF-8 byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let peek_err =
        |m: String| MetadataError::new(format!("failed to peek plugin.yaml API version: {m}"));
    let doc = match rudder_yaml::node::parse_first_document(text) {
        Ok(Some(doc)) => doc,
        Ok(None) => return Err(peek_err("EOF".to_owned())),
        Err(e) => return Err(peek_err(e.to_string())),
    };
    let mut api_version = String::new();
    let mut dec = Decoder::new(&doc, false);
    dec.structure(&doc, "plugin.apiVersion", &["apiVersion"], |d, _, v| {
        d.string(v, &mut api_version);
    });
    dec.finish(()).map_err(peek_err)?;
    match api_version.as_str() {
        "" => load_legacy(&doc),
        "v1" => load_v1(&doc),
        other => Err(MetadataError::new(format!(
            "invalid plugin apiVersion: {}",
            go_quote(other)
        ))),
    }
}

fn platform_command(d: &mut Decoder<'_>, n: &Node, out: &mut PlatformCommand) -> bool {
    d.structure(
        n,
        "plugin.PlatformCommand",
        &["os", "arch", "command", "args"],
        |d, f, v| match f {
            "os" => d.string(v, &mut out.os),
            "arch" => d.string(v, &mut out.arch),
            "command" => d.string(v, &mut out.command),
            _ => d.strings(v, &mut out.args),
        },
    );
    true
}

fn platform_commands(d: &mut Decoder<'_>, n: &Node, out: &mut Vec<PlatformCommand>) {
    d.list(n, "[]plugin.PlatformCommand", out, platform_command);
}

fn platform_hooks(d: &mut Decoder<'_>, n: &Node, out: &mut BTreeMap<String, Vec<PlatformCommand>>) {
    d.string_map(n, "plugin.PlatformHooks", out, platform_commands);
}

/// Helm's legacy `sanitizeString`: whitespace becomes a space and
/// non-printable characters are dropped.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if crate::quote::is_go_printable(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

#[derive(Default)]
struct Downloader {
    protocols: Vec<String>,
    command: String,
}

fn load_legacy(doc: &Node) -> Result<Metadata, MetadataError> {
    let (mut name, mut version, mut usage, mut description, mut command) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    let mut platform_command_list = Vec::new();
    let mut ignore_flags = false;
    let mut hooks_platform = BTreeMap::new();
    let mut hooks: BTreeMap<String, String> = BTreeMap::new();
    let mut downloaders: Vec<Downloader> = Vec::new();
    let mut dec = Decoder::new(doc, false);
    dec.structure(
        doc,
        "plugin.MetadataLegacy",
        &[
            "name",
            "version",
            "usage",
            "description",
            "platformCommand",
            "command",
            "ignoreFlags",
            "platformHooks",
            "hooks",
            "downloaders",
        ],
        |d, f, v| match f {
            "name" => d.string(v, &mut name),
            "version" => d.string(v, &mut version),
            "usage" => d.string(v, &mut usage),
            "description" => d.string(v, &mut description),
            "platformCommand" => platform_commands(d, v, &mut platform_command_list),
            "command" => d.string(v, &mut command),
            "ignoreFlags" => d.boolean(v, &mut ignore_flags),
            "platformHooks" => platform_hooks(d, v, &mut hooks_platform),
            "hooks" => d.string_map(v, "plugin.Hooks", &mut hooks, |d, n, s| d.string(n, s)),
            _ => d.list(v, "[]plugin.Downloaders", &mut downloaders, |d, n, dl| {
                d.structure(
                    n,
                    "plugin.Downloaders",
                    &["protocols", "command"],
                    |d, f, v| {
                        if f == "protocols" {
                            d.strings(v, &mut dl.protocols);
                        } else {
                            d.string(v, &mut dl.command);
                        }
                    },
                );
                true
            }),
        },
    );
    dec.finish(()).map_err(MetadataError::new)?;

    // MetadataLegacy.Validate: the first failure wins.
    if !is_valid_plugin_name(&name) {
        return Err(MetadataError::new(format!(
            "invalid plugin name {}: must contain only a-z, A-Z, 0-9, _ and -",
            go_quote(&name)
        )));
    }
    if !version.is_empty() && !is_strict_semver(&version) {
        return Err(MetadataError::new(format!(
            "invalid plugin version {}: must be valid semver",
            go_quote(&version)
        )));
    }
    let usage = sanitize(&usage);
    if !platform_command_list.is_empty() && !command.is_empty() {
        return Err(MetadataError::new(
            "both platformCommand and command are set",
        ));
    }
    if !hooks_platform.is_empty() && !hooks.is_empty() {
        return Err(MetadataError::new("both platformHooks and hooks are set"));
    }
    for (i, d) in downloaders.iter().enumerate() {
        if d.command.is_empty() {
            return Err(MetadataError::new(format!(
                "downloader {i} has empty command"
            )));
        }
        if d.protocols.is_empty() {
            return Err(MetadataError::new(format!(
                "downloader {i} has no protocols"
            )));
        }
        if let Some(j) = d.protocols.iter().position(String::is_empty) {
            return Err(MetadataError::new(format!(
                "downloader {i} has empty protocol at index {j}"
            )));
        }
    }

    // fromMetadataLegacy: downloaders make it a getter, and then its
    // command is not a CLI subcommand any more (helm/helm#31500).
    let plugin_type = if downloaders.is_empty() {
        PluginType::Cli
    } else {
        PluginType::Getter
    };
    let config = match plugin_type {
        PluginType::Getter => Config::Getter(GetterConfig {
            protocols: downloaders
                .iter()
                .flat_map(|d| d.protocols.clone())
                .collect(),
        }),
        _ => Config::Cli(CliConfig {
            usage: String::new(),
            short_help: usage,
            long_help: description,
            ignore_flags,
        }),
    };
    let protocol_commands = downloaders
        .iter()
        .map(|d| ProtocolCommand {
            protocols: d.protocols.clone(),
            platform_command: vec![PlatformCommand {
                command: d.command.clone(),
                ..PlatformCommand::default()
            }],
        })
        .collect();
    let platform_command = if platform_command_list.is_empty() && !command.is_empty() {
        vec![PlatformCommand {
            command,
            ..PlatformCommand::default()
        }]
    } else {
        platform_command_list
    };
    let mut expand_hook_args = true;
    let platform_hooks = if hooks_platform.is_empty() && !hooks.is_empty() {
        expand_hook_args = false;
        hooks
            .into_iter()
            .map(|(event, cmd)| {
                (
                    event,
                    vec![PlatformCommand {
                        command: "sh".to_owned(),
                        args: vec!["-c".to_owned(), cmd],
                        ..PlatformCommand::default()
                    }],
                )
            })
            .collect()
    } else {
        hooks_platform
    };
    let m = Metadata {
        api_version: "legacy".to_owned(),
        name,
        plugin_type,
        runtime: RuntimeKind::Subprocess,
        version,
        source_url: String::new(),
        config,
        runtime_config: RuntimeConfig::Subprocess(SubprocessConfig {
            platform_command,
            platform_hooks,
            protocol_commands,
            expand_hook_args,
        }),
    };
    validate(&m)?;
    Ok(m)
}

fn load_v1(doc: &Node) -> Result<Metadata, MetadataError> {
    let (mut api_version, mut name, mut ptype, mut runtime, mut version, mut source_url) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    let mut config = Map::new();
    let mut runtime_config = Map::new();
    let mut dec = Decoder::new(doc, true);
    dec.structure(
        doc,
        "plugin.MetadataV1",
        &[
            "apiVersion",
            "name",
            "type",
            "runtime",
            "version",
            "sourceURL",
            "config",
            "runtimeConfig",
        ],
        |d, f, v| match f {
            "apiVersion" => d.string(v, &mut api_version),
            "name" => d.string(v, &mut name),
            "type" => d.string(v, &mut ptype),
            "runtime" => d.string(v, &mut runtime),
            "version" => d.string(v, &mut version),
            "sourceURL" => d.string(v, &mut source_url),
            "config" => d.any_map(v, &mut config),
            _ => d.any_map(v, &mut runtime_config),
        },
    );
    dec.finish(()).map_err(MetadataError::new)?;

    // MetadataV1.Validate: the first failure wins.
    if !is_valid_plugin_name(&name) {
        return Err(MetadataError::new("invalid plugin `name`"));
    }
    if version.is_empty() {
        return Err(MetadataError::new("plugin `version` is required"));
    }
    if !is_strict_semver(&version) {
        return Err(MetadataError::new(format!(
            "invalid plugin `version` {}: must be valid semver",
            go_quote(&version)
        )));
    }
    if api_version != "v1" {
        return Err(MetadataError::new(format!(
            "invalid `apiVersion`: {}",
            go_quote(&api_version)
        )));
    }
    if ptype.is_empty() {
        return Err(MetadataError::new("`type` missing"));
    }
    if runtime.is_empty() {
        return Err(MetadataError::new("`runtime` missing"));
    }

    let convert =
        |m: String| MetadataError::new(format!("failed to convert MetadataV1 to Metadata: {m}"));
    let plugin_type = PluginType::parse(&ptype)
        .ok_or_else(|| convert(format!("unknown plugin type {}", go_quote(&ptype))))?;
    let config = decode_config(plugin_type, &config).map_err(convert)?;
    let runtime_kind = match runtime.as_str() {
        "subprocess" => RuntimeKind::Subprocess,
        "extism/v1" => RuntimeKind::ExtismV1,
        other => {
            return Err(convert(format!(
                "unsupported plugin runtime type: {}",
                go_quote(other)
            )));
        }
    };
    let runtime_config = decode_runtime_config(runtime_kind, &runtime_config).map_err(|e| {
        convert(format!(
            "failed to unmarshal runtimeConfig for {runtime} runtime: {e}"
        ))
    })?;
    let m = Metadata {
        api_version,
        name,
        plugin_type,
        runtime: runtime_kind,
        version,
        source_url,
        config,
        runtime_config,
    };
    validate(&m)?;
    Ok(m)
}

/// Helm's `unmarshalConfig`: re-marshal, then decode strictly.
fn decode_config(t: PluginType, raw: &Map) -> Result<Config, String> {
    let doc = remarshal(raw)?;
    let mut dec = Decoder::new(&doc, true);
    let config = match t {
        PluginType::Cli => {
            let mut c = CliConfig::default();
            dec.structure(
                &doc,
                "schema.ConfigCLIV1",
                &["usage", "shortHelp", "longHelp", "ignoreFlags"],
                |d, f, v| match f {
                    "usage" => d.string(v, &mut c.usage),
                    "shortHelp" => d.string(v, &mut c.short_help),
                    "longHelp" => d.string(v, &mut c.long_help),
                    _ => d.boolean(v, &mut c.ignore_flags),
                },
            );
            Config::Cli(c)
        }
        PluginType::Getter => {
            let mut c = GetterConfig::default();
            dec.structure(&doc, "schema.ConfigGetterV1", &["protocols"], |d, _, v| {
                d.strings(v, &mut c.protocols);
            });
            Config::Getter(c)
        }
        PluginType::PostRenderer => {
            dec.structure(&doc, "schema.ConfigPostRendererV1", &[], |_, _, _| {});
            Config::PostRenderer
        }
        PluginType::Test => {
            dec.structure(&doc, "schema.ConfigTestV1", &[], |_, _, _| {});
            Config::Test
        }
    };
    dec.finish(config)
}

/// Helm's `remarshalRuntimeConfig`: re-marshal, then decode leniently
/// (unknown keys are silently ignored, as in Helm).
fn decode_runtime_config(kind: RuntimeKind, raw: &Map) -> Result<RuntimeConfig, String> {
    let doc = remarshal(raw)?;
    let mut dec = Decoder::new(&doc, false);
    let rc = match kind {
        RuntimeKind::Subprocess => {
            let mut c = SubprocessConfig::default();
            dec.structure(
                &doc,
                "plugin.RuntimeConfigSubprocess",
                &["platformCommand", "platformHooks", "protocolCommands"],
                |d, f, v| match f {
                    "platformCommand" => platform_commands(d, v, &mut c.platform_command),
                    "platformHooks" => platform_hooks(d, v, &mut c.platform_hooks),
                    _ => d.list(
                        v,
                        "[]plugin.SubprocessProtocolCommand",
                        &mut c.protocol_commands,
                        |d, n, pc| {
                            d.structure(
                                n,
                                "plugin.SubprocessProtocolCommand",
                                &["protocols", "platformCommand"],
                                |d, f, v| {
                                    if f == "protocols" {
                                        d.strings(v, &mut pc.protocols);
                                    } else {
                                        platform_commands(d, v, &mut pc.platform_command);
                                    }
                                },
                            );
                            true
                        },
                    ),
                },
            );
            RuntimeConfig::Subprocess(c)
        }
        RuntimeKind::ExtismV1 => {
            let mut c = ExtismConfig::default();
            dec.structure(
                &doc,
                "plugin.RuntimeConfigExtismV1",
                &[
                    "memory",
                    "config",
                    "allowedHosts",
                    "fileSystem",
                    "timeout",
                    "hostFunctions",
                    "entryFuncName",
                ],
                |d, f, v| match f {
                    "memory" => d.structure(
                        v,
                        "plugin.RuntimeConfigExtismV1Memory",
                        &["maxPages", "maxHttpResponseBytes", "maxVarBytes"],
                        |d, f, v| match f {
                            "maxPages" => d.uint32(v, &mut c.memory.max_pages),
                            "maxHttpResponseBytes" => {
                                d.int64(v, &mut c.memory.max_http_response_bytes);
                            }
                            _ => d.int64(v, &mut c.memory.max_var_bytes),
                        },
                    ),
                    "config" => d.string_map(v, "map[string]string", &mut c.config, |d, n, s| {
                        d.string(n, s);
                    }),
                    "allowedHosts" => d.strings(v, &mut c.allowed_hosts),
                    "fileSystem" => d.structure(
                        v,
                        "plugin.RuntimeConfigExtismV1FileSystem",
                        &["createTempDir"],
                        |d, _, v| d.boolean(v, &mut c.create_temp_dir),
                    ),
                    "timeout" => d.uint64(v, &mut c.timeout_ms),
                    "hostFunctions" => d.strings(v, &mut c.host_functions),
                    _ => d.string(v, &mut c.entry_func_name),
                },
            );
            RuntimeConfig::Extism(c)
        }
    };
    dec.finish(rc)
}

/// Helm's `Metadata.Validate`: every failure, joined by newlines.
fn validate(m: &Metadata) -> Result<(), MetadataError> {
    let mut errs = Vec::new();
    if !is_valid_plugin_name(&m.name) {
        errs.push(format!(
            "invalid plugin name {}: must contain only a-z, A-Z, 0-9, _ and -",
            go_quote(&m.name)
        ));
    }
    if !m.version.is_empty() && !is_strict_semver(&m.version) {
        errs.push(format!(
            "invalid plugin version {}: must be valid semver",
            go_quote(&m.version)
        ));
    }
    if m.api_version.is_empty() {
        errs.push("empty APIVersion".to_owned());
    }
    if let Config::Getter(g) = &m.config {
        if g.protocols.is_empty() {
            errs.push("config validation failed: getter has no protocols".to_owned());
        } else if let Some(i) = g.protocols.iter().position(String::is_empty) {
            errs.push(format!(
                "config validation failed: getter has empty protocol at index {i}"
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(MetadataError::new(errs.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_usage() {
        assert_eq!(sanitize("a\tb\nc\u{0}d\u{200b}e"), "a b cde");
    }
}
