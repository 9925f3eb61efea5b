//! The part of shopspring/decimal v1.4 that Sprig's float math uses.
//!
//! `addf`, `subf`, `mulf` and `divf` convert each float64 to a decimal with
//! `NewFromFloat` (the shortest digits that round-trip), compute exactly
//! (division rounds to 16 decimal places, half away from zero) and convert
//! back to the nearest float64. So `addf 0.1 0.2` is `0.3`, not
//! `0.30000000000000004`.

use num_bigint::{BigInt, Sign};
use rudder_template::FuncError;
use rudder_value::float::format_g;

/// `value × 10^exp`.
#[derive(Clone, Debug)]
pub(crate) struct Decimal {
    value: BigInt,
    exp: i64,
}

/// `decimal.DivisionPrecision`.
const DIVISION_PRECISION: i64 = 16;

fn pow10(n: i64) -> BigInt {
    BigInt::from(10u8).pow(n.max(0) as u32)
}

impl Decimal {
    /// `decimal.NewFromFloat`, which panics on NaN and infinities.
    pub(crate) fn from_f64(f: f64) -> Result<Decimal, FuncError> {
        if !f.is_finite() {
            let shown = if f.is_nan() {
                "NaN".to_owned()
            } else {
                format_g(f)
            };
            return Err(FuncError::new(format!(
                "Cannot create a Decimal from {shown}"
            )));
        }
        if f == 0.0 {
            return Ok(Decimal {
                value: BigInt::from(0),
                exp: 0,
            });
        }
        // Rust's `{:e}` gives the shortest round-trip digits, as Go's
        // `roundShortest` does: `-1.2345e-7`.
        let e = format!("{f:e}");
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let (neg, mant) = match mant.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mant),
        };
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let nd = digits.len() as i64;
        let mut value = BigInt::parse_bytes(digits.as_bytes(), 10).unwrap_or_default();
        if neg {
            value = -value;
        }
        Ok(Decimal {
            value,
            exp: exp - (nd - 1),
        })
    }

    fn rescale_pair(a: &Decimal, b: &Decimal) -> (BigInt, BigInt, i64) {
        if a.exp == b.exp {
            return (a.value.clone(), b.value.clone(), a.exp);
        }
        if a.exp < b.exp {
            let bv = &b.value * pow10(b.exp - a.exp);
            (a.value.clone(), bv, a.exp)
        } else {
            let av = &a.value * pow10(a.exp - b.exp);
            (av, b.value.clone(), b.exp)
        }
    }

    pub(crate) fn add(&self, o: &Decimal) -> Decimal {
        let (a, b, exp) = Decimal::rescale_pair(self, o);
        Decimal { value: a + b, exp }
    }

    pub(crate) fn sub(&self, o: &Decimal) -> Decimal {
        let (a, b, exp) = Decimal::rescale_pair(self, o);
        Decimal { value: a - b, exp }
    }

    pub(crate) fn mul(&self, o: &Decimal) -> Decimal {
        Decimal {
            value: &self.value * &o.value,
            exp: self.exp + o.exp,
        }
    }

    fn cmp(&self, o: &Decimal) -> std::cmp::Ordering {
        let (a, b, _) = Decimal::rescale_pair(self, o);
        a.cmp(&b)
    }

    /// `Div`: `DivRound(o, 16)`.
    pub(crate) fn div(&self, o: &Decimal) -> Result<Decimal, FuncError> {
        if o.value.sign() == Sign::NoSign {
            return Err(FuncError::new("decimal division by 0"));
        }
        let precision = DIVISION_PRECISION;
        let scale = -precision;
        let e = self.exp - o.exp - scale;
        let (aa, bb, scalerest) = if e < 0 {
            (self.value.clone(), &o.value * pow10(-e), self.exp)
        } else {
            (&self.value * pow10(e), o.value.clone(), scale + o.exp)
        };
        // big.Int's QuoRem truncates toward zero, as BigInt's `/` and `%` do.
        let q = Decimal {
            value: &aa / &bb,
            exp: scale,
        };
        let r = &aa % &bb;
        let r2 = Decimal {
            value: BigInt::from(r.magnitude().clone()) * BigInt::from(2u8),
            exp: scalerest + precision,
        };
        let abs_o = Decimal {
            value: BigInt::from(o.value.magnitude().clone()),
            exp: o.exp,
        };
        if r2.cmp(&abs_o) == std::cmp::Ordering::Less {
            return Ok(q);
        }
        let ulp = Decimal {
            value: BigInt::from(1u8),
            exp: -precision,
        };
        let opposite = (self.value.sign() == Sign::Minus) != (o.value.sign() == Sign::Minus)
            && self.value.sign() != Sign::NoSign;
        Ok(if opposite { q.sub(&ulp) } else { q.add(&ulp) })
    }

    /// `Float64()`: the nearest float64 to the exact value.
    pub(crate) fn to_f64(&self) -> f64 {
        format!("{}e{}", self.value, self.exp)
            .parse::<f64>()
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: f64) -> Decimal {
        Decimal::from_f64(f).unwrap_or(Decimal {
            value: BigInt::from(0),
            exp: 0,
        })
    }

    #[test]
    fn exact_decimal_arithmetic() {
        assert_eq!(d(0.1).add(&d(0.2)).to_f64(), 0.3);
        assert_eq!(d(1.1).mul(&d(3.0)).to_f64(), 3.3);
        assert_eq!(
            d(1.0).div(&d(3.0)).map(|x| x.to_f64()).ok(),
            Some(0.3333333333333333)
        );
        assert_eq!(
            d(2.0).div(&d(3.0)).map(|x| x.to_f64()).ok(),
            Some(0.6666666666666667)
        );
        assert_eq!(
            d(-2.0).div(&d(3.0)).map(|x| x.to_f64()).ok(),
            Some(-0.6666666666666667)
        );
        assert!(d(1.0).div(&d(0.0)).is_err());
        assert!(Decimal::from_f64(f64::NAN).is_err());
        assert_eq!(d(1e300).add(&d(1e-300)).to_f64(), 1e300);
    }
}
