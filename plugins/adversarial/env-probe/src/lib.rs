//! Looks for ambient authority: environment variables, arguments, the
//! working directory and the filesystem root. Answers a JSON report.

use extism_pdk::*;
use serde_json::json;

#[plugin_fn]
pub fn probe(_: ()) -> FnResult<String> {
    let vars: Vec<(String, String)> = std::env::vars().collect();
    let args: Vec<String> = std::env::args().collect();
    let root = std::fs::read_dir("/")
        .map(|d| d.count())
        .map_err(|e| e.to_string());
    let etc = std::fs::read_to_string("/etc/hostname").map_err(|e| e.to_string());
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .map_err(|e| e.to_string());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(json!({
        "vars": vars,
        "args": args,
        "root": format!("{root:?}"),
        "etc_hostname": format!("{etc:?}"),
        "cwd": format!("{cwd:?}"),
        "unix_time": now,
    })
    .to_string())
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
