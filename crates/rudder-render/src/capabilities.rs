//! `.Capabilities`: the Kubernetes and Helm versions a render targets.
//!
//! In `helm template` mode these are Helm 4.2's built-in defaults
//! (KubeVersion `v1.36.0`, client-go's scheme group/versions, HelmVersion
//! `v4.2`), adjusted by `--kube-version` and `--api-versions`. The template
//! sees a `*common.Capabilities` struct, so an unknown field is an error
//! there (unlike `.Chart` and `.Release`, which are maps).

use std::any::Any;
use std::sync::Arc;

use rudder_value::{GoType, List, MapKind, Object, ObjectRepr, Signature, Value};

/// The default Kubernetes version of `helm template` in Helm 4.2.
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// The group/versions Helm 4.2 reports without a cluster, in its order
/// (client-go v0.36 scheme registration order, then apiextensions).
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// A Kubernetes version as Helm keeps it (`common.KubeVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// The version as given, with a `v` prefix added (`v1.33.4-gke.1`).
    pub version: String,
    /// The numeric part, for constraint checks (`v1.33.4`).
    pub normalized: String,
    /// The major version, decimal.
    pub major: String,
    /// The minor version, decimal.
    pub minor: String,
}

impl KubeVersion {
    /// Parse like Helm's `ParseKubeVersion` (k8s `version.ParseGeneric`):
    /// optional leading spaces and `v`, at least two dot-separated numeric
    /// components, anything after them ignored.
    pub fn parse(input: &str) -> Result<KubeVersion, String> {
        let s = input.trim_start();
        let s = s.strip_prefix('v').unwrap_or(s);
        let numeric_len = {
            let b = s.as_bytes();
            let mut i = 0;
            loop {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start {
                    // A component must have digits; back off a trailing dot.
                    i = start.saturating_sub(1);
                    break;
                }
                if i < b.len() && b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                    continue;
                }
                break;
            }
            i
        };
        if numeric_len == 0 {
            return Err(format!("could not parse {input:?} as version"));
        }
        let numbers = &s[..numeric_len];
        let components: Vec<&str> = numbers.split('.').collect();
        if components.len() < 2 {
            return Err(format!("illegal version string {input:?}"));
        }
        if components[0].len() > 1 && components[0].starts_with('0') {
            return Err(format!(
                "illegal zero-prefixed version component {:?} in {input:?}",
                components[0]
            ));
        }
        let mut parsed = Vec::with_capacity(components.len());
        for c in &components {
            let n: u64 = c
                .parse()
                .map_err(|_| format!("illegal version string {input:?}"))?;
            parsed.push(n);
        }
        let version = if input.starts_with('v') {
            input.to_owned()
        } else {
            format!("v{input}")
        };
        Ok(KubeVersion {
            version,
            normalized: format!(
                "v{}",
                parsed
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(".")
            ),
            major: parsed[0].to_string(),
            minor: parsed[1].to_string(),
        })
    }

    /// The normalised version (`String()`), used for `kubeVersion` checks.
    pub fn normalized(&self) -> &str {
        if self.normalized.is_empty() {
            &self.version
        } else {
            &self.normalized
        }
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion {
            version: DEFAULT_KUBE_VERSION.to_owned(),
            normalized: DEFAULT_KUBE_VERSION.to_owned(),
            major: "1".to_owned(),
            minor: "36".to_owned(),
        }
    }
}

/// Helm's build information (`.Capabilities.HelmVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmVersion {
    /// `Version`: `v4.2`, as the Helm SDK reports it.
    pub version: String,
    /// `GitCommit`.
    pub git_commit: String,
    /// `GitTreeState`.
    pub git_tree_state: String,
    /// `GoVersion`.
    pub go_version: String,
    /// `KubeClientVersion`.
    pub kube_client_version: String,
}

impl Default for HelmVersion {
    fn default() -> Self {
        HelmVersion {
            version: "v4.2".to_owned(),
            git_commit: String::new(),
            git_tree_state: String::new(),
            go_version: "go1.26.6".to_owned(),
            kube_client_version: "v1.36".to_owned(),
        }
    }
}

/// What the render targets (`common.Capabilities`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The Kubernetes version.
    pub kube_version: KubeVersion,
    /// The available group/versions, in order.
    pub api_versions: Vec<String>,
    /// Helm's build information.
    pub helm_version: HelmVersion,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: KubeVersion::default(),
            api_versions: DEFAULT_API_VERSIONS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            helm_version: HelmVersion::default(),
        }
    }
}

impl Capabilities {
    /// The template object for `.Capabilities`.
    pub fn to_value(self: &Arc<Self>) -> Value {
        Value::Object(std::rc::Rc::new(CapabilitiesObject(self.clone())))
    }
}

fn s(v: &str) -> Value {
    Value::str(v)
}

/// `*common.Capabilities`.
struct CapabilitiesObject(Arc<Capabilities>);

impl Object for CapabilitiesObject {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: true,
            fields: vec![
                ("KubeVersion", kube_version_value(&self.0.kube_version)),
                ("APIVersions", version_set_value(&self.0.api_versions)),
                ("HelmVersion", helm_version_value(&self.0.helm_version)),
            ],
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn kube_version_value(k: &KubeVersion) -> Value {
    Value::object(KubeVersionObject(k.clone()))
}

fn version_set_value(v: &[String]) -> Value {
    Value::object(VersionSetObject(v.to_vec()))
}

fn helm_version_value(h: &HelmVersion) -> Value {
    Value::object(HelmVersionObject(h.clone()))
}

/// `common.KubeVersion`: `Version`, `Major`, `Minor` fields and the
/// `String`/`GitVersion` methods.
struct KubeVersionObject(KubeVersion);

impl Object for KubeVersionObject {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: false,
            fields: vec![
                ("Version", s(&self.0.version)),
                ("normalizedVersion", s(&self.0.normalized)),
                ("Major", s(&self.0.major)),
                ("Minor", s(&self.0.minor)),
            ],
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        // The unexported field is printable but not accessible.
        match name {
            "Version" => Some(s(&self.0.version)),
            "Major" => Some(s(&self.0.major)),
            "Minor" => Some(s(&self.0.minor)),
            _ => None,
        }
    }

    /// `String()` has a pointer receiver in Go; templates reach the value
    /// through the `*Capabilities` pointer, so it is addressable and `{{
    /// .Capabilities.KubeVersion }}` prints the normalised version.
    fn stringer(&self) -> Option<String> {
        Some(self.0.normalized().to_owned())
    }

    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "String" | "GitVersion" => Some(Signature::new(vec![])),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(s(self.0.normalized())),
            "GitVersion" => Ok(s(&self.0.version)),
            _ => Err(format!("no method {name}")),
        }
    }

    fn marshal_json(&self) -> Result<Value, String> {
        Ok(Value::Map(rudder_value::Map::from_entries(
            MapKind::Any,
            [
                ("Version", s(&self.0.version)),
                ("Major", s(&self.0.major)),
                ("Minor", s(&self.0.minor)),
            ],
        )))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `common.VersionSet`: a `[]string` with a `Has` method.
struct VersionSetObject(Vec<String>);

impl Object for VersionSetObject {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Value(Value::List(List::strings(
            self.0.iter().map(String::as_str),
        )))
    }

    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Has").then(|| Signature::new(vec![GoType::String]))
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        match (name, args.first()) {
            ("Has", Some(Value::Str(v))) => Ok(Value::Bool(self.0.iter().any(|x| **x == **v))),
            _ => Err(format!("no method {name}")),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `version.BuildInfo`, whose JSON form uses snake_case tags.
struct HelmVersionObject(HelmVersion);

impl Object for HelmVersionObject {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }

    fn repr(&self) -> ObjectRepr {
        ObjectRepr::Struct {
            pointer: false,
            fields: vec![
                ("Version", s(&self.0.version)),
                ("GitCommit", s(&self.0.git_commit)),
                ("GitTreeState", s(&self.0.git_tree_state)),
                ("GoVersion", s(&self.0.go_version)),
                ("KubeClientVersion", s(&self.0.kube_client_version)),
            ],
        }
    }

    fn marshal_json(&self) -> Result<Value, String> {
        let mut entries = vec![("version", s(&self.0.version))];
        if !self.0.git_commit.is_empty() {
            entries.push(("git_commit", s(&self.0.git_commit)));
        }
        if !self.0.git_tree_state.is_empty() {
            entries.push(("git_tree_state", s(&self.0.git_tree_state)));
        }
        entries.push(("go_version", s(&self.0.go_version)));
        entries.push(("kube_client_version", s(&self.0.kube_client_version)));
        Ok(Value::Map(rudder_value::Map::from_entries(
            MapKind::Any,
            entries,
        )))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_generic_kube_versions() {
        let k = KubeVersion::parse("1.30").unwrap_or_default();
        assert_eq!((k.version.as_str(), k.normalized()), ("v1.30", "v1.30"));
        let k = KubeVersion::parse("v1.33.4-gke.1245000").unwrap_or_default();
        assert_eq!(k.version, "v1.33.4-gke.1245000");
        assert_eq!(k.normalized(), "v1.33.4");
        assert_eq!((k.major.as_str(), k.minor.as_str()), ("1", "33"));
        assert!(KubeVersion::parse("1").is_err());
        assert!(KubeVersion::parse("abc").is_err());
        assert!(KubeVersion::parse("01.2").is_err());
    }

    #[test]
    fn printing_matches_helm() {
        let caps = Arc::new(Capabilities::default());
        let v = caps.to_value();
        let hv = rudder_value::fmt::format_v(
            &match &v {
                Value::Object(o) => o.field("HelmVersion"),
                _ => None,
            }
            .unwrap_or(Value::Nil),
        );
        // Recorded from the oracle: `{{ .Capabilities.HelmVersion }}`.
        assert_eq!(hv, "{v4.2   go1.26.6 v1.36}");
    }
}
