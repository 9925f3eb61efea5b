//! Error types. Their `Display` texts are exactly what Helm prints, because
//! charts and users see them (`fromYaml` puts them in an `Error` key, `helm
//! template` prints them), so they are part of the compatibility surface.

use thiserror::Error;

/// An error from the YAML side: parsing (`sigs.k8s.io/yaml.Unmarshal`),
/// decoding into a Go type, or marshalling (`sigs.k8s.io/yaml.Marshal`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum YamlError {
    /// yaml.v2 rejected the text (syntax, unknown anchor, bad tag value, …).
    /// `line` is the line number yaml.v2 reports (its own, sometimes odd,
    /// arithmetic), absent when it reports none.
    #[error("error converting YAML to JSON: yaml: {}{problem}", line_prefix(*.line))]
    Syntax {
        /// The line yaml.v2 prints, if any.
        line: Option<usize>,
        /// libyaml's problem text, e.g. `mapping values are not allowed in this context`.
        problem: String,
    },
    /// The YAML parsed but cannot become JSON (a null or uint64 map key, an
    /// infinite or NaN float).
    #[error("error converting YAML to JSON: {0}")]
    Convert(String),
    /// The document is valid but of the wrong JSON type for the Go target
    /// (`json: cannot unmarshal array into Go value of type map[string]interface {}`).
    #[error(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go value of type {target}"
    )]
    WrongType {
        /// The JSON kind found: `array`, `object`, `string`, `number` or `bool`.
        found: &'static str,
        /// The Go type name of the target.
        target: String,
    },
    /// The Kubernetes YAML reader rejected the stream (a `---` line followed
    /// by something other than a comment).
    #[error("error reading yaml document: {0}")]
    Reader(String),
    /// One document of a multi-document values stream failed (Helm's
    /// `LoadValues` wrapping).
    #[error("cannot unmarshal yaml document: {0}")]
    Document(Box<YamlError>),
    /// `sigs.k8s.io/yaml.Marshal` failed in its JSON step.
    #[error("error marshaling into JSON: {0}")]
    Marshal(JsonError),
    /// yaml.v2 could not re-read the JSON text (`sigs.k8s.io/yaml.JSONToYAML`).
    #[error("error converting JSON to YAML: {0}")]
    JsonToYaml(String),
    /// The value is nested deeper than rudder's recursion limit (see
    /// [`crate::MAX_DEPTH`]); Go would go on (or overflow its stack later).
    #[error("yaml: exceeded max depth of {0}")]
    TooDeep(usize),
}

fn line_prefix(line: Option<usize>) -> String {
    match line {
        Some(l) => format!("line {l}: "),
        None => String::new(),
    }
}

/// An error from Go's `encoding/json`, with its exact text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// `json.Marshal` met a value it cannot encode (`json: unsupported value: NaN`,
    /// `json: unsupported value: encountered a cycle via map[string]interface {}`).
    #[error("json: unsupported value: {0}")]
    UnsupportedValue(String),
    /// `json.Marshal` met a type it cannot encode (`json: unsupported type: func()`).
    #[error("json: unsupported type: {0}")]
    UnsupportedType(String),
    /// A host object's `MarshalJSON` failed.
    #[error("json: error calling MarshalJSON for type {type_name}: {message}")]
    Marshaler {
        /// The Go type of the object.
        type_name: String,
        /// The object's error text.
        message: String,
    },
    /// `json.Unmarshal` syntax error (`invalid character 'x' looking for beginning of value`,
    /// `unexpected end of JSON input`). `offset` is Go's `SyntaxError.Offset`.
    #[error("{message}")]
    Syntax {
        /// Go's message.
        message: String,
        /// Bytes read before the error.
        offset: usize,
    },
    /// The JSON is valid but does not fit the Go target type.
    #[error("json: cannot unmarshal {found} into Go value of type {target}")]
    WrongType {
        /// The JSON kind found: `array`, `object`, `string`, `number` or `bool`.
        found: &'static str,
        /// The Go type name of the target.
        target: String,
    },
    /// A number literal too large for a `float64`.
    #[error("json: cannot unmarshal number {0} into Go value of type float64")]
    NumberRange(String),
    /// The value is nested deeper than rudder's recursion limit.
    #[error("json: exceeded max depth of {0}")]
    TooDeep(usize),
}

/// An error from the TOML side (BurntSushi/toml v1.6 texts where we know them).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TomlError {
    /// Parse error, already formatted as BurntSushi prints it.
    #[error("{0}")]
    Parse(String),
    /// Encoder error (`toml: top-level values must be Go maps or structs`, …);
    /// Helm's `toToml` returns this text as its output.
    #[error("{0}")]
    Encode(String),
    /// The Go encoder panics here (e.g. on a nil top-level value), which
    /// fails the render instead of being returned as text.
    #[error("{0}")]
    Panic(String),
    /// Not implemented in rudder yet.
    #[error("rudder: {0} is not implemented")]
    Unsupported(&'static str),
}
