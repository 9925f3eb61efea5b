//! The messages rudder exchanges with plugins, shared by the host
//! (`rudder-plugin`) and the guest SDK (`rudder-pdk`).
//!
//! Helm 4 talks to Wasm plugins in JSON produced and consumed by Go's
//! `encoding/json` (`internal/plugin/schema` in Helm). To stay
//! wire-compatible, this crate reproduces Go's rules rather than serde's
//! defaults:
//!
//! * **Encoding** ([`to_json`]): Go's field names and field order, `[]byte`
//!   as padded standard base64, `time.Duration` as integer nanoseconds, and
//!   Go's HTML-safe string escaping (`<`, `>`, `&`, U+2028 and U+2029 become
//!   `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`).
//! * **Decoding** ([`from_json`]): keys match field names exactly or, failing
//!   that, case-insensitively; unknown keys are ignored; `null` leaves a
//!   field at its zero value; a value of the wrong JSON type is an error in
//!   Go's words (`json: cannot unmarshal string into Go struct field
//!   OutputMessageTestV1.Greeting of type string`).
//!
//! One message pair per plugin type:
//!
//! | Module | Type | Input | Output |
//! |---|---|---|---|
//! | [`cli`] | `cli/v1` | `{"extraArgs":[…]}` | `{}` (output goes through WASI stdio) |
//! | [`getter`] | `getter/v1` | `{"href":…,"protocol":…,"options":{…}}` | `{"data":"<base64>"}` |
//! | [`postrenderer`] | `postrenderer/v1` | `{"manifests":"…","extraArgs":[…]}` | `{"manifests":"…"}` |
//! | [`test`] | `test/v1` | `{"Name":…}` | `{"Greeting":…}` |
//!
//! ```
//! use rudder_plugin_api::{from_json, getter, to_json};
//!
//! let input = getter::Input { href: "demo://x/c.tgz".into(), protocol: "demo".into(), ..Default::default() };
//! let wire = String::from_utf8(to_json(&input)?).unwrap();
//! assert!(wire.starts_with(r#"{"href":"demo://x/c.tgz","protocol":"demo","options":{"URL":"""#));
//!
//! // Go decodes keys case-insensitively.
//! let out: getter::Output = from_json(br#"{"Data":"aGVsbG8="}"#)?;
//! assert_eq!(out.data, b"hello");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Where rudder differs from Helm
//!
//! Helm 4 declares the post-renderer manifests (and the CLI output `data`)
//! as Go `*bytes.Buffer`, which `encoding/json` writes as `{}`: a Wasm
//! post-renderer in Helm 4.2 never sees the manifests and cannot return
//! any. rudder's [`postrenderer`] messages carry the manifests as a JSON
//! string instead, which makes Wasm post-renderers work. A plugin written
//! against Helm's shape cannot work in Helm anyway, so nothing usable is
//! lost.
//!
//! Not modelled: Go replaces invalid UTF-8 and lone surrogate escapes in
//! strings with U+FFFD where serde_json rejects them, and serde_json stops
//! at 128 levels of nesting where Go allows 10000. Syntax errors carry
//! serde_json's wording (except `unexpected end of JSON input`); the host
//! checks syntax with rudder's Go-compatible scanner first.
//!
//! This crate depends on serde and serde_json only, so it builds for
//! `wasm32-wasip1`.

mod base64;
pub mod cli;
pub mod getter;
mod go;
pub mod postrenderer;
pub mod test;

pub use base64::{CorruptInput, decode_base64, encode_base64};
pub use go::{DecodeError, EncodeError, GoDecode, Place, from_json, to_json, to_json_sized};

/// The export Helm calls in a Wasm plugin unless `entryFuncName` says
/// otherwise.
pub const DEFAULT_ENTRY_FUNCTION: &str = "helm_plugin_main";

/// A plugin type (`cli/v1`, …) and the messages its invocations exchange.
pub trait PluginType {
    /// The `type` value in `plugin.yaml`.
    const NAME: &'static str;
    /// What the host sends.
    type Input: GoDecode + serde::Serialize + Default;
    /// What the plugin answers.
    type Output: GoDecode + serde::Serialize + Default;
}
