//! The Wasm side of the entry macros: read the input from Extism memory,
//! run the plugin function, and hand back the output or the error.

use crate::{Error, PluginType};

/// Run one invocation; returns the export's result code (0 success,
/// 1 error with a message set).
pub fn run<T: PluginType>(f: fn(T::Input) -> Result<T::Output, Error>) -> i32 {
    let input = extism_pdk::input_bytes();
    match crate::handle::<T>(&input, f) {
        Ok(bytes) => match extism_pdk::output(bytes) {
            Ok(()) => 0,
            Err(e) => fail(&format!("cannot hand the output to the host: {e}")),
        },
        Err(message) => fail(&message),
    }
}

/// Report `message` as the call's error and return the error code.
#[allow(
    unsafe_code,
    reason = "extism-pdk exposes error_set only as a raw import"
)]
fn fail(message: &str) -> i32 {
    match extism_pdk::Memory::from_bytes(message) {
        Ok(mem) => {
            // SAFETY: `error_set` takes a handle to a block the host
            // allocated; `mem` is exactly that (just allocated and filled).
            // Ownership passes to the host, so `mem` is not freed here.
            unsafe { extism_pdk::extism::error_set(mem.offset()) };
            1
        }
        // Could not even allocate the message: the bare code still tells
        // the host the call failed.
        Err(_) => 2,
    }
}
