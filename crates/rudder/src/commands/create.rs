//! `rudder create NAME [--starter STARTER]` (Helm's `pkg/cmd/create.go`):
//! prints `Creating NAME`, warns on stdout about each overwritten file, and
//! writes Helm 4.2.3's scaffold (or the starter, renamed).

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use rudder_env::Settings;

/// `rudder create` arguments.
#[derive(Args, Debug)]
pub(crate) struct CreateArgs {
    /// NAME
    #[arg(value_name = "NAME", num_args = 1, required = true)]
    pub(crate) name: String,
    /// the name or absolute path to Helm starter scaffold
    #[arg(short = 'p', long)]
    pub(crate) starter: Option<String>,
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(settings: &Settings, args: &CreateArgs) -> anyhow::Result<ExitCode> {
    println!("Creating {}", args.name);
    match args.starter.as_deref().filter(|s| !s.is_empty()) {
        Some(starter) => {
            let path = rudder_authoring::create::starter_path(
                starter,
                &settings.paths.data_path("starters"),
            );
            rudder_authoring::create::create_from_starter(&args.name, &path)
                .map_err(|e| anyhow!("{e}"))?;
        }
        None => {
            let created =
                rudder_authoring::create::create(&args.name).map_err(|e| anyhow!("{e}"))?;
            for p in created.overwritten {
                println!(
                    "WARNING: File {} already exists. Overwriting.",
                    rudder_value::fmt::quote(&p.display().to_string())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
