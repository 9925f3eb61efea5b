//! From rendered files to ordered manifests and hooks (Helm's
//! `releaseutil.SplitManifests`, `SortManifests` and `InstallOrder`).
//!
//! Byte parity depends on details here: Helm 4.2.3 splits documents with the
//! regular expression `(?:^|\s*\n)---\s*`, which eats the whitespace around a
//! separator but leaves the *last* document of each file with its trailing
//! newline (hence the blank line before the next `---` in `helm template`
//! output); documents are sorted by kind with a stable sort in which unknown
//! kinds come last in byte order; a hook document with an unknown event is
//! silently dropped.

use std::collections::BTreeMap;

use rudder_value::Value;

/// The install order of kinds (Helm's `releaseutil.InstallOrder`).
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The hook events Helm knows (`helm.sh/hook` values), lower-cased.
const HOOK_EVENTS: &[(&str, HookEvent)] = &[
    ("pre-install", HookEvent::PreInstall),
    ("post-install", HookEvent::PostInstall),
    ("pre-delete", HookEvent::PreDelete),
    ("post-delete", HookEvent::PostDelete),
    ("pre-upgrade", HookEvent::PreUpgrade),
    ("post-upgrade", HookEvent::PostUpgrade),
    ("pre-rollback", HookEvent::PreRollback),
    ("post-rollback", HookEvent::PostRollback),
    ("test", HookEvent::Test),
    ("test-success", HookEvent::Test),
];

/// The annotation that makes a document a hook.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
/// The hook weight annotation.
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
/// The hook delete-policy annotation.
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";
/// The hook output-log-policy annotation.
pub const HOOK_OUTPUT_LOG_ANNOTATION: &str = "helm.sh/hook-output-log-policy";

/// A lifecycle event a hook runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookEvent {
    /// `pre-install`.
    PreInstall,
    /// `post-install`.
    PostInstall,
    /// `pre-delete`.
    PreDelete,
    /// `post-delete`.
    PostDelete,
    /// `pre-upgrade`.
    PreUpgrade,
    /// `post-upgrade`.
    PostUpgrade,
    /// `pre-rollback`.
    PreRollback,
    /// `post-rollback`.
    PostRollback,
    /// `test` (also spelled `test-success`).
    Test,
}

impl HookEvent {
    /// The event's name as Helm stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            HookEvent::PreInstall => "pre-install",
            HookEvent::PostInstall => "post-install",
            HookEvent::PreDelete => "pre-delete",
            HookEvent::PostDelete => "post-delete",
            HookEvent::PreUpgrade => "pre-upgrade",
            HookEvent::PostUpgrade => "post-upgrade",
            HookEvent::PreRollback => "pre-rollback",
            HookEvent::PostRollback => "post-rollback",
            HookEvent::Test => "test",
        }
    }
}

/// The parts of a document's head Helm reads (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata`, when present and not null.
    pub metadata: Option<HeadMetadata>,
}

/// `metadata.name` and `metadata.annotations` of a document head.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeadMetadata {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.annotations`, when present and not null.
    pub annotations: Option<BTreeMap<String, String>>,
}

/// A generic (non-hook) manifest: one document of a rendered file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template path it came from.
    pub name: String,
    /// The document text.
    pub content: String,
    /// Its parsed head.
    pub head: Head,
}

/// A hook: a document with a `helm.sh/hook` annotation of known events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`.
    pub name: String,
    /// `kind`.
    pub kind: String,
    /// The template path it came from.
    pub path: String,
    /// The document text.
    pub manifest: String,
    /// The events, in annotation order.
    pub events: Vec<HookEvent>,
    /// `helm.sh/hook-weight` (0 when absent or not an integer).
    pub weight: i64,
    /// `helm.sh/hook-delete-policy` values, lower-cased.
    pub delete_policies: Vec<String>,
    /// `helm.sh/hook-output-log-policy` values, lower-cased.
    pub output_log_policies: Vec<String>,
}

impl Hook {
    /// Whether this is a test hook.
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// A document whose head is not valid YAML (or not a mapping).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("YAML parse error on {path}: {message}")]
pub struct ManifestError {
    /// The template path.
    pub path: String,
    /// The YAML error.
    pub message: String,
}

fn is_ascii_space(b: u8) -> bool {
    // RE2's `\s`: tab, newline, form feed, carriage return, space.
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Split a rendered file into documents as Helm 4.2.3's
/// `releaseutil.SplitManifests` does: separator `(?:^|\s*\n)---\s*`, pieces
/// that are all whitespace dropped, each piece left-trimmed.
pub fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim_start();
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut piece_start = 0usize;
    let mut search = 0usize;
    // `^---` at the very start of the (left-trimmed) text.
    if text.starts_with("---") {
        let mut end = 3;
        while end < bytes.len() && is_ascii_space(bytes[end]) {
            end += 1;
        }
        pieces.push(&text[..0]);
        piece_start = end;
        search = end;
    }
    while let Some(off) = text[search..].find("\n---") {
        let nl = search + off;
        // The match starts where the run of whitespace ending at this
        // newline starts (greedy `\s*` before `\n`).
        let mut start = nl;
        while start > search && is_ascii_space(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = nl + 4;
        while end < bytes.len() && is_ascii_space(bytes[end]) {
            end += 1;
        }
        pieces.push(&text[piece_start..start]);
        piece_start = end;
        search = end;
    }
    pieces.push(&text[piece_start..]);
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(str::trim_start)
        .collect()
}

/// Stringify a scalar the way sigs.k8s.io/yaml does when the target field
/// is a Go string.
fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::Nil => Some(String::new()),
        Value::Str(s) => Some(s.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i, _) => Some(i.to_string()),
        Value::Float(f) => Some(rudder_value::float::format_float(*f, 'g', -1, 32)),
        _ => None,
    }
}

/// Parse a document's head (`apiVersion`, `kind`, `metadata.name`,
/// `metadata.annotations`) with sigs.k8s.io/yaml semantics.
pub fn parse_head(doc: &str) -> Result<Head, String> {
    // The whole document is validated as `from_yaml` would (same errors),
    // but only the head's fields are built: every rendered document goes
    // through here, and the rest of it is not needed.
    const HEAD_PATHS: &[&[&str]] = &[
        &["apiVersion"],
        &["kind"],
        &["metadata", "name"],
        &["metadata", "annotations"],
    ];
    let v = rudder_yaml::from_yaml_pruned(doc, HEAD_PATHS).map_err(|e| e.to_string())?;
    let map = match &v {
        Value::Nil => return Ok(Head::default()),
        Value::Map(m) => m.clone(),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(other)
            ));
        }
    };
    let field = |m: &rudder_value::Map, key: &str, path: &str| -> Result<String, String> {
        match m.get(key) {
            None => Ok(String::new()),
            Some(v) => scalar_string(&v).ok_or_else(|| {
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {path} of type string",
                    json_kind(&v)
                )
            }),
        }
    };
    let mut head = Head {
        api_version: field(&map, "apiVersion", "SimpleHead.apiVersion")?,
        kind: field(&map, "kind", "SimpleHead.kind")?,
        metadata: None,
    };
    match map.get("metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(meta)) => {
            let name = field(&meta, "name", "SimpleHead.metadata.name")?;
            let annotations = match meta.get("annotations") {
                None | Some(Value::Nil) => None,
                Some(Value::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a.entries() {
                        let s = scalar_string(&v).ok_or_else(|| {
                            format!(
                                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field .metadata.annotations of type string",
                                json_kind(&v)
                            )
                        })?;
                        out.insert(k.to_string(), s);
                    }
                    Some(out)
                }
                Some(other) => {
                    return Err(format!(
                        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field .metadata.annotations of type map[string]string",
                        json_kind(&other)
                    ));
                }
            };
            head.metadata = Some(HeadMetadata { name, annotations });
        }
        Some(other) => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.metadata of type struct {{ Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }}",
                json_kind(&other)
            ));
        }
    }
    Ok(head)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) | Value::Bytes(_) => "array",
        Value::Map(_) | Value::Object(_) => "object",
    }
}

/// The result of sorting rendered files.
#[derive(Clone, Debug, Default)]
pub struct Sorted {
    /// Hooks, stable-sorted by kind.
    pub hooks: Vec<Hook>,
    /// Generic manifests, stable-sorted by kind.
    pub manifests: Vec<Manifest>,
}

/// Helm's `SortManifests(files, InstallOrder)`: files in byte order of
/// their path, partials and blank files skipped, each split into documents
/// whose heads decide hook or manifest; both lists are then stable-sorted
/// by kind.
pub fn sort_manifests(files: &BTreeMap<String, String>) -> Result<Sorted, ManifestError> {
    let mut out = Sorted::default();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            let head = parse_head(doc).map_err(|message| ManifestError {
                path: path.clone(),
                message,
            })?;
            let annotations = head
                .metadata
                .as_ref()
                .and_then(|m| m.annotations.as_ref())
                .filter(|a| !a.is_empty());
            let Some(hook_types) = annotations.and_then(|a| a.get(HOOK_ANNOTATION)) else {
                out.manifests.push(Manifest {
                    name: path.clone(),
                    content: doc.to_owned(),
                    head,
                });
                continue;
            };
            let annotations = annotations.cloned().unwrap_or_default();
            let mut events = Vec::new();
            let mut unknown = false;
            for t in hook_types.split(',') {
                let t = t.trim().to_lowercase();
                match HOOK_EVENTS.iter().find(|(n, _)| *n == t) {
                    Some((_, e)) => events.push(*e),
                    None => {
                        unknown = true;
                        break;
                    }
                }
            }
            if unknown {
                // Helm logs "skipping unknown hooks" and drops the document.
                continue;
            }
            let policies = |key: &str| -> Vec<String> {
                annotations
                    .get(key)
                    .map(|v| v.split(',').map(|p| p.trim().to_lowercase()).collect())
                    .unwrap_or_default()
            };
            out.hooks.push(Hook {
                name: head
                    .metadata
                    .as_ref()
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                kind: head.kind.clone(),
                path: path.clone(),
                manifest: doc.to_owned(),
                events,
                weight: annotations
                    .get(HOOK_WEIGHT_ANNOTATION)
                    .and_then(|w| go_atoi(w))
                    .unwrap_or(0),
                delete_policies: policies(HOOK_DELETE_ANNOTATION),
                output_log_policies: policies(HOOK_OUTPUT_LOG_ANNOTATION),
            });
        }
    }
    sort_by_kind(&mut out.hooks, |h| &h.kind);
    sort_by_kind(&mut out.manifests, |m| &m.head.kind);
    Ok(out)
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, 64-bit range.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Helm's `lessByKind` as a stable sort: known kinds in install order,
/// unknown kinds after them in byte order of the kind.
pub fn sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k);
    items.sort_by(|a, b| {
        let (ka, kb) = (kind(a), kind(b));
        match (rank(ka), rank(kb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ka.cmp(kb),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_the_last_documents_trailing_newline() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2\n"]);
        assert_eq!(split_manifests("\n\n---\na: 1\n"), vec!["a: 1\n"]);
        assert_eq!(split_manifests("a\n  \n---   \n\n  b"), vec!["a", "b"]);
        assert_eq!(split_manifests("a\n--- # c\nb"), vec!["a", "# c\nb"]);
        assert_eq!(
            split_manifests("a\n---apiVersion: v1"),
            vec!["a", "apiVersion: v1"]
        );
        assert_eq!(split_manifests("a\n----\nb"), vec!["a", "-\nb"]);
        assert_eq!(split_manifests("   \n \n"), Vec::<&str>::new());
        assert_eq!(split_manifests("a\n  ---\nb"), vec!["a\n  ---\nb"]);
    }

    #[test]
    fn kind_order_is_stable_with_unknown_kinds_last_by_name() {
        let mut kinds = vec![
            "Zeta",
            "Deployment",
            "",
            "Service",
            "Alpha",
            "Deployment",
            "Namespace",
        ];
        sort_by_kind(&mut kinds, |k| k);
        assert_eq!(
            kinds,
            vec![
                "Namespace",
                "Service",
                "Deployment",
                "Deployment",
                "",
                "Alpha",
                "Zeta"
            ]
        );
    }

    #[test]
    fn atoi() {
        assert_eq!(go_atoi("-5"), Some(-5));
        assert_eq!(go_atoi("+5"), Some(5));
        assert_eq!(go_atoi("5x"), None);
        assert_eq!(go_atoi(""), None);
    }
}
