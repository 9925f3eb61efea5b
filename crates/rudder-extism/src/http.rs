//! Outbound HTTP for the `http_request` host function.
//!
//! Security: the allow-list is checked here, and only here, against the
//! host of **every** URL we connect to. The ureq agent is built with
//! `max_redirects(0)`, so it never follows a redirect on its own; we follow
//! 3xx responses ourselves and re-check each `Location` before connecting
//! (upstream Extism checks only the first URL and lets ureq follow redirects
//! anywhere). Credentials headers are dropped when a redirect changes host.
//! The response body is read with a hard limit, and there is no transparent
//! decompression, so the limit applies to the bytes on the wire.
//!
//! What is *not* checked: DNS. A permitted name that resolves to an internal
//! address is reachable; the allow-list is about names, exactly like
//! Extism's (see docs/security.md).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use ureq::http::{self, Uri};

/// Most redirect hops followed before giving up (ureq's and browsers'
/// customary limit).
const MAX_REDIRECTS: usize = 10;

/// Extism's default for `max_http_response_bytes` (50 MiB).
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: u64 = 50 * 1024 * 1024;

/// The JSON the guest sends (Extism's `HttpRequest`).
#[derive(Debug, Deserialize)]
pub(crate) struct Request {
    pub(crate) url: String,
    #[serde(default)]
    pub(crate) headers: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) method: Option<String>,
}

/// What the host function hands back to the guest.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Lower-cased names; repeated headers joined with ", ".
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) body: Vec<u8>,
}

/// Glob match as Extism's `allowed_hosts` uses it: `*` matches any run of
/// characters (including dots), `?` exactly one, `[...]`/`[!...]` a class
/// with `a-z` ranges. An unterminated class makes the pattern invalid, and
/// invalid patterns are compared literally (Extism does the same).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    if !glob_valid(&p) {
        return pattern == text;
    }
    // Iterative matcher with single-star backtracking: linear-ish, and no
    // recursion a hostile pattern could blow up.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = class_match(&p, pi, t[ti])
                        && matched
                    {
                        pi = next;
                        ti += 1;
                        continue;
                    }
                }
                c if c == t[ti] => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn glob_valid(p: &[char]) -> bool {
    let mut i = 0;
    while i < p.len() {
        if p[i] == '[' {
            match class_end(p, i) {
                Some(end) => i = end,
                None => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

/// Index just past the `]` closing the class opened at `start`.
fn class_end(p: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if p.get(i) == Some(&'!') {
        i += 1;
    }
    // A `]` right after the opening bracket is a literal member.
    if p.get(i) == Some(&']') {
        i += 1;
    }
    while i < p.len() {
        if p[i] == ']' {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// Does the class at `start` match `c`? Returns (matched, index after class).
fn class_match(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let end = class_end(p, start)?;
    let mut i = start + 1;
    let negated = p.get(i) == Some(&'!');
    if negated {
        i += 1;
    }
    let mut found = false;
    let last = end - 1; // index of the closing ']'
    while i < last {
        if i + 2 < last && p[i + 1] == '-' {
            if p[i] <= c && c <= p[i + 2] {
                found = true;
            }
            i += 3;
        } else {
            if p[i] == c {
                found = true;
            }
            i += 1;
        }
    }
    Some((found != negated, end))
}

/// Is `host` (already lower-cased) permitted by any allow-list entry?
pub(crate) fn host_allowed(allowed_hosts: &[String], host: &str) -> bool {
    !host.is_empty()
        && allowed_hosts
            .iter()
            .any(|pattern| glob_match(&pattern.to_ascii_lowercase(), host))
}

/// Parse `url` and check it against the allow-list. Returns the parsed URI.
fn checked_uri(allowed_hosts: &[String], url: &str) -> Result<Uri, String> {
    let uri: Uri = url
        .parse()
        .map_err(|e| format!("invalid URL {url:?}: {e}"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => {
            return Err(format!(
                "unsupported URL scheme in {url:?} (only http and https)"
            ));
        }
    }
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    if !host_allowed(allowed_hosts, &host) {
        return Err(format!("HTTP request to {url} is not allowed"));
    }
    Ok(uri)
}

/// Resolve a `Location` header against the URL that produced it.
fn resolve_location(base: &Uri, location: &str) -> Option<String> {
    if location.contains("://") {
        return Some(location.to_owned());
    }
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    // Relative path: replace the last segment of the base path.
    let path = base.path();
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    Some(format!("{scheme}://{authority}{dir}{location}"))
}

/// Headers that must not follow a redirect to another host.
fn is_credential_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("cookie")
        || name.eq_ignore_ascii_case("proxy-authorization")
}

/// Perform the guest's request, following redirects under the allow-list.
///
/// `remaining` is what is left of the call's timeout; it bounds every hop
/// (connect, send and receive) so a slow server cannot outlive the timeout.
pub(crate) fn execute(
    agent: &ureq::Agent,
    allowed_hosts: &[String],
    max_body: u64,
    req: &Request,
    mut body: Option<Vec<u8>>,
    remaining: Option<Duration>,
) -> Result<Response, String> {
    let started = std::time::Instant::now();
    let mut method = req.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
    let mut headers = req.headers.clone();
    // The Host header always comes from the (checked) URL: a guest-chosen
    // Host would let it address other virtual hosts behind an allowed
    // server or proxy.
    headers.retain(|k, _| !k.eq_ignore_ascii_case("host"));
    let mut url = req.url.clone();
    let mut uri = checked_uri(allowed_hosts, &url)?;
    for _hop in 0..=MAX_REDIRECTS {
        let timeout = match remaining {
            Some(total) => {
                let left = total.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err("timeout".to_owned());
                }
                Some(left)
            }
            None => None,
        };
        let mut response = send(agent, &method, &uri, &headers, body.as_deref(), timeout)
            .map_err(|e| format!("HTTP request to {url} failed: {e}"))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let (301 | 302 | 303 | 307 | 308, Some(location)) = (status, location) {
            let next = resolve_location(&uri, &location).ok_or_else(|| {
                format!("HTTP redirect from {url} has an unusable Location {location:?}")
            })?;
            let next_uri = checked_uri(allowed_hosts, &next)
                .map_err(|e| format!("HTTP redirect from {url} refused: {e}"))?;
            if next_uri.host() != uri.host() {
                headers.retain(|k, _| !is_credential_header(k));
            }
            // 303 always, and 301/302 for anything but GET/HEAD, turn into
            // a body-less GET (what browsers and ureq do); 307/308 keep both.
            if status == 303 || (matches!(status, 301 | 302) && method != "GET" && method != "HEAD")
            {
                method = "GET".to_owned();
                body = None;
            }
            url = next;
            uri = next_uri;
            continue;
        }
        let mut out_headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in response.headers() {
            if let Ok(value) = value.to_str() {
                out_headers
                    .entry(name.as_str().to_owned())
                    .and_modify(|v| {
                        v.push_str(", ");
                        v.push_str(value);
                    })
                    .or_insert_with(|| value.to_owned());
            }
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(max_body)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!(
                    "HTTP response exceeds the configured maximum number of bytes: {max_body}"
                ),
                other => format!("HTTP response from {url} could not be read: {other}"),
            })?;
        return Ok(Response {
            status,
            headers: out_headers,
            body,
        });
    }
    Err(format!(
        "HTTP request to {} gave more than {MAX_REDIRECTS} redirects",
        req.url
    ))
}

fn send(
    agent: &ureq::Agent,
    method: &str,
    uri: &Uri,
    headers: &BTreeMap<String, String>,
    body: Option<&[u8]>,
    timeout: Option<Duration>,
) -> Result<http::Response<ureq::Body>, String> {
    let mut builder = http::Request::builder().method(method).uri(uri.clone());
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    match body {
        Some(bytes) => {
            let request = builder.body(bytes).map_err(|e| e.to_string())?;
            let request = agent
                .configure_request(request)
                .timeout_global(timeout)
                .allow_non_standard_methods(true)
                .build();
            agent.run(request).map_err(|e| e.to_string())
        }
        None => {
            let request = builder.body(()).map_err(|e| e.to_string())?;
            let request = agent
                .configure_request(request)
                .timeout_global(timeout)
                .allow_non_standard_methods(true)
                .build();
            agent.run(request).map_err(|e| e.to_string())
        }
    }
}

/// The agent every plugin instance uses: never follows redirects itself,
/// reports HTTP error statuses as responses (the guest sees the code).
pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        assert!(glob_match("example.com", "example.com"));
        assert!(!glob_match("example.com", "example.org"));
        assert!(glob_match("*.example.com", "api.example.com"));
        assert!(glob_match("*.example.com", "a.b.example.com"));
        assert!(!glob_match("*.example.com", "example.com"));
        assert!(!glob_match("*.example.com", "evil-example.com"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("127.0.0.?", "127.0.0.1"));
        assert!(!glob_match("127.0.0.?", "127.0.0.12"));
        assert!(glob_match("host[0-9]", "host7"));
        assert!(!glob_match("host[!0-9]", "host7"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        // Invalid pattern: literal comparison.
        assert!(glob_match("[abc", "[abc"));
        assert!(!glob_match("[abc", "a"));
    }

    #[test]
    fn allow_list_is_case_insensitive_and_denies_empty_hosts() {
        let allowed = vec!["API.Example.com".to_owned()];
        assert!(host_allowed(&allowed, "api.example.com"));
        assert!(!host_allowed(&allowed, ""));
        assert!(!host_allowed(&[], "api.example.com"));
    }

    #[test]
    fn checked_uri_uses_the_real_host_not_userinfo() {
        let allowed = vec!["good.example".to_owned()];
        assert!(checked_uri(&allowed, "http://good.example/x").is_ok());
        let err = checked_uri(&allowed, "http://good.example@evil.example/").unwrap_err();
        assert!(err.contains("is not allowed"), "{err}");
        let err = checked_uri(&allowed, "ftp://good.example/x").unwrap_err();
        assert!(err.contains("unsupported URL scheme"), "{err}");
        assert!(checked_uri(&allowed, "not a url").is_err());
    }

    #[test]
    fn locations_resolve_like_a_browser() {
        let base: Uri = "http://a.example:8080/dir/page?q=1".parse().unwrap();
        assert_eq!(
            resolve_location(&base, "http://b.example/x").as_deref(),
            Some("http://b.example/x")
        );
        assert_eq!(
            resolve_location(&base, "//c.example/y").as_deref(),
            Some("http://c.example/y")
        );
        assert_eq!(
            resolve_location(&base, "/abs").as_deref(),
            Some("http://a.example:8080/abs")
        );
        assert_eq!(
            resolve_location(&base, "rel").as_deref(),
            Some("http://a.example:8080/dir/rel")
        );
    }
}
