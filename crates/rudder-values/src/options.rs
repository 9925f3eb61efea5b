//! Helm's `values.Options.MergeValues` (`pkg/cli/values/options.go`): the
//! user values built from `-f`, `--set-json`, `--set`, `--set-string`,
//! `--set-file` and `--set-literal`, applied by flag kind in that fixed
//! order (spec §2.2).

use rudder_value::Map;

use crate::error::ValuesError;
use crate::{json, strvals};

/// The values flags of `helm template`/`install`/`upgrade`, each in
/// command-line order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueOptions {
    /// `-f/--values` paths (`-` means standard input; the reader decides).
    pub value_files: Vec<String>,
    /// `--set`.
    pub values: Vec<String>,
    /// `--set-string`.
    pub string_values: Vec<String>,
    /// `--set-file`.
    pub file_values: Vec<String>,
    /// `--set-json`.
    pub json_values: Vec<String>,
    /// `--set-literal`.
    pub literal_values: Vec<String>,
}

impl ValueOptions {
    /// Builds the user values. `read_file` fetches a `-f` or `--set-file`
    /// path (including `-` for stdin and any URL the caller supports); its
    /// `Err` text is reported as Helm reports the read error.
    ///
    /// `--set-file` contents that are not UTF-8 are converted lossily (Go
    /// keeps the raw bytes in its string).
    pub fn merge_values(
        &self,
        read_file: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    ) -> Result<Map, ValuesError> {
        let mut base = Map::new();
        for path in &self.value_files {
            let raw = read_file(path).map_err(ValuesError::ReadFile)?;
            let text = String::from_utf8(raw).map_err(|_| ValuesError::ParseFile {
                path: path.clone(),
                message: "error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
                    .to_owned(),
            })?;
            let current = rudder_yaml::load_values(&text).map_err(|e| ValuesError::ParseFile {
                path: path.clone(),
                message: e.to_string(),
            })?;
            base = rudder_yaml::merge_maps(&base, &current);
        }
        for value in &self.json_values {
            let trimmed = value.trim_matches(char::is_whitespace);
            if trimmed.starts_with('{') {
                match json::unmarshal_object(trimmed) {
                    Ok(Some(m)) => base = rudder_yaml::merge_maps(&base, &m),
                    Ok(None) => base = rudder_yaml::merge_maps(&base, &Map::new()),
                    Err(_) => return Err(ValuesError::SetJsonObject(value.clone())),
                }
            } else if strvals::parse_set_json(value, &base).is_err() {
                return Err(ValuesError::SetJson(value.clone()));
            }
        }
        for value in &self.values {
            strvals::parse_set(value, &base).map_err(ValuesError::Set)?;
        }
        for value in &self.string_values {
            strvals::parse_set_string(value, &base).map_err(ValuesError::SetString)?;
        }
        let read_text = |path: &str| -> Result<String, String> {
            read_file(path).map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        for value in &self.file_values {
            strvals::parse_set_file(value, &base, &read_text).map_err(ValuesError::SetFile)?;
        }
        for value in &self.literal_values {
            strvals::parse_set_literal(value, &base).map_err(ValuesError::SetLiteral)?;
        }
        Ok(base)
    }
}
