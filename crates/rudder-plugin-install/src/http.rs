//! Downloads for the HTTP installer: blocking `GET` with ureq over rustls,
//! redirects followed (as Go's client does), proxies from the usual
//! environment variables, and a hard cap on the body size. No transparent
//! decompression: the cap counts the bytes on the wire.

use std::time::Duration;

use crate::error::InstallError;

/// Fetch `url`; Helm's `failed to fetch URL : STATUS` for a non-2xx answer.
pub(crate) fn get(url: &str, max_bytes: u64) -> Result<Vec<u8>, InstallError> {
    let mut config = ureq::Agent::config_builder();
    if is_loopback(url) {
        // Go's ProxyFromEnvironment never proxies loopback addresses.
        config = config.proxy(None);
    }
    let agent = ureq::Agent::new_with_config(
        config
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .user_agent(concat!("rudder/", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let fail = |reason: String| InstallError::Fetch {
        url: url.to_owned(),
        reason,
    };
    let resp = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    let status = resp.status();
    if !status.is_success() {
        let text = match status.canonical_reason() {
            Some(r) => format!("{} {r}", status.as_u16()),
            None => status.as_u16().to_string(),
        };
        return Err(fail(text));
    }
    resp.into_body()
        .with_config()
        .limit(max_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => fail(format!(
                "the download is larger than the maximum size {max_bytes}"
            )),
            other => fail(other.to_string()),
        })
}

/// Whether the URL's host is `localhost` or a loopback address.
fn is_loopback(url: &str) -> bool {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_hosts() {
        assert!(super::is_loopback("http://127.0.0.1:8080/a.tgz"));
        assert!(super::is_loopback("http://[::1]:80/a.tgz"));
        assert!(super::is_loopback("https://user@LOCALHOST/a.tgz"));
        assert!(!super::is_loopback("https://example.com/a.tgz"));
    }
}
