//! `--set`, `--set-string`, `--set-file`, `--set-json` and `--set-literal`
//! parsing, exactly as Helm's `pkg/strvals` (parser.go and
//! literal_parser.go) does it, error texts and oddities included:
//!
//! * errors that wrap `io.EOF` (`a[1` → "error parsing index: EOF") end the
//!   parse *silently*, keeping what was set so far;
//! * Go panics (type assertions on existing values) are recovered by the
//!   innermost key and reported as `unable to parse key: interface
//!   conversion: …`;
//! * `--set` typing: `true`/`false`/`null` in any case (Unicode case
//!   folding), `0`, and canonical decimal `int64`s; everything else stays a
//!   string.
//!
//! The parsers write into a caller's [`Map`], like Helm's `ParseInto*`.

use rudder_value::{IntKind, List, Map, MapKind, Value};

use crate::json;

/// Helm's `MaxIndex`: the largest list index `--set` accepts.
pub const MAX_INDEX: i64 = 65536;

/// Helm's `MaxNestedNameLevel`: how many dots a key may have.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How deep `[i][j]…` list indexes may nest. Go has no limit (its stack
/// grows); rudder refuses deeper input instead of overflowing its stack.
const MAX_LIST_NESTING: usize = 1000;

/// A `--set`-family expression was rejected; the text is Helm's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StrvalsError(pub String);

/// Reads the file named by a `--set-file` value (the caller decides what
/// `-` means); an `Err` is the text of the read error.
pub type FileReader<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// `--set`: typed values (Helm's `strvals.ParseInto`).
pub fn parse_set(s: &str, dest: &Map) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Typed).parse(dest)
}

/// `--set-string`: every value a string (Helm's `ParseIntoString`).
pub fn parse_set_string(s: &str, dest: &Map) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::String).parse(dest)
}

/// `--set-file`: every value is a path whose contents become a string
/// (Helm's `ParseIntoFile`). `read` is called once per path.
pub fn parse_set_file(s: &str, dest: &Map, read: FileReader<'_>) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::File(read)).parse(dest)
}

/// `--set-json` in its `key=<json>[,…]` form (Helm's `ParseJSON`): each
/// value is one JSON document; an empty value is null.
pub fn parse_set_json(s: &str, dest: &Map) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Json).parse(dest)
}

/// `--set-literal`: one `key=value` where the value is the rest of the
/// text, commas and backslashes included (Helm's `ParseLiteralInto`).
pub fn parse_set_literal(s: &str, dest: &Map) -> Result<(), StrvalsError> {
    Parser::new(s, Mode::Literal).parse(dest)
}

#[derive(Clone, Copy)]
enum Mode<'r> {
    Typed,
    String,
    File(FileReader<'r>),
    Json,
    Literal,
}

/// Internal failures: Go's `io.EOF`, `ErrNotList`, ordinary errors (with
/// whether they wrap `io.EOF`), and recovered panics.
enum PErr {
    Eof,
    NotList,
    Msg(String, bool),
    Panic(String),
}

fn msg(s: String) -> PErr {
    PErr::Msg(s, false)
}

fn quote(s: &str) -> String {
    rudder_value::fmt::quote(s)
}

/// Go's `%q` of a `[]rune`: `['a' 'b']`.
fn quote_runes(s: &str) -> String {
    let parts: Vec<String> = s.chars().map(quote_rune).collect();
    format!("[{}]", parts.join(" "))
}

/// Go's `strconv.QuoteRune`.
fn quote_rune(c: char) -> String {
    let q = rudder_value::fmt::quote(&c.to_string());
    let inner = &q[1..q.len() - 1];
    let inner = match inner {
        "\\\"" => "\"".to_owned(),
        "'" => "\\'".to_owned(),
        other => other.to_owned(),
    };
    format!("'{inner}'")
}

/// The Go type a runtime panic message names for a value.
fn go_type(v: &Value) -> String {
    match v {
        Value::Nil => "nil".to_owned(),
        other => other.type_name().into_owned(),
    }
}

fn assertion_panic(v: &Value, want: &str) -> PErr {
    PErr::Panic(format!(
        "interface conversion: interface {{}} is {}, not {want}",
        go_type(v)
    ))
}

/// Go's `unicode.IsSpace`.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `strings.EqualFold(s, word)` for an ASCII lower-case `word`, with Go's
/// simple case folding (`ſ` folds to `s`, the Kelvin sign to `k`).
fn equal_fold(s: &str, word: &str) -> bool {
    let mut a = s.chars();
    for w in word.chars() {
        let Some(c) = a.next() else { return false };
        let ok = c.to_ascii_lowercase() == w
            || (w == 's' && c == '\u{17F}')
            || (w == 'k' && c == '\u{212A}');
        if !ok {
            return false;
        }
    }
    a.next().is_none()
}

/// Go's `strconv.Atoi` with its error texts.
fn atoi(s: &str) -> Result<i64, PErr> {
    match s.parse::<i64>() {
        Ok(v) => Ok(v),
        Err(_) => {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(msg(format!("strconv.Atoi: parsing {}: {why}", quote(s))))
        }
    }
}

/// Helm's `typedVal` for `--set`.
fn typed_val(v: &str) -> Value {
    if equal_fold(v, "true") {
        return Value::Bool(true);
    }
    if equal_fold(v, "false") {
        return Value::Bool(false);
    }
    if equal_fold(v, "null") {
        return Value::Nil;
    }
    if v == "0" {
        return Value::Int(0, IntKind::Int64);
    }
    if !v.is_empty()
        && !v.starts_with('0')
        && let Ok(i) = v.parse::<i64>()
    {
        return Value::Int(i, IntKind::Int64);
    }
    Value::str(v)
}

/// Helm's `set`: an empty key is silently dropped.
fn set(data: &Map, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key, val);
    }
}

/// Helm's `setIndex`.
fn set_index(mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, Result<(), PErr>) {
    if index < 0 {
        return (
            list,
            Err(msg(format!("negative {index} index not allowed"))),
        );
    }
    if index > MAX_INDEX {
        return (
            list,
            Err(msg(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            ))),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    (list, Ok(()))
}

/// What `runes_until` stopped on.
struct Until {
    text: String,
    last: Option<char>,
}

struct Parser<'s, 'r> {
    s: &'s str,
    pos: usize,
    last_width: usize,
    mode: Mode<'r>,
    list_depth: usize,
}

impl<'s, 'r> Parser<'s, 'r> {
    fn new(s: &'s str, mode: Mode<'r>) -> Parser<'s, 'r> {
        Parser {
            s,
            pos: 0,
            last_width: 0,
            mode,
            list_depth: 0,
        }
    }

    fn parse(mut self, dest: &Map) -> Result<(), StrvalsError> {
        loop {
            match self.key(dest, 0) {
                Ok(()) => continue,
                Err(PErr::Eof) | Err(PErr::Msg(_, true)) => return Ok(()),
                Err(PErr::Msg(m, false)) | Err(PErr::Panic(m)) => return Err(StrvalsError(m)),
                Err(PErr::NotList) => return Err(StrvalsError("not a list".to_owned())),
            }
        }
    }

    fn read_rune(&mut self) -> Option<char> {
        let c = self.s[self.pos..].chars().next()?;
        self.last_width = c.len_utf8();
        self.pos += self.last_width;
        Some(c)
    }

    fn unread_rune(&mut self) {
        self.pos -= self.last_width;
        self.last_width = 0;
    }

    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    /// Helm's `runesUntil` (with `\` escapes) or `runesUntilLiteral`.
    /// `last` is `None` at the end of the input (Go's `io.EOF`).
    fn runes_until(&mut self, stop: &[char]) -> Until {
        let mut text = String::new();
        loop {
            let Some(r) = self.read_rune() else {
                return Until { text, last: None };
            };
            if stop.contains(&r) {
                return Until {
                    text,
                    last: Some(r),
                };
            }
            if r == '\\' && !self.literal() {
                match self.read_rune() {
                    Some(next) => text.push(next),
                    None => return Until { text, last: None },
                }
            } else {
                text.push(r);
            }
        }
    }

    fn reader(&self, rs: &str) -> Result<Value, PErr> {
        match self.mode {
            Mode::Typed => Ok(typed_val(rs)),
            Mode::File(read) => read(rs).map(Value::string).map_err(msg),
            Mode::String | Mode::Json | Mode::Literal => Ok(Value::str(rs)),
        }
    }

    fn key(&mut self, data: &Map, level: usize) -> Result<(), PErr> {
        match self.key_inner(data, level) {
            Err(PErr::Panic(m)) => Err(msg(format!("unable to parse key: {m}"))),
            other => other,
        }
    }

    fn key_inner(&mut self, data: &Map, mut level: usize) -> Result<(), PErr> {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let Until { text: k, last } = self.runes_until(stop);
        let Some(last) = last else {
            if k.is_empty() {
                return Err(PErr::Eof);
            }
            return Err(msg(format!("key {} has no value", quote(&k))));
        };
        match last {
            '[' => {
                let i = self.key_index().map_err(|e| match e {
                    PErr::Eof => PErr::Msg("error parsing index: EOF".to_owned(), true),
                    PErr::Msg(m, eof) => PErr::Msg(format!("error parsing index: {m}"), eof),
                    other => other,
                })?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::List(l)) if l.elem() == rudder_value::ElemType::Any => {
                        l.items().to_vec()
                    }
                    Some(other) => return Err(assertion_panic(&other, "[]interface {}")),
                };
                let (list, res) = self.list_item(list, i, level);
                if let Err(PErr::Panic(m)) = res {
                    return Err(PErr::Panic(m));
                }
                set(data, &k, Value::List(List::new(list)));
                res
            }
            '=' => self.key_value(data, &k),
            ',' => {
                set(data, &k, Value::str(""));
                Err(msg(format!(
                    "key {} has no value (cannot end with ,)",
                    quote(&k)
                )))
            }
            _ => {
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match data.get(&k) {
                    None => Map::new(),
                    Some(Value::Map(m)) if m.kind() == MapKind::Any => m,
                    Some(other) => return Err(assertion_panic(&other, "map[string]interface {}")),
                };
                let e = self.key(&inner, level);
                if e.is_ok() && inner.is_empty() {
                    return Err(msg(format!("key map {} has no value", quote(&k))));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
        }
    }

    /// The `=` case of `key`: the value after a key.
    fn key_value(&mut self, data: &Map, k: &str) -> Result<(), PErr> {
        match self.mode {
            Mode::Literal => {
                let value = self.rest();
                set(data, k, Value::string(value));
                Ok(())
            }
            Mode::Json => {
                if self.empty_val() {
                    set(data, k, Value::Nil);
                    return Ok(());
                }
                let (v, n) = json::decode_prefix(&self.s[self.pos..]).map_err(|e| msg(e.0))?;
                set(data, k, v);
                self.pos += n;
                self.empty_val();
                Ok(())
            }
            _ => match self.val_list() {
                Ok(vl) => {
                    set(data, k, Value::List(List::new(vl)));
                    Ok(())
                }
                Err(PErr::Eof) => {
                    set(data, k, Value::str(""));
                    Err(PErr::Eof)
                }
                Err(PErr::NotList) => {
                    let rs = self.val();
                    match self.reader(&rs) {
                        Ok(v) => {
                            set(data, k, v);
                            Ok(())
                        }
                        Err(e) => {
                            set(data, k, Value::Nil);
                            Err(e)
                        }
                    }
                }
                Err(e) => Err(e),
            },
        }
    }

    fn key_index(&mut self) -> Result<i64, PErr> {
        let Until { text, last } = self.runes_until(&[']']);
        if last.is_none() {
            return Err(PErr::Eof);
        }
        atoi(&text)
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<(), PErr>) {
        if i < 0 {
            return (list, Err(msg(format!("negative {i} index not allowed"))));
        }
        let Until { text: k, last } = self.runes_until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(msg(format!(
                    "unexpected data at end of array index: {}",
                    quote_runes(&k)
                ))),
            );
        }
        let Some(last) = last else {
            return (list, Err(PErr::Eof));
        };
        match last {
            '=' => self.list_value(list, i),
            '[' => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(PErr::Eof) => {
                        return (
                            list,
                            Err(PErr::Msg("error parsing index: EOF".to_owned(), true)),
                        );
                    }
                    Err(PErr::Msg(m, eof)) => {
                        return (
                            list,
                            Err(PErr::Msg(format!("error parsing index: {m}"), eof)),
                        );
                    }
                    Err(other) => return (list, Err(other)),
                };
                let idx = i as usize;
                let existing = match list.get(idx) {
                    None | Some(Value::Nil) => None,
                    Some(Value::List(l)) if l.elem() == rudder_value::ElemType::Any => {
                        Some(l.items().to_vec())
                    }
                    Some(other) => {
                        let p = assertion_panic(other, "[]interface {}");
                        return (list, Err(p));
                    }
                };
                if self.list_depth >= MAX_LIST_NESTING {
                    return (
                        list,
                        Err(msg("list indexes are nested too deeply".to_owned())),
                    );
                }
                self.list_depth += 1;
                let had_existing = existing.is_some();
                let (list2, res) = self.list_item(existing.unwrap_or_default(), next_i, level);
                self.list_depth -= 1;
                match res {
                    Ok(()) => set_index(list, i, Value::List(List::new(list2))),
                    Err(e) => {
                        let mut list = list;
                        // Go shares the inner slice's backing array, so
                        // in-place changes made before the error remain.
                        if had_existing && !matches!(e, PErr::Panic(_)) {
                            list[idx] = Value::List(List::new(list2));
                        }
                        (list, Err(e))
                    }
                }
            }
            _ => {
                let idx = i as usize;
                let mut list = list;
                let inner = match list.get(idx) {
                    None => Map::new(),
                    Some(Value::Map(m)) if m.kind() == MapKind::Any => m.clone(),
                    Some(_) => {
                        // Indices out of order: Go replaces the slot in place.
                        let m = Map::new();
                        list[idx] = Value::Map(m.clone());
                        m
                    }
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Map(inner))
            }
        }
    }

    /// The `=` case of `listItem`.
    fn list_value(&mut self, list: Vec<Value>, i: i64) -> (Vec<Value>, Result<(), PErr>) {
        match self.mode {
            Mode::Literal => {
                let value = self.rest();
                set_index(list, i, Value::string(value))
            }
            Mode::Json => {
                if self.empty_val() {
                    return set_index(list, i, Value::Nil);
                }
                let (v, n) = match json::decode_prefix(&self.s[self.pos..]) {
                    Ok(x) => x,
                    Err(e) => return (list, Err(msg(e.0))),
                };
                let (list, res) = set_index(list, i, v);
                if res.is_err() {
                    return (list, res);
                }
                self.pos += n;
                self.empty_val();
                (list, Ok(()))
            }
            _ => match self.val_list() {
                Ok(vl) => set_index(list, i, Value::List(List::new(vl))),
                Err(PErr::Eof) => set_index(list, i, Value::str("")),
                Err(PErr::NotList) => {
                    let rs = self.val();
                    match self.reader(&rs) {
                        Ok(v) => set_index(list, i, v),
                        Err(e) => (list, Err(e)),
                    }
                }
                Err(e) => (list, Err(e)),
            },
        }
    }

    /// The rest of the input (literal values).
    fn rest(&mut self) -> String {
        let v = self.s[self.pos..].to_owned();
        self.pos = self.s.len();
        v
    }

    /// Helm's `emptyVal`: skips white space; true at a comma (consumed) or
    /// at the end.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read_rune() {
                None | Some(',') => return true,
                Some(r) if is_space(r) => {}
                Some(_) => {
                    self.unread_rune();
                    return false;
                }
            }
        }
    }

    fn val(&mut self) -> String {
        self.runes_until(&[',']).text
    }

    /// Helm's `valList`: `{a,b,c}`.
    fn val_list(&mut self) -> Result<Vec<Value>, PErr> {
        let Some(r) = self.read_rune() else {
            return Err(PErr::Eof);
        };
        if r != '{' {
            self.unread_rune();
            return Err(PErr::NotList);
        }
        let mut list = Vec::new();
        loop {
            let Until { text, last } = self.runes_until(&[',', '}']);
            match last {
                None => return Err(msg("list must terminate with '}'".to_owned())),
                Some('}') => {
                    if let Some(r) = self.read_rune()
                        && r != ','
                    {
                        self.unread_rune();
                    }
                    list.push(self.reader(&text)?);
                    return Ok(list);
                }
                _ => list.push(self.reader(&text)?),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str, &Map) -> Result<(), StrvalsError>, s: &str) -> Result<String, String> {
        let m = Map::new();
        f(s, &m).map_err(|e| e.0)?;
        Ok(rudder_value::fmt::format_v(&Value::Map(m)))
    }

    #[test]
    fn typed_values() {
        assert_eq!(
            run(parse_set, "a=1,b=true,c=NULL,d=007,e=1.5,f=-3"),
            Ok("map[a:1 b:true c:<nil> d:007 e:1.5 f:-3]".into())
        );
        assert_eq!(run(parse_set, "a=falſe"), Ok("map[a:false]".into()));
        let m = Map::new();
        assert!(parse_set("n=5", &m).is_ok());
        assert_eq!(
            m.get("n").map(|v| v.type_name().into_owned()).as_deref(),
            Some("int64")
        );
    }

    #[test]
    fn nesting_lists_and_escapes() {
        assert_eq!(
            run(parse_set, "a.b[1].c=x"),
            Ok("map[a:map[b:[<nil> map[c:x]]]]".into())
        );
        assert_eq!(
            run(parse_set, "a\\.b=1,l={x,y}"),
            Ok("map[a.b:1 l:[x y]]".into())
        );
        assert_eq!(run(parse_set_string, "a=1"), Ok("map[a:1]".into()));
        assert_eq!(
            run(parse_set_literal, "a.b=x,y=z"),
            Ok("map[a:map[b:x,y=z]]".into())
        );
    }

    #[test]
    fn error_texts() {
        assert_eq!(
            run(parse_set, "a").err().as_deref(),
            Some("key \"a\" has no value")
        );
        assert_eq!(
            run(parse_set, "a,b=1").err().as_deref(),
            Some("key \"a\" has no value (cannot end with ,)")
        );
        assert_eq!(
            run(parse_set, "a[x]=1").err().as_deref(),
            Some("error parsing index: strconv.Atoi: parsing \"x\": invalid syntax")
        );
        assert_eq!(
            run(parse_set, "a[-1]=1").err().as_deref(),
            Some("negative -1 index not allowed")
        );
        assert_eq!(
            run(parse_set, "a[65537]=1").err().as_deref(),
            Some("index of 65537 is greater than maximum supported index of 65536")
        );
        assert_eq!(
            run(parse_set, "a={1,2").err().as_deref(),
            Some("list must terminate with '}'")
        );
        assert_eq!(
            run(parse_set, "a=1,a.b=2").err().as_deref(),
            Some(
                "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
            )
        );
        assert_eq!(
            run(parse_set, "a[0]x=1").err().as_deref(),
            Some("unexpected data at end of array index: ['x']")
        );
    }

    #[test]
    fn eof_wrapping_errors_are_silent() {
        assert_eq!(run(parse_set, "a=1,b[2"), Ok("map[a:1]".into()));
        assert_eq!(run(parse_set, "a[0]"), Ok("map[a:[]]".into()));
    }

    #[test]
    fn json_values() {
        assert_eq!(
            run(parse_set_json, "a={\"b\":[1,2]},c=,d=\"x\""),
            Ok("map[a:map[b:[1 2]] c:<nil> d:x]".into())
        );
        assert_eq!(
            run(parse_set_json, "a=x").err().as_deref(),
            Some("invalid character 'x' looking for beginning of value")
        );
    }

    #[test]
    fn file_values_use_the_reader() {
        let m = Map::new();
        let read = |p: &str| -> Result<String, String> {
            if p == "ok" {
                Ok("content".into())
            } else {
                Err(format!("open {p}: no such file or directory"))
            }
        };
        assert!(parse_set_file("a=ok", &m, &read).is_ok());
        assert_eq!(
            m.get("a")
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("content")
        );
        assert_eq!(
            parse_set_file("a=nope", &m, &read)
                .err()
                .map(|e| e.0)
                .as_deref(),
            Some("open nope: no such file or directory")
        );
    }
}
