//! `Chart.yaml` (and `requirements.yaml`, `Chart.lock`): the typed
//! [`Metadata`], its decoding with `sigs.k8s.io/yaml` semantics, Helm's
//! validation and sanitising, and the `.Chart` map templates see.
//!
//! Helm decodes these files YAML → JSON → `encoding/json` into Go structs,
//! which gives them quirks a chart author can observe: keys match fields
//! case-insensitively, numbers and bools written into string fields become
//! strings (floats through `FormatFloat(f, 'g', -1, 32)`, so `appVersion:
//! 1.10` is `"1.1"`), unknown keys are ignored and type mismatches give
//! `encoding/json`'s error texts. [`Metadata::to_value`] reproduces Helm 4's
//! reflection-built `.Chart` map (spec §5.3).

use std::collections::BTreeMap;

use rudder_value::{List, Map, MapKind, Value};

use crate::semver;

/// Chart API version 1 (Helm 2 charts, `requirements.yaml`).
pub const API_VERSION_V1: &str = "v1";
/// Chart API version 2.
pub const API_VERSION_V2: &str = "v2";

/// A maintainer entry of `Chart.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Maintainer {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `url`.
    pub url: String,
}

/// One `dependencies:` entry (spec §1.4).
#[derive(Debug, Clone, Default)]
pub struct Dependency {
    /// `name`: the subchart's Chart.yaml name (replaced by the alias once
    /// dependencies are processed).
    pub name: String,
    /// `version`: a constraint.
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// `condition`: comma-separated value paths.
    pub condition: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// `enabled` (always overwritten to true before evaluation).
    pub enabled: bool,
    /// `import-values`: strings or `{child, parent}` maps as written; after
    /// processing, `map[string]string`s (`MapKind::String`).
    pub import_values: Vec<Value>,
    /// `alias`.
    pub alias: String,
}

/// The contents of `Chart.yaml` (Helm's `chart.Metadata`).
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `name` (required).
    pub name: String,
    /// `home`.
    pub home: String,
    /// `sources`.
    pub sources: Vec<String>,
    /// `version` (required, SemVer).
    pub version: String,
    /// `description`.
    pub description: String,
    /// `keywords`.
    pub keywords: Vec<String>,
    /// `maintainers`.
    pub maintainers: Vec<Maintainer>,
    /// `icon`.
    pub icon: String,
    /// `apiVersion` (`v1` when empty).
    pub api_version: String,
    /// `condition`.
    pub condition: String,
    /// `tags`.
    pub tags: String,
    /// `appVersion`.
    pub app_version: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// `annotations`; `None` when absent (Go's nil map).
    pub annotations: Option<BTreeMap<String, String>>,
    /// `kubeVersion`: a SemVer constraint.
    pub kube_version: String,
    /// `dependencies`; `None` when absent or null, which Helm treats
    /// differently from an empty list (spec §2.4 step 7).
    pub dependencies: Option<Vec<Dependency>>,
    /// `type`: `""`, `application` or `library`.
    pub chart_type: String,
}

/// `Chart.lock` / `requirements.lock`.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    /// `generated`, as written.
    pub generated: String,
    /// `digest`.
    pub digest: String,
    /// `dependencies`.
    pub dependencies: Vec<Dependency>,
}

/// A `Chart.yaml` that `encoding/json` could not decode into the struct;
/// the text is Go's (`json: cannot unmarshal …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// Helm's `chart.ValidationError`: prints as `validation: <msg>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("validation: {0}")]
pub struct ValidationError(pub String);

// ---------------------------------------------------------------------------
// Decoding with sigs.k8s.io/yaml + encoding/json semantics.

/// The static type of a struct field, for conversion and error texts.
#[derive(Clone, Copy)]
enum FieldType {
    Str,
    StrList,
    Bool,
    StrMap,
    Maintainers,
    Dependencies,
    AnyList,
}

impl FieldType {
    fn go_name(self) -> &'static str {
        match self {
            FieldType::Str => "string",
            FieldType::StrList => "[]string",
            FieldType::Bool => "bool",
            FieldType::StrMap => "map[string]string",
            FieldType::Maintainers => "[]*v2.Maintainer",
            FieldType::Dependencies => "[]*v2.Dependency",
            FieldType::AnyList => "[]interface {}",
        }
    }
}

/// The JSON kind name `encoding/json` uses in type errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Float(_) => "number",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}

/// How sigs.k8s.io/yaml turns a YAML scalar into a Go string when the
/// target field is a string. The YAML layer has already made every number
/// a float64, so an integral value is taken to have been an integer
/// (formatted in decimal, as yaml.v2 ints are); see the crate docs.
fn scalar_to_string(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i, _) => Some(i.to_string()),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 {
                Some(format!("{}", *f as i64))
            } else {
                Some(rudder_value::float::format_float(*f, 'g', -1, 32))
            }
        }
        _ => None,
    }
}

/// Decoding context: the innermost struct's Go name and the JSON key path,
/// as `encoding/json` reports them.
struct Ctx<'a> {
    struct_name: &'static str,
    path: &'a [&'a str],
    first_error: &'a mut Option<String>,
}

impl Ctx<'_> {
    fn type_error(&mut self, got: &Value, ty: FieldType) {
        if self.first_error.is_none() {
            let value = match got {
                Value::Int(..) | Value::Float(_) => "number".to_owned(),
                other => json_kind(other).to_owned(),
            };
            *self.first_error = Some(format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {}",
                self.struct_name,
                self.path.join("."),
                ty.go_name()
            ));
        }
    }
}

fn decode_string(v: &Value, ctx: &mut Ctx<'_>, out: &mut String) {
    match v {
        Value::Nil => {}
        Value::List(_) | Value::Map(_) => ctx.type_error(v, FieldType::Str),
        other => {
            if let Some(s) = scalar_to_string(other) {
                *out = s;
            }
        }
    }
}

fn decode_string_list(v: &Value, ctx: &mut Ctx<'_>, out: &mut Vec<String>) {
    match v {
        Value::Nil => out.clear(),
        Value::List(items) => {
            out.clear();
            for item in items.iter() {
                match item {
                    Value::Nil => out.push(String::new()),
                    Value::List(_) | Value::Map(_) => {
                        ctx.type_error(item, FieldType::Str);
                        out.push(String::new());
                    }
                    other => out.push(scalar_to_string(other).unwrap_or_default()),
                }
            }
        }
        other => ctx.type_error(other, FieldType::StrList),
    }
}

fn decode_bool(v: &Value, ctx: &mut Ctx<'_>, out: &mut bool) {
    match v {
        Value::Nil => {}
        Value::Bool(b) => *out = *b,
        other => ctx.type_error(other, FieldType::Bool),
    }
}

/// Finds the struct field a JSON key decodes into: an exact match on the
/// field's JSON name first, then a case-insensitive one.
fn match_field<'f>(names: &[&'f str], key: &str) -> Option<&'f str> {
    if let Some(n) = names.iter().find(|n| **n == key) {
        return Some(n);
    }
    names
        .iter()
        .find(|n| n.to_lowercase() == key.to_lowercase())
        .copied()
}

const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];

fn decode_maintainer(v: &Map, ctx: &mut Ctx<'_>) -> Maintainer {
    let mut m = Maintainer::default();
    for (key, val) in v.entries() {
        let Some(field) = match_field(MAINTAINER_FIELDS, &key) else {
            continue;
        };
        let path: Vec<&str> = ctx.path.iter().copied().chain([field]).collect();
        let mut sub = Ctx {
            struct_name: "Maintainer",
            path: &path,
            first_error: ctx.first_error,
        };
        match field {
            "name" => decode_string(&val, &mut sub, &mut m.name),
            "email" => decode_string(&val, &mut sub, &mut m.email),
            _ => decode_string(&val, &mut sub, &mut m.url),
        }
    }
    m
}

const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

fn decode_dependency(v: &Map, ctx: &mut Ctx<'_>) -> Dependency {
    let mut d = Dependency::default();
    for (key, val) in v.entries() {
        let Some(field) = match_field(DEPENDENCY_FIELDS, &key) else {
            continue;
        };
        let path: Vec<&str> = ctx.path.iter().copied().chain([field]).collect();
        let mut sub = Ctx {
            struct_name: "Dependency",
            path: &path,
            first_error: ctx.first_error,
        };
        match field {
            "name" => decode_string(&val, &mut sub, &mut d.name),
            "version" => decode_string(&val, &mut sub, &mut d.version),
            "repository" => decode_string(&val, &mut sub, &mut d.repository),
            "condition" => decode_string(&val, &mut sub, &mut d.condition),
            "tags" => decode_string_list(&val, &mut sub, &mut d.tags),
            "enabled" => decode_bool(&val, &mut sub, &mut d.enabled),
            "import-values" => match &val {
                Value::Nil => d.import_values.clear(),
                Value::List(items) => d.import_values = items.iter().cloned().collect(),
                other => sub.type_error(other, FieldType::AnyList),
            },
            _ => decode_string(&val, &mut sub, &mut d.alias),
        }
    }
    d
}

/// Decodes a list of struct pointers; a null element stays `None` so that
/// validation can report it as Helm does.
fn decode_struct_list<T>(
    v: &Value,
    ctx: &mut Ctx<'_>,
    ty: FieldType,
    elem: impl Fn(&Map, &mut Ctx<'_>) -> T,
) -> Option<Vec<Option<T>>> {
    match v {
        Value::Nil => None,
        Value::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                match item {
                    Value::Nil => out.push(None),
                    Value::Map(m) => out.push(Some(elem(m, ctx))),
                    other => {
                        let struct_ty = match ty {
                            FieldType::Maintainers => "v2.Maintainer",
                            _ => "v2.Dependency",
                        };
                        if ctx.first_error.is_none() {
                            *ctx.first_error = Some(format!(
                                "json: cannot unmarshal {} into Go struct field {}.{} of type {struct_ty}",
                                json_kind(other),
                                ctx.struct_name,
                                ctx.path.join(".")
                            ));
                        }
                        out.push(None);
                    }
                }
            }
            Some(out)
        }
        other => {
            ctx.type_error(other, ty);
            None
        }
    }
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];

/// `Metadata` while it is being decoded: list entries may still be null.
#[derive(Debug, Clone, Default)]
pub(crate) struct MetadataDraft {
    pub(crate) md: Metadata,
    maintainers: Option<Vec<Option<Maintainer>>>,
    dependencies: Option<Vec<Option<Dependency>>>,
}

impl MetadataDraft {
    /// Decodes a parsed document into the draft, overwriting the fields it
    /// names (as decoding `requirements.yaml` into the same struct does).
    pub(crate) fn apply(&mut self, doc: &Value) -> Result<(), DecodeError> {
        let map = match doc {
            Value::Nil => return Ok(()),
            Value::Map(m) => m,
            other => {
                return Err(DecodeError(format!(
                    "json: cannot unmarshal {} into Go value of type v2.Metadata",
                    json_kind(other)
                )));
            }
        };
        let mut first_error = None;
        for (key, val) in map.entries() {
            let Some(field) = match_field(METADATA_FIELDS, &key) else {
                continue;
            };
            let path = [field];
            let mut ctx = Ctx {
                struct_name: "Metadata",
                path: &path,
                first_error: &mut first_error,
            };
            let md = &mut self.md;
            match field {
                "name" => decode_string(&val, &mut ctx, &mut md.name),
                "home" => decode_string(&val, &mut ctx, &mut md.home),
                "sources" => decode_string_list(&val, &mut ctx, &mut md.sources),
                "version" => decode_string(&val, &mut ctx, &mut md.version),
                "description" => decode_string(&val, &mut ctx, &mut md.description),
                "keywords" => decode_string_list(&val, &mut ctx, &mut md.keywords),
                "maintainers" => {
                    self.maintainers = decode_struct_list(
                        &val,
                        &mut ctx,
                        FieldType::Maintainers,
                        decode_maintainer,
                    );
                }
                "icon" => decode_string(&val, &mut ctx, &mut md.icon),
                "apiVersion" => decode_string(&val, &mut ctx, &mut md.api_version),
                "condition" => decode_string(&val, &mut ctx, &mut md.condition),
                "tags" => decode_string(&val, &mut ctx, &mut md.tags),
                "appVersion" => decode_string(&val, &mut ctx, &mut md.app_version),
                "deprecated" => decode_bool(&val, &mut ctx, &mut md.deprecated),
                "annotations" => match &val {
                    Value::Nil => md.annotations = None,
                    Value::Map(m) => {
                        let mut out = md.annotations.take().unwrap_or_default();
                        for (k, v) in m.entries() {
                            match &v {
                                Value::List(_) | Value::Map(_) => {
                                    let path = ["annotations", &*k];
                                    let mut sub = Ctx {
                                        struct_name: "Metadata",
                                        path: &path[..1],
                                        first_error: ctx.first_error,
                                    };
                                    sub.type_error(&v, FieldType::Str);
                                }
                                Value::Nil => {
                                    out.insert(k.to_string(), String::new());
                                }
                                other => {
                                    out.insert(
                                        k.to_string(),
                                        scalar_to_string(other).unwrap_or_default(),
                                    );
                                }
                            }
                        }
                        md.annotations = Some(out);
                    }
                    other => ctx.type_error(other, FieldType::StrMap),
                },
                "kubeVersion" => decode_string(&val, &mut ctx, &mut md.kube_version),
                "dependencies" => {
                    self.dependencies = decode_struct_list(
                        &val,
                        &mut ctx,
                        FieldType::Dependencies,
                        decode_dependency,
                    );
                }
                _ => decode_string(&val, &mut ctx, &mut md.chart_type),
            }
        }
        match first_error {
            Some(e) => Err(DecodeError(e)),
            None => Ok(()),
        }
    }

    /// Helm's `Metadata.Validate`: sanitises the free-text fields, then
    /// checks them in Helm's order.
    pub(crate) fn validate(mut self) -> Result<Metadata, ValidationError> {
        let md = &mut self.md;
        for s in [
            &mut md.name,
            &mut md.description,
            &mut md.home,
            &mut md.icon,
            &mut md.condition,
            &mut md.tags,
            &mut md.app_version,
            &mut md.kube_version,
        ] {
            *s = sanitize(s);
        }
        for s in md.sources.iter_mut().chain(md.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        let q = rudder_value::fmt::quote;
        if md.api_version.is_empty() {
            return Err(ValidationError(
                "chart.metadata.apiVersion is required".into(),
            ));
        }
        if md.name.is_empty() {
            return Err(ValidationError("chart.metadata.name is required".into()));
        }
        if md.name == "." || md.name == ".." {
            return Err(ValidationError(format!(
                "chart.metadata.name {} is not allowed",
                q(&md.name)
            )));
        }
        if md.name != rudder_value::path::base(&md.name) {
            return Err(ValidationError(format!(
                "chart.metadata.name {} is invalid",
                q(&md.name)
            )));
        }
        if md.version.is_empty() {
            return Err(ValidationError("chart.metadata.version is required".into()));
        }
        if semver::Version::parse(&md.version).is_err() {
            return Err(ValidationError(format!(
                "chart.metadata.version {} is invalid",
                q(&md.version)
            )));
        }
        if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
            return Err(ValidationError(
                "chart.metadata.type must be application or library".into(),
            ));
        }
        let mut maintainers = Vec::new();
        for m in self.maintainers.take().unwrap_or_default() {
            let Some(mut m) = m else {
                return Err(ValidationError(
                    "maintainers must not contain empty or null nodes".into(),
                ));
            };
            m.name = sanitize(&m.name);
            m.email = sanitize(&m.email);
            m.url = sanitize(&m.url);
            maintainers.push(m);
        }
        self.md.maintainers = maintainers;
        if let Some(deps) = self.dependencies.take() {
            let mut out = Vec::with_capacity(deps.len());
            let mut seen = std::collections::BTreeSet::new();
            for d in deps {
                let Some(mut d) = d else {
                    return Err(ValidationError(
                        "dependencies must not contain empty or null nodes".into(),
                    ));
                };
                validate_dependency(&mut d)?;
                let key = if d.alias.is_empty() {
                    d.name.clone()
                } else {
                    d.alias.clone()
                };
                if !seen.insert(key.clone()) {
                    return Err(ValidationError(format!(
                        "more than one dependency with name or alias {}",
                        q(&key)
                    )));
                }
                out.push(d);
            }
            self.md.dependencies = Some(out);
        }
        Ok(self.md)
    }
}

/// Helm's `Dependency.Validate`.
fn validate_dependency(d: &mut Dependency) -> Result<(), ValidationError> {
    d.name = sanitize(&d.name);
    d.version = sanitize(&d.version);
    d.repository = sanitize(&d.repository);
    d.condition = sanitize(&d.condition);
    for t in &mut d.tags {
        *t = sanitize(t);
    }
    let alias_ok = d
        .alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !d.alias.is_empty() && !alias_ok {
        return Err(ValidationError(format!(
            "dependency {} has disallowed characters in the alias",
            rudder_value::fmt::quote(&d.name)
        )));
    }
    Ok(())
}

/// Decodes a lock file document (`Chart.lock` / `requirements.lock`).
pub(crate) fn decode_lock(doc: &Value) -> Result<Lock, DecodeError> {
    let mut lock = Lock::default();
    let map = match doc {
        Value::Nil => return Ok(lock),
        Value::Map(m) => m,
        other => {
            return Err(DecodeError(format!(
                "json: cannot unmarshal {} into Go value of type v2.Lock",
                json_kind(other)
            )));
        }
    };
    let mut first_error = None;
    for (key, val) in map.entries() {
        let Some(field) = match_field(&["generated", "digest", "dependencies"], &key) else {
            continue;
        };
        let path = [field];
        let mut ctx = Ctx {
            struct_name: "Lock",
            path: &path,
            first_error: &mut first_error,
        };
        match field {
            "generated" => decode_string(&val, &mut ctx, &mut lock.generated),
            "digest" => decode_string(&val, &mut ctx, &mut lock.digest),
            _ => {
                lock.dependencies =
                    decode_struct_list(&val, &mut ctx, FieldType::Dependencies, decode_dependency)
                        .unwrap_or_default()
                        .into_iter()
                        .flatten()
                        .collect();
            }
        }
    }
    match first_error {
        Some(e) => Err(DecodeError(e)),
        None => Ok(lock),
    }
}

/// Helm's `sanitizeString`: white space becomes a space, non-printable
/// runes are dropped.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if rudder_value::fmt::is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The `.Chart` map.

fn str_list(items: &[String]) -> Value {
    Value::List(List::new(items.iter().map(|s| Value::str(s)).collect()))
}

impl Maintainer {
    fn to_value(&self) -> Value {
        Value::Map(Map::from_entries(
            MapKind::Any,
            [
                ("Name", Value::str(&self.name)),
                ("Email", Value::str(&self.email)),
                ("URL", Value::str(&self.url)),
            ],
        ))
    }
}

impl Dependency {
    /// The dependency as Helm 4's reflection (`structToMap`) renders it in
    /// `.Chart.Dependencies`.
    pub fn to_value(&self) -> Value {
        Value::Map(Map::from_entries(
            MapKind::Any,
            [
                ("Name", Value::str(&self.name)),
                ("Version", Value::str(&self.version)),
                ("Repository", Value::str(&self.repository)),
                ("Condition", Value::str(&self.condition)),
                ("Tags", str_list(&self.tags)),
                ("Enabled", Value::Bool(self.enabled)),
                ("ImportValues", Value::list(self.import_values.clone())),
                ("Alias", Value::str(&self.alias)),
            ],
        ))
    }
}

impl Metadata {
    /// Helm 4's `.Chart` map (`MetadataAsMap`): every field under its Go
    /// name, slices as `[]interface {}` (empty rather than nil),
    /// maintainers and dependencies as maps with Go field names, and
    /// `Annotations` a `map[string]string`. The caller adds `IsRoot`.
    ///
    /// Go distinguishes a nil `Annotations` map from an empty one only in
    /// `toJson` (`null` vs `{}`); both are an empty `map[string]string` here.
    pub fn to_value(&self) -> Value {
        let annotations = Map::with_kind(MapKind::String);
        for (k, v) in self.annotations.iter().flatten() {
            annotations.insert(k.as_str(), Value::str(v));
        }
        let deps = self
            .dependencies
            .iter()
            .flatten()
            .map(Dependency::to_value)
            .collect();
        Value::Map(Map::from_entries(
            MapKind::Any,
            [
                ("Name", Value::str(&self.name)),
                ("Home", Value::str(&self.home)),
                ("Sources", str_list(&self.sources)),
                ("Version", Value::str(&self.version)),
                ("Description", Value::str(&self.description)),
                ("Keywords", str_list(&self.keywords)),
                (
                    "Maintainers",
                    Value::list(self.maintainers.iter().map(Maintainer::to_value).collect()),
                ),
                ("Icon", Value::str(&self.icon)),
                ("APIVersion", Value::str(&self.api_version)),
                ("Condition", Value::str(&self.condition)),
                ("Tags", Value::str(&self.tags)),
                ("AppVersion", Value::str(&self.app_version)),
                ("Deprecated", Value::Bool(self.deprecated)),
                ("Annotations", Value::Map(annotations)),
                ("KubeVersion", Value::str(&self.kube_version)),
                ("Dependencies", Value::list(deps)),
                ("Type", Value::str(&self.chart_type)),
            ],
        ))
    }

    /// Whether `type` is `library` (case-insensitive, as Helm's accessor
    /// checks it).
    pub fn is_library(&self) -> bool {
        self.chart_type.eq_ignore_ascii_case("library")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(entries: Vec<(&str, Value)>) -> Value {
        Value::Map(Map::from_entries(MapKind::Any, entries))
    }

    fn decode(entries: Vec<(&str, Value)>) -> Result<Metadata, String> {
        let mut d = MetadataDraft::default();
        d.apply(&doc(entries)).map_err(|e| e.to_string())?;
        if d.md.api_version.is_empty() {
            d.md.api_version = API_VERSION_V1.into();
        }
        d.validate().map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_become_strings_like_sigs_yaml() {
        let md = decode(vec![
            ("name", Value::str("c")),
            ("version", Value::Float(1.0)),
            ("appVersion", Value::Float(1.10)),
            ("kubeVersion", Value::Float(1.234_567_89)),
        ])
        .unwrap_or_default();
        assert_eq!(md.version, "1");
        assert_eq!(md.app_version, "1.1");
        assert_eq!(md.kube_version, "1.2345679");
    }

    #[test]
    fn keys_are_case_insensitive_exact_wins() {
        let md = decode(vec![
            ("NAME", Value::str("upper")),
            ("Version", Value::str("1.0.0")),
            ("APIVERSION", Value::str("v2")),
        ])
        .unwrap_or_default();
        assert_eq!(md.name, "upper");
        assert_eq!(md.api_version, "v2");
    }

    #[test]
    fn validation_errors() {
        assert_eq!(
            decode(vec![("version", Value::str("1.0.0"))])
                .err()
                .as_deref(),
            Some("validation: chart.metadata.name is required")
        );
        assert_eq!(
            decode(vec![
                ("name", Value::str("a/b")),
                ("version", Value::str("1"))
            ])
            .err()
            .as_deref(),
            Some("validation: chart.metadata.name \"a/b\" is invalid")
        );
        assert_eq!(
            decode(vec![
                ("name", Value::str("a")),
                ("version", Value::str("x.y"))
            ])
            .err()
            .as_deref(),
            Some("validation: chart.metadata.version \"x.y\" is invalid")
        );
        assert_eq!(
            decode(vec![
                ("name", Value::str("a")),
                ("version", Value::str("1")),
                ("type", Value::str("Library"))
            ])
            .err()
            .as_deref(),
            Some("validation: chart.metadata.type must be application or library")
        );
        assert_eq!(
            decode(vec![
                ("name", Value::str("a")),
                ("version", Value::str("1")),
                ("maintainers", Value::list(vec![Value::Nil]))
            ])
            .err()
            .as_deref(),
            Some("validation: maintainers must not contain empty or null nodes")
        );
    }

    #[test]
    fn type_errors_use_encoding_json_text() {
        assert_eq!(
            decode(vec![("name", Value::list(vec![]))]).err().as_deref(),
            Some("json: cannot unmarshal array into Go struct field Metadata.name of type string")
        );
        assert_eq!(
            decode(vec![("deprecated", Value::str("yes"))])
                .err()
                .as_deref(),
            Some(
                "json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"
            )
        );
    }

    #[test]
    fn sanitize_replaces_space_and_drops_controls() {
        assert_eq!(sanitize("a\nb\tc\u{7}d"), "a b cd");
    }

    #[test]
    fn chart_map_has_go_field_names() {
        let md = decode(vec![
            ("name", Value::str("c")),
            ("version", Value::str("1.0.0")),
            (
                "maintainers",
                Value::list(vec![doc(vec![("name", Value::str("m"))])]),
            ),
        ])
        .unwrap_or_default();
        let v = md.to_value();
        let m = v.as_map().cloned().unwrap_or_default();
        assert_eq!(m.len(), 17);
        assert_eq!(
            m.get("Name")
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("c")
        );
        assert_eq!(
            m.get("Annotations")
                .map(|v| v.type_name().into_owned())
                .as_deref(),
            Some("map[string]string")
        );
        let maint = m.get("Maintainers").and_then(|v| v.as_list().cloned());
        assert_eq!(maint.map(|l| l.len()), Some(1));
    }
}
