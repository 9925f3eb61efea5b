//! Go's builtin template functions (`funcs.go`): comparison, `index`,
//! `slice`, `len`, `not`, the `fmt` printers, the escapers and `call`.
//!
//! `and` and `or` short-circuit, so the executor evaluates them itself.
//! Most builtins take Go `reflect.Value` parameters, so they receive
//! arguments as [`Rv`] and see the invalid value and nil interfaces as Go
//! does (`len` of a nil interface is `len of nil pointer`, of an invalid
//! value a reflection panic).

use std::fmt::Write as _;

use rudder_value::{ElemType, GoType, IntKind, List, ObjectRepr, Value, deep_equal};

use crate::ast::Builtin;
use crate::rv::{Rv, underlying};

const RV1: &[GoType] = &[GoType::ReflectValue];
const RV2: &[GoType] = &[GoType::ReflectValue, GoType::ReflectValue];
const STR1: &[GoType] = &[GoType::String];

/// A builtin's parameters: the fixed ones and the variadic element type.
pub(crate) fn signature(b: Builtin) -> (&'static [GoType], Option<GoType>) {
    match b {
        Builtin::And
        | Builtin::Or
        | Builtin::Eq
        | Builtin::Index
        | Builtin::Slice
        | Builtin::Call => (RV1, Some(GoType::ReflectValue)),
        Builtin::Not | Builtin::Len => (RV1, None),
        Builtin::Ne | Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => (RV2, None),
        Builtin::Print | Builtin::Println | Builtin::Html | Builtin::Js | Builtin::Urlquery => {
            (&[], Some(GoType::Any))
        }
        Builtin::Printf => (STR1, Some(GoType::Any)),
    }
}

/// Call a builtin other than `and`/`or` with checked arguments.
/// `callee` is the name `call` reports for its first argument.
pub(crate) fn call(b: Builtin, args: Vec<Rv>, callee: &str) -> Result<Rv, String> {
    match b {
        Builtin::Print | Builtin::Println | Builtin::Printf => {
            let vals: Vec<Value> = args.into_iter().map(Rv::into_value).collect();
            let s = match b {
                Builtin::Print => rudder_value::fmt::sprint(&vals),
                Builtin::Println => rudder_value::fmt::sprintln(&vals),
                _ => {
                    let format = match vals.first() {
                        Some(Value::Str(s)) => s.clone(),
                        _ => "".into(),
                    };
                    rudder_value::fmt::sprintf(&format, vals.get(1..).unwrap_or(&[]))
                }
            };
            return Ok(Rv::Plain(Value::string(s)));
        }
        Builtin::Html | Builtin::Js | Builtin::Urlquery => {
            let s = eval_args(args);
            let out = match b {
                Builtin::Html => html_escape(&s),
                Builtin::Js => js_escape(&s),
                _ => query_escape(&s),
            };
            return Ok(Rv::Plain(Value::string(out)));
        }
        _ => {}
    }
    let mut it = args.into_iter();
    let first = it.next().unwrap_or(Rv::Invalid);
    match b {
        Builtin::Not => Ok(Rv::Plain(Value::Bool(!first.is_true()))),
        Builtin::Len => length(first).map(|n| Rv::Plain(Value::int(n as i64))),
        Builtin::Index => index(first, it.collect()),
        Builtin::Slice => slice(first, it.collect()),
        Builtin::Eq => eq(first, it.collect()).map(|b| Rv::Plain(Value::Bool(b))),
        Builtin::Ne => {
            let second = it.next().unwrap_or(Rv::Invalid);
            eq(first, vec![second]).map(|b| Rv::Plain(Value::Bool(!b)))
        }
        Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => {
            let second = it.next().unwrap_or(Rv::Invalid);
            let r = match b {
                Builtin::Lt => lt(&first, &second)?,
                Builtin::Le => le(&first, &second)?,
                Builtin::Gt => !le(&first, &second)?,
                _ => !lt(&first, &second)?,
            };
            Ok(Rv::Plain(Value::Bool(r)))
        }
        Builtin::Call => call_value(first, callee),
        // `and` and `or` short-circuit, so the executor evaluates them; the
        // printers were handled above.
        _ => Err(format!(
            "internal error: builtin {b:?} called as a plain function"
        )),
    }
}

fn type_name(v: &Value) -> String {
    v.type_name().into_owned()
}

/// Go's `basicKind`, with the kinds `eq`/`lt` distinguish.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    String,
}

/// The comparable scalar a value stands for (named scalar types compare as
/// their underlying type).
fn scalar(v: Option<&Value>) -> Option<Value> {
    match v {
        Some(Value::Object(_)) => v.and_then(underlying),
        Some(other) => Some(other.clone()),
        None => None,
    }
}

fn basic_kind(v: &Option<Value>) -> Kind {
    match v {
        Some(Value::Bool(_)) => Kind::Bool,
        Some(Value::Int(_, k)) if k.is_unsigned() => Kind::Uint,
        Some(Value::Int(..)) => Kind::Int,
        Some(Value::Float(_)) => Kind::Float,
        Some(Value::Str(_)) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Option<Value>) -> i64 {
    match v {
        Some(Value::Int(i, _)) => *i,
        _ => 0,
    }
}

fn uint_of(v: &Option<Value>) -> u64 {
    match v {
        Some(Value::Int(i, _)) => *i as u64,
        _ => 0,
    }
}

fn float_of(v: &Option<Value>) -> f64 {
    match v {
        Some(Value::Float(f)) => *f,
        _ => 0.0,
    }
}

fn str_of(v: &Option<Value>) -> &str {
    match v {
        Some(Value::Str(s)) => s,
        _ => "",
    }
}

fn bool_of(v: &Option<Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// The `reflect.Kind` name used to decide whether two non-basic values can
/// be compared at all.
fn reflect_kind(v: Option<&Value>) -> &'static str {
    match v {
        None => "invalid",
        Some(v) => v.kind_name(),
    }
}

fn fmt_s(v: &Value) -> String {
    rudder_value::fmt::sprintf("%s", std::slice::from_ref(v))
}

/// Go's error for comparing values of different basic kinds.
fn incompatible(a: &Value, b: &Value) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    )
}

/// `eq arg1 arg2...`: whether `arg1` equals any of the others.
fn eq(arg1: Rv, others: Vec<Rv>) -> Result<bool, String> {
    let a1 = arg1.value().cloned();
    if others.is_empty() {
        return Err("missing argument for comparison".to_owned());
    }
    let s1 = scalar(a1.as_ref());
    let k1 = basic_kind(&s1);
    for arg in others {
        let a = arg.value().cloned();
        let s = scalar(a.as_ref());
        let k2 = basic_kind(&s);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => int_of(&s1) >= 0 && int_of(&s1) as u64 == uint_of(&s),
                (Kind::Uint, Kind::Int) => int_of(&s) >= 0 && uint_of(&s1) == int_of(&s) as u64,
                _ => {
                    if let (Some(x), Some(y)) = (&a1, &a) {
                        return Err(incompatible(x, y));
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => bool_of(&s1) == bool_of(&s),
                Kind::Float => float_of(&s1) == float_of(&s),
                Kind::Int => int_of(&s1) == int_of(&s),
                Kind::Uint => uint_of(&s1) == uint_of(&s),
                Kind::String => str_of(&s1) == str_of(&s),
                Kind::Invalid => compare_non_basic(a1.as_ref(), a.as_ref())?,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `eq` between values that are not bool, numbers or strings: only nil
/// comparisons and comparable types (pointers, structs) are allowed.
fn compare_non_basic(a1: Option<&Value>, a: Option<&Value>) -> Result<bool, String> {
    let (k1, k2) = (reflect_kind(a1), reflect_kind(a));
    if k1 != k2 && k1 != "invalid" && k2 != "invalid" {
        let (Some(x), Some(y)) = (a1, a) else {
            return Ok(false);
        };
        return Err(format!(
            "non-comparable types {}: {}, {}: {}",
            fmt_s(x),
            x.type_name(),
            y.type_name(),
            rudder_value::fmt::format_v(y)
        ));
    }
    let (Some(x), Some(y)) = (a1, a) else {
        // Our maps and slices are never nil, so only the invalid value is.
        return Ok(a1.is_none() && a.is_none());
    };
    match y {
        Value::Map(_) | Value::List(_) | Value::Bytes(_) => {
            return Err(format!(
                "non-comparable type {}: {}",
                fmt_s(y),
                y.type_name()
            ));
        }
        Value::Object(o) if matches!(o.kind_name(), "map" | "slice") => {
            return Err(format!(
                "non-comparable type {}: {}",
                fmt_s(y),
                y.type_name()
            ));
        }
        _ => {}
    }
    Ok(match (x, y) {
        (Value::Object(p), Value::Object(q)) if k1 == "ptr" => std::rc::Rc::ptr_eq(p, q),
        _ => deep_equal(x, y),
    })
}

fn lt(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    const BAD_TYPE: &str = "invalid type for comparison";
    let s1 = scalar(arg1.value());
    let k1 = basic_kind(&s1);
    if k1 == Kind::Invalid {
        return Err(BAD_TYPE.to_owned());
    }
    let s2 = scalar(arg2.value());
    let k2 = basic_kind(&s2);
    if k2 == Kind::Invalid {
        return Err(BAD_TYPE.to_owned());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(&s1) < 0 || (int_of(&s1) as u64) < uint_of(&s2)),
            (Kind::Uint, Kind::Int) => Ok(int_of(&s2) >= 0 && uint_of(&s1) < int_of(&s2) as u64),
            _ => Err(incompatible(
                arg1.value().unwrap_or(&Value::Nil),
                arg2.value().unwrap_or(&Value::Nil),
            )),
        };
    }
    match k1 {
        Kind::Bool | Kind::Invalid => Err(BAD_TYPE.to_owned()),
        Kind::Float => Ok(float_of(&s1) < float_of(&s2)),
        Kind::Int => Ok(int_of(&s1) < int_of(&s2)),
        Kind::Uint => Ok(uint_of(&s1) < uint_of(&s2)),
        Kind::String => Ok(str_of(&s1) < str_of(&s2)),
    }
}

fn le(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1.clone(), vec![arg2.clone()])
}

/// The container a value can be indexed, sliced or measured as.
enum Container {
    List(List),
    Bytes(std::rc::Rc<[u8]>),
    Str(rudder_value::Str),
    Map(rudder_value::Map),
    Other,
}

fn container(v: &Value) -> Container {
    match v {
        Value::List(l) => Container::List(l.clone()),
        Value::Bytes(b) => Container::Bytes(b.clone()),
        Value::Str(s) => Container::Str(s.clone()),
        Value::Map(m) => Container::Map(m.clone()),
        Value::Object(_) => match underlying(v) {
            Some(inner) if !matches!(inner, Value::Object(_)) => container(&inner),
            _ => Container::Other,
        },
        _ => Container::Other,
    }
}

fn length(item: Rv) -> Result<usize, String> {
    let v = match item {
        Rv::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".to_owned()),
        Rv::Iface(Value::Nil) => return Err("len of nil pointer".to_owned()),
        Rv::Iface(v) | Rv::Plain(v) => v,
    };
    match container(&v) {
        Container::List(l) => Ok(l.len()),
        Container::Bytes(b) => Ok(b.len()),
        Container::Str(s) => Ok(s.len()),
        Container::Map(m) => Ok(m.len()),
        Container::Other => {
            let name = type_name(&v);
            Err(format!("len of type {}", name.trim_start_matches('*')))
        }
    }
}

/// Go's `indexArg`: an integer index no greater than `cap`.
fn index_arg(index: &Rv, cap: usize) -> Result<usize, String> {
    let x: i64 = match index.value() {
        Some(Value::Int(i, _)) => *i,
        None => return Err("cannot index slice/array with nil".to_owned()),
        Some(other) => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn list_elem(l: &List, i: usize) -> Rv {
    let v = l.get(i).cloned().unwrap_or(Value::Nil);
    if l.elem() == ElemType::Any {
        Rv::Iface(v)
    } else {
        Rv::plain(v)
    }
}

fn index(item: Rv, indexes: Vec<Rv>) -> Result<Rv, String> {
    let mut item = item.unwrap_iface();
    if matches!(item, Rv::Invalid) {
        return Err("index of untyped nil".to_owned());
    }
    for idx in indexes {
        let idx = idx.unwrap_iface();
        let v = match item {
            Rv::Iface(Value::Nil) | Rv::Invalid => return Err("index of nil pointer".to_owned()),
            Rv::Iface(v) | Rv::Plain(v) => v,
        };
        item = match container(&v) {
            Container::List(l) => {
                let x = index_arg(&idx, l.len())?;
                if x == l.len() {
                    return Err("reflect: slice index out of range".to_owned());
                }
                list_elem(&l, x)
            }
            Container::Bytes(b) => {
                let x = index_arg(&idx, b.len())?;
                match b.get(x) {
                    Some(c) => Rv::Plain(Value::Int(i64::from(*c), IntKind::Uint8)),
                    None => return Err("reflect: slice index out of range".to_owned()),
                }
            }
            Container::Str(s) => {
                let x = index_arg(&idx, s.len())?;
                match s.as_bytes().get(x) {
                    Some(c) => Rv::Plain(Value::Int(i64::from(*c), IntKind::Uint8)),
                    None => return Err("reflect: string index out of range".to_owned()),
                }
            }
            Container::Map(m) => {
                let key = match idx.value() {
                    None => return Err("value is nil; should be of type string".to_owned()),
                    Some(Value::Str(s)) => s.clone(),
                    Some(other) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                match m.get(&key) {
                    Some(found) => Rv::map_elem(m.kind(), found),
                    None => Rv::map_elem(m.kind(), m.kind().zero()),
                }
            }
            Container::Other => {
                return Err(format!("can't index item of type {}", v.type_name()));
            }
        };
    }
    Ok(item)
}

fn slice(item: Rv, indexes: Vec<Rv>) -> Result<Rv, String> {
    let Some(v) = item.value().cloned() else {
        return Err("slice of untyped nil".to_owned());
    };
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let c = container(&v);
    let len = match &c {
        Container::Str(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".to_owned());
            }
            s.len()
        }
        Container::List(l) => l.len(),
        Container::Bytes(b) => b.len(),
        Container::Map(_) | Container::Other => {
            return Err(format!("can't slice item of type {}", v.type_name()));
        }
    };
    // Slices here have no spare capacity, so cap == len.
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        let x = index_arg(&index.clone().unwrap_iface(), len)?;
        if let Some(slot) = idx.get_mut(i) {
            *slot = x;
        }
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    let out = match c {
        Container::Str(s) => match s.get(i..j) {
            Some(sub) => Value::str(sub),
            None => {
                return Err(format!(
                    "slicing {} at [{i}:{j}] splits a UTF-8 sequence, which rudder does not support",
                    rudder_value::fmt::quote(&s)
                ));
            }
        },
        Container::List(l) => Value::List(List::typed(
            l.items().get(i..j).unwrap_or(&[]).to_vec(),
            l.elem(),
        )),
        Container::Bytes(b) => Value::Bytes(std::rc::Rc::from(b.get(i..j).unwrap_or(&[]))),
        Container::Map(_) | Container::Other => Value::Nil,
    };
    Ok(Rv::plain(out))
}

fn call_value(fun: Rv, callee: &str) -> Result<Rv, String> {
    match fun.value() {
        None => Err("call of nil".to_owned()),
        Some(v) => Err(format!("non-function {callee} of type {}", v.type_name())),
    }
}

/// How `html`, `js` and `urlquery` turn their arguments into one string:
/// `fmt.Sprint`, except that a missing value prints `<no value>` and a
/// pointer to a struct prints as the struct.
fn eval_args(args: Vec<Rv>) -> String {
    if let [single] = args.as_slice()
        && let Some(Value::Str(s)) = single.value()
    {
        return s.to_string();
    }
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let (text, is_string) = match a.value() {
            None => ("<no value>".to_owned(), true),
            Some(v) => (printable(v), matches!(v, Value::Str(_))),
        };
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&text);
        prev_string = is_string;
    }
    out
}

/// The text of a value as the template prints it (Go's `printableValue`
/// then `fmt.Sprint`): a pointer to a struct without a `String` method
/// prints as the struct, without `&`.
pub(crate) fn printable(v: &Value) -> String {
    let s = rudder_value::fmt::format_v(v);
    if let Value::Object(o) = v
        && o.stringer().is_none()
        && let ObjectRepr::Struct { pointer: true, .. } = o.repr()
        && let Some(rest) = s.strip_prefix('&')
    {
        return rest.to_owned();
    }
    s
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u00{:02X}", c as u32);
            }
            c if c.is_ascii() => out.push(c),
            c if rudder_value::fmt::is_print(c) => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rudder_value::Map;

    fn p(v: Value) -> Rv {
        Rv::Plain(v)
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            eq(p(Value::int(1)), vec![p(Value::int(2)), p(Value::int(1))]),
            Ok(true)
        );
        assert_eq!(
            eq(p(Value::Float(1.0)), vec![p(Value::int(1))]),
            Err("incompatible types for comparison: float64 and int".to_owned())
        );
        assert_eq!(eq(Rv::Invalid, vec![p(Value::str("x"))]), Ok(false));
        assert_eq!(eq(Rv::Iface(Value::Nil), vec![Rv::Invalid]), Ok(true));
        assert_eq!(
            eq(p(Value::Int(1, IntKind::Uint8)), vec![p(Value::int(1))]),
            Ok(true)
        );
        assert_eq!(lt(&p(Value::str("a")), &p(Value::str("b"))), Ok(true));
        assert_eq!(
            lt(&p(Value::Bool(true)), &p(Value::Bool(false))),
            Err("invalid type for comparison".to_owned())
        );
        assert_eq!(
            lt(&Rv::Invalid, &p(Value::int(1))),
            Err("invalid type for comparison".to_owned())
        );
        assert_eq!(le(&p(Value::int(2)), &p(Value::int(2))), Ok(true));
        let list = p(Value::list(vec![Value::str("a")]));
        assert_eq!(
            eq(list.clone(), vec![list.clone()]),
            Err("non-comparable type [a]: []interface {}".to_owned())
        );
        assert_eq!(eq(list, vec![Rv::Invalid]), Ok(false));
    }

    #[test]
    fn indexing() {
        let m = Map::new();
        m.insert("a", Value::list(vec![Value::int(1), Value::Nil]));
        let r = index(
            p(Value::Map(m.clone())),
            vec![p(Value::str("a")), p(Value::int(0))],
        );
        assert!(matches!(r, Ok(Rv::Iface(Value::Int(1, _)))));
        let r = index(
            p(Value::Map(m.clone())),
            vec![p(Value::str("a")), p(Value::int(1)), p(Value::int(0))],
        );
        assert_eq!(r.err(), Some("index of nil pointer".to_owned()));
        let r = index(p(Value::Map(m.clone())), vec![p(Value::str("zz"))]);
        assert!(matches!(r, Ok(Rv::Iface(Value::Nil))));
        let r = index(p(Value::Map(m)), vec![p(Value::int(1))]);
        assert_eq!(
            r.err(),
            Some("value has type int; should be string".to_owned())
        );
        let r = index(p(Value::str("hi")), vec![p(Value::int(1))]);
        assert!(matches!(r, Ok(Rv::Plain(Value::Int(105, IntKind::Uint8)))));
        let r = index(p(Value::str("hi")), vec![p(Value::int(2))]);
        assert_eq!(
            r.err(),
            Some("reflect: string index out of range".to_owned())
        );
        assert_eq!(
            index(Rv::Invalid, vec![]).err(),
            Some("index of untyped nil".to_owned())
        );
    }

    #[test]
    fn slicing_and_length() {
        let l = p(Value::list(vec![
            Value::int(1),
            Value::int(2),
            Value::int(3),
        ]));
        let r = slice(l.clone(), vec![p(Value::int(1))]);
        assert_eq!(
            r.map(|v| rudder_value::fmt::format_v(&v.into_value())),
            Ok("[2 3]".to_owned())
        );
        let r = slice(l.clone(), vec![p(Value::int(2)), p(Value::int(1))]);
        assert_eq!(r.err(), Some("invalid slice index: 2 > 1".to_owned()));
        let r = slice(
            p(Value::str("hello")),
            vec![p(Value::int(1)), p(Value::int(3))],
        );
        assert_eq!(
            r.map(|v| rudder_value::fmt::format_v(&v.into_value())),
            Ok("el".to_owned())
        );
        assert_eq!(length(l), Ok(3));
        assert_eq!(
            length(Rv::Iface(Value::Nil)),
            Err("len of nil pointer".to_owned())
        );
        assert_eq!(length(p(Value::int(3))), Err("len of type int".to_owned()));
    }

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            js_escape("a'b\"c<d>=&\n\u{2028}é"),
            "a\\'b\\\"c\\u003Cd\\u003E\\u003D\\u0026\\u000A\\u2028é"
        );
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            eval_args(vec![p(Value::int(1)), Rv::Invalid, p(Value::int(2))]),
            "1<no value>2"
        );
        assert_eq!(eval_args(vec![p(Value::int(1)), p(Value::int(2))]), "1 2");
    }
}
