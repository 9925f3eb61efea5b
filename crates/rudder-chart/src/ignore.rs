//! `.helmignore` rules exactly as Helm's `pkg/ignore` evaluates them, plus a
//! port of Go's `path/filepath.Match` (Unix flavour) that the rules rely on.
//!
//! Helm's rules are *not* gitignore: a negated rule ignores every path that
//! does not match it, `**` is rejected, and a rule without `/` is matched
//! against the basename only. See spec §1.8 and [`Rules::ignore`].

use std::fmt;

/// The name of the ignore file at a chart's root.
pub const HELM_IGNORE: &str = ".helmignore";

/// Go's `filepath.ErrBadPattern` text.
const BAD_PATTERN: &str = "syntax error in pattern";

/// A malformed pattern (Go's `filepath.ErrBadPattern`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(BAD_PATTERN)
    }
}

impl std::error::Error for BadPattern {}

/// Go's `filepath.Match(pattern, name)` on Unix: `*` and `?` never match `/`,
/// `[...]` classes with `^` negation and ranges, `\` escapes. Like Go ≥ 1.16,
/// a malformed pattern is an error even when the match fails early.
pub fn fnmatch(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'outer: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest unless it holds a separator.
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok, err) = match_chunk(chunk, name);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if err {
            return Err(BadPattern);
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok, err) = match_chunk(chunk, &name[i + 1..]);
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                if err {
                    return Err(BadPattern);
                }
                i += 1;
            }
        }
        // Go still reports a malformed remainder of the pattern.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            if match_chunk(chunk, b"").2 {
                return Err(BadPattern);
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the next run of stars and the literal chunk after it.
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let Some((&b'*', rest)) = pattern.split_first() {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Decodes one UTF-8 rune as Go does (`U+FFFD`, width 1 on invalid input).
fn decode_rune(s: &[u8]) -> (u32, usize) {
    let Some(&b0) = s.first() else {
        return (0xFFFD, 0);
    };
    if b0 < 0x80 {
        return (u32::from(b0), 1);
    }
    let width = match b0 {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return (0xFFFD, 1),
    };
    match s.get(..width).and_then(|b| std::str::from_utf8(b).ok()) {
        Some(text) => (text.chars().next().map_or(0xFFFD, u32::from), width),
        None => (0xFFFD, 1),
    }
}

/// Matches `chunk` at the start of `s`: returns the rest of `s`, whether it
/// matched, and whether the chunk is malformed. After a mismatch the chunk is
/// still scanned to the end so that syntax errors are always reported.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> (&'a [u8], bool, bool) {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (rr, n) = decode_rune(s);
                    r = rr;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&b']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, rest)) = get_esc(chunk) else {
                        return (b"", false, true);
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let Some((h, rest)) = get_esc(&chunk[1..]) else {
                            return (b"", false, true);
                        };
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return (b"", false, true);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        (b"", false, false)
    } else {
        (s, true, false)
    }
}

/// One possibly escaped character of a class; `None` when malformed.
fn get_esc(mut chunk: &[u8]) -> Option<(u32, &[u8])> {
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return None;
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk);
    if r == 0xFFFD && n == 1 {
        return None;
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return None;
    }
    Some((r, rest))
}

/// Why a `.helmignore` could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    /// A rule contains `**`.
    #[error("double-star (**) syntax is not supported")]
    DoubleStar,
    /// A rule is not a valid `filepath.Match` pattern.
    #[error("syntax error in pattern")]
    BadPattern,
}

/// How a rule is matched against a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    /// The rule had a leading `/`, or contains a `/`: match the whole path.
    WholePath,
    /// The rule has no `/`: match the basename only.
    Basename,
}

#[derive(Debug, Clone)]
struct Pattern {
    raw: String,
    glob: String,
    anchor: Anchor,
    negate: bool,
    must_dir: bool,
}

/// A parsed `.helmignore`.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules at all.
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Parses a `.helmignore` file: one rule per line, a BOM on the first
    /// line stripped.
    pub fn parse(data: &[u8]) -> Result<Rules, IgnoreError> {
        let mut rules = Rules::empty();
        let data = data.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(data);
        for line in split_scanner_lines(data) {
            rules.add_rule(&String::from_utf8_lossy(line))?;
        }
        Ok(rules)
    }

    /// Appends Helm's default rule, which hides dotfiles in `templates/`.
    pub fn add_defaults(&mut self) {
        // The default rule is well formed, so this cannot fail.
        let _ = self.add_rule("templates/.?*");
    }

    /// The raw rules, in evaluation order.
    pub fn raw_rules(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.raw.as_str())
    }

    fn add_rule(&mut self, rule: &str) -> Result<(), IgnoreError> {
        let rule = trim_go_space(rule);
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar);
        }
        if fnmatch(rule, "abc").is_err() {
            return Err(IgnoreError::BadPattern);
        }
        let raw = rule.to_owned();
        let mut rule = rule;
        let negate = rule.starts_with('!');
        if negate {
            rule = &rule[1..];
        }
        let must_dir = rule.ends_with('/');
        if must_dir {
            rule = &rule[..rule.len() - 1];
        }
        let (glob, anchor) = if let Some(after) = rule.strip_prefix('/') {
            (after, Anchor::WholePath)
        } else if rule.contains('/') {
            (rule, Anchor::WholePath)
        } else {
            (rule, Anchor::Basename)
        };
        self.patterns.push(Pattern {
            raw,
            glob: glob.to_owned(),
            anchor,
            negate,
            must_dir,
        });
        Ok(())
    }

    /// Whether `path` (relative to the chart root, `/`-separated) is ignored.
    ///
    /// Rules are tried in order. A positive rule that matches ignores the
    /// path. A negated rule ignores every path that does *not* match it (and
    /// every file, when it is a directory rule); a path that matches it goes
    /// on to the next rule.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !p.matches(path) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(path) {
                return true;
            }
        }
        false
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        let subject = match self.anchor {
            Anchor::WholePath => path,
            Anchor::Basename => rudder_value::path::base(path),
        };
        fnmatch(&self.glob, subject).unwrap_or(false)
    }
}

/// Go's `strings.TrimSpace`: Unicode white space at both ends.
fn trim_go_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

/// Lines as `bufio.Scanner` with `ScanLines` yields them: split on `\n`, a
/// trailing `\r` dropped, no empty final line after a final newline.
fn split_scanner_lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        out.push(line.strip_suffix(b"\r").unwrap_or(line));
        rest = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_basics() {
        assert_eq!(fnmatch("*.txt", "a.txt"), Ok(true));
        assert_eq!(fnmatch("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(fnmatch("a?c", "abc"), Ok(true));
        assert_eq!(fnmatch("a?c", "a/c"), Ok(false));
        assert_eq!(fnmatch("[a-c]x", "bx"), Ok(true));
        assert_eq!(fnmatch("[^a-c]x", "bx"), Ok(false));
        assert_eq!(fnmatch("\\*", "*"), Ok(true));
        assert_eq!(fnmatch("*", ""), Ok(true));
        assert_eq!(fnmatch("a*b*c", "aXbYc"), Ok(true));
        assert_eq!(fnmatch("a*", "a/b"), Ok(false));
        assert_eq!(fnmatch("templates/.?*", "templates/.x"), Ok(true));
        assert_eq!(fnmatch("templates/.?*", "templates/."), Ok(false));
    }

    #[test]
    fn fnmatch_reports_bad_patterns() {
        assert_eq!(fnmatch("[", "abc"), Err(BadPattern));
        assert_eq!(fnmatch("a[", "x"), Err(BadPattern));
        assert_eq!(fnmatch("\\", "abc"), Err(BadPattern));
        assert_eq!(fnmatch("[]", "abc"), Err(BadPattern));
        assert_eq!(fnmatch("x[a-]", "abc"), Err(BadPattern));
        assert_eq!(fnmatch("[-]", "abc"), Err(BadPattern));
    }

    #[test]
    fn negation_is_not_gitignore() {
        let rules = Rules::parse(b"*.txt\n!keep.txt\n").unwrap_or_default();
        assert!(rules.ignore("a.txt", false));
        // Helm's quirk: a path that does not match the negated rule is ignored.
        assert!(rules.ignore("Chart.yaml", false));
        // `*.txt` already ignored it: the negation never gets a say.
        assert!(rules.ignore("keep.txt", false));
        let only_negated = Rules::parse(b"!keep.txt\n").unwrap_or_default();
        assert!(!only_negated.ignore("keep.txt", false));
        assert!(only_negated.ignore("dir", true));
    }

    #[test]
    fn directory_rules_and_anchors() {
        let rules =
            Rules::parse(b"# comment\n\n  docs/  \n/top.txt\nsub/x.yaml\n").unwrap_or_default();
        assert!(rules.ignore("docs", true));
        assert!(!rules.ignore("docs", false));
        assert!(rules.ignore("a/docs", true));
        assert!(rules.ignore("top.txt", false));
        assert!(!rules.ignore("a/top.txt", false));
        assert!(rules.ignore("sub/x.yaml", false));
        assert!(!rules.ignore("a/sub/x.yaml", false));
        assert!(!rules.ignore(".", true));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            Rules::parse(b"a/**/b\n").err(),
            Some(IgnoreError::DoubleStar)
        );
        assert_eq!(Rules::parse(b"[\n").err(), Some(IgnoreError::BadPattern));
    }

    #[test]
    fn defaults_hide_template_dotfiles() {
        let mut rules = Rules::empty();
        rules.add_defaults();
        assert!(rules.ignore("templates/.hidden", false));
        assert!(!rules.ignore("charts/x/templates/.hidden", false));
        assert!(!rules.ignore(".helmignore", false));
    }
}
