//! dario.cat/mergo v1.0.1 `Merge`/`MergeWithOverwrite`, as Sprig applies
//! them to `map[string]interface{}` values.
//!
//! mergo's reflection walk reduces, for maps of interfaces, to these rules
//! per key of `src` (Go iterates keys in random order; we use key order):
//!
//! * a nil `src` value is skipped, or with overwrite stored as nil;
//! * a map `src` value is first merged *into* the `dst` value when that is a
//!   map (in place, so the nested `dst` map is mutated even when it is then
//!   replaced), then stored unless `dst` already held a non-empty map;
//! * a slice `src` value is stored when overwriting or when the `dst` value
//!   is missing or empty;
//! * any other value is stored when overwriting or when the `dst` value is
//!   missing or empty (`false`, `0`, `""`, nil, empty map or slice).
//!
//! "Empty" is mergo's `isEmptyValue`, which for these values is Go
//! template falsiness. No `Map` borrow is held while mutating, so
//! `merge $m $m` works.

use rudder_template::FuncError;
use rudder_value::{Map, MapKind, Value};

use crate::util::empty;

/// Merge `src` into `dst` (mergo's `deepMerge` for two maps).
pub(crate) fn merge_into(dst: &Map, src: &Map, overwrite: bool) -> Result<(), FuncError> {
    merge_depth(dst, src, overwrite, 0)
}

fn merge_depth(dst: &Map, src: &Map, overwrite: bool, depth: usize) -> Result<(), FuncError> {
    // A map that contains itself would make Go recurse until its stack
    // overflows; stop with that error instead.
    if depth > 10_000 {
        return Err(FuncError::new(
            "runtime: goroutine stack exceeds 1000000000-byte limit",
        ));
    }
    for (key, sv) in src.entries() {
        let dv = dst.get(&key);
        if sv.is_nil() {
            if overwrite {
                set(dst, &key, Value::Nil)?;
            }
            continue;
        }
        match &sv {
            Value::Map(sm) => {
                if let Some(Value::Map(dm)) = &dv {
                    merge_depth(dm, sm, overwrite, depth + 1)?;
                }
                if let Some(d) = &dv
                    && !empty(d)
                    && matches!(d, Value::Map(_))
                {
                    continue;
                }
            }
            Value::List(_) | Value::Bytes(_) => {
                if let Some(d) = &dv
                    && !empty(d)
                    && !overwrite
                {
                    continue;
                }
            }
            _ => {}
        }
        if overwrite || dv.as_ref().is_none_or(empty) {
            set(dst, &key, sv)?;
        }
    }
    Ok(())
}

/// `reflect.Value.SetMapIndex`, which panics when the value does not fit
/// the map's element type.
fn set(dst: &Map, key: &str, v: Value) -> Result<(), FuncError> {
    if dst.kind() == MapKind::String && !matches!(v, Value::Str(_)) {
        let t = if v.is_nil() {
            "interface {}".into()
        } else {
            v.type_name()
        };
        return Err(FuncError::new(format!(
            "reflect.Value.SetMapIndex: value of type {t} is not assignable to type string"
        )));
    }
    dst.insert(key, v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: Vec<(&str, Value)>) -> Map {
        Map::from_entries(MapKind::Any, entries)
    }

    #[test]
    fn merge_fills_missing_and_empty() {
        let dst = map(vec![("a", Value::Bool(false)), ("b", Value::str("x"))]);
        let src = map(vec![
            ("a", Value::Bool(true)),
            ("b", Value::str("y")),
            ("c", Value::int(1)),
        ]);
        assert!(merge_into(&dst, &src, false).is_ok());
        assert!(matches!(dst.get("a"), Some(Value::Bool(true))));
        assert_eq!(
            dst.get("b")
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref(),
            Some("x")
        );
        assert!(dst.contains_key("c"));
    }

    #[test]
    fn merge_into_itself() {
        let m = map(vec![("a", Value::int(1))]);
        assert!(merge_into(&m, &m, true).is_ok());
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn overwrite_with_nil() {
        let dst = map(vec![("a", Value::int(1))]);
        let src = map(vec![("a", Value::Nil)]);
        assert!(merge_into(&dst, &src, true).is_ok());
        assert!(matches!(dst.get("a"), Some(Value::Nil)));
    }
}
