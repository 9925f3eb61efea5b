//! `getter/v1`: a plugin that downloads `<scheme>://…` URLs (charts,
//! repository indexes) for the schemes it declares in `config.protocols`.

use crate::go::go_struct;

go_struct! {
    /// The download options (Helm's `getter.Options`), with Go's field
    /// names: `{"URL":"","CertFile":"",…,"Timeout":0}`.
    pub struct GetterOptions as "GetterOptionsV1" {
        /// The repository URL the request belongs to (`URL`).
        pub url: String => "URL",
        /// TLS client certificate file (`CertFile`).
        pub cert_file: String => "CertFile",
        /// TLS client key file (`KeyFile`).
        pub key_file: String => "KeyFile",
        /// CA bundle file (`CAFile`).
        pub ca_file: String => "CAFile",
        /// Whether the caller wants an untarred result (`UNTar`).
        pub untar: bool => "UNTar",
        /// Skip TLS verification (`InsecureSkipVerifyTLS`).
        pub insecure_skip_verify_tls: bool => "InsecureSkipVerifyTLS",
        /// Use plain HTTP (`PlainHTTP`).
        pub plain_http: bool => "PlainHTTP",
        /// The `Accept` header to send (`AcceptHeader`); chart downloads use
        /// `application/gzip,application/octet-stream`.
        pub accept_header: String => "AcceptHeader",
        /// Basic-auth user name (`Username`).
        pub username: String => "Username",
        /// Basic-auth password (`Password`).
        pub password: String => "Password",
        /// Send credentials to every domain, not only the repository's
        /// (`PassCredentialsAll`).
        pub pass_credentials_all: bool => "PassCredentialsAll",
        /// The `User-Agent` to send (`UserAgent`).
        pub user_agent: String => "UserAgent",
        /// The chart version asked for (`Version`, OCI tags).
        pub version: String => "Version",
        /// Go `time.Duration`: nanoseconds, `0` = none (`Timeout`). Helm never
        /// passes its 120 s default to plugin getters, so this is usually 0.
        pub timeout: i64 => "Timeout",
    }
}

impl GetterOptions {
    /// [`GetterOptions::timeout`] as a duration; `None` for zero or
    /// negative values (no timeout).
    pub fn timeout_duration(&self) -> Option<std::time::Duration> {
        u64::try_from(self.timeout)
            .ok()
            .filter(|n| *n > 0)
            .map(std::time::Duration::from_nanos)
    }
}

go_struct! {
    /// What the host sends: `{"href":"s3://b/c.tgz","protocol":"s3","options":{…}}`.
    pub struct Input as "InputMessageGetterV1" {
        /// The full URL to fetch.
        pub href: String => "href",
        /// Its scheme (one of the plugin's protocols).
        pub protocol: String => "protocol",
        /// The download options.
        pub options: GetterOptions => "options",
    }
}

go_struct! {
    /// What the plugin answers: `{"data":"<padded standard base64>"}`.
    pub struct Output as "OutputMessageGetterV1" {
        /// The downloaded bytes.
        #[serde(serialize_with = "crate::base64::serialize")]
        pub data: Vec<u8> => "data",
    }
}

/// The `getter/v1` plugin type.
#[derive(Clone, Copy, Debug)]
pub struct GetterV1;

impl crate::PluginType for GetterV1 {
    const NAME: &'static str = "getter/v1";
    type Input = Input;
    type Output = Output;
}
