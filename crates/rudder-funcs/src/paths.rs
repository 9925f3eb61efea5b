//! Go's `path` and `path/filepath` functions as Sprig exposes them. On the
//! platforms Helm ships for (Unix), `filepath` behaves like `path`, so both
//! families share one implementation.

use rudder_template::FuncMap;
use rudder_value::Value;

use crate::util::{S, def, sig};

pub(crate) fn register(m: &mut FuncMap) {
    for (plain, os) in [
        ("base", "osBase"),
        ("dir", "osDir"),
        ("clean", "osClean"),
        ("ext", "osExt"),
    ] {
        let f: fn(&str) -> String = match plain {
            "base" => base,
            "dir" => dir,
            "clean" => clean,
            _ => |p| ext(p).to_owned(),
        };
        for name in [plain, os] {
            def(m, name, sig(&[S]), move |mut a| {
                Ok(Value::string(f(&a.str()?)))
            });
        }
    }
    for name in ["isAbs", "osIsAbs"] {
        def(m, name, sig(&[S]), |mut a| {
            Ok(Value::Bool(a.str()?.starts_with('/')))
        });
    }
}

/// Go's `path.Clean`: lexical processing of `.`, `..` and repeated slashes.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`.
fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".to_owned();
    }
    match t.rfind('/') {
        Some(i) => t[i + 1..].to_owned(),
        None => t.to_owned(),
    }
}

/// Go's `path.Dir`.
fn dir(p: &str) -> String {
    let d = match p.rfind('/') {
        Some(i) => &p[..=i],
        None => "",
    };
    clean(d)
}

/// Go's `path.Ext`: from the last dot of the final element.
fn ext(p: &str) -> &str {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return &p[i..];
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_functions() {
        assert_eq!(clean("a//b/./../c/"), "a/c");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean(""), ".");
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("///"), "/");
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(dir("a"), ".");
        assert_eq!(ext("a/b.tar.gz"), ".gz");
        assert_eq!(ext("a.b/c"), "");
    }
}
