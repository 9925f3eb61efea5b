//! The install record: `<plugins dir>/.rudder/<plugin dir name>.json`,
//! written by `plugin install` and `plugin update`, read by `update` and
//! removed by `uninstall`.
//!
//! Helm forgets where a plugin came from, so it can only update git
//! checkouts (helm#31664 discussion, jkroepke/helm-secrets#654). rudder
//! records the source beside the plugins and leaves the plugin directory
//! itself exactly as Helm would have it (Helm and rudder can share one
//! `HELM_PLUGINS`; Helm ignores the hidden `.rudder` directory, whose
//! entries have no `plugin.yaml`).
//!
//! The format (JSON, one object):
//!
//! | key | meaning |
//! |---|---|
//! | `format` | `1` |
//! | `source` | the source as installed: an absolute path for local sources, else the URL as given |
//! | `kind` | `local-directory`, `local-archive`, `http` or `git` |
//! | `version` | `--version` as given (git: ref or SemVer constraint; re-solved on update) |
//! | `verified` | whether the install checked the signature; updates of a verified install verify too |
//! | `plugin_name`, `plugin_version` | the plugin's metadata when installed |
//! | `archive_sha256` | `sha256:<hex>` of the installed tarball (archive sources) |
//! | `hook_diff_sha256` | git sources: SHA-256 of `git diff` right after rudder ran the plugin's install/update hook (absent when the hook left the checkout clean) |
//! | `hook_diff_paths` | the tracked files that diff touches |
//!
//! Unknown keys are ignored, so later versions can add some.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::InstallError;
use crate::fsutil::{STATE_DIR, write_atomic};
use crate::source::SourceKind;

/// The current record format.
pub const RECORD_FORMAT: u32 = 1;

/// Where a plugin came from and what rudder did to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallRecord {
    /// [`RECORD_FORMAT`].
    pub format: u32,
    /// The source, as installed.
    pub source: String,
    /// The kind of source.
    pub kind: SourceKind,
    /// `--version` as given.
    #[serde(default)]
    pub version: String,
    /// Whether the signature was verified.
    #[serde(default)]
    pub verified: bool,
    /// The plugin's name when installed.
    #[serde(default)]
    pub plugin_name: String,
    /// The plugin's version when installed.
    #[serde(default)]
    pub plugin_version: String,
    /// `sha256:<hex>` of the tarball (archive sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_sha256: Option<String>,
    /// SHA-256 of `git diff` after rudder ran the hook (git sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hook_diff_sha256: Option<String>,
    /// Tracked files changed by the hook (git sources).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hook_diff_paths: Vec<String>,
}

/// The record file for the plugin installed in `plugin_dir`.
pub fn record_path(plugin_dir: &Path) -> PathBuf {
    let parent = plugin_dir.parent().unwrap_or(Path::new("."));
    let name = plugin_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent.join(STATE_DIR).join(format!("{name}.json"))
}

impl InstallRecord {
    /// Read the record of the plugin in `plugin_dir`; `None` when there is
    /// none (installed by Helm or an older rudder).
    pub fn load(plugin_dir: &Path) -> Result<Option<InstallRecord>, InstallError> {
        let path = record_path(plugin_dir);
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(InstallError::io("open", &path, &e)),
        };
        let rec: InstallRecord =
            serde_json::from_slice(&data).map_err(|e| InstallError::Record {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        if rec.format != RECORD_FORMAT {
            return Err(InstallError::Record {
                path,
                reason: format!("unsupported format {}", rec.format),
            });
        }
        Ok(Some(rec))
    }

    /// Write the record of the plugin in `plugin_dir`.
    pub fn save(&self, plugin_dir: &Path) -> Result<(), InstallError> {
        let path = record_path(plugin_dir);
        let mut data = serde_json::to_vec_pretty(self).map_err(|e| InstallError::Record {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        data.push(b'\n');
        write_atomic(&path, &data)
    }
}

/// Remove the record of the plugin in `plugin_dir`, if any.
pub fn remove_record(plugin_dir: &Path) {
    let _ = std::fs::remove_file(record_path(plugin_dir));
}
