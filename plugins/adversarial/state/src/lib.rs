//! Config and vars: `config` returns the value of the key given as input,
//! `incr` bumps a counter var and returns it (vars persist across calls),
//! `set_big` stores a var of N bytes (to hit maxVarBytes).

use extism_pdk::*;

#[plugin_fn]
pub fn config(key: String) -> FnResult<String> {
    Ok(config::get(key.trim())?.unwrap_or_else(|| "<none>".to_owned()))
}

#[plugin_fn]
pub fn incr(_: ()) -> FnResult<String> {
    let n: u64 = var::get::<String>("counter")?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
        + 1;
    var::set("counter", n.to_string())?;
    Ok(n.to_string())
}

#[plugin_fn]
pub fn set_big(input: String) -> FnResult<String> {
    let n: usize = input.trim().parse().unwrap_or(0);
    var::set("big", vec![b'v'; n])?;
    Ok("stored".to_owned())
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
