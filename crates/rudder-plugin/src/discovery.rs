//! Finding plugins: every `<dir>/*/plugin.yaml` of every directory in
//! `HELM_PLUGINS`, in order.
//!
//! Where rudder differs from Helm 4.2, on purpose:
//!
//! * `HELM_PLUGINS` is a path list for every consumer. Helm splits it for
//!   CLI plugins, `plugin list` and `--post-renderer` but passes it whole to
//!   the getter lookup (so a list breaks getter plugins) and to the
//!   installers (helm/helm#32646, #32547).
//! * Two plugins with the same name: Helm fails the whole directory (and
//!   its CLI registration stops at the first clash, helm/helm#31427);
//!   rudder keeps the first one found, skips the other with a warning, and
//!   keeps every other plugin. This applies across directories too.
//! * Empty entries in the list (`a::b`) are skipped; Go would scan the
//!   current directory for them.
//! * Loading never depends on a writable cache directory (Helm fails every
//!   plugin when its wazero cache cannot be created, linode/apl-core#3548).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::metadata::{Config, Metadata, MetadataError, PluginType, RuntimeKind, parse_metadata};
use crate::quote::go_quote;

/// The file name Helm reads in each plugin directory.
pub const PLUGIN_FILE_NAME: &str = "plugin.yaml";

/// The Wasm module of an `extism/v1` plugin, in its directory.
pub const WASM_FILE_NAME: &str = "plugin.wasm";

/// A loaded plugin: where it is and what its `plugin.yaml` says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plugin {
    dir: PathBuf,
    metadata: Metadata,
}

impl Plugin {
    /// A plugin from parts (for embedders and tests).
    pub fn new(dir: PathBuf, metadata: Metadata) -> Plugin {
        Plugin { dir, metadata }
    }

    /// Load the plugin in `dir` (Helm's `LoadDir`).
    pub fn load(dir: &Path) -> Result<Plugin, LoadError> {
        let file = dir.join(PLUGIN_FILE_NAME);
        let data = std::fs::read(&file).map_err(|e| LoadError::Read {
            path: file.clone(),
            reason: go_io_error("open", &file, &e),
        })?;
        let metadata = parse_metadata(&data).map_err(|cause| LoadError::Metadata {
            dir: dir.to_path_buf(),
            cause,
        })?;
        if metadata.runtime == RuntimeKind::ExtismV1 {
            let wasm = dir.join(WASM_FILE_NAME);
            if let Err(e) = std::fs::metadata(&wasm) {
                if e.kind() == std::io::ErrorKind::NotFound {
                    return Err(LoadError::WasmMissing { path: wasm });
                }
                return Err(LoadError::WasmStat {
                    reason: go_io_error("stat", &wasm, &e),
                    path: wasm,
                });
            }
        }
        Ok(Plugin {
            dir: dir.to_path_buf(),
            metadata,
        })
    }

    /// The plugin directory, as found (`HELM_PLUGIN_DIR`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// The plugin name.
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// For a `cli/v1` plugin, the subcommand it registers: the first word
    /// of `usage`, else the plugin name (cobra's `Command.Name`).
    pub fn command_name(&self) -> &str {
        let usage = match &self.metadata.config {
            Config::Cli(c) if !c.usage.is_empty() => c.usage.as_str(),
            _ => return &self.metadata.name,
        };
        usage.split(' ').next().unwrap_or(usage)
    }

    /// For a `cli/v1` plugin, its one-line help (default `the "<name>" plugin`).
    pub fn short_help(&self) -> String {
        match &self.metadata.config {
            Config::Cli(c) if !c.short_help.is_empty() => c.short_help.clone(),
            _ => format!("the {} plugin", go_quote(&self.metadata.name)),
        }
    }

    /// The URL schemes a getter plugin serves.
    pub fn protocols(&self) -> &[String] {
        match &self.metadata.config {
            Config::Getter(g) => &g.protocols,
            _ => &[],
        }
    }
}

/// A plugin directory that could not be loaded, with Helm's message.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// `plugin.yaml` could not be read.
    #[error("failed to read plugin at {}: {reason}", go_quote(&path.to_string_lossy()))]
    Read {
        /// The file.
        path: PathBuf,
        /// Go's `open <path>: <reason>` text.
        reason: String,
    },
    /// `plugin.yaml` is invalid.
    #[error("failed to load plugin {}: {cause}", go_quote(&dir.to_string_lossy()))]
    Metadata {
        /// The plugin directory.
        dir: PathBuf,
        /// What is wrong.
        cause: MetadataError,
    },
    /// An `extism/v1` plugin without `plugin.wasm`.
    #[error("wasm binary missing for extism/v1 plugin: {}", go_quote(&path.to_string_lossy()))]
    WasmMissing {
        /// The expected path.
        path: PathBuf,
    },
    /// `plugin.wasm` exists but cannot be inspected.
    #[error("failed to stat extism/v1 plugin wasm binary {}: {reason}", go_quote(&path.to_string_lossy()))]
    WasmStat {
        /// The path.
        path: PathBuf,
        /// Go's `stat <path>: <reason>` text.
        reason: String,
    },
}

/// Go's `*PathError` text: `open /x: no such file or directory`.
pub(crate) fn go_io_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    format!("{op} {}: {}", path.display(), go_io_reason(e))
}

/// Go's wording of common I/O errors.
pub(crate) fn go_io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "is a directory".to_owned(),
        ErrorKind::NotADirectory => "not a directory".to_owned(),
        _ => {
            // Rust appends " (os error N)"; Go prints the bare strerror.
            let s = e.to_string();
            match s.rfind(" (os error ") {
                Some(i) => {
                    let mut t = s[..i].to_owned();
                    if let Some(c) = t.get(..1) {
                        let lower = c.to_lowercase();
                        t.replace_range(..1, &lower);
                    }
                    t
                }
                None => s,
            }
        }
    }
}

/// Something discovery skipped, to be reported as a warning.
#[derive(Debug)]
pub enum DiscoveryWarning {
    /// A plugin failed to load and was skipped (Helm: `failed to load
    /// plugin (ignoring)`).
    LoadFailed {
        /// Its `plugin.yaml`.
        plugin_yaml: PathBuf,
        /// Why.
        error: LoadError,
    },
    /// A second plugin with an already-seen name was skipped.
    NameConflict {
        /// The name.
        name: String,
        /// The plugin kept.
        kept: PathBuf,
        /// The plugin skipped.
        ignored: PathBuf,
    },
}

impl fmt::Display for DiscoveryWarning {
    /// In Helm's log format (`level=WARN msg=…`), as rudder prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoveryWarning::LoadFailed { plugin_yaml, error } => write!(
                f,
                "level=WARN msg=\"failed to load plugin (ignoring)\" plugin_yaml={} error={}",
                plugin_yaml.display(),
                go_quote(&error.to_string())
            ),
            DiscoveryWarning::NameConflict {
                name,
                kept,
                ignored,
            } => write!(
                f,
                "level=WARN msg={} kept={} ignored={}",
                go_quote(&format!(
                    "two plugins claim the name {} at {} and {} (ignoring the second)",
                    go_quote(name),
                    go_quote(&kept.to_string_lossy()),
                    go_quote(&ignored.to_string_lossy())
                )),
                kept.display(),
                ignored.display()
            ),
        }
    }
}

/// Which plugins to find; `None` matches anything (Helm's `Descriptor`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Descriptor {
    /// The plugin name.
    pub name: Option<String>,
    /// The plugin type.
    pub plugin_type: Option<PluginType>,
}

impl fmt::Display for Descriptor {
    /// Go's `%+v` of Helm's descriptor: `{Name:x Type:postrenderer/v1}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{{Name:{} Type:{}}}",
            self.name.as_deref().unwrap_or(""),
            self.plugin_type.map(PluginType::as_str).unwrap_or("")
        )
    }
}

impl Descriptor {
    fn matches(&self, p: &Plugin) -> bool {
        self.name.as_ref().is_none_or(|n| *n == p.metadata.name)
            && self.plugin_type.is_none_or(|t| t == p.metadata.plugin_type)
    }
}

/// No plugin matches a descriptor: `plugin: {Name:x Type:y} not found`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("plugin: {0} not found")]
pub struct NotFound(pub Descriptor);

/// The plugins found in a set of directories.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Loaded plugins, in scan order, names unique.
    pub plugins: Vec<Plugin>,
    /// What was skipped.
    pub warnings: Vec<DiscoveryWarning>,
}

impl Discovery {
    /// Plugins matching `d`, in scan order.
    pub fn find(&self, d: &Descriptor) -> Vec<&Plugin> {
        self.plugins.iter().filter(|p| d.matches(p)).collect()
    }

    /// The first plugin matching `d`.
    pub fn find_one(&self, d: &Descriptor) -> Result<&Plugin, NotFound> {
        self.plugins
            .iter()
            .find(|p| d.matches(p))
            .ok_or_else(|| NotFound(d.clone()))
    }

    /// The `cli/v1` plugin registering subcommand `command`.
    pub fn cli_command(&self, command: &str) -> Option<&Plugin> {
        self.plugins
            .iter()
            .find(|p| p.metadata.plugin_type == PluginType::Cli && p.command_name() == command)
    }

    /// The first getter plugin serving `scheme`.
    pub fn getter_for(&self, scheme: &str) -> Option<&Plugin> {
        self.plugins.iter().find(|p| {
            p.metadata.plugin_type == PluginType::Getter
                && p.protocols().iter().any(|s| s == scheme)
        })
    }
}

/// Split a `HELM_PLUGINS` value into directories (an OS path list),
/// dropping empty entries.
pub fn split_plugin_dirs(list: &str) -> Vec<PathBuf> {
    if list.is_empty() {
        return Vec::new();
    }
    std::env::split_paths(list)
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// Go's `filepath.Clean`, lexically (no file system access).
pub fn clean_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// The plugin directories under one plugins directory, in Go's glob order
/// (byte order of names; hidden entries included; symlinks followed).
fn plugin_candidates(base: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return Vec::new();
    };
    let mut names: Vec<std::ffi::OsString> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    let clean = clean_path(base);
    names
        .into_iter()
        .map(|n| {
            if clean == Path::new(".") {
                PathBuf::from(n)
            } else {
                clean.join(n)
            }
        })
        .filter(|dir| std::fs::symlink_metadata(dir.join(PLUGIN_FILE_NAME)).is_ok())
        .collect()
}

/// Load every plugin of every directory, skipping (with a warning) the
/// ones that fail to load and later duplicates of a name.
pub fn discover(dirs: &[PathBuf]) -> Discovery {
    let mut found = Discovery::default();
    for base in dirs {
        for dir in plugin_candidates(base) {
            match Plugin::load(&dir) {
                Ok(p) => {
                    if let Some(first) = found
                        .plugins
                        .iter()
                        .find(|q| q.metadata.name == p.metadata.name)
                    {
                        found.warnings.push(DiscoveryWarning::NameConflict {
                            name: p.metadata.name.clone(),
                            kept: first.dir.clone(),
                            ignored: p.dir.clone(),
                        });
                    } else {
                        found.plugins.push(p);
                    }
                }
                Err(error) => found.warnings.push(DiscoveryWarning::LoadFailed {
                    plugin_yaml: dir.join(PLUGIN_FILE_NAME),
                    error,
                }),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        for (input, want) in [
            ("a/b/../c", "a/c"),
            ("./a//b/", "a/b"),
            (".", "."),
            ("", "."),
            ("../x", "../x"),
            ("/../x", "/x"),
        ] {
            assert_eq!(clean_path(Path::new(input)), PathBuf::from(want), "{input}");
        }
    }

    #[test]
    fn descriptor_display() {
        let d = Descriptor {
            name: Some("/usr/bin/cat".into()),
            plugin_type: Some(PluginType::PostRenderer),
        };
        assert_eq!(
            NotFound(d).to_string(),
            "plugin: {Name:/usr/bin/cat Type:postrenderer/v1} not found"
        );
    }

    #[test]
    fn split_list() {
        assert_eq!(split_plugin_dirs(""), Vec::<PathBuf>::new());
        assert_eq!(
            split_plugin_dirs("a::b"),
            vec![PathBuf::from("a"), PathBuf::from("b")]
        );
    }
}
