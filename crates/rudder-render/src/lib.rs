//! Helm's render pipeline, from a loaded chart and its values to ordered
//! manifests.
//!
//! The stages, in data-flow order:
//!
//! 1. [`engine::render`]: build each chart's template context (`.Values`,
//!    `.Chart`, `.Release`, `.Capabilities`, `.Files`, `.Template`,
//!    `.Subcharts`), parse every template of the tree into one Go template
//!    set and execute the non-partial files in Helm's order
//!    (`pkg/engine/engine.go`), with Helm's error reshaping ([`errors`]).
//! 2. [`manifest::sort_manifests`]: split each rendered file into documents,
//!    separate hooks from manifests and sort both by kind
//!    (`pkg/release/v1/util`).
//!
//! This crate does no I/O and never talks to a cluster: `lookup` is
//! answered by the function library's offline behaviour.

pub mod capabilities;
pub mod engine;
pub mod errors;
pub mod files;
pub mod manifest;

pub use capabilities::{Capabilities, HelmVersion, KubeVersion};
pub use engine::{EngineOptions, ParseCache, ReleaseInfo, RenderChart, RenderError, render};
pub use files::Files;
pub use manifest::{
    Hook, HookEvent, Manifest, ManifestError, Sorted, sort_manifests, split_manifests,
};
