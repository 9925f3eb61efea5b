//! Sprig's list functions (`list.go`). They accept any slice through
//! reflection (`[]interface{}`, `[]string`, `[]byte`, named slice types such
//! as `.Capabilities.APIVersions`) and return `[]interface{}`. A non-slice
//! argument is an error: a panic for the plain versions, a returned error
//! for the `must` ones, with the same text.

use rudder_template::{FuncError, FuncMap};
use rudder_value::{ElemType, IntKind, List, ObjectRepr, Value, deep_equal};

use crate::cast::to_int64;
use crate::util::{A, Args, I, def, empty, sig, sigv};

/// The items of a slice-kinded value, with the slice's element type.
pub(crate) fn slice_items(v: &Value) -> Option<(Vec<Value>, ElemType)> {
    match v {
        Value::List(l) => Some((l.items().to_vec(), l.elem())),
        Value::Bytes(b) => Some((
            b.iter()
                .map(|&x| Value::Int(i64::from(x), IntKind::Uint8))
                .collect(),
            ElemType::Any,
        )),
        Value::Object(o) => match o.repr() {
            ObjectRepr::Value(inner @ (Value::List(_) | Value::Bytes(_))) => slice_items(&inner),
            _ => None,
        },
        _ => None,
    }
}

/// `reflect.TypeOf(x).Kind()` on a nil interface dereferences a nil
/// `reflect.Type`.
fn nil_deref() -> FuncError {
    FuncError::new("runtime error: invalid memory address or nil pointer dereference")
}

/// The items of `v`, or Sprig's "Cannot OP type KIND" error.
fn items_or(v: &Value, what: &str) -> Result<Vec<Value>, FuncError> {
    if v.is_nil() {
        return Err(nil_deref());
    }
    slice_items(v)
        .map(|(items, _)| items)
        .ok_or_else(|| FuncError::new(format!("{what} type {}", v.kind_name())))
}

fn any_list(items: Vec<Value>) -> Value {
    Value::List(List::new(items))
}

/// Register `name` and `mustName` for a one-list operation.
fn pair(
    m: &mut FuncMap,
    name: &str,
    must: &str,
    params: &[rudder_value::GoType],
    variadic: Option<rudder_value::GoType>,
    f: fn(Args) -> Result<Value, FuncError>,
) {
    let s = match variadic {
        Some(v) => sigv(params, v),
        None => sig(params),
    };
    def(m, name, s.clone(), f);
    def(m, must, s, f);
}

pub(crate) fn register(m: &mut FuncMap) {
    for name in ["list", "tuple"] {
        def(m, name, sigv(&[], A), |a| Ok(any_list(a.rest())));
    }
    for (name, must) in [("push", "mustPush"), ("append", "mustAppend")] {
        pair(m, name, must, &[A, A], None, |mut a| {
            let (l, v) = (a.any()?, a.any()?);
            let mut items = items_or(&l, "Cannot push on")?;
            items.push(v);
            Ok(any_list(items))
        });
    }
    pair(m, "prepend", "mustPrepend", &[A, A], None, |mut a| {
        let (l, v) = (a.any()?, a.any()?);
        let mut items = items_or(&l, "Cannot prepend on")?;
        items.insert(0, v);
        Ok(any_list(items))
    });
    pair(m, "chunk", "mustChunk", &[I, A], None, |mut a| {
        let (size, l) = (a.int()?, a.any()?);
        let items = items_or(&l, "Cannot chunk")?;
        chunk(size, &items)
    });
    pair(m, "last", "mustLast", &[A], None, |mut a| {
        let items = items_or(&a.any()?, "Cannot find last on")?;
        Ok(items.last().cloned().unwrap_or(Value::Nil))
    });
    pair(m, "first", "mustFirst", &[A], None, |mut a| {
        let items = items_or(&a.any()?, "Cannot find first on")?;
        Ok(items.first().cloned().unwrap_or(Value::Nil))
    });
    pair(m, "rest", "mustRest", &[A], None, |mut a| {
        let items = items_or(&a.any()?, "Cannot find rest on")?;
        Ok(any_list(items.into_iter().skip(1).collect()))
    });
    pair(m, "initial", "mustInitial", &[A], None, |mut a| {
        let mut items = items_or(&a.any()?, "Cannot find initial on")?;
        items.pop();
        Ok(any_list(items))
    });
    pair(m, "reverse", "mustReverse", &[A], None, |mut a| {
        let mut items = items_or(&a.any()?, "Cannot find reverse on")?;
        items.reverse();
        Ok(any_list(items))
    });
    pair(m, "compact", "mustCompact", &[A], None, |mut a| {
        let items = items_or(&a.any()?, "Cannot compact on")?;
        Ok(any_list(items.into_iter().filter(|v| !empty(v)).collect()))
    });
    pair(m, "uniq", "mustUniq", &[A], None, |mut a| {
        let items = items_or(&a.any()?, "Cannot find uniq on")?;
        let mut out: Vec<Value> = Vec::new();
        for v in items {
            if !out.iter().any(|o| deep_equal(&v, o)) {
                out.push(v);
            }
        }
        Ok(any_list(out))
    });
    pair(m, "without", "mustWithout", &[A], Some(A), |mut a| {
        let l = a.any()?;
        let omit = a.rest();
        let items = items_or(&l, "Cannot find without on")?;
        Ok(any_list(
            items
                .into_iter()
                .filter(|v| !omit.iter().any(|o| deep_equal(v, o)))
                .collect(),
        ))
    });
    pair(m, "has", "mustHas", &[A, A], None, |mut a| {
        let (needle, hay) = (a.any()?, a.any()?);
        if hay.is_nil() {
            return Ok(Value::Bool(false));
        }
        let items = items_or(&hay, "Cannot find has on")?;
        Ok(Value::Bool(items.iter().any(|v| deep_equal(&needle, v))))
    });
    pair(m, "slice", "mustSlice", &[A], Some(A), |mut a| {
        let l = a.any()?;
        let idx = a.rest();
        slice(&l, &idx)
    });
    def(m, "concat", sigv(&[], A), |a| {
        let mut out = Vec::new();
        for l in a.rest() {
            if l.is_nil() {
                return Err(nil_deref());
            }
            match slice_items(&l) {
                Some((items, _)) => out.extend(items),
                None => {
                    return Err(FuncError::new(format!(
                        "Cannot concat type {} as list",
                        l.kind_name()
                    )));
                }
            }
        }
        Ok(any_list(out))
    });
}

fn makeslice() -> FuncError {
    FuncError::new("runtime error: makeslice: len out of range")
}

/// Sprig's `mustChunk`, including its float arithmetic for the number of
/// chunks (a zero size yields Go's allocation panic).
fn chunk(size: i64, items: &[Value]) -> Result<Value, FuncError> {
    let l = items.len() as i64;
    let cs = crate::cast::f64_to_i64(((l - 1) as f64 / size as f64).floor()).wrapping_add(1);
    if !(0..=1 << 40).contains(&cs) {
        return Err(makeslice());
    }
    let mut out = Vec::new();
    for i in 0..cs {
        let mut clen = size;
        if i == cs - 1 {
            clen = crate::cast::f64_to_i64((l as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(makeslice());
        }
        let mut c = Vec::new();
        for j in 0..clen {
            let ix = i * size + j;
            match usize::try_from(ix).ok().and_then(|ix| items.get(ix)) {
                Some(v) => c.push(v.clone()),
                None => return Err(FuncError::new("reflect: slice index out of range")),
            }
        }
        out.push(any_list(c));
    }
    Ok(Value::List(List::typed(out, ElemType::AnyList)))
}

/// Sprig's `mustSlice`: `list[start:end]` keeping the slice's type; an
/// empty list gives nil.
fn slice(l: &Value, idx: &[Value]) -> Result<Value, FuncError> {
    if l.is_nil() {
        return Err(nil_deref());
    }
    let Some((items, elem)) = slice_items(l) else {
        return Err(FuncError::new(format!(
            "list should be type of slice or array but {}",
            l.kind_name()
        )));
    };
    let len = items.len() as i64;
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = idx.first().map_or(0, to_int64);
    let end = idx.get(1).map_or(len, to_int64);
    if start < 0 || end < start || end > len {
        return Err(FuncError::new(
            "reflect.Value.Slice: slice index out of bounds",
        ));
    }
    let part = items[start as usize..end as usize].to_vec();
    Ok(match l {
        Value::Bytes(_) => Value::Bytes(
            part.iter()
                .filter_map(|v| v.as_i64().map(|b| b as u8))
                .collect::<Vec<u8>>()
                .into(),
        ),
        _ => Value::List(List::typed(part, elem)),
    })
}
