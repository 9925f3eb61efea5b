//! A yaml.v3-style node tree (`yaml.Node`): what `go.yaml.in/yaml/v3`
//! decodes into when asked for a `*yaml.Node`, and what kyaml (Kustomize's
//! YAML library, used by Helm's post-renderer path) edits and writes back.
//!
//! Unlike [`crate::from_yaml`], which follows yaml.v2 and produces plain
//! values, a node keeps what a round trip needs: the scalar text as
//! written, its style (plain, quoted, literal, folded), explicit tags,
//! anchors and aliases, flow or block collections, comments, and
//! positions. Tags follow yaml.v3: an untagged plain scalar gets its
//! resolved tag (`!!int` for `1`), a quoted one `!!str`, collections
//! `!!seq`/`!!map`, and an explicit tag sets [`Style::TAGGED`].
//!
//! Parsing runs yaml.v3's flavour of libyaml (`node_scanner` and
//! `node_parser`, copies of this crate's scanner and parser with yaml.v3's
//! comment handling and collection styles), and this module builds nodes
//! from the events as yaml.v3's decoder does, comment moves included.
//! Errors use yaml.v3's wording and its line arithmetic (the context mark
//! wins over the problem mark, unlike yaml.v2).

use std::collections::HashSet;
use std::fmt;

use crate::MAX_DEPTH;
use crate::node_parser::{Event, EventKind, Parser};
use crate::node_scanner::{ErrorKind, Mark, ScalarStyle, ScanError};

/// The kind of a [`Node`], as yaml.v3's `Kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A document: exactly one child (the root), or none for an empty one.
    Document,
    /// A sequence: the items.
    Sequence,
    /// A mapping: keys and values alternate in `content`.
    Mapping,
    /// A scalar: `value` is its text.
    Scalar,
    /// An alias: `value` is the anchor name it refers to.
    Alias,
}

/// yaml.v3's `Style` bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style(u8);

impl Style {
    /// Plain / block: no bits.
    pub const PLAIN: Style = Style(0);
    /// The tag was written explicitly.
    pub const TAGGED: Style = Style(1);
    /// `"…"`.
    pub const DOUBLE_QUOTED: Style = Style(2);
    /// `'…'`.
    pub const SINGLE_QUOTED: Style = Style(4);
    /// `|`.
    pub const LITERAL: Style = Style(8);
    /// `>`.
    pub const FOLDED: Style = Style(16);
    /// `[…]` / `{…}`.
    pub const FLOW: Style = Style(32);

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: Style) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    /// Whether any bit of `other` is set.
    pub fn intersects(self, other: Style) -> bool {
        self.0 & other.0 != 0
    }

    /// `self` with the bits of `other` added.
    pub fn with(self, other: Style) -> Style {
        Style(self.0 | other.0)
    }

    /// `self` without the bits of `other`.
    pub fn without(self, other: Style) -> Style {
        Style(self.0 & !other.0)
    }
}

/// One node of a YAML document, as yaml.v3's `yaml.Node`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What the node is.
    pub kind: Kind,
    /// How it was (or should be) written.
    pub style: Style,
    /// The short tag (`!!str`, `!!map`, `!custom`), resolved for untagged
    /// nodes as yaml.v3 does; empty for documents and aliases.
    pub tag: String,
    /// Scalar text, or the anchor name of an alias.
    pub value: String,
    /// The anchor defined on this node, if any.
    pub anchor: String,
    /// Children: the root of a document, the items of a sequence, the
    /// alternating keys and values of a mapping.
    pub content: Vec<Node>,
    /// Comment lines before the node (each starting with `#`).
    pub head_comment: String,
    /// The comment after the node on the same line.
    pub line_comment: String,
    /// Comment lines after the node, separated from what follows.
    pub foot_comment: String,
    /// 1-based line of the node's start (0 for nodes built in code).
    pub line: usize,
    /// 1-based column of the node's start (0 for nodes built in code).
    pub column: usize,
}

impl Node {
    /// A node of `kind` with nothing else set.
    pub fn new(kind: Kind) -> Node {
        Node {
            kind,
            style: Style::PLAIN,
            tag: String::new(),
            value: String::new(),
            anchor: String::new(),
            content: Vec::new(),
            head_comment: String::new(),
            line_comment: String::new(),
            foot_comment: String::new(),
            line: 0,
            column: 0,
        }
    }

    /// A plain scalar with the given tag (as kyaml's `NewScalarRNode` /
    /// `NewStringRNode` build them).
    pub fn scalar(tag: &str, value: &str) -> Node {
        let mut n = Node::new(Kind::Scalar);
        n.tag = tag.to_owned();
        n.value = value.to_owned();
        n
    }

    /// An empty block mapping tagged `!!map`.
    pub fn mapping() -> Node {
        let mut n = Node::new(Kind::Mapping);
        n.tag = MAP_TAG.to_owned();
        n
    }

    /// yaml.v3's `Node.ShortTag`: the tag a consumer sees, resolving
    /// untagged scalars by content (a quoted scalar is always `!!str`).
    pub fn short_tag(&self) -> String {
        if self.indicated_string() {
            return STR_TAG.to_owned();
        }
        if self.tag.is_empty() || self.tag == "!" {
            return match self.kind {
                Kind::Mapping => MAP_TAG.to_owned(),
                Kind::Sequence => SEQ_TAG.to_owned(),
                Kind::Alias => String::new(),
                Kind::Scalar => resolve_tag(&self.value).to_owned(),
                Kind::Document => String::new(),
            };
        }
        short_tag(&self.tag)
    }

    /// A scalar whose quoting or block style makes it a string regardless
    /// of its text.
    fn indicated_string(&self) -> bool {
        self.kind == Kind::Scalar
            && short_tag(&self.tag) == STR_TAG
            && self.style.intersects(
                Style::DOUBLE_QUOTED
                    .with(Style::SINGLE_QUOTED)
                    .with(Style::LITERAL)
                    .with(Style::FOLDED),
            )
    }

    /// For a mapping: the value of the first key whose text is `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry_index(key).and_then(|i| self.content.get(i + 1))
    }

    /// For a mapping: the value of the first key whose text is `key`.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let i = self.entry_index(key)?;
        self.content.get_mut(i + 1)
    }

    /// For a mapping: the index in `content` of the key `key`.
    pub fn entry_index(&self, key: &str) -> Option<usize> {
        if self.kind != Kind::Mapping {
            return None;
        }
        (0..self.content.len() / 2)
            .map(|i| i * 2)
            .find(|&i| self.content[i].kind == Kind::Scalar && self.content[i].value == key)
    }

    /// Key/value pairs of a mapping.
    pub fn pairs(&self) -> impl Iterator<Item = (&Node, &Node)> {
        self.content.chunks_exact(2).map(|kv| (&kv[0], &kv[1]))
    }
}

/// `!!str`
pub const STR_TAG: &str = "!!str";
/// `!!map`
pub const MAP_TAG: &str = "!!map";
/// `!!seq`
pub const SEQ_TAG: &str = "!!seq";
/// `!!null`
pub const NULL_TAG: &str = "!!null";
/// `!!bool`
pub const BOOL_TAG: &str = "!!bool";
/// `!!int`
pub const INT_TAG: &str = "!!int";
/// `!!float`
pub const FLOAT_TAG: &str = "!!float";
/// `!!timestamp`
pub const TIMESTAMP_TAG: &str = "!!timestamp";
/// `!!binary`
pub const BINARY_TAG: &str = "!!binary";
/// `!!merge`
pub const MERGE_TAG: &str = "!!merge";

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// yaml.v3's `shortTag`: `tag:yaml.org,2002:x` → `!!x`.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_owned(),
    }
}

/// yaml.v3's `longTag`: `!!x` → `tag:yaml.org,2002:x`.
pub fn long_tag(tag: &str) -> String {
    match tag.strip_prefix("!!") {
        Some(rest) => format!("{LONG_TAG_PREFIX}{rest}"),
        None => tag.to_owned(),
    }
}

/// A scalar as yaml.v3 resolves an untagged plain value.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    /// `~`, `null`, empty.
    Null,
    /// `true`/`True`/`TRUE`/`false`/….
    Bool(bool),
    /// An integer that fits `int64`.
    Int(i64),
    /// An integer above `int64`'s range.
    Uint(u64),
    /// A float (`1.5`, `1e3`, `.inf`, `.nan`).
    Float(f64),
    /// A timestamp (kept as its text; yaml.v3 would make a `time.Time`).
    Timestamp(String),
    /// `<<`.
    Merge,
    /// Anything else.
    Str(String),
}

impl Resolved {
    /// The short tag of the resolution.
    pub fn tag(&self) -> &'static str {
        match self {
            Resolved::Null => NULL_TAG,
            Resolved::Bool(_) => BOOL_TAG,
            Resolved::Int(_) | Resolved::Uint(_) => INT_TAG,
            Resolved::Float(_) => FLOAT_TAG,
            Resolved::Timestamp(_) => TIMESTAMP_TAG,
            Resolved::Merge => MERGE_TAG,
            Resolved::Str(_) => STR_TAG,
        }
    }
}

/// The tag yaml.v3 gives an untagged plain scalar with text `value`.
pub fn resolve_tag(value: &str) -> &'static str {
    resolve(value).tag()
}

/// Parse Go's `strconv.ParseInt(s, 0, 64)`-style integers: an optional
/// sign, then `0x`/`0o`/`0b` prefixes or a leading `0` for octal. The
/// caller has removed underscores, as yaml.v3 does.
fn parse_go_int(s: &str) -> Option<(bool, u64)> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok().map(|v| (neg, v))
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// yaml.v3's quick timestamp check plus the date layouts it accepts
/// (`2006-1-2`, with optional time); only the shape is checked.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    // date part: YYYY-M(M)-D(D)
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut parts = date.split('-');
    let ok_num = |p: Option<&str>| {
        p.is_some_and(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
    };
    if !ok_num(parts.next()) || !ok_num(parts.next()) || parts.next().is_some() {
        return false;
    }
    match time {
        None => true,
        Some(t) => {
            let t = t.trim_end_matches('Z');
            let hms: Vec<&str> = t
                .split(['+', '-'])
                .next()
                .unwrap_or("")
                .split(':')
                .collect();
            hms.len() == 3
                && hms.iter().enumerate().all(|(i, p)| {
                    let p = if i == 2 {
                        p.split('.').next().unwrap_or("")
                    } else {
                        p
                    };
                    (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
                })
        }
    }
}

/// yaml.v3's `resolve("", value)` for a plain scalar.
pub fn resolve(value: &str) -> Resolved {
    match value {
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        "<<" => return Resolved::Merge,
        _ => {}
    }
    let first = value.as_bytes()[0];
    match first {
        b'.' => {
            if let Ok(f) = value.parse::<f64>()
                && yaml_style_float(value)
            {
                return Resolved::Float(f);
            }
        }
        b'0'..=b'9' | b'+' | b'-' => {
            if looks_like_timestamp(value) {
                return Resolved::Timestamp(value.to_owned());
            }
            let plain = value.replace('_', "");
            if let Some((neg, v)) = parse_go_int(&plain) {
                if neg {
                    if v <= i64::MAX as u64 + 1 {
                        return Resolved::Int((v as i64).wrapping_neg());
                    }
                } else if let Ok(i) = i64::try_from(v) {
                    return Resolved::Int(i);
                } else {
                    return Resolved::Uint(v);
                }
            }
            if yaml_style_float(&plain)
                && let Ok(f) = plain.parse::<f64>()
            {
                return Resolved::Float(f);
            }
        }
        _ => {}
    }
    Resolved::Str(value.to_owned())
}

/// A YAML syntax error, with yaml.v3's text (`yaml: line 3: mapping values
/// are not allowed in this context`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeError {
    /// The line yaml.v3 reports, if any.
    pub line: Option<usize>,
    /// The problem.
    pub problem: String,
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "yaml: line {l}: {}", self.problem),
            None => write!(f, "yaml: {}", self.problem),
        }
    }
}

impl std::error::Error for NodeError {}

fn v3_error(e: &ScanError) -> NodeError {
    // yaml.v3 prefers the context mark's line, and adds one for scanner
    // errors only.
    let bump = usize::from(e.kind == ErrorKind::Scanner);
    let line = if e.context_mark.line != 0 {
        Some(e.context_mark.line + bump)
    } else if e.problem_mark.line != 0 {
        Some(e.problem_mark.line + bump)
    } else {
        None
    };
    NodeError {
        line,
        problem: if e.problem.is_empty() {
            "unknown problem parsing YAML content".to_owned()
        } else {
            e.problem.clone()
        },
    }
}

/// yaml.v3's `parser.node`: the tag and style a new node gets.
fn node_tag(kind: Kind, default_tag: &str, tag: &str, value: &str) -> (String, Style) {
    if !tag.is_empty() && tag != "!" {
        (short_tag(tag), Style::TAGGED)
    } else if !default_tag.is_empty() {
        (default_tag.to_owned(), Style::PLAIN)
    } else if kind == Kind::Scalar {
        (resolve_tag(value).to_owned(), Style::PLAIN)
    } else {
        (String::new(), Style::PLAIN)
    }
}

fn scalar_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::PLAIN,
        ScalarStyle::SingleQuoted => Style::SINGLE_QUOTED,
        ScalarStyle::DoubleQuoted => Style::DOUBLE_QUOTED,
        ScalarStyle::Literal => Style::LITERAL,
        ScalarStyle::Folded => Style::FOLDED,
    }
}

/// How much of the stream to parse.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extent {
    FirstDocument,
    All,
}

/// Parse every document of a YAML stream into [`Kind::Document`] nodes,
/// with comments attached.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, NodeError> {
    compose(text, Extent::All)
}

/// Parse the first document of a YAML stream, as a yaml.v3 `Decoder`'s
/// first `Decode` does (later documents are not even scanned for errors).
/// `None` for a stream without documents (yaml.v3 returns `io.EOF`).
pub fn parse_first_document(text: &str) -> Result<Option<Node>, NodeError> {
    Ok(compose(text, Extent::FirstDocument)?.into_iter().next())
}

/// yaml.v3's `parser` (decode.go): builds nodes from events, moving
/// comments where yaml.v3 moves them.
struct Composer {
    parser: Parser,
    peeked: Option<Event>,
    anchors: HashSet<String>,
}

impl Composer {
    fn peek(&mut self) -> Result<&Event, NodeError> {
        if self.peeked.is_none() {
            let e = self.parser.next_event().map_err(|e| v3_error(&e))?;
            self.peeked = Some(e.unwrap_or(Event {
                kind: EventKind::StreamEnd,
                start: Mark::default(),
                head: String::new(),
                line: String::new(),
                foot: String::new(),
            }));
        }
        match &self.peeked {
            Some(e) => Ok(e),
            None => Err(NodeError {
                line: None,
                problem: "unknown problem parsing YAML content".to_owned(),
            }),
        }
    }

    fn next(&mut self) -> Result<Event, NodeError> {
        self.peek()?;
        self.peeked.take().ok_or_else(|| NodeError {
            line: None,
            problem: "unknown problem parsing YAML content".to_owned(),
        })
    }

    /// A node from event `e` (position and comments come from it).
    fn node(e: &Event, kind: Kind, default_tag: &str, tag: &str, value: &str) -> Node {
        let (t, s) = node_tag(kind, default_tag, tag, value);
        let mut n = Node::new(kind);
        n.tag = t;
        n.style = s;
        n.value = value.to_owned();
        n.line = e.start.line + 1;
        n.column = e.start.column + 1;
        n.head_comment.clone_from(&e.head);
        n.line_comment.clone_from(&e.line);
        n.foot_comment.clone_from(&e.foot);
        n
    }

    fn parse(&mut self, depth: usize) -> Result<Node, NodeError> {
        if depth > MAX_DEPTH {
            return Err(NodeError {
                line: None,
                problem: format!("exceeded max depth of {MAX_DEPTH}"),
            });
        }
        let e = self.next()?;
        match &e.kind {
            EventKind::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                let st = scalar_style(*style);
                let default_tag = if st == Style::PLAIN {
                    if value == "<<" { MERGE_TAG } else { "" }
                } else {
                    STR_TAG
                };
                let mut n = Self::node(&e, Kind::Scalar, default_tag, tag, value);
                n.style = n.style.with(st);
                if let Some(a) = anchor {
                    self.anchors.insert(a.clone());
                    n.anchor.clone_from(a);
                }
                Ok(n)
            }
            EventKind::Alias(name) => {
                if !self.anchors.contains(name) {
                    return Err(NodeError {
                        line: None,
                        problem: format!("unknown anchor '{name}' referenced"),
                    });
                }
                Ok(Self::node(&e, Kind::Alias, "", "", name))
            }
            EventKind::SequenceStart { anchor, tag, flow } => {
                let mut n = Self::node(&e, Kind::Sequence, SEQ_TAG, tag, "");
                if *flow {
                    n.style = n.style.with(Style::FLOW);
                }
                if let Some(a) = anchor {
                    self.anchors.insert(a.clone());
                    n.anchor.clone_from(a);
                }
                while !matches!(self.peek()?.kind, EventKind::SequenceEnd) {
                    n.content.push(self.parse(depth + 1)?);
                }
                let end = self.next()?;
                n.line_comment = end.line;
                n.foot_comment = end.foot;
                Ok(n)
            }
            EventKind::MappingStart { anchor, tag, flow } => {
                let mut n = Self::node(&e, Kind::Mapping, MAP_TAG, tag, "");
                let block = !*flow;
                if *flow {
                    n.style = n.style.with(Style::FLOW);
                }
                if let Some(a) = anchor {
                    self.anchors.insert(a.clone());
                    n.anchor.clone_from(a);
                }
                while !matches!(self.peek()?.kind, EventKind::MappingEnd) {
                    let mut k = self.parse(depth + 1)?;
                    // A key's foot comment, in a block mapping, is really
                    // the foot of the previous value (seen when dedenting).
                    if block && !k.foot_comment.is_empty() && n.content.len() > 1 {
                        let prev = n.content.len() - 2;
                        n.content[prev].foot_comment = std::mem::take(&mut k.foot_comment);
                    }
                    let mut v = self.parse(depth + 1)?;
                    if k.foot_comment.is_empty() && !v.foot_comment.is_empty() {
                        k.foot_comment = std::mem::take(&mut v.foot_comment);
                    }
                    n.content.push(k);
                    n.content.push(v);
                }
                let end = self.next()?;
                n.line_comment = end.line;
                n.foot_comment = end.foot;
                if block && !n.foot_comment.is_empty() && n.content.len() > 1 {
                    let last_key = n.content.len() - 2;
                    n.content[last_key].foot_comment = std::mem::take(&mut n.foot_comment);
                }
                Ok(n)
            }
            other => Err(NodeError {
                line: None,
                problem: format!("unexpected event {other:?}"),
            }),
        }
    }

    /// The next document, or `None` at the end of the stream.
    fn document(&mut self) -> Result<Option<Node>, NodeError> {
        loop {
            match self.peek()?.kind {
                EventKind::StreamStart => {
                    self.next()?;
                }
                EventKind::StreamEnd => return Ok(None),
                EventKind::DocumentStart => break,
                _ => {
                    return Err(NodeError {
                        line: None,
                        problem: "did not find expected <document start>".to_owned(),
                    });
                }
            }
        }
        let start = self.next()?;
        let mut doc = Self::node(&start, Kind::Document, "", "", "");
        doc.content.push(self.parse(0)?);
        let end = self.next()?;
        if matches!(end.kind, EventKind::DocumentEnd) {
            doc.foot_comment = end.foot;
        }
        Ok(Some(doc))
    }
}

fn compose(text: &str, extent: Extent) -> Result<Vec<Node>, NodeError> {
    if text
        .chars()
        .any(|c| !crate::node_scanner::is_allowed_char(c))
    {
        return Err(NodeError {
            line: None,
            problem: "control characters are not allowed".to_owned(),
        });
    }
    let mut c = Composer {
        parser: Parser::new(text),
        peeked: None,
        anchors: HashSet::new(),
    };
    let mut docs = Vec::new();
    while let Some(d) = c.document()? {
        docs.push(d);
        if extent == Extent::FirstDocument {
            break;
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Node {
        match parse_first_document(text) {
            Ok(Some(d)) => d,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn tags_and_styles_follow_yaml_v3() {
        let d = first("a: 1\nb: '1'\nc: !!str 2\nd: [x, y]\ne: {f: g}\nh: |\n  lit\n");
        let root = &d.content[0];
        assert_eq!(root.kind, Kind::Mapping);
        assert_eq!(root.tag, "!!map");
        let get = |k: &str| {
            root.get(k)
                .cloned()
                .unwrap_or_else(|| Node::new(Kind::Alias))
        };
        assert_eq!(get("a").tag, "!!int");
        assert_eq!(get("b").tag, "!!str");
        assert_eq!(get("b").style, Style::SINGLE_QUOTED);
        assert_eq!(get("c").tag, "!!str");
        assert!(get("c").style.contains(Style::TAGGED));
        assert!(get("d").style.contains(Style::FLOW));
        assert!(get("e").style.contains(Style::FLOW));
        assert_eq!(get("h").style, Style::LITERAL);
        assert_eq!(get("h").value, "lit\n");
        assert_eq!((get("a").line, get("a").column), (1, 4));
    }

    #[test]
    fn resolution() {
        assert_eq!(resolve("1_000"), Resolved::Int(1000));
        assert_eq!(resolve("0x1F"), Resolved::Int(31));
        assert_eq!(resolve("017"), Resolved::Int(15));
        assert_eq!(resolve("0o17"), Resolved::Int(15));
        assert_eq!(resolve("yes"), Resolved::Str("yes".into()));
        assert_eq!(resolve("1.0"), Resolved::Float(1.0));
        assert_eq!(resolve("1e3"), Resolved::Float(1000.0));
        assert_eq!(
            resolve("2001-12-14"),
            Resolved::Timestamp("2001-12-14".into())
        );
        assert_eq!(resolve("1.2.3"), Resolved::Str("1.2.3".into()));
        assert_eq!(resolve("18446744073709551615"), Resolved::Uint(u64::MAX));
        assert_eq!(resolve("-9223372036854775808"), Resolved::Int(i64::MIN));
        assert_eq!(resolve(".5"), Resolved::Float(0.5));
        assert_eq!(resolve("+1"), Resolved::Int(1));
    }

    #[test]
    fn errors_use_v3_lines() {
        let e = parse_first_document("a: b\nc: d: e\n");
        assert_eq!(
            e.map_err(|e| e.to_string()),
            Err("yaml: line 2: mapping values are not allowed in this context".to_owned())
        );
        let e = parse_first_document("a: *x\n").map_err(|e| e.to_string());
        assert_eq!(e, Err("yaml: unknown anchor 'x' referenced".to_owned()));
    }

    #[test]
    fn first_document_only() {
        let d = parse_first_document("a: 1\n---\nb: [\n");
        assert!(d.is_ok());
        assert!(parse_documents("a: 1\n---\nb: [\n").is_err());
        assert_eq!(parse_first_document(""), Ok(None));
        assert_eq!(parse_documents("a\n---\nb\n").map(|d| d.len()), Ok(2));
    }
}
