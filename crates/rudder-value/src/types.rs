//! Static Go types of function and method parameters.
//!
//! Go's `text/template` calls functions through reflection: each argument
//! must be *assignable* to the parameter's type, with no implicit numeric
//! conversion (a `float64` passed to an `int` parameter is an error), and
//! untyped constants are converted to the parameter type. [`GoType`]
//! describes a parameter so the engine can reproduce those rules and their
//! error texts (`wrong type for value; expected int; got float64`).

use crate::value::{ElemType, IntKind, MapKind, Value};

/// The static type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoType {
    /// `interface {}`: accepts any value, including nil.
    Any,
    /// `reflect.Value`: the builtins (`eq`, `and`, `index`, …) receive the
    /// value as it is, even invalid.
    ReflectValue,
    /// `bool`.
    Bool,
    /// An integer type.
    Int(IntKind),
    /// `float64`.
    Float64,
    /// `string`.
    String,
    /// `[]byte`.
    Bytes,
    /// `[]T`.
    List(ElemType),
    /// `map[string]T` or a named map type.
    Map(MapKind),
    /// A host object type, by its Go type name (`time.Time`, `sprig.certificate`).
    Object(&'static str),
}

impl GoType {
    /// The Go type name, as error messages print it.
    pub fn name(&self) -> String {
        match self {
            GoType::Any => "interface {}".to_owned(),
            GoType::ReflectValue => "reflect.Value".to_owned(),
            GoType::Bool => "bool".to_owned(),
            GoType::Int(k) => k.name().to_owned(),
            GoType::Float64 => "float64".to_owned(),
            GoType::String => "string".to_owned(),
            GoType::Bytes => "[]uint8".to_owned(),
            GoType::List(e) => format!("[]{}", e.name()),
            GoType::Map(k) => k.name().to_owned(),
            GoType::Object(n) => (*n).to_owned(),
        }
    }

    /// Whether a nil can stand for a value of this type (Go's `canBeNil`:
    /// interfaces, maps, slices, pointers).
    pub fn can_be_nil(&self) -> bool {
        match self {
            GoType::Any | GoType::Bytes | GoType::List(_) | GoType::Map(_) => true,
            GoType::Object(n) => n.starts_with('*'),
            _ => false,
        }
    }

    /// The zero value of the type, used when nil is passed where a nillable
    /// type is expected. Nil maps and slices are represented as empty ones.
    pub fn zero(&self) -> Value {
        match self {
            GoType::Any | GoType::ReflectValue | GoType::Object(_) => Value::Nil,
            GoType::Bool => Value::Bool(false),
            GoType::Int(k) => Value::Int(0, *k),
            GoType::Float64 => Value::Float(0.0),
            GoType::String => Value::str(""),
            GoType::Bytes => Value::Bytes(std::rc::Rc::from(&b""[..])),
            GoType::List(e) => Value::List(crate::List::typed(Vec::new(), *e)),
            GoType::Map(k) => Value::Map(crate::Map::with_kind(*k)),
        }
    }

    /// Go's `AssignableTo`: whether a (non-nil) value of `v`'s type can be
    /// passed for this type without conversion. A named map type and
    /// `map[string]interface {}` are mutually assignable.
    pub fn accepts(&self, v: &Value) -> bool {
        match (self, v) {
            (GoType::Any | GoType::ReflectValue, _) => true,
            (_, Value::Nil) => false,
            (GoType::Bool, Value::Bool(_)) => true,
            (GoType::Int(k), Value::Int(_, vk)) => k == vk,
            (GoType::Float64, Value::Float(_)) => true,
            (GoType::String, Value::Str(_)) => true,
            (GoType::Bytes, Value::Bytes(_)) => true,
            (GoType::List(e), Value::List(l)) => *e == l.elem(),
            (GoType::Map(k), Value::Map(m)) => {
                let mk = m.kind();
                mk == *k
                    || matches!(
                        (k, mk),
                        (MapKind::Any, MapKind::Named(_)) | (MapKind::Named(_), MapKind::Any)
                    )
            }
            (GoType::Object(n), Value::Object(o)) => o.type_name() == *n,
            _ => false,
        }
    }

    /// Convert an accepted value to exactly this type (a named map becomes a
    /// plain map when passed for `map[string]interface {}`, and vice versa).
    pub fn coerce(&self, v: Value) -> Value {
        match (self, v) {
            (GoType::Map(k), Value::Map(m)) if m.kind() != *k => Value::Map(m.with_kind_of(*k)),
            (_, v) => v,
        }
    }
}

/// A function or method signature: parameter types and an optional
/// variadic element type (`...T`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Fixed parameters, in order.
    pub params: Vec<GoType>,
    /// The element type of a final variadic parameter.
    pub variadic: Option<GoType>,
}

impl Signature {
    /// A signature with fixed parameters only.
    pub fn new(params: Vec<GoType>) -> Signature {
        Signature {
            params,
            variadic: None,
        }
    }

    /// A signature with fixed parameters and a variadic tail.
    pub fn variadic(params: Vec<GoType>, rest: GoType) -> Signature {
        Signature {
            params,
            variadic: Some(rest),
        }
    }

    /// The type of the `i`th argument, if the signature accepts one.
    pub fn param(&self, i: usize) -> Option<GoType> {
        self.params.get(i).copied().or(self.variadic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{List, Map};

    #[test]
    fn assignability() {
        assert!(GoType::Any.accepts(&Value::Nil));
        assert!(!GoType::String.accepts(&Value::Nil));
        assert!(!GoType::Int(IntKind::Int).accepts(&Value::Float(1.0)));
        assert!(!GoType::Int(IntKind::Int).accepts(&Value::int64(1)));
        let values = Value::Map(Map::with_kind(MapKind::Named("common.Values")));
        assert!(GoType::Map(MapKind::Any).accepts(&values));
        assert!(!GoType::Map(MapKind::String).accepts(&values));
        assert!(!GoType::List(ElemType::Any).accepts(&Value::List(List::strings(["a"]))));
        let coerced = GoType::Map(MapKind::Any).coerce(values);
        assert_eq!(coerced.type_name(), "map[string]interface {}");
    }

    #[test]
    fn names() {
        assert_eq!(GoType::List(ElemType::Any).name(), "[]interface {}");
        assert_eq!(GoType::Map(MapKind::Any).name(), "map[string]interface {}");
        assert_eq!(GoType::Int(IntKind::Int).name(), "int");
    }
}
