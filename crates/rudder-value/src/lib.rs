//! Go-like dynamic values: the data model that flows through rudder.
//!
//! Helm charts are Go programs' data: YAML decoded into `interface{}` trees,
//! handed to `text/template`, passed through reflection-based function calls
//! and printed with `fmt`. Byte-identical output depends on reproducing the
//! Go *types* of those values, not just their contents: `{{ 3 }}` and
//! `{{ 3.0 }}` print differently, `eq .Values.n 1` fails when `n` is a
//! `float64`, `typeOf` prints `[]interface {}` or `[]string`, a missing key of a
//! `map[string]string` is `""` while one of a `map[string]interface{}` is nil.
//!
//! So [`Value`] keeps the Go type of every value:
//!
//! * [`Value::Nil`]: the nil interface (Go's untyped `nil`),
//! * [`Value::Bool`], [`Value::Int`] (with its [`IntKind`]: `int`, `int64`, …),
//!   [`Value::Float`] (`float64`), [`Value::Str`] (`string`), [`Value::Bytes`] (`[]byte`),
//! * [`Value::List`]: a slice with its element type ([`ElemType`]),
//! * [`Value::Map`]: a `map[string]T` with its [`MapKind`]. Maps are *shared and
//!   mutable* like Go maps: cloning a `Value::Map` clones the reference, so Sprig's
//!   `set`/`unset`/`merge` mutations are visible through every handle, as Helm's
//!   templates observe.
//! * [`Value::Object`]: a host object implementing [`Object`] (`.Capabilities`,
//!   `.Files`, `time.Time`, `*semver.Version`, …) with fields and methods.
//!
//! The [`fmt`] module prints values exactly as Go's `fmt` does (`%v`, `printf`),
//! and [`float`] formats floats as Go's `strconv` does; [`strconv`] parses
//! numbers as Go's does.
//!
//! Values use `Rc` and are not `Send`: one render runs on one thread, and
//! sharing maps by reference is the semantics we need. Parsed templates and
//! loaded charts do not contain `Value`s, so they can be shared across threads.
//!
//! This crate knows nothing about Helm or templates; it is the vocabulary the
//! YAML layer, the template engine and the function library share.

pub mod float;
pub mod fmt;
pub mod path;
pub mod strconv;
mod types;
mod value;

pub use types::{GoType, Signature};
pub use value::{
    ElemType, IntKind, List, Map, MapKind, Object, ObjectRepr, Str, Value, deep_equal,
};
