//! `rudder version`.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::VersionArgs;

/// rudder's version.
pub(crate) const VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));
/// The Helm release whose behaviour rudder reproduces.
pub(crate) const HELM_COMPAT: &str = "v4.2.3";

pub(crate) fn run(args: &VersionArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.template.is_some() {
        anyhow::bail!("--template is not supported by rudder version yet");
    }
    if args.short.unwrap_or(false) {
        writeln!(out, "{VERSION}")?;
    } else {
        writeln!(
            out,
            "version.BuildInfo{{Version:\"{VERSION}\", HelmCompatibility:\"{HELM_COMPAT}\", GitCommit:\"\", GitTreeState:\"\"}}"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
