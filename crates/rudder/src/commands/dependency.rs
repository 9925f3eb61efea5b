//! `rudder dependency list [CHART]` (Helm's `pkg/cmd/dependency.go`):
//! the declared dependencies and their status against `charts/`.
//! `update` and `build` need chart repositories, which rudder does not have
//! yet: they fail with a clear error.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, Subcommand};
use rudder_env::Settings;

/// `rudder dependency` arguments.
#[derive(Args, Debug)]
pub(crate) struct DependencyArgs {
    /// The `dependency` subcommand.
    #[command(subcommand)]
    pub(crate) command: DependencyCommand,
}

/// The `dependency` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum DependencyCommand {
    /// list the dependencies for the given chart
    #[command(visible_alias = "ls")]
    List {
        /// CHART (default: the current directory)
        #[arg(value_name = "CHART", num_args = 0..=1)]
        chart: Option<String>,
        /// maximum column width for output table
        #[arg(long = "max-col-width", default_value_t = 80)]
        max_col_width: u32,
    },
    /// update charts/ based on the contents of Chart.yaml
    #[command(visible_alias = "up")]
    Update {
        /// CHART
        #[arg(value_name = "CHART", num_args = 0..=1)]
        chart: Option<String>,
    },
    /// rebuild the charts/ directory based on the Chart.lock file
    Build {
        /// CHART
        #[arg(value_name = "CHART", num_args = 0..=1)]
        chart: Option<String>,
    },
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(_settings: &Settings, args: &DependencyArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        DependencyCommand::List {
            chart,
            max_col_width,
        } => {
            let out = rudder_authoring::dependency::list(
                chart.as_deref().unwrap_or("."),
                usize::try_from(*max_col_width).unwrap_or(usize::MAX),
            )
            .map_err(|e| anyhow!("{e}"))?;
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        DependencyCommand::Update { .. } | DependencyCommand::Build { .. } => Err(anyhow!(
            "rudder dependency update/build is not supported yet: it needs chart repositories"
        )),
    }
}
