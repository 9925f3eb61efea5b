//! What kind of source `plugin install SOURCE` names, and the names Helm
//! derives from it: the plugin directory name and the cache key.
//!
//! Classification follows Helm's `NewForSource`, first match wins:
//! `oci://` → OCI; an existing local path → a local archive when it ends
//! in `.tgz`/`.tar.gz`, else a local directory; an `http(s)://` URL ending
//! in `.tgz`/`.tar.gz` → HTTP; anything else → a git repository.
//!
//! Difference from Helm: Helm sends a `HEAD` request for other `http(s)`
//! URLs and, when the server answers with a gzip content type, picks its
//! HTTP installer, which then always fails (`no extractor implemented
//! yet`). rudder sends nothing and treats such URLs as git repositories.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The archive suffixes Helm's extractor knows.
pub const ARCHIVE_SUFFIXES: [&str; 2] = [".tar.gz", ".tgz"];

/// Where a plugin comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A local directory, symlinked (development mode).
    LocalDirectory,
    /// A local `.tgz`/`.tar.gz`.
    LocalArchive,
    /// A tarball URL.
    Http,
    /// A git repository (cloned with the `git` command).
    Git,
    /// An OCI registry reference (`oci://`).
    Oci,
}

impl SourceKind {
    /// Classify `source` as Helm does (touches the file system to see
    /// whether a local path exists, never the network).
    pub fn classify(source: &str) -> SourceKind {
        if source.starts_with("oci://") {
            SourceKind::Oci
        } else if std::fs::metadata(source).is_ok() {
            if has_archive_suffix(source) {
                SourceKind::LocalArchive
            } else {
                SourceKind::LocalDirectory
            }
        } else if (source.starts_with("http://") || source.starts_with("https://"))
            && has_archive_suffix(source)
        {
            SourceKind::Http
        } else {
            SourceKind::Git
        }
    }
}

/// Whether `name` ends in `.tgz` or `.tar.gz`.
pub fn has_archive_suffix(name: &str) -> bool {
    ARCHIVE_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Helm's `stripPluginName`: the file name without its archive suffix and
/// without a trailing `-<digits>.<anything>` version
/// (`secrets-4.7.1.tgz` → `secrets`). A name without an archive suffix
/// gives `""`, as in Helm.
pub fn strip_plugin_name(file_name: &str) -> String {
    let Some(stem) = ARCHIVE_SUFFIXES
        .iter()
        .find_map(|s| file_name.strip_suffix(s))
    else {
        return String::new();
    };
    // `(.*)-[0-9]+\..*` with a greedy group: the last `-` followed by
    // digits and a dot starts the version.
    let bytes = stem.as_bytes();
    let mut cut = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'-' {
            continue;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 0 && bytes.get(i + 1 + digits) == Some(&b'.') {
            cut = Some(i);
        }
    }
    match cut {
        Some(i) => stem[..i].to_owned(),
        None => stem.to_owned(),
    }
}

/// Whether `name` can be a directory directly under the plugins
/// directory: one normal path component that is not hidden (rudder keeps
/// its own state in `.rudder`).
pub fn is_safe_dir_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).components().count() == 1
}

/// Helm's cache key for a URL or SCP-style address (`internal/plugin/cache`):
/// `[scheme-][user-]host` followed by the path with `/` → `-`, then every
/// `:` → `-`. `https://github.com/databus23/helm-diff` →
/// `https-github.com-databus23-helm-diff`.
pub fn cache_key(repo: &str) -> String {
    let (scheme, user, host, path) = if let Some((user, host, path)) = scp_syntax(repo) {
        (
            String::new(),
            user.to_owned(),
            host.to_owned(),
            format!("/{path}"),
        )
    } else {
        split_url(repo)
    };
    let mut key = String::new();
    if !scheme.is_empty() {
        key.push_str(&scheme);
        key.push('-');
    }
    if !user.is_empty() {
        key.push_str(&user);
        key.push('-');
    }
    key.push_str(&host);
    key.push_str(&path.replace('/', "-"));
    let key = key.replace([':', '\\', '\0'], "-");
    // Never let the key name the cache directory itself or its parent.
    if key.is_empty() || key == "." || key == ".." {
        format!("_{key}")
    } else {
        key
    }
}

/// `user@host:path` (Helm's `scpSyntaxRe`).
fn scp_syntax(repo: &str) -> Option<(&str, &str, &str)> {
    let (user, rest) = repo.split_once('@')?;
    let (host, path) = rest.split_once(':')?;
    let user_ok = !user.is_empty() && user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    (user_ok && host_ok).then_some((user, host, path))
}

/// A URL's scheme, user name, host and path (Go's `url.Parse` for the
/// shapes plugin sources take; the query and fragment are dropped).
fn split_url(s: &str) -> (String, String, String, String) {
    let s = s.split(['?', '#']).next().unwrap_or(s);
    let (scheme, rest) = match s.find(':') {
        Some(i)
            if s[..i]
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && s[..i]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            (s[..i].to_ascii_lowercase(), &s[i + 1..])
        }
        _ => (String::new(), s),
    };
    let Some(authority_and_path) = rest.strip_prefix("//") else {
        return (scheme, String::new(), String::new(), rest.to_owned());
    };
    let (authority, path) = match authority_and_path.find('/') {
        Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
        None => (authority_and_path, ""),
    };
    let (user, host) = match authority.rfind('@') {
        Some(i) => {
            let userinfo = &authority[..i];
            let name = userinfo.split(':').next().unwrap_or(userinfo);
            (name.to_owned(), &authority[i + 1..])
        }
        None => (String::new(), authority),
    };
    (scheme, user, host.to_owned(), path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripped_names() {
        assert_eq!(strip_plugin_name("secrets-4.7.1.tgz"), "secrets");
        assert_eq!(strip_plugin_name("helm-diff-3.1.0.tar.gz"), "helm-diff");
        assert_eq!(
            strip_plugin_name("helm-diff-linux-amd64.tgz"),
            "helm-diff-linux-amd64"
        );
        assert_eq!(strip_plugin_name("a-1.0-b-2.0.tgz"), "a-1.0-b");
        assert_eq!(strip_plugin_name("foo.tgz"), "foo");
        assert_eq!(strip_plugin_name("foo"), "");
        assert_eq!(strip_plugin_name("foo-1.tgz"), "foo-1");
    }

    #[test]
    fn cache_keys() {
        assert_eq!(
            cache_key("https://github.com/databus23/helm-diff"),
            "https-github.com-databus23-helm-diff"
        );
        assert_eq!(
            cache_key("git@github.com:user/repo"),
            "git-github.com-user-repo"
        );
        assert_eq!(
            cache_key("https://bob:pw@host:8443/a/b.git"),
            "https-bob-host-8443-a-b.git"
        );
        assert_eq!(cache_key("file:///tmp/x/repo"), "file--tmp-x-repo");
        assert_eq!(cache_key(".."), "_..");
        assert!(!cache_key("a/../../b").contains('/'));
    }

    #[test]
    fn bases_and_dir_names() {
        assert_eq!(
            rudder_value::path::base("https://github.com/x/helm-diff/"),
            "helm-diff"
        );
        assert_eq!(rudder_value::path::base("repo.git"), "repo.git");
        assert!(is_safe_dir_name("helm-diff"));
        assert!(!is_safe_dir_name(".."));
        assert!(!is_safe_dir_name(".rudder"));
        assert!(!is_safe_dir_name(""));
        assert!(!is_safe_dir_name("a/b"));
    }
}
