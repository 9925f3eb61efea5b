//! `rudder lint` (placeholder while the linter is wired in).

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use rudder_env::Settings;

/// `rudder lint` arguments.
#[derive(Args, Debug)]
pub(crate) struct LintArgs {
    /// PATH
    #[arg(value_name = "PATH", required = true)]
    pub(crate) paths: Vec<String>,
}

pub(crate) fn run(_settings: &Settings, _args: &LintArgs) -> anyhow::Result<ExitCode> {
    Err(anyhow!("rudder lint is not available in this build"))
}
