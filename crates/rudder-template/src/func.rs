//! The function ABI: how injected functions are declared and called.
//!
//! Go's `text/template` calls functions through reflection, so a function's
//! *parameter types* decide what it accepts and which error a bad argument
//! gives (`wrong type for value; expected int; got float64`). A [`Function`]
//! therefore carries a [`Signature`] of Go types; the engine checks and
//! converts every argument against it (untyped constants become the
//! parameter type, named maps are converted) before calling the
//! implementation, which receives exactly the declared number of fixed
//! arguments followed by any variadic ones.
//!
//! Functions that need the engine (Helm's `include` and `tpl`) or per-render
//! host state (include counters, lint mode, a cluster client for `lookup`)
//! get them through the [`Context`] passed to every call.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use rudder_value::{Signature, Value};

use crate::error::Error;
use crate::parse::FuncTable;

/// The result of a function call.
pub type FuncResult = Result<Value, FuncError>;

/// The error a function returns (or, in Go, panics with). The engine reports
/// it as `error calling NAME: MESSAGE`.
///
/// Besides its text, a function error may wrap a template [`Error`], as
/// Helm's `include` (which returns the inner template's error itself) and
/// `tpl` (which wraps it with `%w`) do; Helm's error reformatting walks
/// that chain (see [`Error::go_chain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncError {
    repr: Repr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    /// A plain error (`errors.New`, `fmt.Errorf` without `%w`, a panic).
    Message(String),
    /// `fmt.Errorf("...: %w", err)`: its own text, then `err`'s chain.
    Wrapped(String, Box<Error>),
    /// The template error itself, returned as is.
    Transparent(Box<Error>),
}

impl FuncError {
    /// A plain error with this message.
    pub fn new(message: impl Into<String>) -> FuncError {
        FuncError {
            repr: Repr::Message(message.into()),
        }
    }

    /// An error with its own message that wraps a template error (Go's
    /// `fmt.Errorf("...: %w", err)`); `message` is the whole text.
    pub fn wrap(message: impl Into<String>, source: Error) -> FuncError {
        FuncError {
            repr: Repr::Wrapped(message.into(), Box::new(source)),
        }
    }

    /// The message, without the `error calling NAME: ` prefix.
    pub fn message(&self) -> String {
        match &self.repr {
            Repr::Message(m) | Repr::Wrapped(m, _) => m.clone(),
            Repr::Transparent(e) => e.to_string(),
        }
    }

    /// The template error this error carries, if any.
    pub fn template_error(&self) -> Option<&Error> {
        match &self.repr {
            Repr::Message(_) => None,
            Repr::Wrapped(_, e) | Repr::Transparent(e) => Some(e),
        }
    }

    pub(crate) fn push_chain(&self, out: &mut Vec<String>) {
        match &self.repr {
            Repr::Message(m) => out.push(m.clone()),
            Repr::Wrapped(m, e) => {
                out.push(m.clone());
                e.push_chain(out);
            }
            Repr::Transparent(e) => e.push_chain(out),
        }
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Message(m) | Repr::Wrapped(m, _) => f.write_str(m),
            Repr::Transparent(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for FuncError {}

impl From<String> for FuncError {
    fn from(message: String) -> FuncError {
        FuncError::new(message)
    }
}

impl From<&str> for FuncError {
    fn from(message: &str) -> FuncError {
        FuncError::new(message)
    }
}

/// A template error returned as is, as Helm's `include` does.
impl From<Error> for FuncError {
    fn from(e: Error) -> FuncError {
        FuncError {
            repr: Repr::Transparent(Box::new(e)),
        }
    }
}

/// What a function sees of the running engine.
pub trait Context {
    /// Execute the template `name` of the current set with `data` as both
    /// dot and `$`, returning its output (Helm's `include`).
    fn execute_template(&mut self, name: &str, data: Value) -> Result<String, Error>;

    /// Parse `text` as a new template called `name` on top of a copy of the
    /// current set (so it sees every define, and defines it makes are local
    /// to this call), then execute it with `data` (Helm's `tpl`).
    fn execute_text(&mut self, name: &str, text: &str, data: Value) -> Result<String, Error>;

    /// The host state attached to this execution (see
    /// [`crate::ExecOptions`]); `()` when the host attached none.
    fn host(&mut self) -> &mut dyn Any;
}

/// The signature of a function's implementation.
pub type NativeFn = dyn Fn(&mut dyn Context, Vec<Value>) -> FuncResult + Send + Sync;

/// A function that templates can call.
#[derive(Clone)]
pub struct Function {
    /// The Go parameter types.
    pub sig: Signature,
    /// The implementation. It receives the arguments already checked and
    /// converted against `sig`.
    pub imp: Arc<NativeFn>,
}

impl Function {
    /// A function with this signature and implementation.
    pub fn new<F>(sig: Signature, imp: F) -> Function
    where
        F: Fn(&mut dyn Context, Vec<Value>) -> FuncResult + Send + Sync + 'static,
    {
        Function {
            sig,
            imp: Arc::new(imp),
        }
    }
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function").field("sig", &self.sig).finish()
    }
}

/// The methods of a named map type, such as Helm's `common.Values`
/// (`YAML`, `Table`, `AsMap`, `PathValue`, `Encode`).
///
/// Go resolves `.Name` on a value by its methods before its map keys, so a
/// method shadows a key of the same name: `.Values.Table` calls
/// `Values.Table` even when the values have a `Table` key. Register the
/// methods with [`crate::Templates::set_map_methods`].
pub trait MapMethods: Send + Sync {
    /// The signature of the method `name`, if the type has one.
    fn method(&self, name: &str) -> Option<Signature>;

    /// Call the method `name` on `receiver` with arguments already checked
    /// against [`MapMethods::method`]'s signature.
    fn call(
        &self,
        ctx: &mut dyn Context,
        receiver: &rudder_value::Map,
        name: &str,
        args: Vec<Value>,
    ) -> FuncResult;
}

/// A map of function names to functions: Go's `template.FuncMap`.
///
/// Names are resolved against this map first and against the builtins
/// (`and`, `eq`, `printf`, …) second, as in Go, so a map entry shadows a
/// builtin of the same name (Sprig's `slice` shadows Go's).
#[derive(Clone, Debug, Default)]
pub struct FuncMap {
    map: HashMap<String, Function>,
    /// The parser's view of the map (with the builtins), built once per
    /// map: hosts keep their function maps and make a template set per
    /// render, and building it is a few hundred allocations.
    table: OnceLock<Arc<FuncTable>>,
}

impl FuncMap {
    /// An empty map.
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// Add or replace a function.
    pub fn insert(&mut self, name: impl Into<String>, f: Function) {
        self.table = OnceLock::new();
        self.map.insert(name.into(), f);
    }

    /// Remove a function.
    pub fn remove(&mut self, name: &str) -> Option<Function> {
        self.table = OnceLock::new();
        self.map.remove(name)
    }

    /// The function called `name`.
    pub fn get(&self, name: &str) -> Option<&Function> {
        self.map.get(name)
    }

    /// Whether a function called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Add every function of `other`, replacing those with the same name.
    pub fn extend(&mut self, other: FuncMap) {
        self.table = OnceLock::new();
        self.map.extend(other.map);
    }

    /// The parser's function table for this map.
    pub(crate) fn table(&self) -> Arc<FuncTable> {
        self.table
            .get_or_init(|| Arc::new(FuncTable::new(self)))
            .clone()
    }

    /// The function names, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Number of functions.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
