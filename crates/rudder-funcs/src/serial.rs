//! The serialising functions: Sprig's JSON family (`toJson`, `fromJson`,
//! `toPrettyJson`, `toRawJson` and their `must` versions) and Helm's
//! (`toYaml`, `mustToYaml`, `toYamlPretty`, `fromYaml`, `fromYamlArray`,
//! `toJson`, `mustToJson`, `fromJson`, `fromJsonArray`, `toToml`,
//! `mustToToml`), on top of `rudder-yaml`, which reproduces Go's encoders
//! and decoders byte for byte.
//!
//! `fromToml` decodes with [`crate::toml_de`]; its error texts have the
//! shape of BurntSushi's but not always the wording.

use rudder_template::{FuncError, FuncMap};
use rudder_value::{Map, Value};
use rudder_yaml::TomlError;

use crate::util::{A, S, def, sig};

/// Sprig's JSON encoders (Helm keeps all but `toJson`/`mustToJson`, which
/// it replaces with versions of the same output).
pub(crate) fn register_sprig(m: &mut FuncMap) {
    def(m, "toJson", sig(&[A]), |mut a| {
        Ok(Value::string(
            rudder_yaml::to_json(&a.any()?).unwrap_or_default(),
        ))
    });
    def(m, "mustToJson", sig(&[A]), |mut a| {
        rudder_yaml::to_json(&a.any()?)
            .map(Value::string)
            .map_err(|e| FuncError::new(e.to_string()))
    });
    def(m, "toPrettyJson", sig(&[A]), |mut a| {
        Ok(Value::string(
            rudder_yaml::to_json_pretty(&a.any()?).unwrap_or_default(),
        ))
    });
    def(m, "mustToPrettyJson", sig(&[A]), |mut a| {
        rudder_yaml::to_json_pretty(&a.any()?)
            .map(Value::string)
            .map_err(|e| FuncError::new(e.to_string()))
    });
    // Sprig's fromJson decodes into interface{} and drops the error.
    def(m, "fromJson", sig(&[S]), |mut a| {
        Ok(rudder_yaml::from_json(&a.str()?).unwrap_or(Value::Nil))
    });
    def(m, "mustFromJson", sig(&[S]), |mut a| {
        rudder_yaml::from_json(&a.str()?).map_err(|e| FuncError::new(e.to_string()))
    });
    // Sprig's toRawJson panics on error; the panic becomes the same error.
    for name in ["toRawJson", "mustToRawJson"] {
        def(m, name, sig(&[A]), |mut a| {
            rudder_yaml::to_json_raw(&a.any()?)
                .map(Value::string)
                .map_err(|e| FuncError::new(e.to_string()))
        });
    }
}

/// Helm's serialisers from `pkg/engine/funcs.go`.
pub(crate) fn register_helm(m: &mut FuncMap) {
    def(m, "toYaml", sig(&[A]), |mut a| {
        let out = rudder_yaml::to_yaml(&a.any()?).unwrap_or_default();
        Ok(Value::string(trim_newline(out)))
    });
    def(m, "mustToYaml", sig(&[A]), |mut a| {
        rudder_yaml::to_yaml(&a.any()?)
            .map(|s| Value::string(trim_newline(s)))
            .map_err(|e| FuncError::new(e.to_string()))
    });
    def(m, "fromYaml", sig(&[S]), |mut a| {
        let text = a.str()?;
        Ok(Value::Map(
            rudder_yaml::from_yaml_map(&text, "map[string]interface {}")
                .unwrap_or_else(|e| error_map(e.to_string())),
        ))
    });
    def(m, "fromYamlArray", sig(&[S]), |mut a| {
        let text = a.str()?;
        Ok(rudder_yaml::from_yaml_array(&text)
            .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())])))
    });
    def(m, "toYamlPretty", sig(&[A]), |mut a| {
        let out = rudder_yaml::to_yaml_pretty(&a.any()?).unwrap_or_default();
        Ok(Value::string(trim_newline(out)))
    });
    // Helm's fromJson keeps what the decoder produced and adds the error.
    def(m, "fromJson", sig(&[S]), |mut a| {
        let text = a.str()?;
        let (map, err) = rudder_yaml::from_json_map_partial(&text, "map[string]interface {}");
        if let Some(e) = err {
            map.insert("Error", Value::string(e.to_string()));
        }
        Ok(Value::Map(map))
    });
    def(m, "fromJsonArray", sig(&[S]), |mut a| {
        let text = a.str()?;
        Ok(rudder_yaml::from_json_array(&text)
            .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())])))
    });
    // toToml returns the encoder's error as its output; only an encoder
    // panic fails the render. Its output is not trimmed.
    // Helm's fromToml: the decoded map, or a map holding only "Error".
    def(m, "fromToml", sig(&[S]), |mut a| {
        Ok(Value::Map(
            crate::toml_de::from_toml(&a.str()?).unwrap_or_else(|e| {
                Map::from_entries(rudder_value::MapKind::Any, [("Error", Value::string(e))])
            }),
        ))
    });
    def(m, "toToml", sig(&[A]), |mut a| {
        match rudder_yaml::to_toml(&a.any()?) {
            Ok(s) => Ok(Value::string(s)),
            Err(e @ TomlError::Panic(_)) => Err(FuncError::new(e.to_string())),
            Err(e) => Ok(Value::string(e.to_string())),
        }
    });
    def(m, "mustToToml", sig(&[A]), |mut a| {
        rudder_yaml::to_toml(&a.any()?)
            .map(Value::string)
            .map_err(|e| FuncError::new(e.to_string()))
    });
    // Helm's mustToJson panics instead of returning the error; the text
    // reaching the user is the same.
    def(m, "mustToJson", sig(&[A]), |mut a| {
        rudder_yaml::to_json(&a.any()?)
            .map(Value::string)
            .map_err(|e| FuncError::new(e.to_string()))
    });
}

/// `{"Error": msg}`, what Helm's `fromYaml`/`fromJson` return on failure.
fn error_map(msg: String) -> Map {
    let m = Map::new();
    m.insert("Error", Value::string(msg));
    m
}

/// `strings.TrimSuffix(s, "\n")`.
fn trim_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
    }
    s
}
