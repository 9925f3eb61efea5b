//! Sprig's defaults and flow functions (`defaults.go`): `default`,
//! `empty`, `coalesce`, `all`, `any`, `ternary`. "Empty" is Go's zero-value
//! test: nil, `false`, `0`, `""` and empty collections; structs never.

use rudder_template::FuncMap;
use rudder_value::Value;

use crate::util::{A, B, def, empty, sig, sigv};

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "default", sigv(&[A], A), |mut a| {
        let d = a.any()?;
        Ok(match a.rest().into_iter().next() {
            Some(given) if !empty(&given) => given,
            _ => d,
        })
    });
    def(m, "empty", sig(&[A]), |mut a| {
        Ok(Value::Bool(empty(&a.any()?)))
    });
    def(m, "coalesce", sigv(&[], A), |a| {
        Ok(a.rest()
            .into_iter()
            .find(|v| !empty(v))
            .unwrap_or(Value::Nil))
    });
    def(m, "all", sigv(&[], A), |a| {
        Ok(Value::Bool(a.rest().iter().all(|v| !empty(v))))
    });
    def(m, "any", sigv(&[], A), |a| {
        Ok(Value::Bool(a.rest().iter().any(|v| !empty(v))))
    });
    def(m, "ternary", sig(&[A, A, B]), |mut a| {
        let (t, f, c) = (a.any()?, a.any()?, a.bool()?);
        Ok(if c { t } else { f })
    });
}
