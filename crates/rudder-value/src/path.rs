//! Go's `path` package on `/`-separated strings: `Clean`, `Base`, `Dir`,
//! `Ext`. Chart file names, template names and the `base`/`dir`/`clean`/
//! `ext` template functions all follow these rules, so the chart loader,
//! the function library and the authoring commands share one copy.

/// Go's `path.Clean`: lexical processing of `.`, `..` and repeated slashes.
pub fn clean(p: &str) -> String {
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
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

/// Go's `path.Base` (and `filepath.Base` on Unix): the last element,
/// trailing slashes ignored; `"."` for an empty path, `"/"` for slashes
/// only.
pub fn base(p: &str) -> &str {
    if p.is_empty() {
        return ".";
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed.get(i + 1..).unwrap_or(""),
        None => trimmed,
    }
}

/// Go's `path.Dir`: everything before the last element, cleaned.
pub fn dir(p: &str) -> String {
    let cut = p.rfind('/').map_or(0, |i| i + 1);
    clean(&p[..cut])
}

/// Go's `path.Ext`: the suffix from the last `.` of the last element.
pub fn ext(name: &str) -> &str {
    // Bytes are safe: `/` and `.` never occur inside a multi-byte UTF-8
    // sequence, so `i` is always a char boundary.
    for (i, b) in name.bytes().enumerate().rev() {
        if b == b'/' {
            break;
        }
        if b == b'.' {
            return &name[i..];
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        assert_eq!(clean("a/../b"), "b");
        assert_eq!(clean("../a"), "../a");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("a//b/./c/"), "a/b/c");
        assert_eq!(clean("a//b/./../c/"), "a/c");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean("a/.."), ".");
        assert_eq!(clean(""), ".");
    }

    #[test]
    fn base_dir_ext_match_go() {
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(base("///"), "/");
        assert_eq!(base(""), ".");
        assert_eq!(dir("/a/b"), "/a");
        assert_eq!(dir("a"), ".");
        assert_eq!(ext("a/b.tar.gz"), ".gz");
        assert_eq!(ext("a.d/b"), "");
        assert_eq!(ext("crds/é.YAML"), ".YAML");
    }
}
