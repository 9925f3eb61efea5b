//! `postrenderer/v1`: a plugin that rewrites the rendered manifests
//! (`--post-renderer NAME --post-renderer-args ARG`).
//!
//! # rudder's protocol differs from Helm 4's (on purpose)
//!
//! Helm 4.2 declares `manifests` as a Go `*bytes.Buffer`, which
//! `encoding/json` encodes as `{}` and cannot decode data into: Helm sends
//! `{"manifests":{},"extraArgs":[…]}` and a Wasm post-renderer can neither
//! see the manifests nor return any (Helm then fails with `produced empty
//! output`, or crashes on `{}`). rudder sends and expects the manifests as a
//! JSON string, `{"manifests":"apiVersion: v1\n…","extraArgs":[…]}`, so Wasm
//! post-renderers work. Subprocess post-renderers are unaffected: they get
//! the manifests on stdin in both tools.

use crate::go::go_struct;

go_struct! {
    /// What the host sends: the manifests as one YAML stream (each document
    /// annotated with `postrenderer.helm.sh/postrender-filename`) and the
    /// `--post-renderer-args` values.
    pub struct Input as "InputMessagePostRendererV1" {
        /// The YAML stream.
        pub manifests: String => "manifests",
        /// `--post-renderer-args`, in order.
        pub extra_args: Vec<String> => "extraArgs",
    }
}

go_struct! {
    /// What the plugin answers: the rewritten YAML stream. Documents that
    /// keep their filename annotation go back to their template file; others
    /// are listed as `generated-by-postrender-<i>.yaml`.
    pub struct Output as "OutputMessagePostRendererV1" {
        /// The YAML stream.
        pub manifests: String => "manifests",
    }
}

/// The `postrenderer/v1` plugin type.
#[derive(Clone, Copy, Debug)]
pub struct PostRendererV1;

impl crate::PluginType for PostRendererV1 {
    const NAME: &'static str = "postrenderer/v1";
    type Input = Input;
    type Output = Output;
}
