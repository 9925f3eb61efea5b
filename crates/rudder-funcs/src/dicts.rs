//! Sprig's dictionary functions (`dict.go`), including the mergo-based
//! `merge` family and `deepCopy`. Maps are shared by reference, so `set`,
//! `unset` and `merge` mutate their first argument in place, as Helm
//! templates observe.

use rudder_template::{FuncError, FuncMap};
use rudder_value::{List, Map, MapKind, Value};

use crate::mergo::merge_into;
use crate::util::{A, Args, M, S, def, sig, sigv, strings, strval};

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "get", sig(&[M, S]), |mut a| {
        let (d, k) = (a.map()?, a.str()?);
        Ok(d.get(&k).unwrap_or_else(|| Value::str("")))
    });
    def(m, "set", sig(&[M, S, A]), |mut a| {
        let (d, k, v) = (a.map()?, a.str()?, a.any()?);
        d.insert(k, v);
        Ok(Value::Map(d))
    });
    def(m, "unset", sig(&[M, S]), |mut a| {
        let (d, k) = (a.map()?, a.str()?);
        d.remove(&k);
        Ok(Value::Map(d))
    });
    def(m, "hasKey", sig(&[M, S]), |mut a| {
        let (d, k) = (a.map()?, a.str()?);
        Ok(Value::Bool(d.contains_key(&k)))
    });
    def(m, "pluck", sigv(&[S], M), |mut a| {
        let k = a.str()?;
        let out: Vec<Value> = a
            .rest()
            .iter()
            .filter_map(|d| d.as_map().and_then(|d| d.get(&k)))
            .collect();
        Ok(Value::list(out))
    });
    // Go ranges over maps in random order; we use key order, which is one
    // of the orders Go may produce.
    def(m, "keys", sigv(&[], M), |a| {
        let mut out = Vec::new();
        for d in a.rest() {
            if let Some(d) = d.as_map() {
                out.extend(d.keys().iter().map(|k| k.to_string()));
            }
        }
        Ok(strings(out))
    });
    def(m, "values", sig(&[M]), |mut a| {
        let d = a.map()?;
        Ok(Value::list(
            d.entries().into_iter().map(|(_, v)| v).collect(),
        ))
    });
    def(m, "pick", sigv(&[M], S), |mut a| {
        let d = a.map()?;
        let out = Map::new();
        for k in a.rest() {
            if let Some(k) = k.as_str()
                && let Some(v) = d.get(k)
            {
                out.insert(k, v);
            }
        }
        Ok(Value::Map(out))
    });
    def(m, "omit", sigv(&[M], S), |mut a| {
        let d = a.map()?;
        let omit: Vec<Value> = a.rest();
        let out = Map::new();
        for (k, v) in d.entries() {
            if !omit.iter().any(|o| o.as_str() == Some(&*k)) {
                out.insert(k, v);
            }
        }
        Ok(Value::Map(out))
    });
    def(m, "dict", sigv(&[], A), |a| {
        let v = a.rest();
        let out = Map::new();
        for pair in v.chunks(2) {
            if let Some(k) = pair.first() {
                out.insert(
                    strval(k),
                    pair.get(1).cloned().unwrap_or_else(|| Value::str("")),
                );
            }
        }
        Ok(Value::Map(out))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        def(m, name, sigv(&[M], M), move |mut a| {
            let dst = a.map()?;
            for src in a.rest() {
                if let Value::Map(src) = src {
                    merge_into(&dst, &src, overwrite)?;
                }
            }
            Ok(Value::Map(dst))
        });
    }
    // copystructure panics on nil before Sprig's own error wrapping, so
    // both versions report the bare reflect panic.
    def(m, "deepCopy", sig(&[A]), |mut a| {
        deep_copy(&a.any()?).map_err(FuncError::new)
    });
    def(m, "mustDeepCopy", sig(&[A]), |mut a| {
        deep_copy(&a.any()?).map_err(FuncError::new)
    });
    def(m, "dig", sigv(&[], A), dig);
}

/// copystructure's `Copy`: maps and slices are copied recursively; nil has
/// no type to copy.
fn deep_copy(v: &Value) -> Result<Value, String> {
    if v.is_nil() {
        return Err("reflect: call of reflect.Value.Type on zero Value".to_owned());
    }
    Ok(copy_value(v))
}

fn copy_value(v: &Value) -> Value {
    match v {
        Value::Map(m) => {
            let out = Map::with_kind(m.kind());
            for (k, v) in m.entries() {
                out.insert(k, copy_value(&v));
            }
            Value::Map(out)
        }
        Value::List(l) => Value::List(List::typed(l.iter().map(copy_value).collect(), l.elem())),
        other => other.clone(),
    }
}

/// The text of a failed Go type assertion from `interface {}`.
fn assertion(v: &Value, want: &str) -> FuncError {
    FuncError::new(format!(
        "interface conversion: interface {{}} is {}, not {want}",
        if v.is_nil() {
            "nil".into()
        } else {
            v.type_name()
        }
    ))
}

/// Sprig's `dig`: keys, then a default, then a plain
/// `map[string]interface{}` (type-asserted, so `common.Values` fails).
fn dig(a: Args) -> Result<Value, FuncError> {
    let ps = a.rest();
    if ps.len() < 3 {
        return Err(FuncError::new("dig needs at least three arguments"));
    }
    let (keys, tail) = ps.split_at(ps.len() - 2);
    let [def, dict] = tail else {
        return Err(FuncError::new("dig needs at least three arguments"));
    };
    let mut cur = match dict {
        Value::Map(m) if m.kind() == MapKind::Any => m.clone(),
        other => return Err(assertion(other, "map[string]interface {}")),
    };
    let mut ks = Vec::with_capacity(keys.len());
    for k in keys {
        match k {
            Value::Str(s) => ks.push(s.clone()),
            other => return Err(assertion(other, "string")),
        }
    }
    for (i, k) in ks.iter().enumerate() {
        let Some(step) = cur.get(k) else {
            return Ok(def.clone());
        };
        if i + 1 == ks.len() {
            return Ok(step);
        }
        cur = match step {
            Value::Map(m) if m.kind() == MapKind::Any => m,
            other => return Err(assertion(&other, "map[string]interface {}")),
        };
    }
    Ok(def.clone())
}
