//! Calls `extism:host/env` imports with bogus handles, offsets and lengths.
//! Each export makes one bad call; the host must fail that call cleanly
//! (never crash) and keep working. `length_bogus` and `free_bogus` are
//! harmless by contract and must succeed.

use extism_pdk::extism::*;
use extism_pdk::*;

const BOGUS: u64 = 0xdead_beef_0000;

#[no_mangle]
pub extern "C" fn load_oob() -> i32 {
    unsafe { load_u64(u64::MAX - 3) as i32 }
}

#[no_mangle]
pub extern "C" fn store_null() -> i32 {
    unsafe { store_u8(0, 1) };
    0
}

#[no_mangle]
pub extern "C" fn output_oob() -> i32 {
    unsafe { output_set(BOGUS, u64::MAX) };
    0
}

#[no_mangle]
pub extern "C" fn input_oob() -> i32 {
    unsafe { input_load_u64(1 << 40) as i32 }
}

#[no_mangle]
pub extern "C" fn config_bogus() -> i32 {
    unsafe { config_get(BOGUS) as i32 }
}

#[no_mangle]
pub extern "C" fn var_bogus() -> i32 {
    unsafe { var_set(BOGUS, BOGUS) };
    0
}

#[no_mangle]
pub extern "C" fn log_bogus() -> i32 {
    unsafe { log_error(BOGUS) };
    0
}

#[no_mangle]
pub extern "C" fn http_bogus() -> i32 {
    unsafe { http_request(BOGUS, 0) as i32 }
}

#[no_mangle]
pub extern "C" fn error_bogus() -> i32 {
    unsafe { error_set(BOGUS) };
    0
}

#[plugin_fn]
pub fn length_bogus(_: ()) -> FnResult<String> {
    Ok(format!("{} {}", unsafe { length(BOGUS) }, unsafe {
        length_unsafe(BOGUS)
    }))
}

#[plugin_fn]
pub fn free_bogus(_: ()) -> FnResult<String> {
    unsafe {
        free(BOGUS);
        free(0);
    }
    Ok("survived".to_owned())
}

/// Touches every import once with valid arguments, so this module's import
/// section lists the whole extism-pdk import set.
#[plugin_fn]
pub fn touch_all(_: ()) -> FnResult<String> {
    let level = unsafe { get_log_level() };
    let _ = unsafe { http_status_code() };
    let _ = unsafe { http_headers() };
    let key = Memory::from_bytes("k")?;
    let _ = unsafe { config_get(key.offset()) };
    let key = Memory::from_bytes("k")?;
    let _ = unsafe { var_get(key.offset()) };
    let m = Memory::from_bytes("trace")?;
    unsafe { log_trace(m.offset()) };
    let m = Memory::from_bytes("debug")?;
    unsafe { log_debug(m.offset()) };
    let m = Memory::from_bytes("info")?;
    unsafe { log_info(m.offset()) };
    let m = Memory::from_bytes("warn")?;
    unsafe { log_warn(m.offset()) };
    let m = Memory::from_bytes("error")?;
    unsafe { log_error(m.offset()) };
    Ok(format!("log level {level}"))
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
