//! [`ValuesError`]: what can go wrong building, coalescing or validating
//! values, each variant printing Helm's text.

use crate::strvals::StrvalsError;

/// A values failure. `Display` gives Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValuesError {
    /// A `-f` or `--set-file` file could not be read (the reader's text).
    #[error("{0}")]
    ReadFile(String),
    /// A `-f` file is not valid values YAML.
    #[error("failed to parse {path}: {message}")]
    ParseFile {
        /// The path as given.
        path: String,
        /// The YAML layer's text.
        message: String,
    },
    /// A `--set-json` `{…}` object is not valid JSON (Helm drops the detail).
    #[error("failed parsing --set-json data JSON: {0}")]
    SetJsonObject(String),
    /// A `--set-json` `key=<json>` list failed (Helm drops the detail).
    #[error("failed parsing --set-json data {0}")]
    SetJson(String),
    /// A `--set` expression failed.
    #[error("failed parsing --set data: {0}")]
    Set(StrvalsError),
    /// A `--set-string` expression failed.
    #[error("failed parsing --set-string data: {0}")]
    SetString(StrvalsError),
    /// A `--set-file` expression failed.
    #[error("failed parsing --set-file data: {0}")]
    SetFile(StrvalsError),
    /// A `--set-literal` expression failed.
    #[error("failed parsing --set-literal data: {0}")]
    SetLiteral(StrvalsError),
    /// A subchart's section of the values is not a map (coalescing).
    #[error("type mismatch on {name}: {shown}")]
    TypeMismatch {
        /// The subchart's name.
        name: String,
        /// The value as Go's `%t` prints it (`%!t(string=x)`).
        shown: String,
    },
    /// The values do not satisfy the charts' `values.schema.json`. The text
    /// is Helm's full message.
    #[error("{0}")]
    Schema(String),
}
