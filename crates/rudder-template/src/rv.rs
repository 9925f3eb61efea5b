//! [`Rv`]: a value as the executor sees it, i.e. Go's `reflect.Value` in the
//! three shapes that change behaviour.
//!
//! Go's executor distinguishes the *invalid* value (a missing key under the
//! default option, an empty pipeline result) from a *nil interface* (a
//! missing key under `missingkey=zero`, a YAML `null`), and a value read
//! from a `map[string]interface{}` or `[]interface{}` keeps the static type
//! `interface {}` until a pipeline unwraps it. Those differences are visible:
//! `.a.b` on a nil interface is `nil pointer evaluating interface {}.b` but on
//! an invalid value is silently empty; a nil interface passed directly to a
//! `string` parameter is `wrong type for value; expected string; got
//! interface {}`, an invalid one is `invalid value; expected string`.

use rudder_value::{MapKind, ObjectRepr, Value};

/// A value during execution.
#[derive(Clone, Debug)]
pub(crate) enum Rv {
    /// Go's zero `reflect.Value`.
    Invalid,
    /// A value whose static type is `interface {}`; `Value::Nil` is the nil
    /// interface.
    Iface(Value),
    /// A value of a concrete type (never `Value::Nil`).
    Plain(Value),
}

impl Rv {
    /// A concrete value; nil becomes the invalid value, as
    /// `reflect.ValueOf(nil)` does.
    pub(crate) fn plain(v: Value) -> Rv {
        if v.is_nil() {
            Rv::Invalid
        } else {
            Rv::Plain(v)
        }
    }

    /// The result of a function or method: a nil result can only have come
    /// from an interface (or pointer) return type, so it is a nil interface.
    pub(crate) fn from_result(v: Value) -> Rv {
        if v.is_nil() {
            Rv::Iface(Value::Nil)
        } else {
            Rv::Plain(v)
        }
    }

    /// An element of a map of the given kind.
    pub(crate) fn map_elem(kind: MapKind, v: Value) -> Rv {
        match kind {
            MapKind::String => Rv::plain(v),
            _ => Rv::Iface(v),
        }
    }

    /// Go's `indirectInterface`: the concrete value inside an interface, or
    /// the invalid value for a nil interface.
    pub(crate) fn unwrap_iface(self) -> Rv {
        match self {
            Rv::Iface(Value::Nil) => Rv::Invalid,
            Rv::Iface(v) => Rv::Plain(v),
            other => other,
        }
    }

    /// The concrete value, if there is one (not invalid, not a nil
    /// interface).
    pub(crate) fn value(&self) -> Option<&Value> {
        match self {
            Rv::Invalid | Rv::Iface(Value::Nil) => None,
            Rv::Iface(v) | Rv::Plain(v) => Some(v),
        }
    }

    /// The value passed to a Go function: nil for invalid and nil.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Rv::Invalid => Value::Nil,
            Rv::Iface(v) | Rv::Plain(v) => v,
        }
    }

    /// Go template truth (`isTrue(indirectInterface(v))`).
    pub(crate) fn is_true(&self) -> bool {
        self.value().is_some_and(Value::is_true)
    }
}

/// The value a host object stands for when Go would look through it: a
/// named map or slice type behaves as its underlying map or slice.
pub(crate) fn underlying(v: &Value) -> Option<Value> {
    match v {
        Value::Object(o) => match o.repr() {
            ObjectRepr::Value(inner) => Some(inner),
            ObjectRepr::Struct { .. } => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwrapping() {
        assert!(matches!(Rv::Iface(Value::Nil).unwrap_iface(), Rv::Invalid));
        assert!(matches!(
            Rv::Iface(Value::int(1)).unwrap_iface(),
            Rv::Plain(_)
        ));
        assert!(matches!(Rv::plain(Value::Nil), Rv::Invalid));
        assert!(matches!(Rv::from_result(Value::Nil), Rv::Iface(Value::Nil)));
        assert!(!Rv::Iface(Value::Nil).is_true());
        assert!(Rv::Iface(Value::int(1)).is_true());
    }
}
