//! The YAML entry points the loader uses, over `rudder-yaml`: chart files
//! are bytes, the YAML layer takes text.

use rudder_value::{Map, Value};

/// yaml.v2's complaint about bytes that are not UTF-8.
const INVALID_UTF8: &str = "error converting YAML to JSON: yaml: invalid leading UTF-8 octet";

fn text(data: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(data).map_err(|_| INVALID_UTF8.to_owned())
}

/// `sigs.k8s.io/yaml.Unmarshal` into an `interface{}`, with Go's error
/// text.
pub(crate) fn parse_document(data: &[u8]) -> Result<Value, String> {
    rudder_yaml::from_yaml(text(data)?).map_err(|e| e.to_string())
}

/// Helm's `LoadValues` (multi-document, merged), with Go's error text.
pub(crate) fn parse_values(data: &[u8]) -> Result<Map, String> {
    rudder_yaml::load_values(text(data)?).map_err(|e| e.to_string())
}

/// How `sigs.k8s.io/yaml` v1.6 wraps an `encoding/json` decoding error.
pub(crate) fn decode_error_text(json_error: &str) -> String {
    format!("error unmarshaling JSON: while decoding JSON: {json_error}")
}
