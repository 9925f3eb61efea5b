//! Output floods: `big` returns N bytes through `output_set`, `stdout`
//! writes N bytes to WASI stdout (N = the decimal input).

use extism_pdk::*;
use std::io::Write;

fn size(input: &str) -> usize {
    input.trim().parse().unwrap_or(0)
}

#[plugin_fn]
pub fn big(input: String) -> FnResult<Vec<u8>> {
    Ok(vec![b'x'; size(&input)])
}

#[plugin_fn]
pub fn stdout(input: String) -> FnResult<String> {
    let chunk = [b'y'; 4096];
    let mut left = size(&input);
    let mut out = std::io::stdout();
    while left > 0 {
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n])?;
        left -= n;
    }
    out.flush()?;
    Ok("done".to_owned())
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
