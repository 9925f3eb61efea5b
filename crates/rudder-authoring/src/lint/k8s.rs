//! The Kubernetes pieces `helm lint` uses on rendered manifests and CRDs:
//! the `YAMLOrJSONDecoder` document loop (`k8s.io/apimachinery/pkg/util/
//! yaml`) decoding into Helm's `k8sYamlStruct` (`apiVersion`, `kind`,
//! `metadata.name`/`namespace`) with `sigs.k8s.io/yaml` + `encoding/json`
//! semantics, and the object-name validators
//! (`k8s.io/apimachinery/pkg/api/validation`).

use rudder_value::Value;

/// Helm's `k8sYamlStruct`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct K8sObject {
    pub(crate) api_version: String,
    pub(crate) kind: String,
    pub(crate) namespace: String,
    pub(crate) name: String,
}

/// The JSON kind `encoding/json` names in type errors.
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

/// `sigs.k8s.io/yaml`'s conversion of a scalar for a string field: numbers
/// and booleans become their text (floats as `FormatFloat(f, 'g', -1, 32)`).
fn scalar_string(v: &Value) -> Option<String> {
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

/// `encoding/json`'s field lookup: exact name first, then ASCII
/// case-insensitive.
fn find_key(m: &rudder_value::Map, field: &str) -> Option<Value> {
    let keys = m.keys();
    let key = keys
        .iter()
        .find(|k| &***k == field)
        .or_else(|| keys.iter().find(|k| k.eq_ignore_ascii_case(field)))?;
    m.get(key)
}

const WRAP: &str = "error unmarshaling JSON: while decoding JSON: ";

fn string_field(
    m: &rudder_value::Map,
    field: &str,
    struct_name: &str,
    path: &str,
    first_err: &mut Option<String>,
) -> String {
    match find_key(m, field) {
        None | Some(Value::Nil) => String::new(),
        Some(v) => match scalar_string(&v) {
            Some(s) => s,
            None => {
                first_err.get_or_insert_with(|| {
                    format!(
                        "{WRAP}json: cannot unmarshal {} into Go struct field {struct_name}.{path} of type string",
                        json_kind(&v)
                    )
                });
                String::new()
            }
        },
    }
}

/// Decodes one YAML document into `k8sYamlStruct`: `Ok(None)` for a null
/// document, Go's error text otherwise.
pub(crate) fn decode_object(doc: &str) -> Result<Option<K8sObject>, String> {
    let v = rudder_yaml::from_yaml(doc).map_err(|e| e.to_string())?;
    let m = match v {
        Value::Nil => return Ok(None),
        Value::Map(m) => m,
        other => {
            return Err(format!(
                "{WRAP}json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                json_kind(&other)
            ));
        }
    };
    let mut err = None;
    let mut obj = K8sObject {
        api_version: string_field(&m, "apiVersion", "k8sYamlStruct", "apiVersion", &mut err),
        kind: string_field(&m, "Kind", "k8sYamlStruct", "Kind", &mut err),
        ..K8sObject::default()
    };
    match find_key(&m, "Metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(md)) => {
            obj.namespace = string_field(
                &md,
                "Namespace",
                "k8sYamlMetadata",
                "Metadata.Namespace",
                &mut err,
            );
            obj.name = string_field(&md, "Name", "k8sYamlMetadata", "Metadata.Name", &mut err);
        }
        Some(other) => {
            err.get_or_insert_with(|| {
                format!(
                    "{WRAP}json: cannot unmarshal {} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata",
                    json_kind(&other)
                )
            });
        }
    }
    match err {
        Some(e) => Err(e),
        None => Ok(Some(obj)),
    }
}

/// The Kubernetes `YAMLReader`'s documents: lines (`\r\n` or `\n`), split
/// at lines beginning with `---`; a separator followed by anything but a
/// comment is an error.
pub(crate) fn split_documents(text: &str) -> Vec<Result<String, String>> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut lines: Vec<&str> = text.split('\n').collect();
    // A final "\n" does not start another line.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for raw in lines {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                out.push(Err(format!("invalid Yaml document separator: {trimmed}")));
                return out;
            }
            if !buf.is_empty() {
                out.push(Ok(std::mem::take(&mut buf)));
            }
            continue;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        out.push(Ok(buf));
    }
    out
}

/// The decoder loop over a manifest: each document's object (or `None`
/// for an empty one), stopping at the first error.
pub(crate) fn decode_stream(text: &str) -> Vec<Result<Option<K8sObject>, String>> {
    // A stream that starts with `{` is tried as JSON first.
    let trimmed = text.trim_start();
    if trimmed.starts_with('{')
        && let Ok(v) = rudder_yaml::from_json(trimmed)
        && let Ok(y) = rudder_yaml::to_yaml(&v)
    {
        return vec![decode_object(&y)];
    }
    let mut out = Vec::new();
    for doc in split_documents(text) {
        match doc {
            Err(e) => {
                out.push(Err(e));
                return out;
            }
            Ok(d) => {
                let r = decode_object(&d);
                let stop = r.is_err();
                out.push(r);
                if stop {
                    return out;
                }
            }
        }
    }
    out
}

fn is_label(s: &str, first_alpha: bool) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    let first_ok = if first_alpha {
        first.is_ascii_lowercase()
    } else {
        first.is_ascii_lowercase() || first.is_ascii_digit()
    };
    let last = b[b.len() - 1];
    first_ok
        && (last.is_ascii_lowercase() || last.is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn is_subdomain(s: &str) -> bool {
    s.split('.').all(|l| is_label(l, false))
}

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{re}')"));
    out
}

/// `IsDNS1123Subdomain`.
pub(crate) fn dns1123_subdomain(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push("must be no more than 253 characters".to_owned());
    }
    if !is_subdomain(v) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            &format!("{LABEL_FMT}(\\.{LABEL_FMT})*"),
            &["example.com"],
        ));
    }
    errs
}

/// `IsDNS1123Label`.
pub(crate) fn dns1123_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !is_label(v, false) {
        if is_subdomain(v) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1035Label`.
pub(crate) fn dns1035_label(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !is_label(v, true) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `content.IsPathSegmentName`.
pub(crate) fn path_segment_name(v: &str) -> Vec<String> {
    for bad in [".", ".."] {
        if v == bad {
            return vec![format!("may not be '{bad}'")];
        }
    }
    ["/", "%"]
        .iter()
        .filter(|c| v.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// Helm's `validateMetadataName`: the validator for the kind, and
/// `field.ErrorList.ToAggregate` formatting of its complaints.
pub(crate) fn validate_metadata_name(obj: &K8sObject) -> Result<(), String> {
    let name = obj.name.as_str();
    let errs = match obj.kind.to_lowercase().as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment_name(name),
        _ => dns1123_subdomain(name),
    };
    if errs.is_empty() {
        return Ok(());
    }
    let quoted = rudder_value::fmt::quote(name);
    let mut msgs: Vec<String> = Vec::new();
    for e in errs {
        let m = format!("metadata.name: Invalid value: {quoted}: {e}");
        if !msgs.contains(&m) {
            msgs.push(m);
        }
    }
    let agg = if msgs.len() == 1 {
        msgs.remove(0)
    } else {
        format!("[{}]", msgs.join(", "))
    };
    Err(format!(
        "object name does not conform to Kubernetes naming requirements: {quoted}: {agg}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_split_like_the_yaml_reader() {
        let docs = split_documents("---\na: 1\n--- # c\n\n---\nb: 2\r\n");
        let docs: Vec<String> = docs.into_iter().map(|d| d.unwrap_or_default()).collect();
        assert_eq!(docs, vec!["a: 1\n", "\n", "b: 2\n"]);
        assert_eq!(
            split_documents("a: 1\n---x\n").pop(),
            Some(Err("invalid Yaml document separator: x".to_owned()))
        );
    }

    #[test]
    fn decode_k8s_struct() {
        let o = decode_object("apiVersion: v1\nKIND: Pod\nmetadata:\n  name: 12\n");
        assert_eq!(
            o,
            Ok(Some(K8sObject {
                api_version: "v1".into(),
                kind: "Pod".into(),
                namespace: String::new(),
                name: "12".into()
            }))
        );
        assert!(decode_object("- a\n").is_err());
        assert_eq!(decode_object("# only a comment\n"), Ok(None));
    }

    #[test]
    fn names() {
        let pod = |n: &str| K8sObject {
            kind: "Pod".into(),
            name: n.into(),
            ..K8sObject::default()
        };
        assert!(validate_metadata_name(&pod("web-1.a")).is_ok());
        assert!(validate_metadata_name(&pod("Web")).is_err());
        let svc = K8sObject {
            kind: "Service".into(),
            name: "1web".into(),
            ..K8sObject::default()
        };
        assert!(validate_metadata_name(&svc).is_err());
    }
}
