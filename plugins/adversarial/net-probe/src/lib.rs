//! HTTP probes through Extism's `http_request`: `fetch` takes a URL and
//! answers `{"status": …, "body": …}`. Refusals are host traps, which the
//! test sees as call errors.

use extism_pdk::*;
use serde_json::json;

#[plugin_fn]
pub fn fetch(url: String) -> FnResult<String> {
    let req = HttpRequest::new(url.trim());
    let res = http::request::<()>(&req, None)?;
    let body = String::from_utf8_lossy(&res.body()).into_owned();
    Ok(json!({"status": res.status_code(), "body": body, "headers": res.headers()}).to_string())
}

#[plugin_fn]
pub fn post(url: String) -> FnResult<String> {
    let req = HttpRequest::new(url.trim())
        .with_method("POST")
        .with_header("Authorization", "secret")
        .with_header("Host", "evil.example");
    let res = http::request::<String>(&req, Some("payload".to_owned()))?;
    Ok(format!(
        "{} {}",
        res.status_code(),
        String::from_utf8_lossy(&res.body())
    ))
}

#[plugin_fn]
pub fn ok(input: String) -> FnResult<String> {
    Ok(format!("ok:{input}"))
}
