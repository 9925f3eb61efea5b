//! Go standard-library behaviour the authoring commands expose to users:
//! `path/filepath` splitting and cleaning, and the texts of `os` errors
//! (Helm prints them verbatim, e.g. `stat /x: no such file or directory`).

use std::io;
use std::path::{Path, PathBuf};

pub(crate) use rudder_value::path::{base, clean, dir, ext};

/// Go's text for common `syscall.Errno`s (Rust prints its own wording).
pub(crate) fn errno_text(err: &io::Error) -> String {
    let text = match err.raw_os_error() {
        Some(1) => "operation not permitted",
        Some(2) => "no such file or directory",
        Some(5) => "input/output error",
        Some(13) => "permission denied",
        Some(17) => "file exists",
        Some(20) => "not a directory",
        Some(21) => "is a directory",
        Some(28) => "no space left on device",
        Some(30) => "read-only file system",
        Some(36) => "file name too long",
        Some(40) => "too many levels of symbolic links",
        _ => {
            // Rust appends " (os error N)"; Go does not.
            let s = err.to_string();
            return match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            };
        }
    };
    text.to_owned()
}

/// A Go `*PathError` text: `op path: reason`.
pub(crate) fn path_error(op: &str, path: &Path, err: &io::Error) -> String {
    format!("{op} {}: {}", path.display(), errno_text(err))
}

/// Go's `filepath.Join` of two `/`-separated parts.
pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(b),
        (false, true) => clean(a),
        (false, false) => clean(&format!("{a}/{b}")),
    }
}

/// Go's `filepath.Abs`: joined with the working directory and cleaned,
/// without resolving symbolic links.
pub(crate) fn abs(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    PathBuf::from(clean(&joined.to_string_lossy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_paths() {
        assert_eq!(base("foo/"), "foo");
        assert_eq!(dir("foo/"), "foo");
        assert_eq!(dir("foo"), ".");
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(base(""), ".");
        assert_eq!(join("a/", "../b"), "b");
        assert_eq!(ext("templates/a.yaml"), ".yaml");
        assert_eq!(ext("a.d/b"), "");
    }
}
