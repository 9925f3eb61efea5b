//! YAML text → [`Value`], the way `sigs.k8s.io/yaml.Unmarshal` into an
//! `interface{}` does it:
//!
//! 1. yaml.v2 builds a node tree of the **first** document (anchors are
//!    registered before their children, so self-references are caught at
//!    decode time), then decodes it into Go values (`int`, `uint64`,
//!    `float64`, `string`, `bool`, nil, slices, `map[interface{}]interface{}`),
//!    expanding aliases and `<<` merges in document order.
//! 2. sigs turns map keys into strings (`FormatFloat(k, 'g', -1, 32)` for
//!    floats, `"true"` for bools; nil keys are errors).
//! 3. The tree goes through `json.Marshal` (NaN and ±Inf fail, invalid UTF-8
//!    becomes U+FFFD) and back through `json.Unmarshal`, so every number is a
//!    `float64`.
//!
//! The three stages are kept apart because their errors take precedence in
//! that order.

use std::borrow::Cow;
use std::collections::HashMap;

use rudder_value::{List, Map, MapKind, Value, float::format_float};

use crate::MAX_DEPTH;
use crate::error::YamlError;
use crate::fast::{self, Trie, Want};
use crate::parser::{EventKind, Parser};
use crate::resolve::{BINARY_TAG, MERGE_TAG, Scalar, resolve};
use crate::scanner::{Mark, ScanError, all_chars_allowed};

/// A yaml.v2 node. Children are indices into the arena.
#[derive(Debug)]
enum Node<'a> {
    Scalar {
        value: Cow<'a, str>,
        tag: String,
        implicit: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
    Alias {
        name: &'a str,
        target: usize,
    },
}

/// A Go value as yaml.v2 decodes into `interface{}`.
#[derive(Clone, Debug)]
pub(crate) enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(Vec<u8>),
    Seq(Vec<GoVal>),
    Map(GoMap),
}

/// `map[interface{}]interface{}`: insertion-ordered, with Go key identity.
#[derive(Clone, Debug, Default)]
pub(crate) struct GoMap {
    pub(crate) entries: Vec<(GoVal, GoVal)>,
    index: HashMap<KeyId, usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(u64),
    Str(Vec<u8>),
}

impl GoMap {
    fn insert(&mut self, k: GoVal, v: GoVal) {
        let id = match &k {
            GoVal::Nil => Some(KeyId::Nil),
            GoVal::Bool(b) => Some(KeyId::Bool(*b)),
            GoVal::Int(i) => Some(KeyId::Int(*i)),
            GoVal::Uint(u) => Some(KeyId::Uint(*u)),
            // NaN is never equal to itself, so each NaN key is new; -0 == +0.
            GoVal::Float(f) if f.is_nan() => None,
            GoVal::Float(f) => Some(KeyId::Float(if *f == 0.0 { 0 } else { f.to_bits() })),
            GoVal::Str(s) => Some(KeyId::Str(s.clone())),
            GoVal::Seq(_) | GoVal::Map(_) => None,
        };
        match id {
            Some(id) => match self.index.get(&id) {
                Some(&i) => {
                    if let Some(slot) = self.entries.get_mut(i) {
                        slot.1 = v;
                    }
                }
                None => {
                    self.index.insert(id, self.entries.len());
                    self.entries.push((k, v));
                }
            },
            None => self.entries.push((k, v)),
        }
    }
}

fn syntax(line: Option<usize>, problem: impl Into<String>) -> YamlError {
    YamlError::Syntax {
        line,
        problem: problem.into(),
    }
}

fn scan_error(e: &ScanError) -> YamlError {
    syntax(e.reported_line(), e.problem.clone())
}

/// Builds the node tree of the first document, as yaml.v2's parser does.
struct Composer<'a> {
    parser: Parser<'a>,
    nodes: Vec<Node<'a>>,
    anchors: HashMap<&'a str, usize>,
    peeked: Option<(EventKind<'a>, Mark)>,
}

impl<'a> Composer<'a> {
    fn peek(&mut self) -> Result<&EventKind<'a>, YamlError> {
        if self.peeked.is_none() {
            let ev = self.parser.next_event().map_err(|e| scan_error(&e))?;
            let ev = ev.map_or((EventKind::StreamEnd, Mark::default()), |e| {
                (e.kind, e.start)
            });
            self.peeked = Some(ev);
        }
        match &self.peeked {
            Some((k, _)) => Ok(k),
            None => Err(syntax(None, "unknown problem parsing YAML content")),
        }
    }

    fn take(&mut self) -> Result<(EventKind<'a>, Mark), YamlError> {
        self.peek()?;
        self.peeked
            .take()
            .ok_or_else(|| syntax(None, "unknown problem parsing YAML content"))
    }

    /// yaml.v2's `expect`: the next event must be of this kind.
    fn expect(&mut self, want: &str) -> Result<(), YamlError> {
        let (kind, mark) = self.take()?;
        if kind == EventKind::StreamEnd {
            return Err(syntax(
                None,
                "attempted to go past the end of stream; corrupted value?",
            ));
        }
        let got = event_name(&kind);
        if got != want {
            let line = if mark.line != 0 {
                Some(mark.line)
            } else {
                None
            };
            return Err(syntax(line, format!("expected {want} event but got {got}")));
        }
        Ok(())
    }

    fn alloc(&mut self, n: Node<'a>) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    /// The root node of the first document, or `None` for an empty stream.
    fn root(&mut self) -> Result<Option<usize>, YamlError> {
        self.expect("STREAM_START")?;
        match self.peek()? {
            EventKind::StreamEnd => Ok(None),
            _ => {
                self.expect("DOCUMENT_START")?;
                let n = self.node(0)?;
                self.expect("DOCUMENT_END")?;
                Ok(Some(n))
            }
        }
    }

    fn node(&mut self, depth: usize) -> Result<usize, YamlError> {
        if depth > MAX_DEPTH {
            let line = self.peeked.as_ref().map(|(_, m)| m.line + 1);
            return Err(syntax(line, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        let (kind, _mark) = self.take()?;
        match kind {
            EventKind::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                style: _,
            } => {
                let id = self.alloc(Node::Scalar {
                    value,
                    tag,
                    implicit: plain_implicit,
                });
                if let Some(a) = anchor {
                    self.anchors.insert(a, id);
                }
                Ok(id)
            }
            EventKind::Alias(name) => match self.anchors.get(name) {
                Some(&target) => Ok(self.alloc(Node::Alias { name, target })),
                None => Err(syntax(None, format!("unknown anchor '{name}' referenced"))),
            },
            EventKind::SequenceStart { anchor } => {
                let id = self.alloc(Node::Seq(Vec::new()));
                if let Some(a) = anchor {
                    self.anchors.insert(a, id);
                }
                let mut children = Vec::new();
                while *self.peek()? != EventKind::SequenceEnd {
                    if *self.peek()? == EventKind::StreamEnd {
                        return Err(syntax(
                            None,
                            "attempted to go past the end of stream; corrupted value?",
                        ));
                    }
                    children.push(self.node(depth + 1)?);
                }
                self.take()?;
                if let Some(Node::Seq(c)) = self.nodes.get_mut(id) {
                    *c = children;
                }
                Ok(id)
            }
            EventKind::MappingStart { anchor } => {
                let id = self.alloc(Node::Map(Vec::new()));
                if let Some(a) = anchor {
                    self.anchors.insert(a, id);
                }
                let mut children = Vec::new();
                while *self.peek()? != EventKind::MappingEnd {
                    if *self.peek()? == EventKind::StreamEnd {
                        return Err(syntax(
                            None,
                            "attempted to go past the end of stream; corrupted value?",
                        ));
                    }
                    let k = self.node(depth + 1)?;
                    let v = self.node(depth + 1)?;
                    children.push((k, v));
                }
                self.take()?;
                if let Some(Node::Map(c)) = self.nodes.get_mut(id) {
                    *c = children;
                }
                Ok(id)
            }
            other => Err(syntax(
                None,
                format!("attempted to parse unknown event: {}", event_name(&other)),
            )),
        }
    }
}

pub(crate) fn event_name(k: &EventKind<'_>) -> &'static str {
    match k {
        EventKind::StreamStart => "STREAM_START",
        EventKind::StreamEnd => "STREAM_END",
        EventKind::DocumentStart => "DOCUMENT_START",
        EventKind::DocumentEnd => "DOCUMENT_END",
        EventKind::Alias(_) => "ALIAS",
        EventKind::Scalar { .. } => "SCALAR",
        EventKind::SequenceStart { .. } => "SEQUENCE_START",
        EventKind::SequenceEnd => "SEQUENCE_END",
        EventKind::MappingStart { .. } => "MAPPING_START",
        EventKind::MappingEnd => "MAPPING_END",
    }
}

/// Decodes nodes into Go values with yaml.v2's alias accounting.
struct Decoder<'n, 'a> {
    nodes: &'n [Node<'a>],
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
    active_aliases: Vec<usize>,
}

/// yaml.v2's cap on how much of a document may come from alias expansion.
fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let d = decode_count as f64;
    if d <= LOW {
        0.99
    } else if d >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((d - LOW) / (HIGH - LOW))
    }
}

impl<'n, 'a> Decoder<'n, 'a> {
    fn count(&mut self) -> Result<(), YamlError> {
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && (self.alias_count as f64 / self.decode_count as f64)
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(syntax(None, "document contains excessive aliasing"));
        }
        Ok(())
    }

    fn get(&self, id: usize) -> Result<&'n Node<'a>, YamlError> {
        self.nodes
            .get(id)
            .ok_or_else(|| syntax(None, "unknown problem parsing YAML content"))
    }

    fn unmarshal(&mut self, id: usize, depth: usize) -> Result<GoVal, YamlError> {
        self.count()?;
        if depth > MAX_DEPTH {
            return Err(syntax(None, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        match self.get(id)? {
            Node::Alias { name, target } => {
                if self.active_aliases.contains(&id) {
                    return Err(syntax(
                        None,
                        format!("anchor '{name}' value contains itself"),
                    ));
                }
                self.active_aliases.push(id);
                self.alias_depth += 1;
                let out = self.unmarshal(*target, depth + 1);
                self.alias_depth -= 1;
                self.active_aliases.pop();
                out
            }
            Node::Scalar {
                value,
                tag,
                implicit,
            } => decode_scalar(value, tag, *implicit),
            Node::Seq(children) => {
                let mut out = Vec::with_capacity(children.len());
                for &c in children {
                    out.push(self.unmarshal(c, depth + 1)?);
                }
                Ok(GoVal::Seq(out))
            }
            Node::Map(_) => {
                let mut m = GoMap::default();
                self.mapping_into(id, &mut m, depth)?;
                Ok(GoVal::Map(m))
            }
        }
    }

    /// Decode a mapping node into an existing map (merges reuse this, so
    /// merged keys overwrite earlier ones and later keys overwrite them,
    /// exactly in document order as yaml.v2 does).
    fn mapping_into(&mut self, id: usize, out: &mut GoMap, depth: usize) -> Result<(), YamlError> {
        let Node::Map(children) = self.get(id)? else {
            return Err(want_map());
        };
        for &(k, v) in children {
            if self.is_merge(k)? {
                self.merge(v, out, depth)?;
                continue;
            }
            let key = self.unmarshal(k, depth + 1)?;
            if matches!(key, GoVal::Seq(_) | GoVal::Map(_)) {
                return Err(syntax(
                    None,
                    format!("invalid map key: {}", go_syntax(&key)),
                ));
            }
            let val = self.unmarshal(v, depth + 1)?;
            out.insert(key, val);
        }
        Ok(())
    }

    fn is_merge(&self, id: usize) -> Result<bool, YamlError> {
        Ok(
            matches!(self.get(id)?, Node::Scalar { value, tag, implicit }
            if value == "<<" && (*implicit || tag == MERGE_TAG)),
        )
    }

    fn target_kind(&self, id: usize) -> Result<(bool, Option<usize>), YamlError> {
        // Returns (is mapping after following one alias, alias id if any).
        match self.get(id)? {
            Node::Map(_) => Ok((true, None)),
            Node::Alias { target, .. } => {
                Ok((matches!(self.get(*target)?, Node::Map(_)), Some(id)))
            }
            _ => Ok((false, None)),
        }
    }

    /// Decode `id` (a mapping, or an alias of one) into `out`.
    fn unmarshal_into(
        &mut self,
        id: usize,
        out: &mut GoMap,
        depth: usize,
    ) -> Result<(), YamlError> {
        self.count()?;
        match self.get(id)? {
            Node::Alias { name, target } => {
                if self.active_aliases.contains(&id) {
                    return Err(syntax(
                        None,
                        format!("anchor '{name}' value contains itself"),
                    ));
                }
                self.active_aliases.push(id);
                self.alias_depth += 1;
                let r = self.unmarshal_into(*target, out, depth + 1);
                self.alias_depth -= 1;
                self.active_aliases.pop();
                r
            }
            Node::Map(_) => self.mapping_into(id, out, depth + 1),
            _ => Err(want_map()),
        }
    }

    fn merge(&mut self, id: usize, out: &mut GoMap, depth: usize) -> Result<(), YamlError> {
        match self.get(id)? {
            Node::Map(_) | Node::Alias { .. } => {
                let (is_map, _) = self.target_kind(id)?;
                if !is_map {
                    return Err(want_map());
                }
                self.unmarshal_into(id, out, depth)
            }
            Node::Seq(children) => {
                for &c in children.iter().rev() {
                    let (is_map, _) = self.target_kind(c)?;
                    if !is_map {
                        return Err(want_map());
                    }
                    self.unmarshal_into(c, out, depth)?;
                }
                Ok(())
            }
            Node::Scalar { .. } => Err(want_map()),
        }
    }
}

fn want_map() -> YamlError {
    syntax(
        None,
        "map merge requires map or sequence of maps as the value",
    )
}

fn decode_scalar(value: &str, tag: &str, implicit: bool) -> Result<GoVal, YamlError> {
    if tag.is_empty() && !implicit {
        return Ok(GoVal::Str(value.as_bytes().to_vec()));
    }
    if tag == BINARY_TAG {
        return match base64_decode(value) {
            Some(bytes) => Ok(GoVal::Str(bytes)),
            None => Err(syntax(None, "!!binary value contains invalid base64 data")),
        };
    }
    let resolved = resolve(tag, value).map_err(|e| syntax(None, e))?;
    Ok(match resolved {
        Scalar::Null => GoVal::Nil,
        Scalar::Bool(b) => GoVal::Bool(b),
        Scalar::Int(i) => GoVal::Int(i),
        Scalar::Uint(u) => GoVal::Uint(u),
        Scalar::Float(f) => GoVal::Float(f),
        Scalar::Str(s) => GoVal::Str(s.into_bytes()),
        Scalar::Timestamp(_) => GoVal::Str(value.as_bytes().to_vec()),
    })
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet; CR and
/// LF are ignored.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::with_capacity(s.len());
    let mut pad = 0;
    for c in s.bytes() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if c == b'=' {
            pad += 1;
            vals.push(64u8);
            continue;
        }
        if pad > 0 {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        vals.push(v);
    }
    if vals.len() % 4 != 0 || pad > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() / 4 * 3);
    for chunk in vals.chunks(4) {
        let &[a, b, c, d] = chunk else {
            return None;
        };
        if a == 64 || b == 64 || (c == 64 && d != 64) {
            return None;
        }
        let n = (u32::from(a) << 18)
            | (u32::from(b) << 12)
            | (u32::from(c & 63) << 6)
            | u32::from(d & 63);
        out.push((n >> 16) as u8);
        if c != 64 {
            out.push((n >> 8) as u8);
        }
        if d != 64 {
            out.push(n as u8);
        }
    }
    Some(out)
}

/// Go's `%#v` of a decoded value, for error messages.
fn go_syntax(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "interface {}(nil)".to_owned(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => format!("0x{u:x}"),
        GoVal::Float(f) => rudder_value::float::format_g(*f),
        GoVal::Str(s) => rudder_value::fmt::quote(&go_lossy(s)),
        GoVal::Seq(items) => {
            let parts: Vec<String> = items.iter().map(go_syntax).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        GoVal::Map(m) => {
            let parts: Vec<String> = m
                .entries
                .iter()
                .map(|(k, v)| format!("{}:{}", go_syntax(k), go_syntax(v)))
                .collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// Go's view of bytes as a string when encoding JSON: each invalid byte
/// becomes U+FFFD.
pub(crate) fn go_lossy(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let mut out = String::with_capacity(b.len());
            let mut rest = b;
            while !rest.is_empty() {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(
                            std::str::from_utf8(rest.get(..good).unwrap_or(&[])).unwrap_or(""),
                        );
                        out.push('\u{FFFD}');
                        rest = rest.get(good + 1..).unwrap_or(&[]);
                    }
                }
            }
            out
        }
    }
}

/// sigs' key stringification, then the JSON round trip.
struct Converter {
    json_error: Option<String>,
}

impl Converter {
    fn convert(&mut self, v: GoVal, depth: usize) -> Result<Value, YamlError> {
        if depth > MAX_DEPTH {
            return Err(syntax(None, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        Ok(match v {
            GoVal::Nil => Value::Nil,
            GoVal::Bool(b) => Value::Bool(b),
            GoVal::Int(i) => Value::Float(i as f64),
            GoVal::Uint(u) => Value::Float(u as f64),
            GoVal::Float(f) => {
                if !f.is_finite() && self.json_error.is_none() {
                    self.json_error = Some(format!(
                        "json: unsupported value: {}",
                        format_float(f, 'g', -1, 64)
                    ));
                }
                Value::Float(f)
            }
            GoVal::Str(s) => Value::string(go_lossy(&s)),
            GoVal::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    out.push(self.convert(it, depth + 1)?);
                }
                Value::List(List::new(out))
            }
            GoVal::Map(m) => {
                let map = Map::new();
                for (k, v) in m.entries {
                    let key = match &k {
                        GoVal::Str(s) => go_lossy(s),
                        GoVal::Int(i) => i.to_string(),
                        GoVal::Float(f) => match format_float(*f, 'g', -1, 32).as_str() {
                            "+Inf" => ".inf".to_owned(),
                            "-Inf" => "-.inf".to_owned(),
                            "NaN" => ".nan".to_owned(),
                            s => s.to_owned(),
                        },
                        GoVal::Bool(b) => b.to_string(),
                        GoVal::Nil => {
                            return Err(YamlError::Convert(format!(
                                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                                go_syntax_value(&v)
                            )));
                        }
                        GoVal::Uint(u) => {
                            return Err(YamlError::Convert(format!(
                                "unsupported map key of type: uint64, key: 0x{u:x}, value: {}",
                                go_syntax_value(&v)
                            )));
                        }
                        GoVal::Seq(_) | GoVal::Map(_) => {
                            return Err(syntax(
                                None,
                                format!("invalid map key: {}", go_syntax(&k)),
                            ));
                        }
                    };
                    let val = self.convert(v, depth + 1)?;
                    map.insert(key, val);
                }
                Value::Map(map)
            }
        })
    }
}

/// `%+#v` of a map value in sigs' error: a nil interface prints `<nil>`.
fn go_syntax_value(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "<nil>".to_owned(),
        other => go_syntax(other),
    }
}

/// Parse one YAML document (the first of the stream) into yaml.v2's Go
/// values.
pub(crate) fn parse_go(text: &str) -> Result<Option<GoVal>, YamlError> {
    if !all_chars_allowed(text) {
        return Err(syntax(None, "control characters are not allowed"));
    }
    let mut composer = Composer {
        parser: Parser::new(text),
        nodes: Vec::new(),
        anchors: HashMap::new(),
        peeked: None,
    };
    let Some(root) = composer.root()? else {
        return Ok(None);
    };
    let mut decoder = Decoder {
        nodes: &composer.nodes,
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        active_aliases: Vec::new(),
    };
    // yaml.v2 counts the document node itself.
    decoder.count()?;
    decoder.unmarshal(root, 0).map(Some)
}

/// `sigs.k8s.io/yaml.Unmarshal` into `interface{}`.
pub(crate) fn from_yaml(text: &str) -> Result<Value, YamlError> {
    if all_chars_allowed(text)
        && let Some(v) = fast::build(text, Want::All)
    {
        return Ok(v);
    }
    from_yaml_exact(text)
}

/// [`from_yaml`] keeping only the map entries on `keep`'s paths (see
/// [`crate::from_yaml_pruned`]).
pub(crate) fn from_yaml_pruned(text: &str, keep: &[&[&str]]) -> Result<Value, YamlError> {
    let trie = Trie::new(keep);
    if all_chars_allowed(text)
        && let Some(v) = fast::build(text, trie.want())
    {
        return Ok(v);
    }
    from_yaml_exact(text).map(|v| trie.prune(v))
}

/// `sigs.k8s.io/yaml.Unmarshal` into `interface{}`, stage by stage (the
/// node tree, yaml.v2's decoding, sigs' conversion and the JSON step), so
/// that every error is the one Go reports first.
fn from_yaml_exact(text: &str) -> Result<Value, YamlError> {
    let Some(go) = parse_go(text)? else {
        return Ok(Value::Nil);
    };
    let mut conv = Converter { json_error: None };
    let v = conv.convert(go, 0)?;
    if let Some(e) = conv.json_error {
        return Err(YamlError::Convert(e));
    }
    Ok(v)
}

/// The JSON kind name Go's decoder reports for a value.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// Unmarshal into a Go map type: null gives an empty map, anything else but
/// an object is a type error naming `target`.
pub(crate) fn from_yaml_map(text: &str, target: &str) -> Result<Map, YamlError> {
    match from_yaml(text)? {
        Value::Nil => Ok(Map::with_kind(MapKind::Any)),
        Value::Map(m) => Ok(m),
        other => Err(YamlError::WrongType {
            found: json_kind(&other),
            target: target.to_owned(),
        }),
    }
}

/// Split a stream the way the Kubernetes `YAMLReader` does: on lines that
/// start with `---`, which may only be followed by blanks or a comment.
/// Lines are re-terminated with `\n` (a trailing `\r\n` becomes `\n`).
/// A document that is a piece of the input as it stands (the usual case:
/// `\n` line ends, last line terminated) is borrowed.
pub(crate) fn split_documents(text: &str) -> Result<Vec<Cow<'_, str>>, YamlError> {
    // The usual values file: one document, `\n` line ends, a final newline.
    if text.ends_with('\n')
        && !text.starts_with("---")
        && !text.contains("\n---")
        && !text.contains('\r')
    {
        return Ok(vec![Cow::Borrowed(text)]);
    }
    let mut docs = Vec::new();
    // The current document: input[start..end] while it is a verbatim
    // piece of the input, or `owned` once it is not.
    let mut start = 0usize;
    let mut end = 0usize;
    let mut owned: Option<String> = None;
    let ends_with_newline = text.ends_with('\n');
    let body = if ends_with_newline {
        &text[..text.len() - 1]
    } else {
        text
    };
    let count = body.split('\n').count();
    let mut offset = 0usize;
    for (i, raw) in body.split('\n').enumerate() {
        let raw_start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let last = i + 1 == count;
        // Helm 4.2's LineReader over a 4096-byte bufio.Reader loses a final
        // unterminated line whose length is a multiple of the buffer size
        // (helm/helm#32506).
        if last && !ends_with_newline && !line.is_empty() && line.len() % 4096 == 0 {
            break;
        }
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(YamlError::Reader(format!(
                    "invalid Yaml document separator: {trimmed}"
                )));
            }
            if owned.is_some() || end > start {
                docs.push(match owned.take() {
                    Some(s) => Cow::Owned(s),
                    None => Cow::Borrowed(&text[start..end]),
                });
                start = offset;
                end = offset;
                continue;
            }
        }
        // The line with its `\n`, as the input has it?
        let verbatim = line.len() == raw.len() && (!last || ends_with_newline);
        match &mut owned {
            None if verbatim && raw_start == end => end = offset,
            None => {
                let mut s = text[start..end].to_owned();
                s.push_str(line);
                s.push('\n');
                owned = Some(s);
            }
            Some(s) => {
                s.push_str(line);
                s.push('\n');
            }
        }
    }
    match owned {
        Some(s) => docs.push(Cow::Owned(s)),
        None if end > start => docs.push(Cow::Borrowed(&text[start..end])),
        None => {}
    }
    Ok(docs)
}

/// Helm's `loader.LoadValues`.
pub(crate) fn load_values(text: &str) -> Result<Map, YamlError> {
    let mut values: Option<Map> = None;
    for doc in split_documents(text)? {
        let m = from_yaml_map(&doc, "map[string]interface {}")
            .map_err(|e| YamlError::Document(Box::new(e)))?;
        values = Some(match values {
            // Merging into the empty map is a shallow copy of `m`, which
            // nothing else holds.
            None => m,
            Some(v) => merge_maps(&v, &m),
        });
    }
    Ok(values.unwrap_or_default())
}

/// Helm's `loader.MergeMaps`: nested maps merge, anything else replaces.
pub(crate) fn merge_maps(a: &Map, b: &Map) -> Map {
    let out = a.shallow_copy();
    for (k, v) in b.entries() {
        if let Value::Map(vm) = &v
            && let Some(Value::Map(am)) = out.get(&k)
        {
            out.insert(k, Value::Map(merge_maps(&am, vm)));
            continue;
        }
        out.insert(k, v);
    }
    out
}
