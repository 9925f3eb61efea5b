//! Small helpers shared by the function groups: reading checked arguments,
//! registering functions, and the Go conversions Sprig leans on
//! (`strval`, `empty`, byte-oriented string slicing).

use rudder_template::{Context, FuncError, FuncMap, FuncResult, Function};
use rudder_value::fmt::format_v;
use rudder_value::{ElemType, GoType, IntKind, List, Map, MapKind, Signature, Str, Value};

/// `string`.
pub(crate) const S: GoType = GoType::String;
/// `int`.
pub(crate) const I: GoType = GoType::Int(IntKind::Int);
/// `interface {}`.
pub(crate) const A: GoType = GoType::Any;
/// `bool`.
pub(crate) const B: GoType = GoType::Bool;
/// `float64`.
pub(crate) const F: GoType = GoType::Float64;
/// `map[string]interface {}`.
pub(crate) const M: GoType = GoType::Map(MapKind::Any);

/// The arguments of one call, read in order. The engine has already
/// checked them against the signature, so a mismatch here is a bug in the
/// signature declaration; it is reported as an error rather than a panic.
pub(crate) struct Args {
    it: std::vec::IntoIter<Value>,
    pos: usize,
}

impl Args {
    pub(crate) fn new(args: Vec<Value>) -> Args {
        Args {
            it: args.into_iter(),
            pos: 0,
        }
    }

    fn mismatch(&self, want: &str, got: &Value) -> FuncError {
        FuncError::new(format!(
            "internal error: argument {} should be {want}, got {}",
            self.pos,
            got.type_name()
        ))
    }

    /// The next argument, whatever its type.
    pub(crate) fn any(&mut self) -> Result<Value, FuncError> {
        self.pos += 1;
        self.it
            .next()
            .ok_or_else(|| FuncError::new(format!("internal error: missing argument {}", self.pos)))
    }

    /// The next argument, a `string`.
    pub(crate) fn str(&mut self) -> Result<Str, FuncError> {
        match self.any()? {
            Value::Str(s) => Ok(s),
            other => Err(self.mismatch("string", &other)),
        }
    }

    /// The next argument, an integer of any kind, as `i64`.
    pub(crate) fn int(&mut self) -> Result<i64, FuncError> {
        match self.any()? {
            Value::Int(i, _) => Ok(i),
            other => Err(self.mismatch("an integer", &other)),
        }
    }

    /// The next argument, a `bool`.
    pub(crate) fn bool(&mut self) -> Result<bool, FuncError> {
        match self.any()? {
            Value::Bool(b) => Ok(b),
            other => Err(self.mismatch("bool", &other)),
        }
    }

    /// The next argument, a map.
    pub(crate) fn map(&mut self) -> Result<Map, FuncError> {
        match self.any()? {
            Value::Map(m) => Ok(m),
            // A nil map argument: Go passes a nil map, which reads as empty.
            Value::Nil => Ok(Map::new()),
            other => Err(self.mismatch("a map", &other)),
        }
    }

    /// The remaining (variadic) arguments.
    pub(crate) fn rest(self) -> Vec<Value> {
        self.it.collect()
    }
}

/// Register a function that does not need the engine.
pub(crate) fn def<F>(m: &mut FuncMap, name: &str, sig: Signature, f: F)
where
    F: Fn(Args) -> FuncResult + Send + Sync + 'static,
{
    m.insert(
        name,
        Function::new(sig, move |_ctx: &mut dyn Context, args| f(Args::new(args))),
    );
}

/// Register a function that calls back into the engine.
pub(crate) fn def_ctx<F>(m: &mut FuncMap, name: &str, sig: Signature, f: F)
where
    F: Fn(&mut dyn Context, Args) -> FuncResult + Send + Sync + 'static,
{
    m.insert(
        name,
        Function::new(sig, move |ctx: &mut dyn Context, args| {
            f(ctx, Args::new(args))
        }),
    );
}

/// A signature with fixed parameters.
pub(crate) fn sig(params: &[GoType]) -> Signature {
    Signature::new(params.to_vec())
}

/// A signature with fixed parameters and a variadic tail.
pub(crate) fn sigv(params: &[GoType], rest: GoType) -> Signature {
    Signature::variadic(params.to_vec(), rest)
}

/// A Go `int64` result.
pub(crate) fn int64(i: i64) -> Value {
    Value::Int(i, IntKind::Int64)
}

/// A `[]string` result.
pub(crate) fn strings<I: IntoIterator<Item = String>>(items: I) -> Value {
    Value::List(List::typed(
        items.into_iter().map(Value::string).collect(),
        ElemType::String,
    ))
}

/// A `map[string]string` result.
pub(crate) fn string_map<I: IntoIterator<Item = (String, String)>>(items: I) -> Value {
    Value::Map(Map::from_entries(
        MapKind::String,
        items.into_iter().map(|(k, v)| (k, Value::string(v))),
    ))
}

/// Sprig's `strval`: strings as they are, `[]byte` as text, values with a
/// `String()`/`Error()` method through it, everything else as `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Bytes(b) => from_bytes(b),
        other => format_v(other),
    }
}

/// Sprig's `empty`: Go's zero-value test, which for every value we model
/// is the negation of template truthiness (structs and non-nil pointers
/// are never empty).
pub(crate) fn empty(v: &Value) -> bool {
    !v.is_true()
}

/// Text from bytes that a byte-oriented Go function produced. Go strings
/// may hold invalid UTF-8 (a cut in the middle of a sequence); ours cannot,
/// so each invalid byte becomes U+FFFD, as Go's own decoding (`range`,
/// `encoding/json`) treats them: one replacement per byte, not per
/// malformed sequence.
pub(crate) fn from_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut rest = b;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = bad.get(1..).unwrap_or_default();
            }
        }
    }
}

/// The bytes `s[lo:hi]` (either bound optional, as in Go's `s[:hi]` and
/// `s[lo:]`) with Go's bounds checks, whose failures are runtime panics
/// (`slice bounds out of range [5:3]`).
pub(crate) fn slice_bytes(s: &str, lo: Option<i64>, hi: Option<i64>) -> Result<String, FuncError> {
    let len = s.len() as i64;
    let oob = |m: String| FuncError::new(format!("runtime error: slice bounds out of range {m}"));
    let h = match hi {
        Some(h) if h < 0 => return Err(oob(format!("[:{h}]"))),
        Some(h) if h > len => return Err(oob(format!("[:{h}] with length {len}"))),
        Some(h) => h,
        None => len,
    };
    let l = match lo {
        Some(l) if l < 0 => return Err(oob(format!("[{l}:]"))),
        Some(l) if l > h => return Err(oob(format!("[{l}:{h}]"))),
        Some(l) => l,
        None => 0,
    };
    Ok(from_bytes(
        s.as_bytes().get(l as usize..h as usize).unwrap_or_default(),
    ))
}

/// Go's `strings.Repeat`, with its panics.
pub(crate) fn repeat(s: &str, count: i64) -> Result<String, FuncError> {
    if count < 0 {
        return Err(FuncError::new("strings: negative Repeat count"));
    }
    let total = (s.len() as u128) * (count as u128);
    if total > (i64::MAX as u128) {
        return Err(FuncError::new("strings: Repeat output length overflow"));
    }
    // Guard the host against absurd allocations that Go would attempt (and
    // die on) too.
    if total > (1 << 32) {
        return Err(FuncError::new("runtime error: makeslice: len out of range"));
    }
    Ok(s.repeat(count as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_bounds_follow_go_panics() {
        assert_eq!(
            slice_bytes("hello", Some(1), Some(3)).ok().as_deref(),
            Some("el")
        );
        assert!(slice_bytes("hello", Some(3), Some(1)).is_err());
        assert!(slice_bytes("hello", None, Some(9)).is_err());
    }

    #[test]
    fn strval_uses_string_forms() {
        assert_eq!(strval(&Value::Float(1e6)), "1e+06");
        assert_eq!(strval(&Value::Nil), "<nil>");
        assert_eq!(strval(&Value::Bytes(std::rc::Rc::from(&b"hi"[..]))), "hi");
    }

    #[test]
    fn invalid_bytes_become_one_replacement_each() {
        assert_eq!(from_bytes(&[b'a', 0xE6, 0x97, b'.']), "a\u{FFFD}\u{FFFD}.");
        assert_eq!(from_bytes(&[0xFF]), "\u{FFFD}");
        assert_eq!(from_bytes("é".as_bytes()), "é");
    }

    #[test]
    fn repeat_rejects_negative() {
        assert!(repeat("a", -1).is_err());
        assert_eq!(repeat("ab", 2).ok().as_deref(), Some("abab"));
    }
}
