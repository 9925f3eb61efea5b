//! `.Files`: a chart's non-template files, as Helm's `engine.files`
//! (`map[string][]byte` with `Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig`
//! and `AsSecrets`).
//!
//! `Glob` uses gobwas/glob semantics with `/` as the separator (`*` and `?`
//! stay inside a path segment, `**` crosses segments, `{a,b}` alternatives,
//! `[...]` classes); a pattern that does not compile silently matches
//! everything, as in Helm.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use rudder_value::{ElemType, GoType, List, Map, MapKind, Object, ObjectRepr, Signature, Value};

/// A set of chart files, keyed by path relative to the chart.
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: Rc<BTreeMap<String, Arc<[u8]>>>,
}

impl Files {
    /// Files from `(path, contents)` pairs. Later duplicates win.
    pub fn new<I>(files: I) -> Files
    where
        I: IntoIterator<Item = (String, Arc<[u8]>)>,
    {
        Files {
            files: Rc::new(files.into_iter().collect()),
        }
    }

    /// The template object for `.Files`.
    pub fn to_value(&self) -> Value {
        Value::object(self.clone())
    }

    fn get_bytes(&self, name: &str) -> &[u8] {
        self.files.get(name).map_or(&[][..], |d| &d[..])
    }

    fn glob(&self, pattern: &str) -> Files {
        let pat = compile_glob(pattern).unwrap_or_else(|| vec![Tok::SuperStar]);
        Files {
            files: Rc::new(
                self.files
                    .iter()
                    .filter(|(name, _)| {
                        let chars: Vec<char> = name.chars().collect();
                        glob_match(&pat, &chars)
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        }
    }

    fn lines(&self, path: &str) -> Result<Value, String> {
        let Some(data) = self.files.get(path) else {
            return Ok(Value::List(List::typed(Vec::new(), ElemType::String)));
        };
        let s = String::from_utf8_lossy(data);
        if s.is_empty() {
            // Helm 4.2 indexes s[len(s)-1] without a length check; the
            // panic becomes this template error.
            return Err("runtime error: index out of range [-1]".to_owned());
        }
        let s = s.strip_suffix('\n').unwrap_or(&s);
        Ok(Value::List(List::strings(s.split('\n'))))
    }

    /// `map[basename]contents` rendered with Helm's `toYaml`.
    fn as_config(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let m = Map::new();
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base, Value::string(encode(v)));
        }
        match rudder_yaml::to_yaml(&Value::Map(m)) {
            Ok(y) => y.strip_suffix('\n').map(str::to_owned).unwrap_or(y),
            Err(_) => String::new(),
        }
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::Map(Map::from_entries(
            MapKind::Any,
            self.files
                .iter()
                .map(|(k, v)| (k.as_str(), Value::Bytes(Rc::from(&v[..])))),
        )))
    }

    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(Signature::new(vec![GoType::String])),
            "AsConfig" | "AsSecrets" => Some(Signature::new(vec![])),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or("");
        match name {
            "Get" => Ok(Value::string(
                String::from_utf8_lossy(self.get_bytes(arg)).into_owned(),
            )),
            "GetBytes" => Ok(Value::Bytes(Rc::from(self.get_bytes(arg)))),
            "Glob" => Ok(Value::object(self.glob(arg))),
            "Lines" => self.lines(arg),
            "AsConfig" => Ok(Value::string(
                self.as_config(|d| String::from_utf8_lossy(d).into_owned()),
            )),
            "AsSecrets" => Ok(Value::string(self.as_config(base64_std))),
            _ => Err(format!("no method {name}")),
        }
    }

    fn marshal_json(&self) -> Result<Value, String> {
        // encoding/json writes []byte values as base64 strings.
        Ok(Value::Map(Map::from_entries(
            MapKind::Any,
            self.files
                .iter()
                .map(|(k, v)| (k.as_str(), Value::Bytes(Rc::from(&v[..])))),
        )))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Standard base64 with padding (Go's `base64.StdEncoding`).
pub fn base64_std(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// A compiled gobwas/glob pattern token.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(char),
    /// `?`: one character that is not the separator.
    Any,
    /// `*`: any run of non-separator characters.
    Star,
    /// `**`: any run of characters.
    SuperStar,
    /// `[...]` / `[!...]`: one character in (or not in) the ranges.
    Class(Vec<(char, char)>, bool),
    /// `{a,b}`: one of the alternatives, each a pattern.
    Alt(Vec<Vec<Tok>>),
}

const SEP: char = '/';

fn compile_glob(pattern: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let toks = parse_seq(&chars, &mut pos, false)?;
    (pos == chars.len()).then_some(toks)
}

fn parse_seq(c: &[char], pos: &mut usize, in_alt: bool) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    while *pos < c.len() {
        let ch = c[*pos];
        match ch {
            '\\' => {
                *pos += 1;
                out.push(Tok::Lit(*c.get(*pos)?));
                *pos += 1;
            }
            '*' => {
                if c.get(*pos + 1) == Some(&'*') {
                    out.push(Tok::SuperStar);
                    *pos += 2;
                } else {
                    out.push(Tok::Star);
                    *pos += 1;
                }
            }
            '?' => {
                out.push(Tok::Any);
                *pos += 1;
            }
            '[' => {
                *pos += 1;
                let negate = c.get(*pos) == Some(&'!');
                if negate {
                    *pos += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let lo = *c.get(*pos)?;
                    if lo == ']' {
                        *pos += 1;
                        break;
                    }
                    *pos += 1;
                    if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|x| *x != ']') {
                        let hi = c[*pos + 1];
                        *pos += 2;
                        ranges.push((lo, hi));
                    } else {
                        ranges.push((lo, lo));
                    }
                }
                out.push(Tok::Class(ranges, negate));
            }
            '{' => {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_seq(c, pos, true)?);
                    match c.get(*pos)? {
                        ',' => *pos += 1,
                        '}' => {
                            *pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                out.push(Tok::Alt(alts));
            }
            ',' | '}' if in_alt => return Some(out),
            _ => {
                out.push(Tok::Lit(ch));
                *pos += 1;
            }
        }
    }
    if in_alt {
        // An unterminated `{`.
        return None;
    }
    Some(out)
}

fn glob_match(pat: &[Tok], s: &[char]) -> bool {
    let Some((first, rest)) = pat.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && glob_match(rest, &s[1..]),
        Tok::Any => s.first().is_some_and(|c| *c != SEP) && glob_match(rest, &s[1..]),
        Tok::Class(ranges, negate) => {
            s.first().is_some_and(|c| {
                let inside = ranges.iter().any(|(lo, hi)| lo <= c && c <= hi);
                inside != *negate
            }) && glob_match(rest, &s[1..])
        }
        Tok::Star => {
            for i in 0..=s.len() {
                if glob_match(rest, &s[i..]) {
                    return true;
                }
                if i < s.len() && s[i] == SEP {
                    break;
                }
            }
            false
        }
        Tok::SuperStar => (0..=s.len()).any(|i| glob_match(rest, &s[i..])),
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            glob_match(&joined, s)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        let pat = compile_glob(p).unwrap_or_else(|| vec![Tok::SuperStar]);
        glob_match(&pat, &s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn gobwas_semantics() {
        assert!(m("*.yaml", "a.yaml"));
        assert!(!m("*.yaml", "dir/a.yaml"));
        assert!(m("**.yaml", "dir/a.yaml"));
        assert!(m("files/**", "files/a/b.txt"));
        assert!(m("files/*", "files/b.txt"));
        assert!(!m("files/*", "files/a/b.txt"));
        assert!(m("config/{a,b}.conf", "config/b.conf"));
        assert!(m("[ab]?.txt", "bx.txt"));
        assert!(!m("[!ab]?.txt", "bx.txt"));
        assert!(m("a\\*b", "a*b"));
        // Unparseable patterns match everything.
        assert!(m("[abc", "anything/at/all"));
        assert!(m("{a,b", "x"));
    }

    #[test]
    fn lines_and_base64() {
        let f = Files::new([
            ("a.txt".to_owned(), Arc::from(&b"x\ny\n"[..])),
            ("empty".to_owned(), Arc::from(&b""[..])),
        ]);
        let v = f.lines("a.txt").unwrap_or(Value::Nil);
        assert_eq!(rudder_value::fmt::format_v(&v), "[x y]");
        assert!(f.lines("empty").is_err());
        assert_eq!(
            rudder_value::fmt::format_v(&f.lines("missing").unwrap_or(Value::Nil)),
            "[]"
        );
        assert_eq!(base64_std(b"hello"), "aGVsbG8=");
        assert_eq!(base64_std(b""), "");
        assert_eq!(base64_std(b"ab"), "YWI=");
    }
}
