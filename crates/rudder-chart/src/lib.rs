//! Helm charts for rudder: the [`Chart`] model and its loader, compatible
//! with Helm 4.2.3 (chart API v1 and v2).
//!
//! ```no_run
//! let chart = rudder_chart::load(std::path::Path::new("./mychart"))?;
//! rudder_chart::check_dependencies(&chart)?;
//! println!("{} {}", chart.name(), chart.metadata.version);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What it reproduces (spec §1):
//!
//! * directories ([`load_dir`]): byte-ordered walk, symbolic links
//!   followed, the root `.helmignore` with Helm's own rule semantics
//!   ([`ignore`]), BOM stripping, the 5 MiB file limit;
//! * archives ([`load_archive_bytes`], [`load_archive_file`]): gzip + tar in
//!   memory, path safety checks and size limits with Helm's error texts
//!   ([`archive`]); nothing is ever written to disk;
//! * file classification, `Chart.yaml` decoding with `sigs.k8s.io/yaml`
//!   quirks and Helm's validation ([`Metadata`]), v1 `requirements.yaml` and
//!   `requirements.lock`, subcharts under `charts/` (directories and `.tgz`,
//!   `_`/`.`-prefixed ones skipped, stray files an error);
//! * `.Chart` as Helm 4 builds it ([`Metadata::to_value`]), CRD listing
//!   ([`Chart::crd_objects`]), `helm template`'s dependency presence check
//!   ([`check_dependencies`]) and Masterminds semver constraints
//!   ([`semver`]) for `kubeVersion` and dependency ranges.
//!
//! Non-goals: chart API v3 (experimental in Helm, rejected here as
//! unsupported), packaging, provenance, and dependency processing (tags,
//! conditions, aliases, import-values), which lives in `rudder-values`.
//!
//! A [`Chart`] holds its default values as a `rudder_value::Map`, so it is
//! not `Send`: load it on the thread that renders it.

pub mod archive;
mod chart;
mod error;
pub mod ignore;
mod loader;
mod metadata;
pub mod semver;
mod yaml;

pub use chart::{Chart, ChartFile, Crd, DependencyError, check_dependencies};
pub use error::LoadError;
pub use loader::{load, load_archive_bytes, load_archive_file, load_dir, load_files};
pub use metadata::{
    API_VERSION_V1, API_VERSION_V2, DecodeError, Dependency, Lock, Maintainer, Metadata,
    ValidationError, sanitize,
};
