//! Parse and execution errors, displayed exactly as Go's `text/template`
//! displays them, since Helm users read (and Helm reformats) those texts.
//!
//! Helm does not just print Go's error: it walks the `errors.Unwrap` chain
//! and restructures the message when every link parses as a template error
//! (`pkg/engine/engine.go`, `reformatExecErrorMsg`). So an [`ExecError`]
//! keeps the function error that caused it, and [`Error::go_chain`] yields
//! the texts Go's `Unwrap` chain would.

use crate::func::FuncError;

/// A template error: its `Display` is Go's error text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A parse error, e.g. `template: NAME:LINE: unexpected "}" in operand`.
    #[error("{0}")]
    Parse(String),
    /// An execution error.
    #[error("{0}")]
    Exec(ExecError),
    /// An error outside any template, e.g. `template: no template "x"
    /// associated with template "gotpl"`.
    #[error("{0}")]
    Other(String),
}

/// An execution error: Go's `template.ExecError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// The full Go text, e.g. `template: NAME:LINE:COL: executing "NAME" at
    /// <.Values.x.y>: nil pointer evaluating interface {}.y`.
    pub text: String,
    /// The function error this error wraps (`error calling f: %w`), if any.
    pub source: Option<Box<FuncError>>,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Error {
    /// The texts of Go's `errors.Unwrap` chain, outermost first.
    ///
    /// An `ExecError` appears twice (the `ExecError` and the error it
    /// holds), then, when it wraps a function error, that error's chain.
    pub fn go_chain(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.push_chain(&mut out);
        out
    }

    pub(crate) fn push_chain(&self, out: &mut Vec<String>) {
        match self {
            Error::Parse(t) | Error::Other(t) => out.push(t.clone()),
            Error::Exec(e) => {
                out.push(e.text.clone());
                out.push(e.text.clone());
                if let Some(src) = &e.source {
                    src.push_chain(out);
                }
            }
        }
    }
}
