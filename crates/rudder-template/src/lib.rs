//! A Go `text/template` engine with Go 1.26's exact semantics, for rudder's
//! Helm-compatible rendering.
//!
//! Helm charts are Go templates, so byte-identical output needs Go's
//! language, not a look-alike: the same trim-marker and comment rules, the
//! same untyped-constant typing (`3` is an `int`, `3.0` a `float64`), the same
//! field resolution (methods, then fields, then map keys), the same
//! comparison rules (`eq 1.0 1` is an error), and the same error texts,
//! which Helm shows users and reformats. The lexer, parser and executor
//! follow Go's `text/template/parse/{lex,parse,node}.go` and
//! `text/template/{exec,funcs}.go` function by function; the test suite
//! checks 600 cases against real Helm 4.2.3.
//!
//! ```
//! use std::sync::Arc;
//! use rudder_template::{ExecOptions, FuncMap, Templates};
//! use rudder_value::{Map, Value};
//!
//! let mut set = Templates::new(Arc::new(FuncMap::new()));
//! set.parse("t", "{{ range $i, $v := .xs }}{{ $i }}={{ $v }} {{ end }}").unwrap();
//! let data = Map::new();
//! data.insert("xs", Value::list(vec![Value::str("a"), Value::Float(1e6)]));
//! let out = set.execute("t", Value::Map(data), &ExecOptions::default(), &mut ()).unwrap();
//! assert_eq!(out, "0=a 1=1e+06 ");
//! ```
//!
//! The pieces:
//!
//! * [`Templates`]: a set of parsed templates (Go's template namespace),
//!   `Send + Sync`; [`Templates::parse`] adds a text and its `{{define}}`s
//!   with Go's replacement rules, [`Templates::execute`] runs one.
//! * [`FuncMap`] and [`Function`]: injected functions with Go parameter
//!   types ([`Signature`]); the engine checks and converts arguments as Go's
//!   reflection does. Names are resolved when parsing (the map shadows the
//!   builtins `and`, `eq`, `index`, `printf`, …, which live here).
//! * [`Context`]: what a function sees of the running engine, for Helm's
//!   `include` (run a template of the set) and `tpl` (parse and run a text
//!   on top of the set), and the per-render host state.
//! * [`MapMethods`]: methods of named map types such as Helm's
//!   `common.Values`, which Go looks up before map keys.
//! * [`Error`]: parse and execution errors with Go's exact texts and
//!   `Unwrap` chain.
//!
//! This crate knows nothing else about Helm. Not supported (each fails with
//! an error naming it): complex number constants used as values
//! (`{{ 1i }}`), string literals whose escapes make invalid UTF-8
//! (`"\xff"`), and the builtin `slice` of a string at a byte offset inside a
//! UTF-8 sequence (Helm shadows that builtin with Sprig's anyway).

mod ast;
mod builtins;
mod error;
mod exec;
mod func;
mod lex;
mod parse;
mod rv;
mod strconv;
mod templates;

pub use error::{Error, ExecError};
pub use exec::{ExecOptions, MissingKey};
pub use func::{Context, FuncError, FuncMap, FuncResult, Function, MapMethods, NativeFn};
pub use rudder_value::{GoType, Signature, Value};
pub use templates::{Parsed, Templates};
