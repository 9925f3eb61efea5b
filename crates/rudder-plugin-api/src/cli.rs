//! `cli/v1`: a plugin run as a `rudder <name>` subcommand.
//!
//! A Wasm CLI plugin does its real I/O through WASI stdin/stdout/stderr and
//! reads Helm's settings from its WASI environment (`HELM_NAMESPACE`, …);
//! the JSON messages only carry the arguments in and nothing out.

use crate::go::{GoBuffer, go_struct};

go_struct! {
    /// What the host sends: the user's arguments after the global flags
    /// were taken out (none at all when the plugin sets `ignoreFlags`).
    /// Wire shape: `{"extraArgs":["--foo","bar"]}`.
    pub struct Input as "InputMessageCLIV1" {
        /// The forwarded arguments, in order.
        pub extra_args: Vec<String> => "extraArgs",
    }
}

go_struct! {
    /// What the plugin answers: nothing. Helm declares a `data` field of Go
    /// type `*bytes.Buffer`, which JSON cannot fill, so the host accepts
    /// `{}`, `null`, `{"data":null}` or `{"data":{…}}` and rejects any other
    /// `data` (as Helm does). Encodes as `{}`.
    pub struct Output as "OutputMessageCLIV1" {
        #[serde(skip_serializing)]
        #[allow(dead_code, reason = "only decoded, to reject what Helm rejects")]
        data: GoBuffer => "data",
    }
}

/// The `cli/v1` plugin type.
#[derive(Clone, Copy, Debug)]
pub struct CliV1;

impl crate::PluginType for CliV1 {
    const NAME: &'static str = "cli/v1";
    type Input = Input;
    type Output = Output;
}
