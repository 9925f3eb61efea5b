//! Go's `strconv.FormatFloat`, and the float formats built on it.
//!
//! Rust and Go agree on the digits (both print the shortest round-trip
//! digits, and both round exactly when a precision is given), but not on the
//! layout: Go writes `1e+06` where Rust writes `1e6`, and Go's `%v`/`'g'`
//! switches to exponent form at a decimal exponent of 6 (shortest) or the
//! precision. We take the digits from Rust's formatter and lay them out the
//! way `strconv` does.

/// Decimal digits of a float: `0.d1d2d3… × 10^dp`, without trailing zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits {
    digits: Vec<u8>,
    dp: i32,
}

/// Parse Rust's `{:e}` output (`-1.2345e-7`) into digits and decimal point.
fn parse_exp_form(s: &str) -> Digits {
    let s = s.trim_start_matches('-');
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        return Digits {
            digits: Vec::new(),
            dp: 0,
        };
    }
    Digits {
        digits,
        dp: exp + 1,
    }
}

/// The shortest digits that round-trip at the given bit size.
fn shortest(f: f64, bits: u32) -> Digits {
    if f == 0.0 {
        return Digits {
            digits: Vec::new(),
            dp: 0,
        };
    }
    if bits == 32 {
        parse_exp_form(&format!("{:e}", f as f32))
    } else {
        parse_exp_form(&format!("{f:e}"))
    }
}

/// Digits rounded to `n` significant digits (n ≥ 1), trailing zeros trimmed.
fn significant(f: f64, n: usize) -> Digits {
    if f == 0.0 {
        return Digits {
            digits: Vec::new(),
            dp: 0,
        };
    }
    parse_exp_form(&format!("{:.*e}", n.saturating_sub(1), f))
}

fn fmt_e(out: &mut String, neg: bool, d: &Digits, prec: usize, upper: bool) {
    if neg {
        out.push('-');
    }
    out.push(d.digits.first().map_or('0', |&c| c as char));
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = d.digits.len().min(prec + 1);
        while i < m {
            out.push(d.digits[i] as char);
            i += 1;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(if upper { 'E' } else { 'e' });
    let mut exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, neg: bool, d: &Digits, prec: usize) {
    if neg {
        out.push('-');
    }
    if d.dp > 0 {
        let m = (d.dp as usize).min(d.digits.len());
        for &c in &d.digits[..m] {
            out.push(c as char);
        }
        for _ in m..d.dp as usize {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i64 {
            let j = d.dp as i64 + i - 1;
            let c = if j >= 0 && (j as usize) < d.digits.len() {
                d.digits[j as usize] as char
            } else {
                '0'
            };
            out.push(c);
        }
    }
}

/// Go's `strconv.FormatFloat(f, fmt, prec, bits)` for the formats `e E f g G`
/// (`F` is accepted as `f`). `prec < 0` means the shortest representation.
/// `bits` is 32 or 64.
pub fn format_float(f: f64, fmt: char, prec: i32, bits: u32) -> String {
    let mut out = String::new();
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    let neg = f.is_sign_negative();
    let shortest_mode = prec < 0;
    match fmt {
        'e' | 'E' => {
            let (d, p) = if shortest_mode {
                let d = shortest(f, bits);
                let p = d.digits.len().saturating_sub(1);
                (d, p)
            } else {
                (significant(f, prec as usize + 1), prec as usize)
            };
            fmt_e(&mut out, neg, &d, p, fmt == 'E');
        }
        'f' | 'F' => {
            if shortest_mode {
                let d = shortest(f, bits);
                let p = (d.digits.len() as i32 - d.dp).max(0) as usize;
                fmt_f(&mut out, neg, &d, p);
            } else {
                // Rust's fixed-point formatting rounds exactly, as Go does.
                let s = format!("{:.*}", prec as usize, f.abs());
                if neg {
                    out.push('-');
                }
                out.push_str(&s);
            }
        }
        'g' | 'G' => {
            let (d, mut p, eprec) = if shortest_mode {
                let d = shortest(f, bits);
                let p = d.digits.len();
                (d, p, 6)
            } else {
                let p = if prec == 0 { 1 } else { prec as usize };
                let d = significant(f, p);
                let mut eprec = p as i32;
                if eprec > d.digits.len() as i32 && d.digits.len() as i32 >= d.dp {
                    eprec = d.digits.len() as i32;
                }
                (d, p, eprec)
            };
            let exp = d.dp - 1;
            if !d.digits.is_empty() && (exp < -4 || exp >= eprec) {
                if p > d.digits.len() {
                    p = d.digits.len();
                }
                fmt_e(&mut out, neg, &d, p.saturating_sub(1), fmt == 'G');
            } else {
                if p as i32 > d.dp {
                    p = d.digits.len();
                }
                fmt_f(&mut out, neg, &d, (p as i32 - d.dp).max(0) as usize);
            }
        }
        _ => {
            out.push('%');
            out.push(fmt);
        }
    }
    out
}

/// Go's `%v` of a `float64` (`strconv.FormatFloat(f, 'g', -1, 64)`):
/// `3`, `3.5`, `1e+06`, `1e-05`.
pub fn format_g(f: f64) -> String {
    format_float(f, 'g', -1, 64)
}

/// How Go's `encoding/json` writes a `float64`: `'f'` form for
/// `1e-6 <= |f| < 1e21`, otherwise `'e'` form with a one-digit negative
/// exponent cleaned up (`1e-7`, `1e+21`). Not defined for NaN or infinities,
/// which JSON cannot hold.
pub fn format_json(f: f64) -> String {
    let abs = f.abs();
    let use_exp = abs != 0.0 && !(1e-6..1e21).contains(&abs);
    let mut s = format_float(f, if use_exp { 'e' } else { 'f' }, -1, 64);
    if use_exp {
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
    }
    s
}

#[cfg(test)]
#[allow(
    clippy::approx_constant,
    reason = "3.14159 is a test input recorded with the oracle, not an approximation of pi"
)]
mod tests {
    use super::*;

    #[test]
    fn shortest_g_matches_go() {
        let cases: &[(f64, &str)] = &[
            (3.0, "3"),
            (3.5, "3.5"),
            (100000.0, "100000"),
            (999999.0, "999999"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (1234567.5, "1.2345675e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e21, "1e+21"),
            (0.0, "0"),
            (-0.0, "-0"),
            (-2.5, "-2.5"),
            (123456789.5, "1.234567895e+08"),
            (1e100, "1e+100"),
            (0.1, "0.1"),
        ];
        for (f, want) in cases {
            assert_eq!(format_g(*f), *want, "{f}");
        }
    }

    #[test]
    fn precision_forms() {
        assert_eq!(format_float(3.14159, 'f', 2, 64), "3.14");
        assert_eq!(format_float(2.675, 'f', 2, 64), "2.67");
        assert_eq!(format_float(-1.5, 'f', 0, 64), "-2");
        assert_eq!(format_float(3.0, 'f', 6, 64), "3.000000");
        assert_eq!(format_float(1234.5678, 'e', 3, 64), "1.235e+03");
        assert_eq!(format_float(0.0, 'e', 2, 64), "0.00e+00");
        assert_eq!(format_float(1234.5678, 'g', 3, 64), "1.23e+03");
        assert_eq!(format_float(100.0, 'g', 3, 64), "100");
        assert_eq!(format_float(0.000012345, 'g', 2, 64), "1.2e-05");
        assert_eq!(format_float(1e6, 'e', -1, 64), "1e+06");
        assert_eq!(format_float(1.5, 'E', -1, 64), "1.5E+00");
        assert_eq!(format_float(1e21, 'f', -1, 64), "1000000000000000000000");
        assert_eq!(format_float(f64::INFINITY, 'g', -1, 64), "+Inf");
    }

    #[test]
    fn float32_shortest() {
        assert_eq!(format_float(1.1, 'g', -1, 32), "1.1");
        assert_eq!(format_float(3.14159265, 'g', -1, 32), "3.1415927");
        assert_eq!(format_float(1.0, 'g', -1, 32), "1");
    }

    #[test]
    fn json_floats() {
        assert_eq!(format_json(1e-7), "1e-7");
        assert_eq!(format_json(1e21), "1e+21");
        assert_eq!(format_json(1e20), "100000000000000000000");
        assert_eq!(format_json(0.5), "0.5");
        assert_eq!(format_json(3.0), "3");
        assert_eq!(format_json(0.000001), "0.000001");
        assert_eq!(format_json(1.5e-10), "1.5e-10");
    }
}
