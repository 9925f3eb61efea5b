//! The [`Value`] enum, its containers and the host-object trait.

use std::any::Any;
use std::borrow::Cow;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::fmt as stdfmt;
use std::rc::Rc;

use crate::types::Signature;

/// An immutable, cheaply cloned string.
pub type Str = Rc<str>;

/// The Go integer type of a [`Value::Int`].
///
/// Unsigned kinds store their bits in the `i64`; read them with
/// [`Value::as_u64`]. `int` is what Go template literals and `len` produce,
/// `int64` what `--set` and Sprig's math produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// Go `int`.
    Int,
    /// Go `int8`.
    Int8,
    /// Go `int16`.
    Int16,
    /// Go `int32` (also `rune`).
    Int32,
    /// Go `int64`.
    Int64,
    /// Go `uint`.
    Uint,
    /// Go `uint8` (also `byte`).
    Uint8,
    /// Go `uint16`.
    Uint16,
    /// Go `uint32`.
    Uint32,
    /// Go `uint64`.
    Uint64,
    /// Go `uintptr`.
    Uintptr,
}

impl IntKind {
    /// The Go type name, as `%T` prints it.
    pub fn name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int8 => "int8",
            IntKind::Int16 => "int16",
            IntKind::Int32 => "int32",
            IntKind::Int64 => "int64",
            IntKind::Uint => "uint",
            IntKind::Uint8 => "uint8",
            IntKind::Uint16 => "uint16",
            IntKind::Uint32 => "uint32",
            IntKind::Uint64 => "uint64",
            IntKind::Uintptr => "uintptr",
        }
    }

    /// Whether this is one of the unsigned kinds.
    pub fn is_unsigned(self) -> bool {
        matches!(
            self,
            IntKind::Uint
                | IntKind::Uint8
                | IntKind::Uint16
                | IntKind::Uint32
                | IntKind::Uint64
                | IntKind::Uintptr
        )
    }

    /// The number of bits of the type (`int` and `uint` are 64-bit, as on
    /// every platform Helm ships for).
    pub fn bits(self) -> u32 {
        match self {
            IntKind::Int8 | IntKind::Uint8 => 8,
            IntKind::Int16 | IntKind::Uint16 => 16,
            IntKind::Int32 | IntKind::Uint32 => 32,
            _ => 64,
        }
    }

    /// Whether `v` (a mathematical integer) fits this type.
    pub fn fits(self, v: i128) -> bool {
        let bits = self.bits();
        if self.is_unsigned() {
            v >= 0 && v <= (u64::MAX >> (64 - bits)) as i128
        } else {
            let max = (i64::MAX >> (64 - bits)) as i128;
            v >= -max - 1 && v <= max
        }
    }
}

/// The element type of a [`List`] (`[]T`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemType {
    /// `[]interface {}`: what YAML, `list` and most Sprig functions produce.
    Any,
    /// `[]string`: `splitList`, `sortAlpha`, `keys`, `regexFindAll`, …
    String,
    /// `[]int`: `until`, `untilStep`.
    Int,
    /// `[]int64`.
    Int64,
    /// `[]float64`.
    Float64,
    /// `[]bool`.
    Bool,
    /// `[][]interface {}`: `chunk`.
    AnyList,
    /// `[]map[string]interface {}`: TOML arrays of tables (`fromToml`).
    AnyMap,
}

impl ElemType {
    /// The Go name of the element type.
    pub fn name(self) -> &'static str {
        match self {
            ElemType::Any => "interface {}",
            ElemType::String => "string",
            ElemType::Int => "int",
            ElemType::Int64 => "int64",
            ElemType::Float64 => "float64",
            ElemType::Bool => "bool",
            ElemType::AnyList => "[]interface {}",
            ElemType::AnyMap => "map[string]interface {}",
        }
    }

    /// The zero value of the element type.
    pub fn zero(self) -> Value {
        match self {
            ElemType::Any | ElemType::AnyList | ElemType::AnyMap => Value::Nil,
            ElemType::String => Value::Str(Str::from("")),
            ElemType::Int => Value::Int(0, IntKind::Int),
            ElemType::Int64 => Value::Int(0, IntKind::Int64),
            ElemType::Float64 => Value::Float(0.0),
            ElemType::Bool => Value::Bool(false),
        }
    }
}

/// The Go type of a [`Map`]. Keys are always strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKind {
    /// `map[string]interface {}`.
    Any,
    /// A named type whose underlying type is `map[string]interface {}`
    /// (Helm's `common.Values`). It is assignable to and from
    /// `map[string]interface {}` parameters, but a Go type assertion to
    /// `map[string]interface{}` fails on it.
    Named(&'static str),
    /// `map[string]string`: missing keys read as `""`.
    String,
}

impl MapKind {
    /// The Go type name, as `%T` prints it.
    pub fn name(self) -> &'static str {
        match self {
            MapKind::Any => "map[string]interface {}",
            MapKind::Named(n) => n,
            MapKind::String => "map[string]string",
        }
    }

    /// The value a missing key reads as (Go's zero value of the element type).
    pub fn zero(self) -> Value {
        match self {
            MapKind::String => Value::Str(Str::from("")),
            _ => Value::Nil,
        }
    }
}

/// A Go slice: immutable items plus the element type.
///
/// Sprig never mutates a slice in place (`append` copies), so the items are
/// shared behind an `Rc` and cloning is cheap.
#[derive(Clone)]
pub struct List {
    items: Rc<Vec<Value>>,
    elem: ElemType,
}

impl List {
    /// A `[]interface {}` of the given items.
    pub fn new(items: Vec<Value>) -> List {
        List {
            items: Rc::new(items),
            elem: ElemType::Any,
        }
    }

    /// A slice of the given element type.
    pub fn typed(items: Vec<Value>, elem: ElemType) -> List {
        List {
            items: Rc::new(items),
            elem,
        }
    }

    /// A `[]string`.
    pub fn strings<I, S>(items: I) -> List
    where
        I: IntoIterator<Item = S>,
        S: Into<Str>,
    {
        List::typed(
            items.into_iter().map(|s| Value::Str(s.into())).collect(),
            ElemType::String,
        )
    }

    /// The element type.
    pub fn elem(&self) -> ElemType {
        self.elem
    }

    /// The same items viewed as another slice type (used for Go conversions).
    pub fn with_elem(&self, elem: ElemType) -> List {
        List {
            items: self.items.clone(),
            elem,
        }
    }

    /// The items.
    pub fn items(&self) -> &[Value] {
        &self.items
    }

    /// The items as a shared vector.
    pub fn items_rc(&self) -> &Rc<Vec<Value>> {
        &self.items
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item at `i`.
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.items.get(i)
    }

    /// Iterate over the items.
    pub fn iter(&self) -> std::slice::Iter<'_, Value> {
        self.items.iter()
    }

    /// The Go type name, e.g. `[]interface {}`.
    pub fn type_name(&self) -> String {
        format!("[]{}", self.elem.name())
    }
}

impl stdfmt::Debug for List {
    fn fmt(&self, f: &mut stdfmt::Formatter<'_>) -> stdfmt::Result {
        f.debug_list().entries(self.items.iter()).finish()
    }
}

/// A Go map with string keys, shared by reference like Go's maps.
///
/// Keys are kept in byte order, which is the order Go's `fmt`, `range` and
/// `encoding/json` observe.
///
/// Borrowing: accessors borrow the inner `RefCell` only for their own
/// duration. Code that holds a [`Map::borrow`] must not mutate any map while
/// holding it (the same map may be reachable twice, as in `merge $m $m`).
#[derive(Clone)]
pub struct Map {
    inner: Rc<RefCell<BTreeMap<Str, Value>>>,
    kind: MapKind,
}

impl Default for Map {
    fn default() -> Self {
        Map::new()
    }
}

impl Map {
    /// A new empty `map[string]interface {}`.
    pub fn new() -> Map {
        Map::with_kind(MapKind::Any)
    }

    /// A new empty map of the given kind.
    pub fn with_kind(kind: MapKind) -> Map {
        Map {
            inner: Rc::new(RefCell::new(BTreeMap::new())),
            kind,
        }
    }

    /// A map of the given kind holding these entries.
    pub fn from_entries<I, K>(kind: MapKind, entries: I) -> Map
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<Str>,
    {
        Map {
            inner: Rc::new(RefCell::new(
                entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            )),
            kind,
        }
    }

    /// The map's Go type.
    pub fn kind(&self) -> MapKind {
        self.kind
    }

    /// The same map (same storage) viewed as another map type, as a Go
    /// conversion between `common.Values` and `map[string]interface{}` does.
    pub fn with_kind_of(&self, kind: MapKind) -> Map {
        Map {
            inner: self.inner.clone(),
            kind,
        }
    }

    /// The value at `key`, if present.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.inner.borrow().get(key).cloned()
    }

    /// The value at `key`, or the zero value of the element type.
    pub fn get_or_zero(&self, key: &str) -> Value {
        self.get(key).unwrap_or_else(|| self.kind.zero())
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.inner.borrow().contains_key(key)
    }

    /// Set `key` to `value`, returning the previous value.
    pub fn insert(&self, key: impl Into<Str>, value: Value) -> Option<Value> {
        self.inner.borrow_mut().insert(key.into(), value)
    }

    /// Remove `key`, returning its value.
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.inner.borrow_mut().remove(key)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.inner.borrow().len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.inner.borrow().is_empty()
    }

    /// The keys, in byte order.
    pub fn keys(&self) -> Vec<Str> {
        self.inner.borrow().keys().cloned().collect()
    }

    /// A snapshot of the entries, in byte order. Safe to hold while mutating
    /// any map.
    pub fn entries(&self) -> Vec<(Str, Value)> {
        self.inner
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Borrow the entries for reading. See the type docs on borrowing.
    pub fn borrow(&self) -> Ref<'_, BTreeMap<Str, Value>> {
        self.inner.borrow()
    }

    /// Borrow the entries for writing. See the type docs on borrowing.
    pub fn borrow_mut(&self) -> RefMut<'_, BTreeMap<Str, Value>> {
        self.inner.borrow_mut()
    }

    /// Whether both handles refer to the same map.
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }

    /// A recursive copy: nested maps are copied too, so the result shares no
    /// map with `self`. Lists are copied when they contain maps.
    pub fn deep_copy(&self) -> Map {
        let entries = self
            .entries()
            .into_iter()
            .map(|(k, v)| (k, v.deep_copy()))
            .collect::<BTreeMap<_, _>>();
        Map {
            inner: Rc::new(RefCell::new(entries)),
            kind: self.kind,
        }
    }

    /// A shallow copy: a new map with the same entries.
    pub fn shallow_copy(&self) -> Map {
        Map {
            inner: Rc::new(RefCell::new(self.inner.borrow().clone())),
            kind: self.kind,
        }
    }
}

impl stdfmt::Debug for Map {
    fn fmt(&self, f: &mut stdfmt::Formatter<'_>) -> stdfmt::Result {
        match self.inner.try_borrow() {
            Ok(m) => f.debug_map().entries(m.iter()).finish(),
            Err(_) => f.write_str("{<borrowed>}"),
        }
    }
}

/// How a host object looks to `fmt` and `reflect.DeepEqual`.
pub enum ObjectRepr {
    /// A Go struct, printed `{f1 f2}` (`%+v`: `{Name:f1 …}`), prefixed with
    /// `&` at the top level when `pointer` is set.
    Struct {
        /// Whether the Go value is a pointer to the struct.
        pointer: bool,
        /// Field names and values, in declaration order.
        fields: Vec<(&'static str, Value)>,
    },
    /// The object prints and compares like this plain value (e.g. a named map
    /// or slice type such as Helm's `engine.files` or `common.VersionSet`).
    Value(Value),
}

/// A host object: a Go value with a named type, fields and methods, such as
/// Helm's `.Capabilities`, `.Files`, Sprig's `time.Time` or `*semver.Version`.
///
/// The template engine resolves `.Name` on an object by trying
/// [`Object::method`] first, then [`Object::field`], as Go does.
pub trait Object: Any {
    /// The Go type name, as `%T` and Sprig's `typeOf` print it
    /// (e.g. `*common.Capabilities`, `time.Time`).
    fn type_name(&self) -> &str;

    /// How `fmt` prints the object and how `DeepEqual` compares it.
    fn repr(&self) -> ObjectRepr;

    /// The `reflect.Kind` name, as Sprig's `kindOf` prints it.
    fn kind_name(&self) -> &'static str {
        match self.repr() {
            ObjectRepr::Struct { pointer: true, .. } => "ptr",
            ObjectRepr::Struct { pointer: false, .. } => "struct",
            ObjectRepr::Value(v) => v.kind_name(),
        }
    }

    /// The result of Go's `String()` or `Error()` method, if the type has one.
    /// `fmt` uses it for the verbs `%v %s %q %x %X`.
    fn stringer(&self) -> Option<String> {
        None
    }

    /// The signature of the method `name`, if the type has one.
    fn method(&self, _name: &str) -> Option<Signature> {
        None
    }

    /// Call the method `name` with arguments already checked against
    /// [`Object::method`]'s signature. An `Err` is the Go method's error (or
    /// panic) text.
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Err(format!("can't call method/function {name:?}"))
    }

    /// The field `name`, if the type has one. The default reads the fields
    /// of [`Object::repr`].
    fn field(&self, name: &str) -> Option<Value> {
        match self.repr() {
            ObjectRepr::Struct { fields, .. } => {
                fields.into_iter().find(|(n, _)| *n == name).map(|(_, v)| v)
            }
            ObjectRepr::Value(_) => None,
        }
    }

    /// Go truthiness (`if`): pointers and structs are true. The default
    /// follows [`Object::repr`].
    fn is_true(&self) -> bool {
        match self.repr() {
            ObjectRepr::Struct { .. } => true,
            ObjectRepr::Value(v) => v.is_true(),
        }
    }

    /// How `encoding/json` sees the object, as a plain value tree (maps,
    /// lists, strings, numbers). The default marshals struct fields under
    /// their Go names, as a struct without json tags does.
    fn marshal_json(&self) -> Result<Value, String> {
        match self.repr() {
            ObjectRepr::Struct { fields, .. } => {
                Ok(Value::Map(Map::from_entries(MapKind::Any, fields)))
            }
            ObjectRepr::Value(v) => Ok(v),
        }
    }

    /// Access to the concrete type, for functions that take it as a
    /// parameter (`date` takes a `time.Time`).
    fn as_any(&self) -> &dyn Any;
}

/// A Go value as Helm templates see it. See the crate docs.
#[derive(Clone)]
pub enum Value {
    /// The nil interface.
    Nil,
    /// `bool`.
    Bool(bool),
    /// Any Go integer type; unsigned kinds store their bits.
    Int(i64, IntKind),
    /// `float64`.
    Float(f64),
    /// `string`.
    Str(Str),
    /// `[]byte`.
    Bytes(Rc<[u8]>),
    /// A slice.
    List(List),
    /// A map with string keys.
    Map(Map),
    /// A host object.
    Object(Rc<dyn Object>),
}

impl stdfmt::Debug for Value {
    fn fmt(&self, f: &mut stdfmt::Formatter<'_>) -> stdfmt::Result {
        match self {
            Value::Nil => f.write_str("nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i, k) => write!(f, "{}({})", k.name(), i),
            Value::Float(x) => write!(f, "float64({x})"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "[]byte({b:?})"),
            Value::List(l) => l.fmt(f),
            Value::Map(m) => m.fmt(f),
            Value::Object(o) => write!(f, "<{}>", o.type_name()),
        }
    }
}

impl Value {
    /// A Go `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntKind::Int)
    }

    /// A Go `int64`.
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntKind::Int64)
    }

    /// A Go `string`.
    pub fn str(s: &str) -> Value {
        Value::Str(Str::from(s))
    }

    /// A Go `string` from an owned `String`.
    pub fn string(s: String) -> Value {
        Value::Str(Str::from(s))
    }

    /// A `[]interface {}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    /// A host object.
    pub fn object<O: Object>(o: O) -> Value {
        Value::Object(Rc::new(o))
    }

    /// Whether this is the nil interface.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The Go type name, as `%T` prints it (`<nil>` for nil).
    pub fn type_name(&self) -> Cow<'_, str> {
        match self {
            Value::Nil => Cow::Borrowed("<nil>"),
            Value::Bool(_) => Cow::Borrowed("bool"),
            Value::Int(_, k) => Cow::Borrowed(k.name()),
            Value::Float(_) => Cow::Borrowed("float64"),
            Value::Str(_) => Cow::Borrowed("string"),
            Value::Bytes(_) => Cow::Borrowed("[]uint8"),
            Value::List(l) => Cow::Owned(l.type_name()),
            Value::Map(m) => Cow::Borrowed(m.kind().name()),
            Value::Object(o) => Cow::Owned(o.type_name().to_owned()),
        }
    }

    /// The `reflect.Kind` name, as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, k) => k.name(),
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind_name(),
        }
    }

    /// Go template truthiness: false, 0, "", empty collections and nil are
    /// false; structs and non-nil pointers are true.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.is_true(),
        }
    }

    /// The string, if this is a `string`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The map, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if this is a slice.
    pub fn as_list(&self) -> Option<&List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The integer as `i64` if this is a signed integer, or an unsigned one
    /// that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i, k) if !k.is_unsigned() || *i >= 0 => Some(*i),
            _ => None,
        }
    }

    /// The integer as `u64` if this is an unsigned integer, or a
    /// non-negative signed one.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(i, k) if k.is_unsigned() => Some(*i as u64),
            Value::Int(i, _) if *i >= 0 => Some(*i as u64),
            _ => None,
        }
    }

    /// The integer as an exact `i128`, whatever its kind.
    pub fn as_i128(&self) -> Option<i128> {
        match self {
            Value::Int(i, k) if k.is_unsigned() => Some(*i as u64 as i128),
            Value::Int(i, _) => Some(*i as i128),
            _ => None,
        }
    }

    /// The float, if this is a `float64`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The host object downcast to `T`, if it is one.
    pub fn downcast<T: Object>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// A recursive copy that shares no map with `self`.
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Map(m) => Value::Map(m.deep_copy()),
            Value::List(l)
                if l.iter()
                    .any(|v| matches!(v, Value::Map(_) | Value::List(_))) =>
            {
                Value::List(List::typed(
                    l.iter().map(Value::deep_copy).collect(),
                    l.elem(),
                ))
            }
            other => other.clone(),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::Str(s)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(m)
    }
}

impl From<List> for Value {
    fn from(l: List) -> Value {
        Value::List(l)
    }
}

/// Go's `reflect.DeepEqual`: same types and deeply equal contents.
///
/// `int(1)` and `int64(1)` differ, as do `float64(1)` and `int(1)`; a
/// `[]string` never equals a `[]interface {}`. NaN is not equal to itself.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, kx), Value::Int(y, ky)) => kx == ky && x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem() == y.elem()
                && x.len() == y.len()
                && (Rc::ptr_eq(x.items_rc(), y.items_rc())
                    || x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.kind() != y.kind() {
                return false;
            }
            if x.ptr_eq(y) {
                return true;
            }
            let (ex, ey) = (x.entries(), y.entries());
            ex.len() == ey.len()
                && ex
                    .iter()
                    .zip(ey.iter())
                    .all(|((kx, vx), (ky, vy))| kx == ky && deep_equal(vx, vy))
        }
        (Value::Object(x), Value::Object(y)) => {
            if Rc::ptr_eq(x, y) {
                return true;
            }
            if x.type_name() != y.type_name() {
                return false;
            }
            match (x.repr(), y.repr()) {
                (ObjectRepr::Struct { fields: fx, .. }, ObjectRepr::Struct { fields: fy, .. }) => {
                    fx.len() == fy.len()
                        && fx
                            .iter()
                            .zip(fy.iter())
                            .all(|((_, p), (_, q))| deep_equal(p, q))
                }
                (ObjectRepr::Value(p), ObjectRepr::Value(q)) => deep_equal(&p, &q),
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_are_shared_by_reference() {
        let m = Map::new();
        let v = Value::Map(m.clone());
        m.insert("a", Value::int(1));
        assert_eq!(v.as_map().map(Map::len), Some(1));
        let copy = m.deep_copy();
        copy.insert("b", Value::int(2));
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn type_names_follow_go() {
        assert_eq!(Value::Nil.type_name(), "<nil>");
        assert_eq!(Value::int64(1).type_name(), "int64");
        assert_eq!(Value::list(vec![]).type_name(), "[]interface {}");
        assert_eq!(Value::List(List::strings(["a"])).type_name(), "[]string");
        assert_eq!(
            Value::Map(Map::with_kind(MapKind::Named("common.Values"))).type_name(),
            "common.Values"
        );
        assert_eq!(Value::Bytes(Rc::from(&b"x"[..])).kind_name(), "slice");
    }

    #[test]
    fn deep_equal_is_typed() {
        assert!(!deep_equal(&Value::int(1), &Value::int64(1)));
        assert!(!deep_equal(&Value::Float(1.0), &Value::int(1)));
        assert!(deep_equal(
            &Value::list(vec![Value::str("a")]),
            &Value::list(vec![Value::str("a")])
        ));
        assert!(!deep_equal(
            &Value::List(List::strings(["a"])),
            &Value::list(vec![Value::str("a")])
        ));
        assert!(!deep_equal(
            &Value::Float(f64::NAN),
            &Value::Float(f64::NAN)
        ));
    }

    #[test]
    fn truthiness() {
        assert!(!Value::Nil.is_true());
        assert!(!Value::Float(0.0).is_true());
        assert!(!Value::str("").is_true());
        assert!(Value::str("0").is_true());
        assert!(!Value::Map(Map::new()).is_true());
    }

    #[test]
    fn int_kind_ranges() {
        assert!(IntKind::Uint8.fits(255));
        assert!(!IntKind::Uint8.fits(256));
        assert!(IntKind::Int8.fits(-128));
        assert!(!IntKind::Int8.fits(-129));
        assert!(IntKind::Uint64.fits(u64::MAX as i128));
        assert!(!IntKind::Uint64.fits(-1));
    }
}
