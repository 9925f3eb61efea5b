//! Sprig's regular expression functions (`regex.go`) with Go `regexp`
//! semantics: Go syntax and error texts (see [`crate::goregex`]), Go's
//! handling of empty matches in `FindAll`/`ReplaceAll`/`Split`, and Go's
//! `$1`/`${name}` template expansion.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex::Regex;
use rudder_template::{FuncError, FuncMap};
use rudder_value::Value;
use rudder_value::fmt::quote;

use crate::goregex::{LARGE, quote_meta, translate};
use crate::unicode as uc;
use crate::util::{I, S, def, sig, strings};

/// A compiled Go regexp.
pub(crate) struct GoRegex {
    pub(crate) re: Regex,
    names: Vec<String>,
    /// Whether the Go expression was empty (`Split` looks at it).
    empty: bool,
}

/// How many compiled patterns each thread keeps.
const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<String, Result<Rc<GoRegex>, String>>> = RefCell::new(HashMap::new());
}

/// Go's `regexp.Compile`, memoised per thread. The error is Go's text.
pub(crate) fn compile(pattern: &str) -> Result<Rc<GoRegex>, String> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return hit;
    }
    let result = compile_uncached(pattern);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_SIZE {
            c.clear();
        }
        c.insert(pattern.to_owned(), result.clone());
    });
    result
}

fn compile_uncached(pattern: &str) -> Result<Rc<GoRegex>, String> {
    let t = translate(pattern).map_err(|e| e.to_string())?;
    let re = regex::RegexBuilder::new(&t.pattern)
        .size_limit(256 << 20)
        .build()
        .map_err(|_| format!("error parsing regexp: {LARGE}: `{pattern}`"))?;
    Ok(Rc::new(GoRegex {
        re,
        names: t.names,
        empty: pattern.is_empty(),
    }))
}

/// Go's `regexp.MustCompile` panic text.
fn must_compile(pattern: &str) -> Result<Rc<GoRegex>, FuncError> {
    compile(pattern).map_err(|e| {
        let shown = if can_backquote(pattern) {
            format!("`{pattern}`")
        } else {
            quote(pattern)
        };
        FuncError::new(format!("regexp: Compile({shown}): {e}"))
    })
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !(c < ' ' || c == '\x7F')))
}

impl GoRegex {
    /// Go's `allMatches`: successive non-overlapping matches, skipping an
    /// empty match right after the previous match; at most `n` (all if
    /// negative).
    fn all_matches(&self, s: &str, n: i64) -> Vec<(usize, usize)> {
        let limit = if n < 0 { usize::MAX } else { n as usize };
        let mut out = Vec::new();
        let mut pos = 0;
        let mut prev_end: Option<usize> = None;
        while out.len() < limit && pos <= s.len() {
            let Some(m) = self.re.find_at(s, pos) else {
                break;
            };
            let (a, b) = (m.start(), m.end());
            let mut accept = true;
            if b == pos {
                if Some(a) == prev_end {
                    accept = false;
                }
                pos += s[pos..].chars().next().map_or(1, char::len_utf8);
            } else {
                pos = b;
            }
            prev_end = Some(b);
            if accept {
                out.push((a, b));
            }
        }
        out
    }

    /// Go's `ReplaceAllString`/`ReplaceAllLiteralString`.
    fn replace_all(&self, s: &str, repl: &str, literal: bool) -> String {
        let mut out = String::with_capacity(s.len());
        let mut last_end = 0;
        let mut search = 0;
        while search <= s.len() {
            let Some(caps) = self.re.captures_at(s, search) else {
                break;
            };
            let Some(m) = caps.get(0) else {
                break;
            };
            let (a, b) = (m.start(), m.end());
            out.push_str(&s[last_end..a]);
            if b > last_end || a == 0 {
                if literal {
                    out.push_str(repl);
                } else {
                    self.expand(&mut out, repl, s, &caps);
                }
            }
            last_end = b;
            let width = s[search..].chars().next().map_or(0, char::len_utf8);
            if search + width > b {
                search += width;
            } else if search + 1 > b {
                search += 1;
            } else {
                search = b;
            }
        }
        out.push_str(&s[last_end..]);
        out
    }

    /// Go's `Regexp.expand`: `$$`, `$n`, `${n}`, `$name`, `${name}`.
    fn expand(&self, out: &mut String, template: &str, src: &str, caps: &regex::Captures<'_>) {
        let mut t = template;
        while let Some(i) = t.find('$') {
            out.push_str(&t[..i]);
            t = &t[i + 1..];
            if let Some(rest) = t.strip_prefix('$') {
                out.push('$');
                t = rest;
                continue;
            }
            let Some((name, num, rest)) = extract(t) else {
                out.push('$');
                continue;
            };
            t = rest;
            let group = match num {
                Some(n) => caps.get(n),
                None => self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| **g == name)
                    .find_map(|(i, _)| caps.get(i)),
            };
            if let Some(g) = group {
                out.push_str(&src[g.start()..g.end()]);
            }
        }
        out.push_str(t);
    }

    /// Go's `Regexp.Split`.
    fn split(&self, s: &str, n: i64) -> Vec<String> {
        if n == 0 {
            return Vec::new();
        }
        if !self.empty && s.is_empty() {
            return vec![String::new()];
        }
        let matches = self.all_matches(s, n);
        let mut out = Vec::new();
        let (mut beg, mut end) = (0, 0);
        for (a, b) in matches {
            if n > 0 && out.len() as i64 == n - 1 {
                break;
            }
            end = a;
            if b != 0 {
                out.push(s[beg..end].to_owned());
            }
            beg = b;
        }
        if end != s.len() {
            out.push(s[beg..].to_owned());
        }
        out
    }
}

/// Go's `extract` for template expansion: a (possibly braced) name of
/// letters, digits and `_`; a number when all digits without a leading
/// zero.
fn extract(s: &str) -> Option<(String, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(uc::is_letter(c) || uc::is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                num = Some(n * 10 + usize::from(b - b'0'));
            }
            _ => {
                num = None;
                break;
            }
        }
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name.to_owned(), num, rest))
}

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "regexMatch", sig(&[S, S]), |mut a| {
        let (re, s) = (a.str()?, a.str()?);
        Ok(Value::Bool(compile(&re).is_ok_and(|r| r.re.is_match(&s))))
    });
    def(m, "mustRegexMatch", sig(&[S, S]), |mut a| {
        let (re, s) = (a.str()?, a.str()?);
        let r = compile(&re).map_err(FuncError::new)?;
        Ok(Value::Bool(r.re.is_match(&s)))
    });
    for (name, must) in [("regexFindAll", false), ("mustRegexFindAll", true)] {
        def(m, name, sig(&[S, S, I]), move |mut a| {
            let (re, s, n) = (a.str()?, a.str()?, a.int()?);
            let r = get(&re, must)?;
            Ok(strings(
                r.all_matches(&s, n)
                    .into_iter()
                    .map(|(x, y)| s[x..y].to_owned()),
            ))
        });
    }
    for (name, must) in [("regexFind", false), ("mustRegexFind", true)] {
        def(m, name, sig(&[S, S]), move |mut a| {
            let (re, s) = (a.str()?, a.str()?);
            let r = get(&re, must)?;
            Ok(Value::string(
                r.re.find(&s)
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default(),
            ))
        });
    }
    for (name, must, literal) in [
        ("regexReplaceAll", false, false),
        ("mustRegexReplaceAll", true, false),
        ("regexReplaceAllLiteral", false, true),
        ("mustRegexReplaceAllLiteral", true, true),
    ] {
        def(m, name, sig(&[S, S, S]), move |mut a| {
            let (re, s, repl) = (a.str()?, a.str()?, a.str()?);
            let r = get(&re, must)?;
            Ok(Value::string(r.replace_all(&s, &repl, literal)))
        });
    }
    for (name, must) in [("regexSplit", false), ("mustRegexSplit", true)] {
        def(m, name, sig(&[S, S, I]), move |mut a| {
            let (re, s, n) = (a.str()?, a.str()?, a.int()?);
            let r = get(&re, must)?;
            Ok(strings(r.split(&s, n)))
        });
    }
    def(m, "regexQuoteMeta", sig(&[S]), |mut a| {
        Ok(Value::string(quote_meta(&a.str()?)))
    });
}

/// The compiled pattern: a returned error for the `must` versions, the
/// `MustCompile` panic for the others.
fn get(pattern: &str, must: bool) -> Result<Rc<GoRegex>, FuncError> {
    if must {
        compile(pattern).map_err(FuncError::new)
    } else {
        must_compile(pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> Rc<GoRegex> {
        match compile(p) {
            Ok(r) => r,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    fn find_all_skips_empty_after_match() {
        let r = re("a*");
        let got: Vec<(usize, usize)> = r.all_matches("baaac", -1);
        assert_eq!(got, vec![(0, 0), (1, 4), (5, 5)]);
    }

    #[test]
    fn replace_expands_like_go() {
        let r = re("(?P<first>\\w+) (\\w+)");
        assert_eq!(
            r.replace_all("hello world", "$2 ${first}", false),
            "world hello"
        );
        assert_eq!(r.replace_all("hello world", "$1x", false), "");
        assert_eq!(r.replace_all("hello world", "$$1", false), "$1");
        assert_eq!(re("a*").replace_all("baaac", "-", false), "-b-c-");
        assert_eq!(re("x").replace_all("axb", "$1", true), "a$1b");
    }

    #[test]
    fn split_like_go() {
        assert_eq!(re(",").split("a,b,c", -1), vec!["a", "b", "c"]);
        assert_eq!(re(",").split("a,b,c", 2), vec!["a", "b,c"]);
        assert_eq!(re("").split("abc", -1), vec!["a", "b", "c"]);
        assert_eq!(re("x*").split("", -1), vec![""]);
    }

    #[test]
    fn ascii_perl_classes() {
        assert_eq!(re("\\d+").re.find("x٣4y").map(|m| m.as_str()), Some("4"));
    }
}
