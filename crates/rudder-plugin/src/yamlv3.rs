//! Decoding yaml.v3 nodes into plugin.yaml's Go structs, with yaml.v3's
//! rules and error texts (Helm reads plugin.yaml with `go.yaml.in/yaml/v3`):
//!
//! * any scalar decodes into a string field as written (`1.0` stays `1.0`);
//!   `null` leaves the zero value;
//! * bools accept `true`/`false` (any case yaml.v3 resolves) and the
//!   YAML 1.1 words (`yes`, `on`, `n`, …) when they resolve to strings;
//! * integers accept resolved ints and (truncated) floats in range;
//! * a key repeated in one mapping is an error, in every mapping decoded;
//! * in strict mode (`KnownFields(true)`) an unknown struct key is an error.
//!
//! Type errors are collected, not fatal, and reported together as
//! `yaml: unmarshal errors:\n  line N: …`, as yaml.v3 does.

use std::collections::{BTreeMap, HashMap};

use rudder_value::{IntKind, List, Map, Value};
use rudder_yaml::node::{Kind, NULL_TAG, Node, Resolved, STR_TAG, resolve};

use crate::quote::go_quote;

/// A yaml.v3 decoding pass over one document.
pub(crate) struct Decoder<'a> {
    strict: bool,
    errors: Vec<String>,
    anchors: HashMap<String, &'a Node>,
    active_aliases: Vec<String>,
    /// A fatal error (yaml.v3 `failf`), which stops decoding.
    fatal: Option<String>,
}

/// What a decoding pass ended with.
pub(crate) type Decoded<T> = Result<T, String>;

impl<'a> Decoder<'a> {
    /// A decoder for `root` (the document node or its content), indexing
    /// its anchors for alias resolution.
    pub(crate) fn new(root: &'a Node, strict: bool) -> Decoder<'a> {
        let mut anchors = HashMap::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if !n.anchor.is_empty() {
                anchors.entry(n.anchor.clone()).or_insert(n);
            }
            stack.extend(n.content.iter());
        }
        Decoder {
            strict,
            errors: Vec::new(),
            anchors,
            active_aliases: Vec::new(),
            fatal: None,
        }
    }

    /// The outcome: yaml.v3's fatal error, else its collected type errors.
    pub(crate) fn finish<T>(self, value: T) -> Decoded<T> {
        if let Some(f) = self.fatal {
            return Err(format!("yaml: {f}"));
        }
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(format!(
                "yaml: unmarshal errors:\n  {}",
                self.errors.join("\n  ")
            ))
        }
    }

    /// Follow aliases (and the document wrapper) to the node to decode.
    /// `None` when the alias is cyclic (a fatal error is recorded).
    fn deref<'n>(&mut self, n: &'n Node) -> Option<&'n Node>
    where
        'a: 'n,
    {
        let mut n = n;
        loop {
            match n.kind {
                Kind::Document => match n.content.first() {
                    Some(c) => n = c,
                    None => return Some(n),
                },
                Kind::Alias => {
                    if self.active_aliases.contains(&n.value) {
                        self.fatal.get_or_insert_with(|| {
                            format!("anchor '{}' value contains itself", n.value)
                        });
                        return None;
                    }
                    match self.anchors.get(&n.value) {
                        Some(t) => n = t,
                        None => {
                            self.fatal.get_or_insert_with(|| {
                                format!("unknown anchor '{}' referenced", n.value)
                            });
                            return None;
                        }
                    }
                }
                _ => return Some(n),
            }
        }
    }

    fn is_null(n: &Node) -> bool {
        n.kind == Kind::Document && n.content.is_empty()
            || (n.kind == Kind::Scalar && n.short_tag() == NULL_TAG)
    }

    /// yaml.v3's `terror`.
    pub(crate) fn type_error(&mut self, n: &Node, go_type: &str) {
        let tag = if n.tag.is_empty() {
            n.short_tag()
        } else {
            n.tag.clone()
        };
        let value = if tag == "!!seq" || tag == "!!map" {
            String::new()
        } else if n.value.len() > 10 {
            let mut cut = 7;
            while !n.value.is_char_boundary(cut) {
                cut -= 1;
            }
            format!(" `{}...`", &n.value[..cut])
        } else {
            format!(" `{}`", n.value)
        };
        self.errors.push(format!(
            "line {}: cannot unmarshal {tag}{value} into {go_type}",
            n.line
        ));
    }

    /// A `string` field.
    pub(crate) fn string(&mut self, n: &Node, out: &mut String) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            return;
        }
        match n.kind {
            Kind::Scalar => n.value.clone_into(out),
            _ => self.type_error(n, "string"),
        }
    }

    /// A `bool` field.
    pub(crate) fn boolean(&mut self, n: &Node, out: &mut bool) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            return;
        }
        if n.kind == Kind::Scalar {
            let resolved = if n.short_tag() == STR_TAG {
                Resolved::Str(n.value.clone())
            } else {
                resolve(&n.value)
            };
            match resolved {
                Resolved::Bool(b) => {
                    *out = b;
                    return;
                }
                Resolved::Str(s) => match s.as_str() {
                    "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
                        *out = true;
                        return;
                    }
                    "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
                        *out = false;
                        return;
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        self.type_error(n, "bool");
    }

    /// An integer field of Go type `go_type` within `[min, max]`.
    fn integer(&mut self, n: &Node, go_type: &str, min: i128, max: i128) -> Option<i128> {
        let n = self.deref(n)?;
        if Self::is_null(n) {
            return None;
        }
        if n.kind == Kind::Scalar && n.short_tag() != STR_TAG {
            let v: Option<i128> = match resolve(&n.value) {
                Resolved::Int(i) => Some(i128::from(i)),
                Resolved::Uint(u) => Some(i128::from(u)),
                // yaml.v3 truncates floats that fit.
                Resolved::Float(f) if f.is_finite() => Some(f.trunc() as i128),
                _ => None,
            };
            if let Some(v) = v
                && v >= min
                && v <= max
            {
                return Some(v);
            }
        }
        self.type_error(n, go_type);
        None
    }

    /// A `uint32` field.
    pub(crate) fn uint32(&mut self, n: &Node, out: &mut u32) {
        if let Some(v) = self.integer(n, "uint32", 0, i128::from(u32::MAX)) {
            *out = u32::try_from(v).unwrap_or(u32::MAX);
        }
    }

    /// A `uint64` field.
    pub(crate) fn uint64(&mut self, n: &Node, out: &mut u64) {
        if let Some(v) = self.integer(n, "uint64", 0, i128::from(u64::MAX)) {
            *out = u64::try_from(v).unwrap_or(u64::MAX);
        }
    }

    /// An `int64` field; `None` stays `None` when the key is null.
    pub(crate) fn int64(&mut self, n: &Node, out: &mut Option<i64>) {
        if let Some(v) = self.integer(n, "int64", i128::from(i64::MIN), i128::from(i64::MAX)) {
            *out = Some(i64::try_from(v).unwrap_or(i64::MAX));
        }
    }

    /// A `[]string` field.
    pub(crate) fn strings(&mut self, n: &Node, out: &mut Vec<String>) {
        self.list(n, "[]string", out, |d, item, slot: &mut String| {
            d.string(item, slot);
            true
        });
    }

    /// A slice field: each item decoded by `item`; items that fail are
    /// dropped (their errors recorded), as yaml.v3 does.
    pub(crate) fn list<T: Default>(
        &mut self,
        n: &Node,
        go_type: &str,
        out: &mut Vec<T>,
        mut item: impl FnMut(&mut Self, &Node, &mut T) -> bool,
    ) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            out.clear();
            return;
        }
        if n.kind != Kind::Sequence {
            self.type_error(n, go_type);
            return;
        }
        let mut items = Vec::with_capacity(n.content.len());
        for c in &n.content {
            let before = self.errors.len();
            let mut v = T::default();
            if item(self, c, &mut v) && self.errors.len() == before {
                items.push(v);
            }
        }
        *out = items;
    }

    /// yaml.v3's duplicate-key check, run on every mapping it decodes.
    fn unique_keys(&mut self, n: &Node) -> bool {
        let before = self.errors.len();
        let keys: Vec<&Node> = n.content.iter().step_by(2).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                if a.kind == b.kind && a.value == b.value {
                    self.errors.push(format!(
                        "line {}: mapping key {} already defined at line {}",
                        b.line,
                        go_quote(&b.value),
                        a.line
                    ));
                }
            }
        }
        self.errors.len() == before
    }

    /// A struct: calls `field` with each known key's name and value node.
    /// Unknown keys are errors in strict mode. A non-mapping is a type error.
    pub(crate) fn structure(
        &mut self,
        n: &Node,
        go_type: &str,
        fields: &[&str],
        mut field: impl FnMut(&mut Self, &str, &Node),
    ) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            return;
        }
        if n.kind != Kind::Mapping {
            self.type_error(n, go_type);
            return;
        }
        if !self.unique_keys(n) {
            return;
        }
        for (k, v) in n.pairs() {
            let Some(k) = self.deref(k) else { continue };
            if k.kind != Kind::Scalar {
                self.type_error(k, "string");
                continue;
            }
            if k.value == "<<" && k.short_tag() == "!!merge" {
                // Merge keys are not supported in plugin.yaml by rudder.
                continue;
            }
            match fields.iter().find(|f| **f == k.value) {
                Some(f) => field(self, f, v),
                None if self.strict => self.errors.push(format!(
                    "line {}: field {} not found in type {go_type}",
                    k.line, k.value
                )),
                None => {}
            }
        }
    }

    /// A `map[string]T` field: `value` decodes one value.
    pub(crate) fn string_map<T: Default>(
        &mut self,
        n: &Node,
        go_type: &str,
        out: &mut BTreeMap<String, T>,
        mut value: impl FnMut(&mut Self, &Node, &mut T),
    ) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            out.clear();
            return;
        }
        if n.kind != Kind::Mapping {
            self.type_error(n, go_type);
            return;
        }
        if !self.unique_keys(n) {
            return;
        }
        for (k, v) in n.pairs() {
            let Some(k) = self.deref(k) else { continue };
            if k.kind != Kind::Scalar {
                self.type_error(k, "string");
                continue;
            }
            let mut slot = T::default();
            value(self, v, &mut slot);
            out.insert(k.value.clone(), slot);
        }
    }

    /// `map[string]interface{}`: the generic value yaml.v3 decodes, as a
    /// [`Value`] (ints stay ints, floats floats, timestamps text).
    pub(crate) fn any_map(&mut self, n: &Node, out: &mut Map) {
        let Some(n) = self.deref(n) else { return };
        if Self::is_null(n) {
            return;
        }
        if n.kind != Kind::Mapping {
            self.type_error(n, "map[string]interface {}");
            return;
        }
        if let Some(Value::Map(m)) = self.any(n, 0) {
            *out = m;
        }
    }

    fn any(&mut self, n: &Node, depth: usize) -> Option<Value> {
        if depth > rudder_yaml::MAX_DEPTH {
            self.fatal
                .get_or_insert_with(|| format!("exceeded max depth of {}", rudder_yaml::MAX_DEPTH));
            return None;
        }
        let n = self.deref(n)?;
        let alias = !n.anchor.is_empty();
        if alias {
            self.active_aliases.push(n.anchor.clone());
        }
        let v = match n.kind {
            Kind::Document => Some(Value::Nil),
            Kind::Scalar => Some(if n.short_tag() == STR_TAG {
                Value::str(&n.value)
            } else {
                match resolve(&n.value) {
                    Resolved::Null => Value::Nil,
                    Resolved::Bool(b) => Value::Bool(b),
                    Resolved::Int(i) => Value::Int(i, IntKind::Int),
                    Resolved::Uint(u) => Value::Int(u as i64, IntKind::Uint64),
                    Resolved::Float(f) => Value::Float(f),
                    Resolved::Timestamp(s) | Resolved::Str(s) => Value::string(s),
                    Resolved::Merge => Value::str("<<"),
                }
            }),
            Kind::Sequence => {
                let mut items = Vec::with_capacity(n.content.len());
                for c in &n.content {
                    items.push(self.any(c, depth + 1).unwrap_or(Value::Nil));
                }
                Some(Value::List(List::new(items)))
            }
            Kind::Mapping => {
                if !self.unique_keys(n) {
                    None
                } else {
                    let m = Map::new();
                    for (k, v) in n.pairs() {
                        let key = match self.deref(k) {
                            Some(k) if k.kind == Kind::Scalar => k.value.clone(),
                            Some(k) => {
                                self.fatal.get_or_insert_with(|| {
                                    format!("invalid map key: {}", k.short_tag())
                                });
                                continue;
                            }
                            None => continue,
                        };
                        let v = self.any(v, depth + 1).unwrap_or(Value::Nil);
                        m.insert(key, v);
                    }
                    Some(Value::Map(m))
                }
            }
            Kind::Alias => None,
        };
        if alias {
            self.active_aliases.pop();
        }
        v
    }
}

/// yaml.v3's `Marshal` of a generic map, re-read as a node: what Helm does
/// to turn `config`/`runtimeConfig` into typed structs (so line numbers in
/// errors refer to the re-marshalled text, and `1.0` becomes `1`).
pub(crate) fn remarshal(map: &Map) -> Result<Node, String> {
    if map.is_empty() {
        // yaml.v3 marshals an empty map as `{}`.
        return Ok(rudder_yaml::node::Node::mapping());
    }
    let text = rudder_yaml::to_yaml_pretty(&Value::Map(map.clone())).map_err(|e| e.to_string())?;
    match rudder_yaml::node::parse_first_document(&text) {
        Ok(Some(doc)) => Ok(doc),
        Ok(None) => Ok(rudder_yaml::node::Node::mapping()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Node {
        match rudder_yaml::node::parse_first_document(text) {
            Ok(Some(d)) => d,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn strings_keep_their_text_and_null_is_zero() {
        let d = doc("a: 1.0\nb: ~\nc: [x]\n");
        let mut dec = Decoder::new(&d, false);
        let (mut a, mut b, mut c) = (String::new(), "keep".to_owned(), String::new());
        dec.structure(&d, "T", &["a", "b", "c"], |dec, f, v| match f {
            "a" => dec.string(v, &mut a),
            "b" => dec.string(v, &mut b),
            _ => dec.string(v, &mut c),
        });
        assert_eq!((a.as_str(), b.as_str()), ("1.0", "keep"));
        assert_eq!(
            dec.finish(()),
            Err("yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into string".to_owned())
        );
    }

    #[test]
    fn booleans_and_ints() {
        let d = doc("a: yes\nb: 'true'\nc: 1.9\nd: -1\ne: abcdefghijkl\n");
        let mut dec = Decoder::new(&d, false);
        let (mut a, mut b, mut c, mut dd, mut e) = (false, false, 0u32, 0u64, 0u32);
        dec.structure(&d, "T", &["a", "b", "c", "d", "e"], |dec, f, v| match f {
            "a" => dec.boolean(v, &mut a),
            "b" => dec.boolean(v, &mut b),
            "c" => dec.uint32(v, &mut c),
            "d" => dec.uint64(v, &mut dd),
            _ => dec.uint32(v, &mut e),
        });
        assert!(a);
        assert_eq!(c, 1);
        assert_eq!(
            dec.finish(()),
            Err("yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str `true` into bool\n  line 4: cannot unmarshal !!int `-1` into uint64\n  line 5: cannot unmarshal !!str `abcdefg...` into uint32".to_owned())
        );
    }

    #[test]
    fn duplicates_and_strictness() {
        let d = doc("a: 1\nb: 2\na: 3\n");
        let mut dec = Decoder::new(&d, true);
        dec.structure(&d, "T", &["a"], |_, _, _| {});
        assert_eq!(
            dec.finish(()),
            Err(
                "yaml: unmarshal errors:\n  line 3: mapping key \"a\" already defined at line 1"
                    .to_owned()
            )
        );
        let d = doc("a: 1\nb: 2\n");
        let mut dec = Decoder::new(&d, true);
        dec.structure(&d, "pkg.T", &["a"], |_, _, _| {});
        assert_eq!(
            dec.finish(()),
            Err("yaml: unmarshal errors:\n  line 2: field b not found in type pkg.T".to_owned())
        );
    }

    #[test]
    fn remarshal_sorts_and_normalises() {
        let d = doc("z: 1.0\na: [x, {b: c}]\n");
        let mut dec = Decoder::new(&d, false);
        let mut m = Map::new();
        dec.any_map(&d, &mut m);
        let n = remarshal(&m);
        let Ok(n) = n else { panic!("{n:?}") };
        let root = &n.content[0];
        assert_eq!(root.content[0].value, "a");
        assert_eq!(root.get("z").map(|z| z.value.as_str()), Some("1"));
        assert_eq!(root.get("z").map(|z| z.line), Some(4));
    }
}
