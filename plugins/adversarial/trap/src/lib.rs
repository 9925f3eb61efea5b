//! Every way a call can end badly: panic, `unreachable`, stack overflow,
//! an error message, a bare non-zero return code, WASI `proc_exit`.

use extism_pdk::*;

#[plugin_fn]
pub fn panic(_: ()) -> FnResult<()> {
    panic!("adversarial panic: boom");
}

#[no_mangle]
pub extern "C" fn unreachable() -> i32 {
    core::arch::wasm32::unreachable()
}

#[allow(unconditional_recursion, reason = "the point is to overflow the stack")]
fn recurse(n: u64) -> u64 {
    let buf = std::hint::black_box([n; 64]);
    recurse(buf[3] + 1) + buf[7]
}

#[plugin_fn]
pub fn stack_overflow(_: ()) -> FnResult<String> {
    Ok(recurse(0).to_string())
}

#[plugin_fn]
pub fn guest_error(_: ()) -> FnResult<()> {
    Err(WithReturnCode::new(Error::msg("guest says no"), 3))
}

/// Non-zero return code, no error message (Helm crashes on this).
#[no_mangle]
pub extern "C" fn rc_only() -> i32 {
    7
}

#[no_mangle]
pub extern "C" fn exit_3() -> i32 {
    std::process::exit(3)
}

#[no_mangle]
pub extern "C" fn exit_0() -> i32 {
    let _ = output("before exit");
    std::process::exit(0)
}

/// Wrong signature for an entry point (takes a parameter).
#[no_mangle]
pub extern "C" fn takes_param(x: i32) -> i32 {
    x
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
