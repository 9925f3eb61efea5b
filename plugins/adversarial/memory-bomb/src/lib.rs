//! Allocates without bound, in its own linear memory (`grow`) and in the
//! host's Extism memory (`host_alloc`). The memory limit must stop both.

use extism_pdk::*;

#[plugin_fn]
pub fn grow(_: ()) -> FnResult<String> {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = vec![0u8; 1 << 20];
        chunk[0] = 1;
        chunks.push(std::hint::black_box(chunk));
    }
}

#[plugin_fn]
pub fn host_alloc(_: ()) -> FnResult<String> {
    let mut n = 0u64;
    loop {
        let h = unsafe { extism::alloc(1 << 20) };
        if h == 0 {
            // The allocation failed; write through the null handle like a
            // careless guest would.
            unsafe { extism::store_u64(h, n) };
            return Ok(format!("allocated {n} MiB"));
        }
        n += 1;
    }
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
