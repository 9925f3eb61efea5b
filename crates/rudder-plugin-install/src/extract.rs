//! Unpacking plugin tarballs safely.
//!
//! Helm's rules (`installer/extractor.go`) are kept: an entry name with a
//! `:`, a `..` component or a leading `/` is refused, `\` counts as `/`,
//! PAX headers are skipped, file modes are kept. rudder adds:
//!
//! * size caps while decompressing ([`Limits`]): total bytes, bytes per
//!   file, number of entries; a gzip bomb stops at the cap;
//! * symbolic links are accepted only when they are relative and resolve
//!   inside the tree (Helm refuses every link); they are created after all
//!   files, so no entry is ever written through a link, and checked again
//!   against the directory that is finally installed ([`check_links`]);
//! * hard links, devices, FIFOs and other special entries are refused
//!   (Helm: `unknown type`), setuid/setgid/sticky bits are dropped;
//! * the caller extracts into a fresh private directory and moves the
//!   result into place only when everything passed, so a rejected archive
//!   leaves nothing behind.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::error::InstallError;

/// Size caps for one archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest download or archive file accepted, compressed.
    pub max_archive_bytes: u64,
    /// Total decompressed bytes (tar headers included).
    pub max_total_bytes: u64,
    /// Largest single file.
    pub max_file_bytes: u64,
    /// Most entries.
    pub max_entries: usize,
}

impl Default for Limits {
    /// Generous for plugins that bundle binaries (helm-diff's tarballs are
    /// ~20 MiB), small enough that a malicious archive cannot fill a disk.
    fn default() -> Limits {
        Limits {
            max_archive_bytes: 256 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_file_bytes: 256 * 1024 * 1024,
            max_entries: 20_000,
        }
    }
}

/// Helm's `cleanJoin` checks on an entry name; the cleaned relative path
/// (`None` for the root itself).
fn clean_entry_name(name: &str) -> Result<Option<PathBuf>, String> {
    if name.contains(':') {
        return Err("path contains ':', which is illegal".to_owned());
    }
    let name = name.replace('\\', "/");
    if name.split('/').any(|c| c == "..") {
        return Err("path contains '..', which is illegal".to_owned());
    }
    if name.starts_with('/') {
        return Err("path is absolute, which is illegal".to_owned());
    }
    let mut out = PathBuf::new();
    for c in name.split('/') {
        if c.is_empty() || c == "." {
            continue;
        }
        if c.contains('\0') {
            return Err("path contains a NUL byte, which is illegal".to_owned());
        }
        out.push(c);
    }
    Ok((!out.as_os_str().is_empty()).then_some(out))
}

/// Resolve a link `target` written at `link` (both relative to the tree
/// root) lexically; `None` when it is absolute or climbs out of the root.
pub(crate) fn resolve_link(link: &Path, target: &Path) -> Option<PathBuf> {
    if target.is_absolute() {
        return None;
    }
    let mut parts: Vec<std::ffi::OsString> = link
        .parent()
        .map(|p| p.iter().map(|c| c.to_os_string()).collect())
        .unwrap_or_default();
    for c in target.components() {
        match c {
            Component::Normal(n) => parts.push(n.to_os_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// A reader that fails once more than `remaining` bytes came through.
struct Capped<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.remaining {
            return Err(std::io::Error::other(
                "decompressed archive exceeds the size limit",
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Unpack the gzipped tarball `data` into `dest`, an empty directory the
/// caller owns. On error `dest` may hold partial content; the caller
/// throws it away.
pub fn extract_tgz(
    data: &[u8],
    dest: &Path,
    archive_name: &str,
    limits: &Limits,
) -> Result<(), InstallError> {
    let fail = |reason: String| InstallError::Archive {
        archive: archive_name.to_owned(),
        reason,
    };
    if data.len() as u64 > limits.max_archive_bytes {
        return Err(fail(format!(
            "archive is larger than the maximum size {}",
            limits.max_archive_bytes
        )));
    }
    if data.len() < 2 || data[0] != 0x1f || data[1] != 0x8b {
        return Err(fail("gzip: invalid header".to_owned()));
    }
    let reader = Capped {
        inner: MultiGzDecoder::new(data),
        remaining: limits.max_total_bytes,
    };
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| fail(e.to_string()))?;
    let mut links: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut count = 0usize;
    for entry in entries {
        let mut entry = entry.map_err(|e| fail(e.to_string()))?;
        count += 1;
        if count > limits.max_entries {
            return Err(fail(format!(
                "archive has more than {} entries",
                limits.max_entries
            )));
        }
        let raw_name = entry.path_bytes().into_owned();
        let Ok(name) = String::from_utf8(raw_name) else {
            return Err(fail("entry name is not valid UTF-8".to_owned()));
        };
        let kind = entry.header().entry_type();
        if matches!(
            kind,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader
        ) {
            continue;
        }
        let rel = clean_entry_name(&name).map_err(fail)?;
        match kind {
            tar::EntryType::Directory => {
                if let Some(rel) = rel {
                    let path = dest.join(&rel);
                    std::fs::create_dir_all(&path)
                        .map_err(|e| InstallError::io("mkdir", &path, &e))?;
                }
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let Some(rel) = rel else {
                    return Err(fail(format!("file entry {name:?} has no name")));
                };
                let size = entry.header().size().map_err(|e| fail(e.to_string()))?;
                if size > limits.max_file_bytes {
                    return Err(fail(format!(
                        "file {name:?} is larger than the maximum file size {}",
                        limits.max_file_bytes
                    )));
                }
                let mode = entry.header().mode().unwrap_or(0o644) & 0o777;
                write_file(dest, &rel, &mut entry, mode, limits.max_file_bytes).map_err(
                    |e| match e {
                        InstallError::Archive { reason, .. } => fail(reason),
                        other => other,
                    },
                )?;
            }
            tar::EntryType::Symlink => {
                let Some(rel) = rel else {
                    return Err(fail(format!("link entry {name:?} has no name")));
                };
                let target = entry
                    .link_name()
                    .map_err(|e| fail(e.to_string()))?
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                if target.as_os_str().is_empty() || resolve_link(&rel, &target).is_none() {
                    return Err(InstallError::LinkEscapes {
                        origin: archive_name.to_owned(),
                        link: name,
                    });
                }
                links.push((rel, target));
            }
            tar::EntryType::Link => {
                return Err(fail(format!(
                    "hard link {name:?} is not supported in plugin archives"
                )));
            }
            other => {
                // Helm's text prints the type flag in binary.
                return Err(fail(format!(
                    "unknown type: {:b} in {name}",
                    other.as_byte()
                )));
            }
        }
    }
    // Links last: no file above was written through one.
    for (rel, target) in links {
        let path = dest.join(&rel);
        // A link inside a linked directory could land anywhere.
        let mut ancestor = PathBuf::new();
        for c in rel.parent().into_iter().flat_map(Path::iter) {
            ancestor.push(c);
            if std::fs::symlink_metadata(dest.join(&ancestor)).is_ok_and(|m| m.is_symlink()) {
                return Err(InstallError::LinkEscapes {
                    origin: archive_name.to_owned(),
                    link: rel.display().to_string(),
                });
            }
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InstallError::io("mkdir", parent, &e))?;
        }
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(fail(format!(
                "link {} collides with another entry",
                rel.display()
            )));
        }
        make_symlink(&target, &path)?;
    }
    Ok(())
}

fn write_file(
    dest: &Path,
    rel: &Path,
    entry: &mut impl Read,
    mode: u32,
    max: u64,
) -> Result<(), InstallError> {
    let path = dest.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| InstallError::io("mkdir", parent, &e))?;
    }
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
        return Err(InstallError::Archive {
            archive: dest.display().to_string(),
            reason: format!("file {} collides with a directory", rel.display()),
        });
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    let mut f = opts
        .open(&path)
        .map_err(|e| InstallError::io("open", &path, &e))?;
    let mut limited = entry.take(max + 1);
    // Read errors here are the archive's (corrupt data, the size cap).
    let n = std::io::copy(&mut limited, &mut f).map_err(|e| InstallError::Archive {
        archive: dest.display().to_string(),
        reason: format!("reading {}: {e}", rel.display()),
    })?;
    if n > max {
        return Err(InstallError::Archive {
            archive: dest.display().to_string(),
            reason: format!(
                "file {} is larger than the maximum file size {max}",
                rel.display()
            ),
        });
    }
    f.flush()
        .map_err(|e| InstallError::io("write", &path, &e))?;
    set_mode(&path, mode)
}

/// Set permission bits exactly (the umask applied at creation).
pub(crate) fn set_mode(path: &Path, mode: u32) -> Result<(), InstallError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| InstallError::io("chmod", path, &e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

pub(crate) fn make_symlink(target: &Path, path: &Path) -> Result<(), InstallError> {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(target, path).map_err(|e| InstallError::io("symlink", path, &e))
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        Err(InstallError::Io {
            op: "symlink",
            path: path.to_path_buf(),
            reason: "symbolic links are not supported on this platform".to_owned(),
        })
    }
}

/// Check every symbolic link under `root` resolves inside `root`, and that
/// there are no special files (devices, FIFOs, sockets). `origin` names
/// the archive or checkout in the error.
pub fn check_links(root: &Path, origin: &str) -> Result<(), InstallError> {
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        let rd = std::fs::read_dir(&dir).map_err(|e| InstallError::io("open", &dir, &e))?;
        for ent in rd {
            let ent = ent.map_err(|e| InstallError::io("readdir", &dir, &e))?;
            let child = rel.join(ent.file_name());
            let ft = ent
                .file_type()
                .map_err(|e| InstallError::io("lstat", &root.join(&child), &e))?;
            if ft.is_dir() {
                stack.push(child);
            } else if ft.is_symlink() {
                let full = root.join(&child);
                let target = std::fs::read_link(&full)
                    .map_err(|e| InstallError::io("readlink", &full, &e))?;
                if resolve_link(&child, &target).is_none() {
                    return Err(InstallError::LinkEscapes {
                        origin: origin.to_owned(),
                        link: child.display().to_string(),
                    });
                }
            } else if !ft.is_file() {
                return Err(InstallError::Archive {
                    archive: origin.to_owned(),
                    reason: format!("{} is not a regular file or directory", child.display()),
                });
            }
        }
    }
    Ok(())
}

/// Where the plugin is in an extracted HTTP tarball (Helm's
/// `detectPluginRoot`): the root when it has `plugin.yaml`, else the first
/// immediate subdirectory (in name order) that has one.
pub fn detect_plugin_root(dir: &Path, archive: &str) -> Result<PathBuf, InstallError> {
    if dir.join(rudder_plugin::PLUGIN_FILE_NAME).is_file() {
        return Ok(dir.to_path_buf());
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| InstallError::io("open", dir, &e))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    subdirs
        .into_iter()
        .find(|d| d.join(rudder_plugin::PLUGIN_FILE_NAME).is_file())
        .ok_or_else(|| InstallError::PluginRootMissing {
            archive: archive.to_owned(),
        })
}

/// The first `plugin.yaml` anywhere in a gzipped tarball (Helm's
/// `ExtractTgzPluginMetadata`), parsed.
pub fn tarball_metadata(
    data: &[u8],
    archive: &str,
    limits: &Limits,
) -> Result<rudder_plugin::Metadata, InstallError> {
    let fail = |reason: String| InstallError::TarballMetadata {
        archive: archive.to_owned(),
        reason,
    };
    if data.len() < 2 || data[0] != 0x1f || data[1] != 0x8b {
        return Err(fail("gzip: invalid header".to_owned()));
    }
    let reader = Capped {
        inner: MultiGzDecoder::new(data),
        remaining: limits.max_total_bytes,
    };
    let mut ar = tar::Archive::new(reader);
    for entry in ar.entries().map_err(|e| fail(e.to_string()))? {
        let entry = entry.map_err(|e| fail(e.to_string()))?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).replace('\\', "/");
        let base = name.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if base != rudder_plugin::PLUGIN_FILE_NAME {
            continue;
        }
        let mut buf = Vec::new();
        entry
            .take(limits.max_file_bytes)
            .read_to_end(&mut buf)
            .map_err(|e| fail(e.to_string()))?;
        return rudder_plugin::parse_metadata(&buf).map_err(|e| fail(e.to_string()));
    }
    Err(fail("plugin.yaml not found in tarball".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert_eq!(
            clean_entry_name("a/./b//c").ok().flatten(),
            Some(PathBuf::from("a/b/c"))
        );
        assert_eq!(clean_entry_name("./").ok(), Some(None));
        assert!(clean_entry_name("a/../b").is_err());
        assert!(clean_entry_name("a\\..\\b").is_err());
        assert!(clean_entry_name("/etc/passwd").is_err());
        assert!(clean_entry_name("c:/x").is_err());
    }

    #[test]
    fn link_resolution() {
        let r = |l: &str, t: &str| resolve_link(Path::new(l), Path::new(t));
        assert_eq!(r("p/bin/x", "../run.sh"), Some(PathBuf::from("p/run.sh")));
        assert_eq!(r("p/x", "../../etc"), None);
        assert_eq!(r("x", "/etc/passwd"), None);
        assert_eq!(r("x", ".."), None);
    }
}
