//! Never returns: a pure compute loop and a loop that keeps calling into
//! the host. The host's timeout must stop both; `ok` proves the plugin
//! still works afterwards.

use extism_pdk::*;

#[plugin_fn]
pub fn spin(_: ()) -> FnResult<()> {
    let mut x: u64 = 1;
    loop {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
}

#[plugin_fn]
pub fn spin_host_calls(_: ()) -> FnResult<()> {
    loop {
        std::hint::black_box(unsafe { extism::input_length() });
    }
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
