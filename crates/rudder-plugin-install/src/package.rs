//! `plugin package`, plugin signing and `plugin verify` (Helm's
//! `internal/plugin/sign.go`, `verify.go`, `pkg/cmd/plugin_package.go`).
//!
//! A plugin `.prov` is a chart-style provenance file: the signed text is
//! the plugin's metadata as `sigs.k8s.io/yaml` writes Helm's converted
//! `Metadata` struct (Go field names as keys, sorted: `APIVersion`,
//! `Config`, `Name`, `Runtime`, `RuntimeConfig`, `SourceURL`, `Type`,
//! `Version`), the separator `\n...\n`, and `files:` mapping the tarball's
//! file name to `sha256:<hex>`, clear-signed with SHA-512. Verification
//! only reads the `files:` part, so the metadata bytes do not have to
//! match Helm's exactly (they do for every field rudder models).
//!
//! Tarballs hold the plugin directory under `<name>/`, every file
//! included (no ignore file, like Helm). Differences from Helm: symbolic
//! links are stored as links when they stay inside the plugin (Helm writes
//! them with an empty target, which its own installer then refuses) and
//! refused otherwise; the output files are never packed into themselves
//! when the destination is inside the plugin directory; the tarball is
//! written through a temporary file, so a failure leaves nothing behind.

use std::path::{Path, PathBuf};

use rudder_plugin::{Config, Metadata, PlatformCommand, Plugin, RuntimeConfig};
use rudder_provenance::{Keyring, ProvenanceError, Signatory, Verification};
use rudder_value::{Map, MapKind, Value};

use crate::error::InstallError;
use crate::extract::{Limits, resolve_link, tarball_metadata};
use crate::fsutil::write_atomic;

fn s(v: &str) -> Value {
    Value::str(v)
}

/// A Go slice as JSON sees it: `null` when empty (what an omitted YAML
/// key decodes to).
fn strings(v: &[String]) -> Value {
    if v.is_empty() {
        Value::Nil
    } else {
        Value::list(v.iter().map(|x| s(x)).collect())
    }
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    let m = Map::with_kind(MapKind::Any);
    for (k, v) in entries {
        m.insert(k, v);
    }
    Value::Map(m)
}

fn platform_commands(cmds: &[PlatformCommand]) -> Value {
    if cmds.is_empty() {
        return Value::Nil;
    }
    Value::list(
        cmds.iter()
            .map(|c| {
                map(vec![
                    ("OperatingSystem", s(&c.os)),
                    ("Architecture", s(&c.arch)),
                    ("Command", s(&c.command)),
                    ("Args", strings(&c.args)),
                ])
            })
            .collect(),
    )
}

/// Helm's converted `Metadata` as `sigs.k8s.io/yaml.Marshal` writes it
/// (the first part of a plugin `.prov`).
pub fn metadata_yaml(m: &Metadata) -> Result<String, InstallError> {
    let config = match &m.config {
        Config::Cli(c) => map(vec![
            ("Usage", s(&c.usage)),
            ("ShortHelp", s(&c.short_help)),
            ("LongHelp", s(&c.long_help)),
            ("IgnoreFlags", Value::Bool(c.ignore_flags)),
        ]),
        Config::Getter(g) => map(vec![("Protocols", strings(&g.protocols))]),
        Config::PostRenderer | Config::Test => map(Vec::new()),
    };
    let runtime_config = match &m.runtime_config {
        RuntimeConfig::Subprocess(c) => {
            let hooks = if c.platform_hooks.is_empty() {
                Value::Nil
            } else {
                let h = Map::with_kind(MapKind::Any);
                for (event, cmds) in &c.platform_hooks {
                    h.insert(event.as_str(), platform_commands(cmds));
                }
                Value::Map(h)
            };
            let protocols = if c.protocol_commands.is_empty() {
                Value::Nil
            } else {
                Value::list(
                    c.protocol_commands
                        .iter()
                        .map(|p| {
                            map(vec![
                                ("Protocols", strings(&p.protocols)),
                                ("PlatformCommand", platform_commands(&p.platform_command)),
                            ])
                        })
                        .collect(),
                )
            };
            map(vec![
                ("PlatformCommand", platform_commands(&c.platform_command)),
                ("PlatformHooks", hooks),
                ("ProtocolCommands", protocols),
            ])
        }
        RuntimeConfig::Extism(c) => {
            let cfg = if c.config.is_empty() {
                Value::Nil
            } else {
                let m = Map::with_kind(MapKind::String);
                for (k, v) in &c.config {
                    m.insert(k.as_str(), s(v));
                }
                Value::Map(m)
            };
            map(vec![
                (
                    "Memory",
                    map(vec![
                        ("MaxPages", Value::int(i64::from(c.memory.max_pages))),
                        (
                            "MaxHTTPResponseBytes",
                            Value::int64(c.memory.max_http_response_bytes.unwrap_or(0)),
                        ),
                        (
                            "MaxVarBytes",
                            Value::int64(c.memory.max_var_bytes.unwrap_or(0)),
                        ),
                    ]),
                ),
                ("Config", cfg),
                ("AllowedHosts", strings(&c.allowed_hosts)),
                (
                    "FileSystem",
                    map(vec![("CreateTempDir", Value::Bool(c.create_temp_dir))]),
                ),
                (
                    "Timeout",
                    Value::int64(i64::try_from(c.timeout_ms).unwrap_or(i64::MAX)),
                ),
                ("HostFunctions", strings(&c.host_functions)),
                ("EntryFuncName", s(&c.entry_func_name)),
            ])
        }
    };
    let top = map(vec![
        ("APIVersion", s(&m.api_version)),
        ("Name", s(&m.name)),
        ("Type", s(m.plugin_type.as_str())),
        ("Runtime", s(m.runtime.as_str())),
        ("Version", s(&m.version)),
        ("SourceURL", s(&m.source_url)),
        ("Config", config),
        ("RuntimeConfig", runtime_config),
    ]);
    rudder_yaml::to_yaml(&top).map_err(|e| InstallError::Sign(ProvenanceError::Sign(e.to_string())))
}

/// Helm's `SignPlugin`: the `.prov` text for the plugin tarball `data`
/// named `file_name`, with the metadata of the first `plugin.yaml` in it.
pub fn sign_plugin(
    signer: &Signatory,
    data: &[u8],
    file_name: &str,
) -> Result<String, InstallError> {
    let meta = tarball_metadata(data, file_name, &Limits::default())?;
    let yaml = metadata_yaml(&meta)?;
    signer
        .clear_sign(data, file_name, &yaml)
        .map_err(InstallError::Sign)
}

/// Helm's `VerifyPlugin`: the `.prov` against the keyring, then the
/// tarball's digest against the signed `files:` entry for `file_name`.
pub fn verify_plugin(
    keyring: &Keyring,
    data: &[u8],
    prov: &[u8],
    file_name: &str,
) -> Result<Verification, ProvenanceError> {
    rudder_provenance::verify(keyring, data, prov, file_name)
}

/// What `plugin verify` and a verified install print.
pub fn verification_report(v: &Verification) -> String {
    let mut out = String::new();
    for name in v.signed_by.identities() {
        out.push_str(&format!("Signed by: {name}\n"));
    }
    out.push_str(&format!(
        "Using Key With Fingerprint: {}\n",
        v.signed_by.fingerprint_hex()
    ));
    out.push_str(&format!("Plugin Hash Verified: {}\n", v.file_hash));
    out
}

/// A packaged plugin.
#[derive(Debug)]
pub struct Packaged {
    /// The plugin as loaded from the directory.
    pub plugin: Plugin,
    /// `<dest>/<name>-<version>.tgz`.
    pub tarball: PathBuf,
    /// `<tarball>.prov`, when signed.
    pub provenance: Option<PathBuf>,
}

/// Helm's `plugin package` steps after the flags: `dir` must be a plugin
/// directory; writes `<dest>/<name>-<version>.tgz` and, with a signer,
/// `<tgz>.prov`. Nothing is left behind on error.
pub fn package(
    dir: &Path,
    dest: &Path,
    signer: Option<&Signatory>,
) -> Result<Packaged, InstallError> {
    let meta = std::fs::metadata(dir).map_err(|e| InstallError::io("stat", dir, &e))?;
    if !meta.is_dir() {
        return Err(InstallError::PackageNotDirectory);
    }
    let plugin = Plugin::load(dir).map_err(InstallError::InvalidPluginDir)?;
    std::fs::create_dir_all(dest).map_err(|e| InstallError::io("mkdir", dest, &e))?;
    let m = plugin.metadata();
    let file_name = format!("{}-{}.tgz", m.name, m.version);
    let tarball = dest.join(&file_name);
    let prov_path = PathBuf::from(format!("{}.prov", tarball.display()));
    let data = create_tarball(dir, &m.name, &[&tarball, &prov_path])?;
    let prov = match signer {
        Some(signer) => Some(sign_plugin(signer, &data, &file_name)?),
        None => None,
    };
    write_atomic(&tarball, &data)?;
    let provenance = match prov {
        Some(text) => {
            if let Err(e) = write_atomic(&prov_path, text.as_bytes()) {
                let _ = std::fs::remove_file(&tarball);
                return Err(e);
            }
            Some(prov_path)
        }
        None => None,
    };
    Ok(Packaged {
        plugin,
        tarball,
        provenance,
    })
}

/// Helm's `CreatePluginTarball`, in memory: a gzipped tar of `dir` with
/// every entry under `<name>/`, in `filepath.Walk` order (lexical),
/// skipping the files in `exclude` (the outputs).
pub fn create_tarball(dir: &Path, name: &str, exclude: &[&Path]) -> Result<Vec<u8>, InstallError> {
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| {
            let parent = p.parent()?.canonicalize().ok()?;
            Some(parent.join(p.file_name()?))
        })
        .collect();
    let root = dir
        .canonicalize()
        .map_err(|e| InstallError::io("stat", dir, &e))?;
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tb = tar::Builder::new(gz);
    tb.mode(tar::HeaderMode::Complete);
    tb.follow_symlinks(false);
    add_tree(&mut tb, &root, Path::new(""), name, &excluded)?;
    let gz = tb
        .into_inner()
        .map_err(|e| InstallError::io("write", dir, &e))?;
    gz.finish().map_err(|e| InstallError::io("write", dir, &e))
}

fn add_tree(
    tb: &mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>,
    root: &Path,
    rel: &Path,
    name: &str,
    excluded: &[PathBuf],
) -> Result<(), InstallError> {
    let full = root.join(rel);
    let meta =
        std::fs::symlink_metadata(&full).map_err(|e| InstallError::io("lstat", &full, &e))?;
    let entry_name = if rel.as_os_str().is_empty() {
        PathBuf::from(name)
    } else {
        Path::new(name).join(rel)
    };
    let ft = meta.file_type();
    let io = |e: std::io::Error| InstallError::io("write", &full, &e);
    if ft.is_dir() {
        tb.append_dir(&entry_name, &full).map_err(io)?;
        let mut children: Vec<std::ffi::OsString> = std::fs::read_dir(&full)
            .map_err(|e| InstallError::io("open", &full, &e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        children.sort();
        for c in children {
            add_tree(tb, root, &rel.join(c), name, excluded)?;
        }
    } else if ft.is_symlink() {
        let target =
            std::fs::read_link(&full).map_err(|e| InstallError::io("readlink", &full, &e))?;
        if resolve_link(rel, &target).is_none() {
            return Err(InstallError::Unpackable {
                path: full,
                reason: format!(
                    "symbolic link to {} points outside the plugin directory",
                    target.display()
                ),
            });
        }
        let mut h = tar::Header::new_ustar();
        h.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        tb.append_link(&mut h, &entry_name, &target).map_err(io)?;
    } else if ft.is_file() {
        if excluded.iter().any(|x| x == &full) {
            return Ok(());
        }
        let mut f = std::fs::File::open(&full).map_err(|e| InstallError::io("open", &full, &e))?;
        tb.append_file(&entry_name, &mut f).map_err(io)?;
    } else {
        return Err(InstallError::Unpackable {
            path: full,
            reason: "not a regular file, directory or symbolic link".to_owned(),
        });
    }
    Ok(())
}
