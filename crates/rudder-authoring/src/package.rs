//! `helm package` (`pkg/action/package.go`): load a chart directory,
//! optionally override `version`/`appVersion`, check its dependencies, and
//! write `<name>-<version>.tgz` as Helm's `chartutil.Save` lays it out.
//! Signing lives in `rudder-provenance`; the CLI chains the two.

use std::path::{Path, PathBuf};

use rudder_chart::Chart;

use crate::error::AuthoringError;
use crate::save::{self, ChartTimes};
use crate::util;

/// `helm package` options that shape the archive.
#[derive(Debug, Clone, Default)]
pub struct PackageOptions {
    /// `--version`: replaces `version` (must be SemVer).
    pub version: Option<String>,
    /// `--app-version`: replaces `appVersion`.
    pub app_version: Option<String>,
    /// `--destination`; `None` (or `.`) is the working directory.
    pub destination: Option<PathBuf>,
}

/// A packaged chart.
#[derive(Debug, Clone)]
pub struct Packaged {
    /// The archive written.
    pub path: PathBuf,
    /// The chart as packaged (with the overrides applied).
    pub chart: Chart,
}

/// Packages the chart directory at `path`.
pub fn package(path: &Path, opts: &PackageOptions) -> Result<Packaged, AuthoringError> {
    let dir = util::abs(path);
    let mut chart = rudder_chart::load_dir(&dir)?;
    let times = ChartTimes::from_dir(&dir, &chart);
    if let Some(v) = opts.version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.version = v.to_owned();
    }
    rudder_chart::semver::Version::parse(&chart.metadata.version)
        .map_err(|e| AuthoringError::InvalidVersion(e.to_string()))?;
    if let Some(v) = opts.app_version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.app_version = v.to_owned();
    }
    if chart
        .metadata
        .dependencies
        .as_ref()
        .is_some_and(|d| !d.is_empty())
    {
        rudder_chart::check_dependencies(&chart)
            .map_err(|e| AuthoringError::Dependencies(e.to_string()))?;
    }
    let dest = match &opts.destination {
        Some(d) if d.as_os_str() != "." => d.clone(),
        _ => std::env::current_dir()
            .map_err(|e| AuthoringError::Io(format!("getwd: {}", util::errno_text(&e))))?,
    };
    let path = save::save(&chart, &times, &dest)
        .map_err(|e| AuthoringError::Other(format!("failed to save: {e}")))?;
    Ok(Packaged { path, chart })
}
