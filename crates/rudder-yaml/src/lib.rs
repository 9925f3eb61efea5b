//! Go-compatible YAML, JSON and TOML for rudder.
//!
//! Helm reads every values file, `fromYaml` argument and manifest head with
//! `sigs.k8s.io/yaml` (yaml.v2 with YAML 1.1 typing, then a JSON round trip)
//! and prints `toYaml` with yaml.v2's emitter. Byte-identical output needs
//! both sides reproduced exactly, quirks included:
//!
//! * [`from_yaml`] / [`load_values`]: YAML 1.1 scalars (`yes`/`on`/`y` are
//!   booleans, `0x1F`/`017`/`0o17`/`0b1`/`1_000` are integers, timestamps stay
//!   strings), every number a `float64`, keys stringified, anchors, aliases
//!   and `<<` merges, yaml.v2's error texts and line numbers.
//! * [`to_yaml`]: `sigs.k8s.io/yaml.Marshal`: the JSON step, yaml.v2's key
//!   order, quoting, literal blocks and 80-column folding.
//!
//! # Why hand-written
//!
//! * **Parsing.** The parser is a Rust re-implementation of libyaml's
//!   scanner and parser state machines (which yaml.v2 is a Go translation
//!   of), driving yaml.v2's decoding rules. An existing crate
//!   (saphyr-parser, serde-saphyr) would give the right values for most
//!   documents, but not yaml.v2's acceptance rules at the edges (tabs,
//!   1024-character simple keys, `%YAML 1.2` being refused) nor its error
//!   texts and odd line arithmetic, which Helm shows to users and which
//!   `fromYaml` puts into chart output. Following libyaml's structure
//!   gives those by construction.
//! * **Emitting.** No crate reproduces Go's YAML output: the crate survey
//!   measured the best at 58 of 75 lines (wrong quoting style, no
//!   80-column folding, Rust float formatting). The emitter here is a
//!   direct tree writer that applies libyaml's scalar analysis and writing
//!   rules for the shapes yaml.v2 produces.
//!
//! Non-goals: YAML output styles yaml.v2 never produces from plain data
//! (flow collections other than `{}`/`[]`, anchors, tags), and YAML 1.2.
//!
//! # Known gaps (each checked against Helm where it matters)
//!
//! * [`from_toml`] is not implemented and returns [`TomlError::Unsupported`].
//! * Nesting deeper than [`MAX_DEPTH`] (256) is an error; Go allows 10000.
//!   A cyclic map fails `to_json`/`to_yaml` with Go's cycle message, but so
//!   does any value nested deeper than the limit.
//! * rudder's `Value` has no nil map or nil slice: `fromJson "null"` gives an
//!   empty map where Go has a nil one (which `toJson` prints as `null`).
//! * The libyaml reader's "control characters are not allowed" check runs
//!   over the whole input first; Go checks lazily per 512-byte chunk, so an
//!   earlier syntax error can win there.
//! * Key order when two distinct YAML keys stringify alike (`1` and `"1"`)
//!   is random in Go; rudder keeps the later one.
//! * yaml.v2's key sort is `sort.Sort` with a comparator that is not always
//!   a strict weak order; rudder uses a stable merge sort, which agrees
//!   whenever the order is consistent.
//! * `toYamlPretty` of host objects uses their struct fields lower-cased
//!   (as yaml.v3 does without tags); custom YAML marshalers are not modelled.

mod decode;
mod emitter;
mod encode_v2;
mod encode_v3;
mod error;
mod fast;
mod json;
pub mod kyaml;
pub mod node;
pub mod node_emit;
mod node_parser;
mod node_scanner;
mod parser;
mod resolve;
mod scanner;
mod toml;

pub use error::{JsonError, TomlError, YamlError};
use rudder_value::{Map, Value};

/// How deep rudder lets YAML, JSON and TOML values nest before giving up
/// with an error. Go's own limits are 10000 (libyaml's flow and indent
/// stacks, encoding/json's scanner) or none; ours is far lower so that the
/// recursive decoders and encoders stay inside a 2 MiB thread stack even in
/// debug builds (measured: the YAML composer overflowed 2 MiB at 512 levels
/// in a debug build). Real values files nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 256;

/// `sigs.k8s.io/yaml.Unmarshal` into an `interface{}`: the first document of
/// `text` as a Go value (see the crate docs for the typing rules). Empty
/// input gives [`Value::Nil`].
pub fn from_yaml(text: &str) -> Result<Value, YamlError> {
    decode::from_yaml(text)
}

/// [`from_yaml`] when only some fields are needed: the same validation and
/// errors (the whole document is parsed and checked as `from_yaml` would),
/// but only the map entries on the given key paths are built, so the
/// result is `from_yaml(text)` with every other entry removed. For
/// example, `&[&["kind"], &["metadata", "name"]]` keeps `kind` (whole),
/// and of `metadata` only `name`; a value on a path that is not a map (a
/// list root, a string `metadata`) is kept whole, so its kind can be
/// reported. Rendering uses this to read a manifest's head.
pub fn from_yaml_pruned(text: &str, keep: &[&[&str]]) -> Result<Value, YamlError> {
    decode::from_yaml_pruned(text, keep)
}

/// `sigs.k8s.io/yaml.Unmarshal` into a `map[string]interface{}`-like Go
/// type named `target` (as Helm's `fromYaml` and `ReadValues` do): `null`
/// and empty input give an empty map; any other non-mapping is Go's JSON
/// type error naming `target` (e.g. `common.Values`).
pub fn from_yaml_map(text: &str, target: &str) -> Result<Map, YamlError> {
    decode::from_yaml_map(text, target)
}

/// Helm's `fromYamlArray`: unmarshal into `[]interface{}`. `null` gives an
/// empty list; a non-sequence is Go's JSON type error.
pub fn from_yaml_array(text: &str) -> Result<Value, YamlError> {
    match decode::from_yaml(text)? {
        Value::Nil => Ok(Value::list(Vec::new())),
        v @ Value::List(_) => Ok(v),
        other => Err(YamlError::WrongType {
            found: decode::json_kind(&other),
            target: "[]interface {}".to_owned(),
        }),
    }
}

/// Helm's `loader.LoadValues`: split `text` into documents like the
/// Kubernetes `YAMLReader` (lines starting with `---`), decode each into a
/// map (an empty document gives `{}`, a non-map is an error) and merge them
/// with `MergeMaps` (nested maps merge; anything else, null included,
/// replaces).
pub fn load_values(text: &str) -> Result<Map, YamlError> {
    decode::load_values(text)
}

/// Helm's `loader.MergeMaps` (exposed for callers that merge several
/// values files the same way).
pub fn merge_maps(a: &Map, b: &Map) -> Map {
    decode::merge_maps(a, b)
}

/// `sigs.k8s.io/yaml.Marshal`: the JSON step first (host objects through
/// their `marshal_json`, integral floats become ints, `-0` becomes `0`),
/// then yaml.v2's emitter. The text includes Go's trailing newline (Helm's
/// `toYaml` removes one itself).
pub fn to_yaml(v: &Value) -> Result<String, YamlError> {
    encode_v2::to_yaml(v)
}

/// `json.Marshal`: keys in byte order, `<>&` escaped as `\u003c` etc.,
/// U+2028/U+2029 escaped, `[]byte` as base64, Go's float format.
pub fn to_json(v: &Value) -> Result<String, JsonError> {
    json::to_json(v)
}

/// `json.MarshalIndent(v, "", "  ")` (Sprig's `toPrettyJson`).
pub fn to_json_pretty(v: &Value) -> Result<String, JsonError> {
    json::to_json_pretty(v)
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, trailing newline removed
/// (Sprig's `toRawJson`).
pub fn to_json_raw(v: &Value) -> Result<String, JsonError> {
    json::to_json_raw(v)
}

/// `json.Unmarshal` into `interface{}`: numbers become `float64`, objects
/// `map[string]interface{}` (last duplicate key wins), with Go's error texts
/// (`invalid character 'x' looking for beginning of value`, `unexpected end
/// of JSON input`, …).
pub fn from_json(text: &str) -> Result<Value, JsonError> {
    json::from_json(text)
}

/// `json.Unmarshal` into a `map[string]interface{}`-like Go type named
/// `target` (Helm's `fromJson`): `null` gives an empty map; another
/// non-object is Go's type error.
pub fn from_json_map(text: &str, target: &str) -> Result<Map, JsonError> {
    match from_json_map_partial(text, target) {
        (m, None) => Ok(m),
        (_, Some(e)) => Err(e),
    }
}

/// What Helm's `fromJson` works with: the map `json.Unmarshal` left behind
/// and its error, if any. On a syntax error or a non-object the map is
/// empty; on a number out of range it holds everything else decoded (that
/// number as nil), as Go's decoder does.
pub fn from_json_map_partial(text: &str, target: &str) -> (Map, Option<JsonError>) {
    match json::from_json_lenient(text) {
        Err(e) => (Map::new(), Some(e)),
        Ok((Value::Nil, err)) => (Map::new(), err),
        Ok((Value::Map(m), err)) => (m, err),
        Ok((other, _)) => (
            Map::new(),
            Some(JsonError::WrongType {
                found: decode::json_kind(&other),
                target: target.to_owned(),
            }),
        ),
    }
}

/// `json.Unmarshal` into `[]interface{}` (Helm's `fromJsonArray`): `null`
/// gives an empty list; another non-array is Go's type error.
pub fn from_json_array(text: &str) -> Result<Value, JsonError> {
    match json::from_json_lenient(text)? {
        (Value::Nil, None) => Ok(Value::list(Vec::new())),
        (v @ Value::List(_), None) => Ok(v),
        (Value::List(_) | Value::Nil, Some(e)) => Err(e),
        (other, _) => Err(JsonError::WrongType {
            found: decode::json_kind(&other),
            target: "[]interface {}".to_owned(),
        }),
    }
}

/// Helm's `toYamlPretty`: a yaml.v3 encoder with indent 2 applied to the Go
/// value directly (no JSON step): indented sequences, no folding, Go number
/// types kept (`1e+06`, `-0`). Trailing newline included, as Go gives it.
pub fn to_yaml_pretty(v: &Value) -> Result<String, YamlError> {
    encode_v3::to_yaml_pretty(v)
}

/// BurntSushi/toml v1.6 `Encoder.Encode` (Helm's `toToml`). An
/// [`TomlError::Encode`] is what Helm's `toToml` returns as text; a
/// [`TomlError::Panic`] fails the render.
pub fn to_toml(v: &Value) -> Result<String, TomlError> {
    toml::to_toml(v)
}

/// Helm's `fromToml` (BurntSushi/toml v1.6 `Unmarshal`). **Not implemented
/// yet**: always returns [`TomlError::Unsupported`].
pub fn from_toml(_text: &str) -> Result<Value, TomlError> {
    Err(TomlError::Unsupported("fromToml"))
}
