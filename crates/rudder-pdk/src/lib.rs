//! Guest SDK for rudder (and Helm 4) Wasm plugins.
//!
//! A plugin is a `cdylib` built for `wasm32-wasip1` that exports
//! `helm_plugin_main`. This crate gives each plugin type a typed entry
//! point: write a function from the type's input message to its output
//! message, and one macro line exports it with the Extism calling convention
//! (JSON in, JSON out, errors reported through Extism's `error_set`).
//!
//! ```
//! use rudder_pdk::{postrenderer, Error};
//!
//! fn add_labels(input: postrenderer::Input) -> Result<postrenderer::Output, Error> {
//!     Ok(postrenderer::Output { manifests: input.manifests.replace("kind: Pod", "kind: Pod # seen") })
//! }
//! rudder_pdk::postrenderer!(add_labels);
//! ```
//!
//! | macro | plugin.yaml `type` | input | output |
//! |---|---|---|---|
//! | [`postrenderer!`] | `postrenderer/v1` | [`postrenderer::Input`] (`manifests`, `extra_args`) | [`postrenderer::Output`] (`manifests`) |
//! | [`getter!`] | `getter/v1` | [`getter::Input`] (`href`, `protocol`, `options`) | [`getter::Output`] (`data` bytes) |
//! | [`cli!`] | `cli/v1` | [`cli::Input`] (`extra_args`) | [`cli::Output`] (empty: use WASI stdout) |
//! | [`plugin_main!`] | any | `<T as PluginType>::Input` | `<T as PluginType>::Output` |
//!
//! The messages are [`rudder_plugin_api`]'s, with Go `encoding/json` rules
//! (Go field names, case-insensitive decoding, padded base64), so the same
//! plugin works with Helm 4 wherever Helm's protocol can carry the data.
//! rudder's `postrenderer/v1` protocol sends the manifests as a JSON string
//! (`{"manifests":"<yaml>","extraArgs":[…]}` in, `{"manifests":"<yaml>"}`
//! out); Helm 4.2 sends `{}` there (a Go `*bytes.Buffer`), so Wasm
//! post-renderers only work under rudder.
//!
//! Inside Wasm the Extism helpers are re-exported: [`config`] (values from
//! plugin.yaml `runtimeConfig.config`), [`var`], [`http`] (only to
//! `allowedHosts`), and the `info!`/`debug!`/`warn!`/`error!`/`trace!` log
//! macros. Files are available only under `/tmp` and only with
//! `fileSystem.createTempDir: true`; the environment holds only what the
//! host grants.
//!
//! Guest crates must use edition 2021 or later and `crate-type = ["cdylib"]`.
//! Non-goals: no host-side code, no YAML parsing (bring your own crate).

pub use rudder_plugin_api::{
    DEFAULT_ENTRY_FUNCTION, PluginType, cli, decode_base64, encode_base64, getter, postrenderer,
    test,
};

#[cfg(target_arch = "wasm32")]
pub use extism_pdk::{
    self, HttpRequest, HttpResponse, config, debug, error, http, info, trace, var, warn,
};

/// The error a plugin function returns. Any `std::error::Error` converts
/// with `?`, and so do `String` and `&str` (`Err("bad input".into())`).
/// Its text becomes the host's error message (Helm: `plugin error: <text>`).
pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Decode `input` as `T`'s input message, run `f`, encode its output.
///
/// This is everything the entry macros do besides moving bytes in and out
/// of Extism memory, kept free of Wasm so it can be unit-tested natively.
/// The error string is what the host will show.
pub fn handle<T: PluginType>(
    input: &[u8],
    f: impl FnOnce(T::Input) -> Result<T::Output, Error>,
) -> Result<Vec<u8>, String> {
    let message = rudder_plugin_api::from_json::<T::Input>(input)
        .map_err(|e| format!("invalid {} input: {e}", T::NAME))?;
    let output = f(message).map_err(|e| e.to_string())?;
    // Outputs tend to be about as large as inputs (post-renderers).
    rudder_plugin_api::to_json_sized(&output, input.len() + input.len() / 4)
        .map_err(|e| format!("cannot encode {} output: {e}", T::NAME))
}

#[cfg(target_arch = "wasm32")]
mod entry;

#[doc(hidden)]
pub mod __private {
    #[cfg(target_arch = "wasm32")]
    pub use crate::entry::run;
}

/// Export `$f` (a `fn(<T>::Input) -> Result<<T>::Output, Error>`) as the
/// plugin's entry point for plugin type `$t`, under the name
/// `helm_plugin_main` or the given export name (plugin.yaml
/// `runtimeConfig.entryFuncName`).
#[macro_export]
macro_rules! plugin_main {
    ($t:ty, $f:path) => {
        $crate::plugin_main!($t, $f, helm_plugin_main);
    };
    ($t:ty, $f:path, $export:ident) => {
        // Only Wasm builds get the export; a native build (unit tests of
        // the plugin's own logic) still type-checks the function against
        // the plugin type, which also keeps it from looking unused.
        #[cfg(target_arch = "wasm32")]
        #[unsafe(no_mangle)]
        pub extern "C" fn $export() -> i32 {
            $crate::__private::run::<$t>($f)
        }
        #[cfg(not(target_arch = "wasm32"))]
        const _: fn(
            <$t as $crate::PluginType>::Input,
        ) -> ::core::result::Result<<$t as $crate::PluginType>::Output, $crate::Error> = $f;
    };
}

/// Export a `postrenderer/v1` entry point:
/// `fn(postrenderer::Input) -> Result<postrenderer::Output, Error>`.
#[macro_export]
macro_rules! postrenderer {
    ($f:path $(, $export:ident)?) => {
        $crate::plugin_main!($crate::postrenderer::PostRendererV1, $f $(, $export)?);
    };
}

/// Export a `getter/v1` entry point:
/// `fn(getter::Input) -> Result<getter::Output, Error>`.
#[macro_export]
macro_rules! getter {
    ($f:path $(, $export:ident)?) => {
        $crate::plugin_main!($crate::getter::GetterV1, $f $(, $export)?);
    };
}

/// Export a `cli/v1` entry point: `fn(cli::Input) -> Result<cli::Output,
/// Error>`. Write to stdout/stderr with `println!`/`eprintln!` (WASI
/// stdio, wired to the terminal by the host) and return
/// `cli::Output::default()`.
#[macro_export]
macro_rules! cli {
    ($f:path $(, $export:ident)?) => {
        $crate::plugin_main!($crate::cli::CliV1, $f $(, $export)?);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(input: postrenderer::Input) -> Result<postrenderer::Output, Error> {
        if input.extra_args.iter().any(|a| a == "--fail") {
            return Err("asked to fail".into());
        }
        Ok(postrenderer::Output {
            manifests: input.manifests.to_uppercase(),
        })
    }

    #[test]
    fn postrenderer_round_trip() {
        let out = handle::<postrenderer::PostRendererV1>(
            br#"{"manifests":"kind: a\n","extraArgs":[]}"#,
            upper,
        )
        .unwrap();
        assert_eq!(out, br#"{"manifests":"KIND: A\n"}"#);
    }

    #[test]
    fn errors_carry_the_plugin_text() {
        let err = handle::<postrenderer::PostRendererV1>(
            br#"{"manifests":"","extraArgs":["--fail"]}"#,
            upper,
        )
        .unwrap_err();
        assert_eq!(err, "asked to fail");
    }

    #[test]
    fn bad_input_names_the_plugin_type() {
        let err = handle::<postrenderer::PostRendererV1>(b"not json", upper).unwrap_err();
        assert!(err.starts_with("invalid postrenderer/v1 input:"), "{err}");
    }

    #[test]
    fn getter_output_is_padded_base64() {
        let out = handle::<getter::GetterV1>(
            br#"{"href":"echo://x","protocol":"echo","options":{}}"#,
            |i: getter::Input| {
                Ok(getter::Output {
                    data: i.href.into_bytes(),
                })
            },
        )
        .unwrap();
        assert_eq!(out, br#"{"data":"ZWNobzovL3g="}"#);
    }

    #[test]
    fn cli_output_is_empty_object() {
        let out = handle::<cli::CliV1>(br#"{"extraArgs":["a"]}"#, |i: cli::Input| {
            assert_eq!(i.extra_args, ["a"]);
            Ok(cli::Output::default())
        })
        .unwrap();
        assert_eq!(out, b"{}");
    }
}
