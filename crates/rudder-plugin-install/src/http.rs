//! Downloads for the HTTP installer: blocking `GET` with ureq over rustls,
//! redirects followed (as Go's client does), proxies from the usual
//! environment variables, and a hard cap on the body size. No transparent
//! decompression: the cap counts the bytes on the wire.

use std::time::Duration;

use crate::error::InstallError;

/// Fetch `url`; Helm's `failed to fetch URL : STATUS` for a non-2xx answer.
pub(crate) fn get(url: &str, max_bytes: u64) -> Result<Vec<u8>, InstallError> {
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
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
