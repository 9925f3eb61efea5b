//! A Go `text/template` engine with Go 1.26's exact semantics, for rudder's
//! Helm-compatible rendering.
//!
//! Helm charts are Go templates, so byte-identical output needs Go's
//! language, not a look-alike: the same trim-marker and comment rules, the
//! same untyped-constant typing (`3` is an `int`, `3.0` a `float64`), the same
//! field resolution (methods, then fields, then map keys), the same
//! comparison rules (`eq 1.0 1` is an error), and the same error texts,
//! which Helm shows users and reformats.
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
//! Functions are injected through a [`FuncMap`] (Sprig and Helm's functions
//! live in another crate); the builtins (`and`, `eq`, `index`, `printf`, …)
//! are here. This crate knows nothing about Helm except that Helm's
//! `include`/`tpl` need [`Context`].
//!
//! Not supported (each fails with an error naming it): complex number
//! constants used as values (`{{ 1i }}`), string literals whose escapes make
//! invalid UTF-8 (`"\xff"`), and `slice` of a string at a byte offset inside
//! a UTF-8 sequence.

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
