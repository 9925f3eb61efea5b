//! What `helm template` prints: the manifest buffer, hooks, `--show-only`
//! filtering and `--output-dir` files (`pkg/cmd/template.go`).

use std::path::{Path, PathBuf};

use rudder_render::{Hook, split_manifests};

use crate::ActionError;

/// Where and how to print.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    /// `--no-hooks`: leave hooks out.
    pub disable_hooks: bool,
    /// `--skip-tests`: leave test hooks out.
    pub skip_tests: bool,
    /// `--show-only` patterns, in flag order.
    pub show_only: Vec<String>,
    /// `--output-dir`.
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: add the release name to output-dir paths.
    pub use_release_name: bool,
    /// The release name (for `--release-name`).
    pub release_name: String,
}

/// The assembled stdout text, and the lines (`wrote PATH`) Helm prints
/// while writing `--output-dir` files, which come first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Printed {
    /// `wrote ...` lines, in write order.
    pub wrote: Vec<String>,
    /// The rest of stdout.
    pub stdout: String,
}

/// Write one `---\n# Source: NAME\nDATA\n` block to `dir/name`, appending
/// when asked (Helm's `writeToFile`).
pub fn write_to_file(
    dir: &Path,
    name: &str,
    data: &str,
    append: bool,
) -> Result<String, ActionError> {
    use std::io::Write;
    let path = dir.join(name);
    let shown = format!("{}/{}", dir.display(), name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| ActionError::plain(format!("mkdir {}: {e}", parent.display())))?;
    }
    let mut f = if append {
        std::fs::OpenOptions::new().append(true).open(&path)
    } else {
        std::fs::File::create(&path)
    }
    .map_err(|e| ActionError::plain(format!("open {shown}: {e}")))?;
    f.write_all(format!("---\n# Source: {name}\n{data}\n").as_bytes())
        .map_err(|e| ActionError::plain(format!("write {shown}: {e}")))?;
    Ok(format!("wrote {shown}"))
}

/// Assemble `helm template` output from the release manifest (the `B`
/// buffer) and the hooks.
pub fn print_template(
    manifest: &str,
    hooks: &[Hook],
    opts: &OutputOptions,
) -> Result<Printed, ActionError> {
    let mut printed = Printed::default();
    let mut text = String::with_capacity(manifest.len() + 1);
    text.push_str(manifest.trim());
    text.push('\n');
    if !opts.disable_hooks {
        let mut written = std::collections::HashSet::new();
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            match &opts.output_dir {
                None => {
                    text.push_str("---\n# Source: ");
                    text.push_str(&h.path);
                    text.push('\n');
                    text.push_str(&h.manifest);
                    text.push('\n');
                }
                Some(dir) => {
                    let dir = if opts.use_release_name {
                        dir.join(&opts.release_name)
                    } else {
                        dir.clone()
                    };
                    // Helm appends to a file that already exists, even one
                    // left by an earlier run.
                    let append = written.contains(&h.path) || dir.join(&h.path).exists();
                    printed
                        .wrote
                        .push(write_to_file(&dir, &h.path, &h.manifest, append)?);
                    written.insert(h.path.clone());
                }
            }
        }
    }
    if opts.show_only.is_empty() {
        printed.stdout = text;
        return Ok(printed);
    }
    let pieces = split_manifests(&text);
    let mut out = String::new();
    for pattern in &opts.show_only {
        let pattern = pattern.replace('\\', "/");
        let mut missing = true;
        for piece in &pieces {
            let Some(path) = source_path(piece) else {
                continue;
            };
            if !go_filepath_match(&pattern, path) {
                continue;
            }
            out.push_str("---\n");
            out.push_str(piece);
            out.push('\n');
            missing = false;
        }
        if missing {
            return Err(ActionError::plain(format!(
                "could not find template {pattern} in chart"
            )));
        }
    }
    printed.stdout = out;
    Ok(printed)
}

/// The first match of `# Source: [^/]+/(.+)`: the template path without the
/// chart name.
fn source_path(piece: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = piece[from..].find("# Source: ") {
        let start = from + i + "# Source: ".len();
        let rest = &piece[start..];
        // `[^/]+` (newlines included) then `/` then `.+` to the end of line.
        if let Some(slash) = rest.find('/').filter(|s| *s > 0) {
            let tail = &rest[slash + 1..];
            let end = tail.find('\n').unwrap_or(tail.len());
            if end > 0 {
                return Some(&tail[..end]);
            }
        }
        from = start;
    }
    None
}

/// Go's `filepath.Match` on Unix: `*` and `?` never match `/`, `[...]`
/// classes with `^` negation, `\` escapes; a malformed pattern matches
/// nothing.
pub fn go_filepath_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n).unwrap_or(false)
}

fn match_from(p: &[char], n: &[char]) -> Option<bool> {
    let Some((&c, rest)) = p.split_first() else {
        return Some(n.is_empty());
    };
    match c {
        '*' => {
            for i in 0..=n.len() {
                if match_from(rest, &n[i..])? {
                    return Some(true);
                }
                if i < n.len() && n[i] == '/' {
                    break;
                }
            }
            // A malformed remainder is an error even without a match.
            validate(rest)?;
            Some(false)
        }
        '?' => match n.split_first() {
            Some((&ch, tail)) if ch != '/' => match_from(rest, tail),
            _ => validate(rest).map(|()| false),
        },
        '[' => {
            let (matched, after) = match_class(rest, n.first().copied())?;
            if matched && n.first().is_some_and(|c| *c != '/') {
                match_from(after, &n[1..])
            } else {
                validate(after).map(|()| false)
            }
        }
        '\\' => {
            let (&lit, after) = rest.split_first()?;
            if n.first() == Some(&lit) {
                match_from(after, &n[1..])
            } else {
                validate(after).map(|()| false)
            }
        }
        _ => {
            if n.first() == Some(&c) {
                match_from(rest, &n[1..])
            } else {
                validate(rest).map(|()| false)
            }
        }
    }
}

/// Parse a class after `[`; returns whether `ch` is in it and the pattern
/// after `]`. `None` for a malformed class.
fn match_class(p: &[char], ch: Option<char>) -> Option<(bool, &[char])> {
    let mut i = 0;
    let negated = p.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let c = *p.get(i)?;
        if c == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            c
        };
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            let h = *p.get(i + 1)?;
            if h == ']' {
                return None;
            }
            hi = if h == '\\' {
                i += 1;
                *p.get(i + 1)?
            } else {
                h
            };
            i += 2;
        }
        if ch.is_some_and(|ch| lo <= ch && ch <= hi) {
            matched = true;
        }
    }
    Some((matched != negated, &p[i..]))
}

fn validate(p: &[char]) -> Option<()> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                p.get(i + 1)?;
                i += 2;
            }
            '[' => {
                let (_, after) = match_class(&p[i + 1..], None)?;
                i = p.len() - after.len();
            }
            _ => i += 1,
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filepath_match() {
        assert!(go_filepath_match("templates/*.yaml", "templates/a.yaml"));
        assert!(!go_filepath_match("templates/*", "templates/sub/a.yaml"));
        assert!(go_filepath_match(
            "templates/[a-c].yaml",
            "templates/b.yaml"
        ));
        assert!(!go_filepath_match(
            "templates/[^a-c].yaml",
            "templates/b.yaml"
        ));
        assert!(go_filepath_match(
            "charts/*/templates/x.yaml",
            "charts/db/templates/x.yaml"
        ));
        assert!(!go_filepath_match("templates/[", "templates/["));
        assert!(go_filepath_match("a\\*b", "a*b"));
    }

    #[test]
    fn source_paths() {
        assert_eq!(
            source_path("# Source: c/templates/a.yaml\nx: 1"),
            Some("templates/a.yaml")
        );
        assert_eq!(source_path("x: 1"), None);
    }

    #[test]
    fn assembly_without_hooks_trims_the_buffer() {
        let p = print_template(
            "\n---\n# Source: c/templates/a.yaml\na: 1\n\n",
            &[],
            &OutputOptions::default(),
        )
        .unwrap_or_default();
        assert_eq!(p.stdout, "---\n# Source: c/templates/a.yaml\na: 1\n");
        let p = print_template("", &[], &OutputOptions::default()).unwrap_or_default();
        assert_eq!(p.stdout, "\n");
    }
}
