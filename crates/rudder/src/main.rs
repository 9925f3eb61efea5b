//! The `rudder` binary: parse flags, dispatch, print errors as Helm does.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            #[allow(
                clippy::print_stderr,
                reason = "the CLI reports errors on stderr, as Helm does"
            )]
            {
                eprintln!("Error: {err:#}");
            }
            ExitCode::FAILURE
        }
    }
}
