//! The fast path of [`crate::from_yaml`]: parser events straight into
//! [`Value`]s, without yaml.v2's node tree or its Go values.
//!
//! `sigs.k8s.io/yaml` semantics come from three stages (yaml.v2's node
//! tree and decoding, sigs' key conversion, the JSON round trip), each
//! with its own errors and precedence, which [`crate::decode`] reproduces
//! stage by stage. For the documents charts are made of, the stages
//! collapse: with no aliases, merges, duplicate keys, null or `uint64`
//! keys, NaN or infinities and no decoding errors, the value is each
//! scalar's resolved value (every number a `float64`, map keys
//! stringified) in document order. This builder produces that value in one
//! pass and gives up ([`Bail`]) at the first sign of anything else —
//! including any syntax error — so that the exact path decides the value
//! or the error. Giving up is always safe; the only requirement is that a
//! value built here is the one the exact path would build.
//!
//! The builder can also leave parts of a document unbuilt ([`Want`]):
//! they are still parsed and checked for everything that would make the
//! exact path fail, but no value is allocated for them. That is what
//! [`crate::from_yaml_pruned`] gives the manifest sorter, which reads four
//! fields of every rendered document.

use std::borrow::Cow;

use rudder_value::float::format_float;
use rudder_value::{List, Map, MapKind, Str, Value};

use crate::MAX_DEPTH;
use crate::decode::{base64_decode, go_lossy};
use crate::parser::{Event, EventKind, Parser};
use crate::resolve::{BINARY_TAG, Kind, MERGE_TAG, is_non_finite_keyword, resolve_kind};

/// The fast path cannot tell: use the exact one.
pub(crate) struct Bail;

type R<T> = Result<T, Bail>;

/// Nesting the fast path handles; deeper documents take the exact path,
/// which owns the depth-limit errors.
const FAST_DEPTH: usize = MAX_DEPTH / 2;

/// The paths of a document to build, as a tree of map keys.
#[derive(Debug, Default)]
pub(crate) struct Trie<'p> {
    /// Build the whole value here.
    all: bool,
    children: Vec<(&'p str, Trie<'p>)>,
}

impl<'p> Trie<'p> {
    pub(crate) fn new(paths: &[&[&'p str]]) -> Trie<'p> {
        let mut t = Trie::default();
        for p in paths {
            t.add(p);
        }
        t
    }

    fn add(&mut self, path: &[&'p str]) {
        let Some((first, rest)) = path.split_first() else {
            self.all = true;
            return;
        };
        let i = match self.children.iter().position(|(k, _)| k == first) {
            Some(i) => i,
            None => {
                self.children.push((first, Trie::default()));
                self.children.len() - 1
            }
        };
        if let Some((_, child)) = self.children.get_mut(i) {
            child.add(rest);
        }
    }

    /// What to build of this node's value.
    pub(crate) fn want(&self) -> Want<'_, 'p> {
        if self.all {
            Want::All
        } else {
            Want::Keys(self)
        }
    }

    fn child(&self, key: &str) -> Option<&Trie<'p>> {
        self.children
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| t)
    }

    /// `v` with every map entry off the paths removed (the exact path's
    /// value, cut the way the builder cuts).
    pub(crate) fn prune(&self, v: Value) -> Value {
        if self.all {
            return v;
        }
        match v {
            Value::Map(m) => {
                let out = Map::new();
                for (k, child) in &self.children {
                    if let Some(val) = m.get(k) {
                        out.insert(*k, child.prune(val));
                    }
                }
                Value::Map(out)
            }
            other => other,
        }
    }
}

/// How much of a node to build.
#[derive(Clone, Copy)]
pub(crate) enum Want<'t, 'p> {
    /// Everything.
    All,
    /// Nothing: only check it.
    Skip,
    /// If it is a mapping, only the keys in the trie (with what the trie
    /// says of their values); anything else is built whole.
    Keys(&'t Trie<'p>),
}

/// The first document of `text` as `sigs.k8s.io/yaml.Unmarshal` gives it,
/// cut down to `want`, or `None` when only the exact path can tell. The
/// caller has checked the input for disallowed characters.
pub(crate) fn build(text: &str, want: Want<'_, '_>) -> Option<Value> {
    let mut b = Builder {
        parser: Parser::new(text),
    };
    b.document(want).ok()
}

struct Builder<'a> {
    parser: Parser<'a>,
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> R<Event<'a>> {
        match self.parser.next_event() {
            Ok(Some(e)) => Ok(e),
            _ => Err(Bail),
        }
    }

    /// yaml.v2's document walk: stream start, then either the end of the
    /// stream (no document) or a document start, the root node and the
    /// document end.
    fn document(&mut self, want: Want<'_, '_>) -> R<Value> {
        if !matches!(self.next()?.kind, EventKind::StreamStart) {
            return Err(Bail);
        }
        match self.next()?.kind {
            EventKind::StreamEnd => return Ok(Value::Nil),
            EventKind::DocumentStart => {}
            _ => return Err(Bail),
        }
        let root = self.next()?;
        let v = self.node(root, want, 0)?;
        if !matches!(self.next()?.kind, EventKind::DocumentEnd) {
            return Err(Bail);
        }
        Ok(v.unwrap_or(Value::Nil))
    }

    /// The node that `ev` starts. `None` when `want` is [`Want::Skip`].
    fn node(&mut self, ev: Event<'a>, want: Want<'_, '_>, depth: usize) -> R<Option<Value>> {
        if depth > FAST_DEPTH {
            return Err(Bail);
        }
        match ev.kind {
            EventKind::Scalar {
                tag,
                value,
                plain_implicit,
                ..
            } => match want {
                Want::Skip => {
                    check_scalar(&value, &tag, plain_implicit)?;
                    Ok(None)
                }
                _ => scalar(value, &tag, plain_implicit).map(Some),
            },
            EventKind::SequenceStart { .. } => {
                let skip = matches!(want, Want::Skip);
                let mut items = Vec::new();
                loop {
                    let ev = self.next()?;
                    if matches!(ev.kind, EventKind::SequenceEnd) {
                        break;
                    }
                    if skip {
                        self.node(ev, Want::Skip, depth + 1)?;
                    } else {
                        items.push(self.node(ev, Want::All, depth + 1)?.unwrap_or(Value::Nil));
                    }
                }
                Ok((!skip).then(|| Value::List(List::new(items))))
            }
            EventKind::MappingStart { .. } => self.mapping(want, depth),
            // Aliases (yaml.v2 expands them with its own accounting and
            // errors) and anything unexpected.
            _ => Err(Bail),
        }
    }

    fn mapping(&mut self, want: Want<'_, '_>, depth: usize) -> R<Option<Value>> {
        let mut entries: Vec<(Str, Value)> = Vec::new();
        loop {
            let k = self.next()?;
            let (key, tag, implicit) = match k.kind {
                EventKind::MappingEnd => break,
                EventKind::Scalar {
                    value,
                    tag,
                    plain_implicit,
                    ..
                } => (value, tag, plain_implicit),
                // A collection or alias as a key.
                _ => return Err(Bail),
            };
            if key == "<<" && (implicit || tag == MERGE_TAG) {
                return Err(Bail);
            }
            let key = key_string(key, &tag, implicit)?;
            let v = self.next()?;
            let sub = match want {
                Want::All => Want::All,
                Want::Skip => Want::Skip,
                Want::Keys(trie) => match trie.child(&key) {
                    Some(t) => t.want(),
                    None => Want::Skip,
                },
            };
            match self.node(v, sub, depth + 1)? {
                Some(val) => entries.push((Str::from(&*key), val)),
                None => {
                    if !matches!(sub, Want::Skip) {
                        return Err(Bail);
                    }
                }
            }
        }
        if matches!(want, Want::Skip) {
            return Ok(None);
        }
        let n = entries.len();
        let map = Map::from_entries(MapKind::Any, entries);
        // Duplicate keys: which one wins depends on yaml.v2's key identity
        // (`1` and `"1"` are different keys that stringify alike).
        if map.len() != n {
            return Err(Bail);
        }
        Ok(Some(Value::Map(map)))
    }
}

/// A scalar value as the exact path converts it.
fn scalar(value: Cow<'_, str>, tag: &str, implicit: bool) -> R<Value> {
    if tag.is_empty() && !implicit {
        return Ok(Value::Str(Str::from(&*value)));
    }
    if tag == BINARY_TAG {
        return match base64_decode(&value) {
            Some(bytes) => Ok(Value::string(go_lossy(&bytes))),
            None => Err(Bail),
        };
    }
    Ok(match resolve_kind(tag, &value).map_err(|_| Bail)? {
        Kind::Null => Value::Nil,
        Kind::Bool(b) => Value::Bool(b),
        Kind::Int(i) => Value::Float(i as f64),
        Kind::Uint(u) => Value::Float(u as f64),
        Kind::Float(f) if f.is_finite() => Value::Float(f),
        // JSON has no NaN or infinities: an error, unless a later
        // duplicate key replaces the value.
        Kind::Float(_) => return Err(Bail),
        Kind::Str | Kind::Timestamp => Value::Str(Str::from(&*value)),
    })
}

/// [`scalar`] without building the value: whether the exact path could
/// fail on it.
fn check_scalar(value: &str, tag: &str, implicit: bool) -> R<()> {
    if tag.is_empty() {
        // Untagged: a quoted or block scalar is a string; a plain one can
        // only fail the JSON step, as NaN or an infinity.
        if implicit && is_non_finite_keyword(value) {
            return Err(Bail);
        }
        return Ok(());
    }
    if tag == BINARY_TAG {
        return match base64_decode(value) {
            Some(_) => Ok(()),
            None => Err(Bail),
        };
    }
    match resolve_kind(tag, value) {
        Ok(Kind::Float(f)) if !f.is_finite() => Err(Bail),
        Ok(_) => Ok(()),
        Err(_) => Err(Bail),
    }
}

/// A map key as sigs stringifies it (the key text itself for strings, so
/// usually borrowed). Keys that are errors (null, `uint64`) or need
/// yaml.v2's decoding rules take the exact path.
fn key_string<'v>(value: Cow<'v, str>, tag: &str, implicit: bool) -> R<Cow<'v, str>> {
    if tag.is_empty() && !implicit {
        return Ok(value);
    }
    if tag == BINARY_TAG {
        return Err(Bail);
    }
    Ok(match resolve_kind(tag, &value).map_err(|_| Bail)? {
        Kind::Str | Kind::Timestamp => value,
        Kind::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        Kind::Int(i) => Cow::Owned(i.to_string()),
        // yaml.v2 keeps one key for 0 and -0, which print differently (a
        // float pattern compares with `==`, so this matches both).
        Kind::Float(0.0) => return Err(Bail),
        // sigs prints float keys as float32 (so a large float64 can become
        // `+Inf`, which it then spells as YAML does).
        Kind::Float(f) => Cow::Owned(match format_float(f, 'g', -1, 32) {
            s if s == "+Inf" => ".inf".to_owned(),
            s if s == "-Inf" => "-.inf".to_owned(),
            s if s == "NaN" => ".nan".to_owned(),
            s => s,
        }),
        Kind::Null | Kind::Uint(_) => return Err(Bail),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must give up, not guess, where yaml.v2's key identity
    /// or error order decides.
    #[test]
    fn gives_up_where_the_exact_path_decides() {
        for text in [
            "0.0: a\n-0.0: b\n",
            "a: 1\na: 2\n",
            "1: a\n\"1\": b\n",
            "a: .nan\n",
            "~: a\n",
            "18446744073709551615: a\n",
            "a: &x 1\nb: *x\n",
            "<<: {a: 1}\n",
            "a: !!int x\n",
            "a: b: c\n",
            "[a]: 1\n",
        ] {
            assert!(build(text, Want::All).is_none(), "{text:?}");
        }
        let t = Trie::new(&[]);
        assert!(build("a: .inf\n", t.want()).is_none());
        assert!(build("a: [1, -.inf]\n", t.want()).is_none());
    }

    #[test]
    fn builds_the_usual_documents() {
        let v = build("a: 1\nb: [x, 'y', \"z\"]\nc: {d: yes}\n0.5: e\n", Want::All);
        assert_eq!(
            format!("{v:?}"),
            r#"Some({"0.5": "e", "a": float64(1), "b": ["x", "y", "z"], "c": {"d": true}})"#
        );
        let t = Trie::new(&[&["kind"], &["metadata", "name"]]);
        let v = build(
            "kind: A\nspec: {x: 1}\nmetadata: {name: nm, labels: {a: b}}\n",
            t.want(),
        );
        assert_eq!(
            format!("{v:?}"),
            r#"Some({"kind": "A", "metadata": {"name": "nm"}})"#
        );
    }
}
