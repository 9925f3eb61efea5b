//! File system helpers: private staging directories beside the plugins,
//! tree copies that keep modes and links, and moving a finished tree into
//! place with one `rename`.
//!
//! Staging directories live in `<plugins dir>/.rudder/tmp/`: on the same
//! file system as the target (so the final `rename` is atomic) and two
//! levels down, where plugin discovery (`<dir>/*/plugin.yaml`) never looks,
//! so a crash mid-install cannot leave a half-extracted plugin that loads.

use std::path::{Path, PathBuf};

use crate::error::InstallError;
use crate::extract::{make_symlink, set_mode};

/// rudder's state directory inside a plugins directory.
pub const STATE_DIR: &str = ".rudder";

/// A fresh private directory under `<plugins dir>/.rudder/tmp`, removed
/// when dropped.
pub(crate) fn staging_dir(plugins_dir: &Path) -> Result<tempfile::TempDir, InstallError> {
    let base = plugins_dir.join(STATE_DIR).join("tmp");
    std::fs::create_dir_all(&base).map_err(|e| InstallError::io("mkdir", &base, &e))?;
    tempfile::Builder::new()
        .prefix("stage-")
        .tempdir_in(&base)
        .map_err(|e| InstallError::io("mkdir", &base, &e))
}

/// Copy the tree at `src` to `dst` (which must not exist): directories,
/// regular files with their permission bits, and symbolic links as links.
/// Anything else (devices, FIFOs, sockets) is refused.
pub(crate) fn copy_tree(src: &Path, dst: &Path) -> Result<(), InstallError> {
    let meta = std::fs::symlink_metadata(src).map_err(|e| InstallError::io("lstat", src, &e))?;
    std::fs::create_dir(dst).map_err(|e| InstallError::io("mkdir", dst, &e))?;
    set_mode(dst, mode_of(&meta, 0o755))?;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let from_dir = src.join(&rel);
        let rd =
            std::fs::read_dir(&from_dir).map_err(|e| InstallError::io("open", &from_dir, &e))?;
        for ent in rd {
            let ent = ent.map_err(|e| InstallError::io("readdir", &from_dir, &e))?;
            let r = rel.join(ent.file_name());
            let from = src.join(&r);
            let to = dst.join(&r);
            let m = std::fs::symlink_metadata(&from)
                .map_err(|e| InstallError::io("lstat", &from, &e))?;
            let ft = m.file_type();
            if ft.is_dir() {
                std::fs::create_dir(&to).map_err(|e| InstallError::io("mkdir", &to, &e))?;
                set_mode(&to, mode_of(&m, 0o755))?;
                stack.push(r);
            } else if ft.is_symlink() {
                let target = std::fs::read_link(&from)
                    .map_err(|e| InstallError::io("readlink", &from, &e))?;
                make_symlink(&target, &to)?;
            } else if ft.is_file() {
                std::fs::copy(&from, &to).map_err(|e| InstallError::io("copy", &from, &e))?;
                set_mode(&to, mode_of(&m, 0o644))?;
            } else {
                return Err(InstallError::Unpackable {
                    path: from,
                    reason: "not a regular file, directory or symbolic link".to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// Permission bits of `m` (without setuid/setgid/sticky).
fn mode_of(m: &std::fs::Metadata, default: u32) -> u32 {
    #[cfg(unix)]
    {
        let _ = default;
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        default
    }
}

/// Move the finished tree `from` to `to` (which must not exist).
pub(crate) fn place(from: &Path, to: &Path) -> Result<(), InstallError> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(InstallError::AlreadyExists);
    }
    std::fs::rename(from, to).map_err(|e| InstallError::io("rename", from, &e))
}

/// Replace the tree at `target` by `new` as close to atomically as POSIX
/// allows: the old tree is moved aside into `aside` first and put back if
/// the second rename fails. The old tree is deleted afterwards.
pub(crate) fn swap(new: &Path, target: &Path, aside: &Path) -> Result<(), InstallError> {
    std::fs::rename(target, aside).map_err(|e| InstallError::io("rename", target, &e))?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(aside, target);
        return Err(InstallError::io("rename", new, &e));
    }
    remove_any(aside);
    Ok(())
}

/// Remove a file, a symlink (not its target) or a directory tree; errors
/// are ignored (best-effort cleanup).
pub(crate) fn remove_any(path: &Path) {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Write `data` to `path` through a temporary file in the same directory
/// and a rename, so readers never see a half-written file.
pub(crate) fn write_atomic(path: &Path, data: &[u8]) -> Result<(), InstallError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| InstallError::io("mkdir", dir, &e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| InstallError::io("open", dir, &e))?;
    std::io::Write::write_all(&mut tmp, data).map_err(|e| InstallError::io("write", path, &e))?;
    tmp.persist(path)
        .map_err(|e| InstallError::io("rename", path, &e.error))?;
    set_mode(path, 0o644)
}
