//! A Go `text/template` engine. (Under construction: see the parser and
//! executor modules as they land.)

mod error;
mod func;

pub use error::{Error, ExecError};
pub use func::{Context, FuncError, FuncMap, FuncResult, Function, NativeFn};
pub use rudder_value::{GoType, Signature, Value};
