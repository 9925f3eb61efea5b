//! Filesystem probes. `probe` takes `{"op": …, "path": …, "target": …}` and
//! answers `{"ok": bool, "data"|"error": …}` instead of failing, so the test
//! can assert exactly which operations the sandbox refused.
//!
//! ops: `read`, `write` (writes "pwned"), `list`, `symlink` (creates
//! `path` pointing at `target`, then reads through it), `mkdir`.

use extism_pdk::*;
use serde_json::{json, Value};

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn path_symlink(old: *const u8, old_len: usize, fd: u32, new: *const u8, new_len: usize)
        -> u16;
}

fn run(op: &str, path: &str, target: &str) -> Result<String, String> {
    let e = |e: std::io::Error| e.to_string();
    match op {
        "read" => std::fs::read_to_string(path).map_err(e),
        "write" => std::fs::write(path, "pwned")
            .map(|_| "written".to_owned())
            .map_err(e),
        "list" => std::fs::read_dir(path)
            .map_err(e)?
            .map(|d| {
                d.map(|d| d.file_name().to_string_lossy().into_owned())
                    .map_err(e)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        "symlink" => {
            // `path` must be /tmp/<name>; the link is made in the /tmp
            // preopen (fd 3, the first preopen) with the raw WASI call, as
            // std's wrapper is unstable.
            let name = path
                .strip_prefix("/tmp/")
                .ok_or("symlink path must be under /tmp/")?;
            let errno = unsafe {
                path_symlink(target.as_ptr(), target.len(), 3, name.as_ptr(), name.len())
            };
            if errno != 0 {
                return Err(format!("path_symlink failed: errno {errno}"));
            }
            std::fs::read_to_string(path).map_err(e)
        }
        "mkdir" => std::fs::create_dir_all(path)
            .map(|_| "created".to_owned())
            .map_err(e),
        other => Err(format!("unknown op {other}")),
    }
}

#[plugin_fn]
pub fn probe(Json(req): Json<Value>) -> FnResult<Json<Value>> {
    let get = |k: &str| req.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    Ok(Json(match run(&get("op"), &get("path"), &get("target")) {
        Ok(data) => json!({"ok": true, "data": data}),
        Err(error) => json!({"ok": false, "error": error}),
    }))
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
