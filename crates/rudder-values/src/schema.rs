//! `values.schema.json` validation (Helm's `ValidateAgainstSchema`, spec
//! §2.8) with the `jsonschema` crate, and santhosh-tekuri/jsonschema v6's
//! error lines (`- at '/image/tag': got number, want string`).
//!
//! * The draft comes from `$schema` (drafts 4, 6, 7, 2019-09, 2020-12);
//!   without one it is 2020-12. `format` is asserted only for drafts 4, 6
//!   and 7, as Helm (which never turns v6's format assertion on) does.
//! * `urn:` references resolve to the permissive `true` schema, as Helm's
//!   URN loader does when no resolver answers. rudder never fetches
//!   `http(s):` or reads `file:` references: such a schema is reported as
//!   an error (Helm would fetch it).
//! * The root schema checks the whole values; each dependency's schema
//!   checks `values[<dep>]`, recursively.
//!
//! Deviation: v6 groups errors of combinators (`anyOf`, `oneOf`, `allOf`,
//! `$ref` chains) into an indented tree; here every error is one line at
//! the top level, sorted by instance path. Error kinds without a v6
//! counterpart keep the Rust crate's text.

use std::collections::HashMap;
use std::sync::Arc;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use rudder_chart::Chart;
use rudder_value::{Map, Value};
use serde_json::Value as Json;

use crate::error::ValuesError;

const SCHEMA_URL: &str = "file:///values.schema.json";

/// Helm's `ValidateAgainstSchema` followed by its wrapping in
/// `ToRenderValuesWithSchemaValidation`: `Ok` when every enabled chart's
/// schema accepts its values.
pub fn validate_schema(chart: &Chart, values: &Map) -> Result<(), ValuesError> {
    let report = validate_tree(chart, values);
    if report.is_empty() {
        return Ok(());
    }
    Err(ValuesError::Schema(format!(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
    )))
}

fn validate_tree(chart: &Chart, values: &Map) -> String {
    let mut sb = String::new();
    if let Some(schema) = &chart.schema
        && let Err(e) = validate_single(values, schema)
    {
        sb.push_str(&format!("{}:\n{e}", chart.name()));
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) => sb.push_str(&validate_tree(sub, &m)),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    sb
}

/// Refuses every external reference except `urn:`, which Helm turns into
/// the permissive `true` schema.
struct Retriever;

impl jsonschema::Retrieve for Retriever {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Json, Box<dyn std::error::Error + Send + Sync>> {
        if uri.scheme().as_str() == "urn" {
            return Ok(Json::Bool(true));
        }
        Err(format!(
            "rudder does not fetch remote schema references: {}",
            uri.as_str()
        )
        .into())
    }
}

/// Which draft a `$schema` names, and whether formats are asserted.
fn draft_of(schema: &Json) -> (jsonschema::Draft, bool) {
    let id = schema.get("$schema").and_then(Json::as_str).unwrap_or("");
    if id.contains("draft-04") {
        (jsonschema::Draft::Draft4, true)
    } else if id.contains("draft-06") {
        (jsonschema::Draft::Draft6, true)
    } else if id.contains("draft-07") {
        (jsonschema::Draft::Draft7, true)
    } else if id.contains("2019-09") {
        (jsonschema::Draft::Draft201909, false)
    } else {
        (jsonschema::Draft::Draft202012, false)
    }
}

/// Compiled validators by schema text, so rendering the same chart again
/// (an embedder rendering a loaded chart many times, the benchmarks) does
/// not recompile its schema. Bounded: it is cleared when it grows past
/// [`VALIDATOR_CACHE_SIZE`] schemas. Compilation errors are not cached.
const VALIDATOR_CACHE_SIZE: usize = 64;

type ValidatorCache = std::sync::Mutex<HashMap<Vec<u8>, Arc<jsonschema::Validator>>>;

fn compiled(schema_bytes: &[u8]) -> Result<Arc<jsonschema::Validator>, String> {
    static CACHE: std::sync::OnceLock<ValidatorCache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(map) = cache.lock()
        && let Some(v) = map.get(schema_bytes)
    {
        return Ok(v.clone());
    }
    let schema: Json = serde_json::from_slice(schema_bytes).map_err(|e| format!("{e}\n"))?;
    let (draft, formats) = draft_of(&schema);
    let validator = Arc::new(
        jsonschema::options()
            .with_draft(draft)
            .should_validate_formats(formats)
            .with_base_uri(SCHEMA_URL.to_owned())
            .with_retriever(Retriever)
            .build(&schema)
            .map_err(|e| format!("{e}\n"))?,
    );
    if let Ok(mut map) = cache.lock() {
        if map.len() >= VALIDATOR_CACHE_SIZE {
            map.clear();
        }
        map.insert(schema_bytes.to_vec(), validator.clone());
    }
    Ok(validator)
}

/// Helm's `ValidateAgainstSingleSchema`: the error text (without v6's
/// first line) plus a newline, or `Ok`.
fn validate_single(values: &Map, schema_bytes: &[u8]) -> Result<(), String> {
    let validator = compiled(schema_bytes)?;
    let instance = to_json(&Value::Map(values.clone()));
    let mut lines: Vec<(String, String)> = validator
        .iter_errors(&instance)
        .map(|e| {
            let path = e.instance_path().as_str().to_owned();
            let text = describe(e.kind(), e.instance(), &e.to_string());
            (path, text)
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    lines.sort();
    let body: Vec<String> = lines
        .into_iter()
        .map(|(path, text)| format!("- at {}: {text}", v6_quote(&path)))
        .collect();
    Err(format!("{}\n", body.join("\n")))
}

/// v6's `quote`: Go `%q` with `"` unescaped and `'` escaped, in single quotes.
fn v6_quote(s: &str) -> String {
    let q = rudder_value::fmt::quote(s);
    let inner = q[1..q.len() - 1].replace("\\\"", "\"").replace('\'', "\\'");
    format!("'{inner}'")
}

/// v6's `display` for primitive values.
fn display(v: &Json) -> String {
    match v {
        Json::String(s) => v6_quote(s),
        Json::Array(_) | Json::Object(_) => "value".to_owned(),
        other => other.to_string(),
    }
}

/// v6's JSON type names: Go integers (`--set`) are `integer`, float64s
/// (everything from YAML) are `number`.
fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) => {
            if n.is_f64() {
                "number"
            } else {
                "integer"
            }
        }
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn num(v: &Json) -> String {
    v.as_f64()
        .map(rudder_value::float::format_g)
        .unwrap_or_else(|| v.to_string())
}

/// The v6 message for an error kind.
fn describe(kind: &ValidationErrorKind, instance: &Json, fallback: &str) -> String {
    match kind {
        ValidationErrorKind::Type { kind } => {
            let want: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            format!("got {}, want {}", type_name(instance), want.join(" or "))
        }
        ValidationErrorKind::Required { property } => match property {
            Json::String(p) => format!("missing property {}", v6_quote(p)),
            other => format!("missing property {other}"),
        },
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let quoted: Vec<String> = unexpected.iter().map(|p| v6_quote(p)).collect();
            format!("additional properties {} not allowed", quoted.join(", "))
        }
        ValidationErrorKind::Enum { options } => match options.as_array() {
            Some(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
                if items.len() == 1 {
                    format!("value must be {}", display(&items[0]))
                } else {
                    let shown: Vec<String> = items.iter().map(display).collect();
                    format!("value must be one of {}", shown.join(", "))
                }
            }
            _ => "enum failed".to_owned(),
        },
        ValidationErrorKind::Constant { expected_value } => match &**expected_value {
            Json::Array(_) | Json::Object(_) => "const failed".to_owned(),
            other => format!("value must be {}", display(other)),
        },
        ValidationErrorKind::Minimum { limit } => {
            format!("minimum: got {}, want {}", num(instance), num(limit))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("maximum: got {}, want {}", num(instance), num(limit))
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!(
                "exclusiveMinimum: got {}, want {}",
                num(instance),
                num(limit)
            )
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!(
                "exclusiveMaximum: got {}, want {}",
                num(instance),
                num(limit)
            )
        }
        ValidationErrorKind::MinLength { limit } => {
            let got = instance.as_str().map_or(0, |s| s.chars().count());
            format!("minLength: got {got}, want {limit}")
        }
        ValidationErrorKind::MaxLength { limit } => {
            let got = instance.as_str().map_or(0, |s| s.chars().count());
            format!("maxLength: got {got}, want {limit}")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!(
                "minItems: got {}, want {limit}",
                instance.as_array().map_or(0, Vec::len)
            )
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!(
                "maxItems: got {}, want {limit}",
                instance.as_array().map_or(0, Vec::len)
            )
        }
        ValidationErrorKind::MinProperties { limit } => {
            format!(
                "minProperties: got {}, want {limit}",
                instance.as_object().map_or(0, |o| o.len())
            )
        }
        ValidationErrorKind::MaxProperties { limit } => {
            format!(
                "maxProperties: got {}, want {limit}",
                instance.as_object().map_or(0, |o| o.len())
            )
        }
        ValidationErrorKind::Pattern { pattern } => format!(
            "{} does not match pattern {}",
            v6_quote(instance.as_str().unwrap_or_default()),
            v6_quote(pattern)
        ),
        ValidationErrorKind::FalseSchema => "false schema".to_owned(),
        ValidationErrorKind::OneOfNotValid { .. } => "oneOf failed, none matched".to_owned(),
        ValidationErrorKind::AnyOf { .. } => "anyOf failed".to_owned(),
        ValidationErrorKind::Not { .. } => "not failed".to_owned(),
        ValidationErrorKind::UniqueItems => "items are not unique".to_owned(),
        _ => fallback.to_owned(),
    }
}

/// The values as JSON for the validator: Go integers stay integers and
/// float64s stay floats (the validator still takes `80.0` as an integer).
fn to_json(v: &Value) -> Json {
    match v {
        Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(..) => v
            .as_i64()
            .map(Json::from)
            .or_else(|| v.as_u64().map(Json::from))
            .unwrap_or(Json::Null),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => Json::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(
            m.entries()
                .iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        ),
        Value::Object(o) => o.marshal_json().map_or(Json::Null, |v| to_json(&v)),
    }
}
