//! Sprig's numeric functions (`numeric.go` and the arithmetic entries of
//! `functions.go`): integer math through `cast.ToInt64` (floats truncate),
//! float math through shopspring/decimal, Go's `math` edge cases, and the
//! conversions `atoi`, `int`, `int64`, `float64`, `toDecimal`.

use rudder_template::{FuncError, FuncMap};
use rudder_value::fmt::format_v;
use rudder_value::{ElemType, List, Value};

use crate::cast::{NumError, parse_int, to_float64, to_int64};
use crate::decimal::Decimal;
use crate::util::{A, F, I, S, def, int64, sig, sigv};

/// The most elements `until`/`untilStep` build. Go would try to allocate
/// any size and die; we report Go's allocation panic instead.
const MAX_SEQ: usize = 1 << 26;

pub(crate) fn register(m: &mut FuncMap) {
    // strconv.Atoi returns the clamped value with a range error, and 0
    // with a syntax error; Sprig ignores the error.
    def(m, "atoi", sig(&[S]), |mut a| {
        let s = a.str()?;
        Ok(Value::int(match parse_int(&s, 10) {
            Ok(i) => i,
            Err(NumError::Range) if s.starts_with('-') => i64::MIN,
            Err(NumError::Range) => i64::MAX,
            Err(NumError::Syntax) => 0,
        }))
    });
    def(m, "int64", sig(&[A]), |mut a| {
        Ok(int64(to_int64(&a.any()?)))
    });
    def(m, "int", sig(&[A]), |mut a| {
        Ok(Value::int(to_int64(&a.any()?)))
    });
    def(m, "float64", sig(&[A]), |mut a| {
        Ok(Value::Float(to_float64(&a.any()?)))
    });
    def(m, "toDecimal", sig(&[A]), |mut a| {
        Ok(int64(parse_int(&format_v(&a.any()?), 8).unwrap_or(0)))
    });
    def(m, "seq", sigv(&[], I), |a| {
        seq(&ints(a.rest())).map(Value::string)
    });
    def(m, "until", sig(&[I]), |mut a| {
        let n = a.int()?;
        until_step(0, n, if n < 0 { -1 } else { 1 }).map(int_list)
    });
    def(m, "untilStep", sig(&[I, I, I]), |mut a| {
        let (start, stop, step) = (a.int()?, a.int()?, a.int()?);
        until_step(start, stop, step).map(int_list)
    });

    def(m, "add1", sig(&[A]), |mut a| {
        Ok(int64(to_int64(&a.any()?).wrapping_add(1)))
    });
    def(m, "add", sigv(&[], A), |a| {
        Ok(int64(
            a.rest()
                .iter()
                .fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
        ))
    });
    def(m, "sub", sig(&[A, A]), |mut a| {
        let (x, y) = (to_int64(&a.any()?), to_int64(&a.any()?));
        Ok(int64(x.wrapping_sub(y)))
    });
    def(m, "div", sig(&[A, A]), |mut a| {
        let (x, y) = (to_int64(&a.any()?), to_int64(&a.any()?));
        if y == 0 {
            return Err(divide_by_zero());
        }
        Ok(int64(x.wrapping_div(y)))
    });
    def(m, "mod", sig(&[A, A]), |mut a| {
        let (x, y) = (to_int64(&a.any()?), to_int64(&a.any()?));
        if y == 0 {
            return Err(divide_by_zero());
        }
        Ok(int64(x.wrapping_rem(y)))
    });
    def(m, "mul", sigv(&[A], A), |mut a| {
        let first = to_int64(&a.any()?);
        Ok(int64(
            a.rest()
                .iter()
                .fold(first, |acc, v| acc.wrapping_mul(to_int64(v))),
        ))
    });
    for name in ["max", "biggest"] {
        def(m, name, sigv(&[A], A), |mut a| {
            let first = to_int64(&a.any()?);
            Ok(int64(a.rest().iter().map(to_int64).fold(first, i64::max)))
        });
    }
    def(m, "min", sigv(&[A], A), |mut a| {
        let first = to_int64(&a.any()?);
        Ok(int64(a.rest().iter().map(to_int64).fold(first, i64::min)))
    });
    def(m, "maxf", sigv(&[A], A), |mut a| {
        let first = to_float64(&a.any()?);
        Ok(Value::Float(
            a.rest().iter().map(to_float64).fold(first, go_max),
        ))
    });
    def(m, "minf", sigv(&[A], A), |mut a| {
        let first = to_float64(&a.any()?);
        Ok(Value::Float(
            a.rest().iter().map(to_float64).fold(first, go_min),
        ))
    });

    def(m, "add1f", sig(&[A]), |mut a| {
        decimal_op(&a.any()?, &[Value::int(1)], |x, y| Ok(x.add(y)))
    });
    def(m, "addf", sigv(&[], A), |a| {
        decimal_op(&Value::Float(0.0), &a.rest(), |x, y| Ok(x.add(y)))
    });
    def(m, "subf", sigv(&[A], A), |mut a| {
        let first = a.any()?;
        decimal_op(&first, &a.rest(), |x, y| Ok(x.sub(y)))
    });
    def(m, "mulf", sigv(&[A], A), |mut a| {
        let first = a.any()?;
        decimal_op(&first, &a.rest(), |x, y| Ok(x.mul(y)))
    });
    def(m, "divf", sigv(&[A], A), |mut a| {
        let first = a.any()?;
        decimal_op(&first, &a.rest(), Decimal::div)
    });

    def(m, "floor", sig(&[A]), |mut a| {
        Ok(Value::Float(to_float64(&a.any()?).floor()))
    });
    def(m, "ceil", sig(&[A]), |mut a| {
        Ok(Value::Float(to_float64(&a.any()?).ceil()))
    });
    def(m, "round", sigv(&[A, I], F), |mut a| {
        let (x, places) = (to_float64(&a.any()?), a.int()?);
        let round_on = match a.rest().first() {
            Some(Value::Float(f)) => *f,
            _ => 0.5,
        };
        Ok(Value::Float(round(x, places as f64, round_on)))
    });
}

fn divide_by_zero() -> FuncError {
    FuncError::new("runtime error: integer divide by zero")
}

fn ints(v: Vec<Value>) -> Vec<i64> {
    v.iter().filter_map(Value::as_i64).collect()
}

fn int_list(v: Vec<i64>) -> Value {
    Value::List(List::typed(
        v.into_iter().map(Value::int).collect(),
        ElemType::Int,
    ))
}

/// Sprig's `untilStep`.
fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let mut v = Vec::new();
    let too_big = || FuncError::new("runtime error: makeslice: len out of range");
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        let mut i = start;
        while i > stop {
            if v.len() >= MAX_SEQ {
                return Err(too_big());
            }
            v.push(i);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    let mut i = start;
    while i < stop {
        if v.len() >= MAX_SEQ {
            return Err(too_big());
        }
        v.push(i);
        match i.checked_add(step) {
            Some(n) => i = n,
            None => break,
        }
    }
    Ok(v)
}

/// Sprig's `seq`: a bash-like sequence joined with spaces.
fn seq(p: &[i64]) -> Result<String, FuncError> {
    let v = match *p {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step(1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            until_step(start, end.wrapping_add(inc), step)?
        }
        _ => return Ok(String::new()),
    };
    Ok(v.iter().map(i64::to_string).collect::<Vec<_>>().join(" "))
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

/// Sprig's `execDecimalOp`.
fn decimal_op(
    a: &Value,
    rest: &[Value],
    f: impl Fn(&Decimal, &Decimal) -> Result<Decimal, FuncError>,
) -> Result<Value, FuncError> {
    let mut acc = Decimal::from_f64(to_float64(a))?;
    for x in rest {
        let dx = Decimal::from_f64(to_float64(x))?;
        acc = f(&acc, &dx)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

/// Sprig's `round`: fraction ≥ `round_on` rounds up (towards +∞), anything
/// else down, after scaling by Go's `math.Pow(10, places)`.
fn round(x: f64, places: f64, round_on: f64) -> f64 {
    let pow = go_pow(10.0, places);
    let digit = pow * x;
    let frac = if digit.is_infinite() {
        f64::NAN
    } else {
        digit.fract()
    };
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    r / pow
}

/// `math.Frexp`.
fn frexp(f: f64) -> (f64, i32) {
    if f == 0.0 || !f.is_finite() {
        return (f, 0);
    }
    let (mut f, mut e) = (f, 0i32);
    if f.abs() < f64::MIN_POSITIVE {
        f *= (1u64 << 52) as f64;
        e = -52;
    }
    let bits = f.to_bits();
    e += ((bits >> 52) & 0x7ff) as i32 - 1022;
    let bits = (bits & !(0x7ffu64 << 52)) | (1022u64 << 52);
    (f64::from_bits(bits), e)
}

/// Go's pure-Go `math.Pow` (used on amd64), restricted to the integral
/// exponents `round` passes; it is not always correctly rounded, so libm's
/// `powf` would differ in the last bit for some exponents.
fn go_pow(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() {
        return if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if (y as i8) as f64 == y {
        let neg = y < 0.0;
        let mut n = y.abs() as u8;
        let mut r = 1.0;
        while n > 1 {
            let mut tmp = x;
            let mut c: u8 = 1;
            while c <= n / 2 {
                tmp *= tmp;
                c *= 2;
            }
            n -= c;
            r *= tmp;
        }
        for _ in 0..n {
            r *= x;
        }
        return if neg { 1.0 / r } else { r };
    }
    let yi = y.abs().trunc();
    if yi >= 9_223_372_036_854_775_808.0 {
        return if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let mut a1 = 1.0;
    let mut ae: i64 = 0;
    let (mut x1, xe) = frexp(x);
    let mut xe = i64::from(xe);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    crate::cast::ldexp(a1, ae.clamp(-100_000, 100_000) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences() {
        assert_eq!(seq(&[3]).ok().as_deref(), Some("1 2 3"));
        assert_eq!(seq(&[0]).ok().as_deref(), Some("1 0"));
        assert_eq!(seq(&[2, 5]).ok().as_deref(), Some("2 3 4 5"));
        assert_eq!(seq(&[0, 2, 10]).ok().as_deref(), Some("0 2 4 6 8 10"));
        assert_eq!(seq(&[10, -2, 0]).ok().as_deref(), Some("10 8 6 4 2 0"));
        assert_eq!(seq(&[]).ok().as_deref(), Some(""));
        assert_eq!(until_step(0, 5, 2).ok(), Some(vec![0, 2, 4]));
        assert_eq!(until_step(0, -3, -1).ok(), Some(vec![0, -1, -2]));
    }

    #[test]
    fn rounding() {
        assert_eq!(round(2.5, 0.0, 0.5), 3.0);
        assert_eq!(round(-2.4, 0.0, 0.5), -3.0);
        assert_eq!(round(1.23456, 2.0, 0.5), 1.23);
        assert_eq!(go_pow(10.0, 2.0), 100.0);
        assert_eq!(go_pow(10.0, -2.0), 0.01);
    }

    #[test]
    fn go_min_max() {
        assert!(go_max(1.0, f64::NAN).is_nan());
        assert_eq!(go_max(f64::NAN, f64::INFINITY), f64::INFINITY);
        assert!(go_min(-0.0, 0.0).is_sign_negative());
    }
}
