//! The slice of Kustomize's kyaml (`sigs.k8s.io/kustomize/kyaml` v0.21.1)
//! that Helm's post-renderer path uses: `kio.ParseAll`, `kio.StringAll`,
//! `SetAnnotation`, `ClearAnnotation`, `ClearEmptyAnnotations` and
//! `GetMeta`, over this crate's yaml.v3-style [`Node`]s.
//!
//! Helm sends every rendered document through `kio.ParseAll` and back
//! through `kio.StringAll` around the post-renderer, which re-serialises it
//! with yaml.v3 (indent 2, compact sequences). Reproducing those steps is
//! what makes `helm template --post-renderer` output byte-identical.
//!
//! Behaviour kept from kyaml, because it is visible in Helm's output:
//!
//! * documents are split on lines starting with `---` (anything after the
//!   dashes other than a comment is `invalid document separator`), `\r\n`
//!   becomes `\n`, and empty or null documents are dropped;
//! * a stream that is a single `List` (or `ResourceList`) with `items` is
//!   unwrapped into its items;
//! * annotation values are written single-quoted, and setting one first
//!   removes empty `metadata.annotations` and `metadata`;
//! * writing removes `metadata.annotations` and then `metadata` when they
//!   became empty.
//!
//! Not modelled: the reader's index annotations (`config.kubernetes.io/index`
//! and its internal twin), which kyaml adds on read and removes on write
//! with no trace left, the JSON output kyaml chooses for a lone node
//! annotated with a `.json` path, and `seqindent` reader annotations.

use std::fmt;

use crate::node::{Kind, NULL_TAG, Node, Style, parse_documents};
use crate::node_emit::{EncodeOptions, encode_documents};

/// kyaml's encoder settings (`kyaml/yaml.NewEncoder`).
pub const KYAML_ENCODING: EncodeOptions = EncodeOptions {
    indent: 2,
    compact_seq_indent: true,
};

/// A kyaml failure, with kyaml's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KyamlError(pub String);

impl fmt::Display for KyamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KyamlError {}

/// kyaml's `ErrMissingMetadata` text.
pub const MISSING_METADATA: &str = "missing Resource metadata";

/// kio's `splitDocuments`: split on `\n---…\n` lines.
fn split_documents(s: &str) -> Result<Vec<String>, KyamlError> {
    let mut docs = Vec::new();
    if s.is_empty() {
        return Ok(docs);
    }
    let mut prev = 0;
    let mut search = 0;
    // The regexp `\n---.*\n`: a newline, three dashes, the rest of that
    // line and its newline; matches do not overlap.
    while let Some(off) = s[search..].find("\n---") {
        let start = search + off;
        let Some(nl) = s[start + 4..].find('\n') else {
            break;
        };
        let end = start + 4 + nl + 1;
        let after = s[start + 4..end].trim();
        if !after.is_empty() && !after.starts_with('#') {
            return Err(KyamlError(format!(
                "invalid document separator: {}",
                s[start..end].trim()
            )));
        }
        docs.push(s[prev..start].to_owned());
        // Matches cannot overlap: a separator right after this one would
        // need the newline this one consumed, as with the regexp.
        prev = end;
        search = end;
    }
    docs.push(s[prev..].to_owned());
    Ok(docs)
}

/// The root of a document (the node itself when it is not a document).
pub fn root(n: &Node) -> Option<&Node> {
    if n.kind == Kind::Document {
        n.content.first()
    } else {
        Some(n)
    }
}

fn root_mut(n: &mut Node) -> Option<&mut Node> {
    if n.kind == Kind::Document {
        n.content.first_mut()
    } else {
        Some(n)
    }
}

fn is_null(n: &Node) -> bool {
    n.tag == NULL_TAG
}

/// kyaml's `IsYNodeNilOrEmpty` for a present node.
fn is_nil_or_empty(n: &Node) -> bool {
    is_null(n) || (matches!(n.kind, Kind::Mapping | Kind::Sequence) && n.content.is_empty())
}

/// `kio.ParseAll`: the documents of a stream, as kyaml reads them.
pub fn parse_all(input: &str) -> Result<Vec<Node>, KyamlError> {
    let text = input.replace("\r\n", "\n");
    let mut values = split_documents(&text)?;
    let n = values.len();
    for (i, v) in values.iter_mut().enumerate() {
        if i + 1 != n {
            v.push('\n');
        }
    }
    let mut out = Vec::new();
    for v in &values {
        let doc = match crate::node::parse_first_document(v) {
            Ok(Some(doc)) => doc,
            Ok(None) => continue,
            Err(e) => return Err(KyamlError(format!("MalformedYAMLError: {e}"))),
        };
        // An empty document (`---` alone) or an explicit null.
        let Some(r) = root(&doc) else { continue };
        if is_null(r) {
            continue;
        }
        if values.len() == 1 && is_list(r) {
            if let Some(items) = r.get("items") {
                out.extend(items.content.iter().cloned());
            }
            continue;
        }
        out.push(doc);
    }
    Ok(out)
}

/// A `List`/`ResourceList` with `items` or `functionConfig`, which kyaml's
/// reader unwraps when it is the only document.
fn is_list(r: &Node) -> bool {
    if r.kind != Kind::Mapping {
        return false;
    }
    let kind = r
        .get("kind")
        .filter(|k| !is_nil_or_empty(k))
        .map(|k| k.value.as_str());
    matches!(kind, Some("List" | "ResourceList"))
        && (r.get("items").is_some() || r.get("functionConfig").is_some())
}

/// kyaml's `InvalidNodeKindError` text.
fn wrong_kind(expected: &str, n: &Node) -> KyamlError {
    let got = match n.kind {
        Kind::Sequence => "SequenceNode",
        Kind::Mapping => "MappingNode",
        Kind::Scalar => "ScalarNode",
        Kind::Document => "DocumentNode",
        Kind::Alias => "AliasNode",
    };
    let mut msg = format!("wrong node kind: expected {expected} but got {got}");
    if let Ok(s) = encode_documents(std::slice::from_ref(n), KYAML_ENCODING) {
        msg.push_str(": node contents:\n");
        msg.push_str(&s);
    }
    KyamlError(msg)
}

/// `ErrorIfInvalid(rn, MappingNode)`: null passes.
fn check_mapping(n: &Node) -> Result<(), KyamlError> {
    if is_null(n) || n.kind == Kind::Mapping {
        Ok(())
    } else {
        Err(wrong_kind("MappingNode", n))
    }
}

/// `FieldClearer`: remove the first `name` entry (when `if_empty`, only if
/// its value has no children).
fn clear_field(m: &mut Node, name: &str, if_empty: bool) -> Result<(), KyamlError> {
    check_mapping(m)?;
    let mut i = 0;
    while i + 1 < m.content.len() {
        if m.content[i].value == name {
            if if_empty && !m.content[i + 1].content.is_empty() {
                return Ok(());
            }
            m.content.drain(i..i + 2);
            return Ok(());
        }
        i += 2;
    }
    Ok(())
}

/// `Get(name)` / `FieldMatcher`: the value of field `name` (never of a null
/// node; an error for a non-mapping).
fn field_mut<'a>(m: &'a mut Node, name: &str) -> Result<Option<&'a mut Node>, KyamlError> {
    if is_null(m) {
        return Ok(None);
    }
    check_mapping(m)?;
    Ok(m.get_mut(name))
}

/// `ClearEmptyAnnotations`.
pub fn clear_empty_annotations(doc: &mut Node) -> Result<(), KyamlError> {
    let Some(r) = root_mut(doc) else {
        return Ok(());
    };
    if let Some(meta) = field_mut(r, "metadata")? {
        clear_field(meta, "annotations", true)?;
    }
    clear_field(r, "metadata", true)
}

/// `SetAnnotation(key, value)`: creates `metadata.annotations` as needed;
/// the value is a single-quoted string (an existing value's style wins).
pub fn set_annotation(doc: &mut Node, key: &str, value: &str) -> Result<(), KyamlError> {
    clear_empty_annotations(doc)?;
    let Some(r) = root_mut(doc) else {
        return Ok(());
    };
    let mut v = Node::scalar(crate::node::STR_TAG, value);
    v.style = Style::SINGLE_QUOTED;
    let meta = field_or_create(r, "metadata")?;
    let Some(meta) = meta else { return Ok(()) };
    let ann = field_or_create(meta, "annotations")?;
    let Some(ann) = ann else { return Ok(()) };
    check_mapping(ann)?;
    match ann.get_mut(key) {
        Some(existing) => {
            v.style = existing.style;
            *existing = v;
        }
        None => {
            ann.content.push(Node::scalar("", key));
            ann.content.push(v);
        }
    }
    Ok(())
}

/// `FieldMatcher{Create: MappingNode}`: the field's value, appended as an
/// empty untagged block mapping when missing. `None` for a null parent.
fn field_or_create<'a>(m: &'a mut Node, name: &str) -> Result<Option<&'a mut Node>, KyamlError> {
    if is_null(m) {
        return Ok(None);
    }
    check_mapping(m)?;
    let i = match m.entry_index(name) {
        Some(i) => i,
        None => {
            m.content.push(Node::scalar("", name));
            m.content.push(Node::new(Kind::Mapping));
            m.content.len() - 2
        }
    };
    Ok(m.content.get_mut(i + 1))
}

/// `ClearAnnotation(key)`.
pub fn clear_annotation(doc: &mut Node, key: &str) -> Result<(), KyamlError> {
    let Some(r) = root_mut(doc) else {
        return Ok(());
    };
    let Some(meta) = field_mut(r, "metadata")? else {
        return Ok(());
    };
    let Some(ann) = field_mut(meta, "annotations")? else {
        return Ok(());
    };
    clear_field(ann, key, false)
}

/// `GetMeta().Annotations[key]`: `Ok(None)` when absent, kyaml's
/// `missing Resource metadata` error for a document with no `apiVersion`,
/// `kind`, `name`, `namespace`, `labels` or `annotations`.
pub fn meta_annotation(doc: &Node, key: &str) -> Result<Option<String>, KyamlError> {
    let Some(r) = root(doc) else { return Ok(None) };
    if is_null(r) {
        return Ok(None);
    }
    let field = |m: &Node, k: &str| -> Option<Node> {
        if m.kind != Kind::Mapping {
            return None;
        }
        m.get(k).filter(|v| !is_nil_or_empty(v)).cloned()
    };
    let mut missing = field(r, "apiVersion").is_none() && field(r, "kind").is_none();
    let Some(meta) = field(r, "metadata") else {
        if missing {
            return Err(KyamlError(MISSING_METADATA.to_owned()));
        }
        return Ok(None);
    };
    for k in ["name", "namespace", "labels"] {
        if field(&meta, k).is_some() {
            missing = false;
        }
    }
    let mut found = None;
    if let Some(ann) = field(&meta, "annotations") {
        missing = false;
        for (k, v) in ann.pairs() {
            if k.value == key {
                found = Some(if is_null(v) {
                    String::new()
                } else {
                    v.value.clone()
                });
            }
        }
    }
    if missing {
        return Err(KyamlError(MISSING_METADATA.to_owned()));
    }
    Ok(found)
}

/// `kio.StringAll`: each node written as its own document (`---` between
/// them), after `ClearEmptyAnnotations`, with kyaml's encoder settings.
pub fn string_all(nodes: &[Node]) -> Result<String, KyamlError> {
    let mut docs = Vec::with_capacity(nodes.len());
    for n in nodes {
        let mut n = n.clone();
        clear_empty_annotations(&mut n)?;
        docs.push(n);
    }
    encode_documents(&docs, KYAML_ENCODING).map_err(|e| KyamlError(e.to_string()))
}

/// Parse a stream with [`parse_documents`] and write it back with
/// [`string_all`]: kyaml's re-serialisation of a manifest stream.
pub fn round_trip(input: &str) -> Result<String, KyamlError> {
    let docs = parse_documents(input).map_err(|e| KyamlError(e.to_string()))?;
    string_all(&docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<Node> {
        parse_all(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn split_and_skip_empty() {
        let docs = all("a: 1\n---\n---\n# c\n---\nb: 2\n--- # x\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert_eq!(
            parse_all("a: 1\n--- b\nc: 2\n").map_err(|e| e.to_string()),
            Err("invalid document separator: --- b".to_owned())
        );
        assert_eq!(all("~\n").len(), 0);
    }

    #[test]
    fn lists_are_unwrapped_when_alone() {
        let docs = all("apiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n");
        assert_eq!(
            string_all(&docs).ok().as_deref(),
            Some("kind: A\n---\nkind: B\n")
        );
        assert_eq!(all("kind: List\nitems: [a]\n---\nkind: X\n").len(), 2);
    }

    #[test]
    fn annotations_round_trip() {
        let mut docs =
            all("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n");
        set_annotation(
            &mut docs[0],
            "postrenderer.helm.sh/postrender-filename",
            "c/templates/cm.yaml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = string_all(&docs).unwrap_or_default();
        assert_eq!(
            text,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    postrenderer.helm.sh/postrender-filename: 'c/templates/cm.yaml'\ndata:\n  k: v\n"
        );
        let mut back = all(&text);
        assert_eq!(
            meta_annotation(&back[0], "postrenderer.helm.sh/postrender-filename"),
            Ok(Some("c/templates/cm.yaml".to_owned()))
        );
        clear_annotation(&mut back[0], "postrenderer.helm.sh/postrender-filename")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            string_all(&back).ok().as_deref(),
            Some("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n")
        );
    }

    #[test]
    fn metadata_is_created_and_removed() {
        let mut docs = all("kind: X\nspec: {}\n");
        set_annotation(&mut docs[0], "a", "b").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            string_all(&docs).ok().as_deref(),
            Some("kind: X\nspec: {}\nmetadata:\n  annotations:\n    a: 'b'\n")
        );
        clear_annotation(&mut docs[0], "a").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            string_all(&docs).ok().as_deref(),
            Some("kind: X\nspec: {}\n")
        );
    }

    #[test]
    fn errors_follow_kyaml() {
        let mut docs = all("- a\n- b\n");
        let e = set_annotation(&mut docs[0], "a", "b").map_err(|e| e.to_string());
        assert_eq!(
            e,
            Err("wrong node kind: expected MappingNode but got SequenceNode: node contents:\n- a\n- b\n".to_owned())
        );
        assert_eq!(
            meta_annotation(&all("foo: bar\n")[0], "x"),
            Err(KyamlError(MISSING_METADATA.to_owned()))
        );
    }

    /// kyaml's own ByteWriter cases `multiple_items` and `handle_comments`
    /// (kyaml/kio/byteio_writer_test.go, kyaml v0.21.1): each item parsed
    /// with `yaml.MustParse`, written with a plain `ByteWriter`, compared
    /// after trimming surrounding whitespace, as that test does.
    #[test]
    fn kyaml_byte_writer_cases() {
        let write = |items: &[&str]| -> String {
            let docs: Vec<Node> = items
                .iter()
                .map(|i| match crate::node::parse_first_document(i) {
                    Ok(Some(d)) => d,
                    other => panic!("{other:?}"),
                })
                .collect();
            string_all(&docs).unwrap_or_else(|e| panic!("{e}"))
        };
        let multiple = write(&[
            "c: d # second",
            "e: f\ng:\n  h:\n  # has a list\n  - i : [i1, i2] # line comment\n  # has a list 2\n  - j : j1\n",
            "a: b #first",
        ]);
        assert_eq!(
            multiple.trim(),
            "c: d # second\n---\ne: f\ng:\n  h:\n  # has a list\n  - i: [i1, i2] # line comment\n  # has a list 2\n  - j: j1\n---\na: b #first"
        );
        let comments = write(&[
            "# comment 0\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx\n  namespace: my-space\n  labels:\n    env: dev\n    foo: bar\nspec:\n  # comment 1\n  replicas: 3\n  selector:\n    # comment 2\n    matchLabels: # comment 3\n      # comment 4\n      app: nginx # comment 5\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      # comment 6\n      containers:\n        # comment 7\n        - name: nginx\n          image: nginx:1.14.2 # comment 8\n          ports:\n            # comment 9\n            - containerPort: 80 # comment 10\n",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: my-service\nspec:\n  ports:\n    # comment 1\n    - name: etcd-server-ssl\n      port: 2380\n    # comment 2\n    - name: etcd-client-ssl\n      port: 2379\n",
            "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: EnforceFoo\nmetadata:\n  name: enforce-foo\nspec:\n  parameters:\n    naming_rules:\n      - kind: Folder\n        patterns:\n          # comment 1\n          - ^(dev|prod|staging|qa|shared)$\n",
        ]);
        assert_eq!(
            comments.trim(),
            "# comment 0\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx\n  namespace: my-space\n  labels:\n    env: dev\n    foo: bar\nspec:\n  # comment 1\n  replicas: 3\n  selector:\n    # comment 2\n    matchLabels: # comment 3\n      # comment 4\n      app: nginx # comment 5\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      # comment 6\n      containers:\n      # comment 7\n      - name: nginx\n        image: nginx:1.14.2 # comment 8\n        ports:\n        # comment 9\n        - containerPort: 80 # comment 10\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: my-service\nspec:\n  ports:\n  # comment 1\n  - name: etcd-server-ssl\n    port: 2380\n  # comment 2\n  - name: etcd-client-ssl\n    port: 2379\n---\napiVersion: constraints.gatekeeper.sh/v1beta1\nkind: EnforceFoo\nmetadata:\n  name: enforce-foo\nspec:\n  parameters:\n    naming_rules:\n    - kind: Folder\n      patterns:\n      # comment 1\n      - ^(dev|prod|staging|qa|shared)$"
        );
    }
}
