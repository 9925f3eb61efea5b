//! The error type of the authoring commands. Every `Display` text is the one
//! Helm prints after `Error: `, because scripts and users match on them.

/// Why an authoring command failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    /// The chart could not be loaded (Helm's loader texts).
    #[error("{0}")]
    Load(#[from] rudder_chart::LoadError),
    /// A file-system operation failed; the text is Go's `op path: reason`.
    #[error("{0}")]
    Io(String),
    /// `helm create`'s name check: length.
    #[error("chart name must be between 1 and {max} characters")]
    NameLength {
        /// The longest name allowed.
        max: usize,
    },
    /// `helm create`'s name check: characters.
    #[error("chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"")]
    NamePattern,
    /// A chart or directory name that would escape its directory.
    #[error("chart name {0:?} is invalid")]
    InvalidChartName(String),
    /// The target of `create` exists and is a file.
    #[error("file {0} already exists and is not a directory")]
    NotADirectory(String),
    /// The parent directory of `create` is a file.
    #[error("no such directory {0}")]
    NoSuchDirectory(String),
    /// The archive destination exists and is a file.
    #[error("is not a directory: {0}")]
    DestinationNotDirectory(String),
    /// `values.schema.json` is not JSON (Helm refuses to package it).
    #[error("invalid JSON in values.schema.json")]
    InvalidSchemaJson,
    /// A version given to `package --version` is not SemVer.
    #[error("{0}")]
    InvalidVersion(String),
    /// Chart.yaml or Chart.lock could not be serialised.
    #[error("{0}")]
    Serialize(String),
    /// A declared dependency is missing from `charts/`.
    #[error("{0}")]
    Dependencies(String),
    /// The starter chart could not be loaded.
    #[error("could not load {path}: {source}")]
    Starter {
        /// The starter's path.
        path: String,
        /// Why.
        source: Box<AuthoringError>,
    },
    /// A feature that needs what rudder does not have yet (chart
    /// repositories, a registry).
    #[error("{0}")]
    Unsupported(String),
    /// Anything else, with Helm's text.
    #[error("{0}")]
    Other(String),
}
