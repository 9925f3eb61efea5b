//! Sprig's reflection functions (`reflect.go`) and `deepEqual`: Go type
//! names as `%T` prints them and `reflect.Kind` names.

use rudder_template::FuncMap;
use rudder_value::{Value, deep_equal};

use crate::util::{A, S, def, sig};

pub(crate) fn register(m: &mut FuncMap) {
    def(m, "typeOf", sig(&[A]), |mut a| {
        Ok(Value::string(a.any()?.type_name().into_owned()))
    });
    def(m, "typeIs", sig(&[S, A]), |mut a| {
        let (t, v) = (a.str()?, a.any()?);
        Ok(Value::Bool(*t == *v.type_name()))
    });
    def(m, "typeIsLike", sig(&[S, A]), |mut a| {
        let (t, v) = (a.str()?, a.any()?);
        let name = v.type_name();
        Ok(Value::Bool(
            *t == *name || name.strip_prefix('*') == Some(&*t),
        ))
    });
    def(m, "kindOf", sig(&[A]), |mut a| {
        Ok(Value::str(a.any()?.kind_name()))
    });
    def(m, "kindIs", sig(&[S, A]), |mut a| {
        let (k, v) = (a.str()?, a.any()?);
        Ok(Value::Bool(*k == *v.kind_name()))
    });
    def(m, "deepEqual", sig(&[A, A]), |mut a| {
        let (x, y) = (a.any()?, a.any()?);
        Ok(Value::Bool(deep_equal(&x, &y)))
    });
}
