//! `rudder show all|chart|values|readme|crds CHART` (Helm's
//! `pkg/cmd/show.go`) for local charts (directories and archives).

use std::path::Path;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, Subcommand};
use rudder_authoring::show::ShowFormat;
use rudder_env::Settings;

use crate::cli::go_bool;

/// `rudder show` arguments.
#[derive(Args, Debug)]
pub(crate) struct ShowArgs {
    /// The `show` subcommand.
    #[command(subcommand)]
    pub(crate) command: ShowCommand,
}

/// Flags every `show` subcommand takes (Helm's chart path options).
#[derive(Args, Debug, Default)]
pub(crate) struct ShowFlags {
    /// [CHART]
    #[arg(value_name = "CHART", num_args = 1, required = true)]
    pub(crate) chart: String,
    /// use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) devel: Option<bool>,
    /// specify a version constraint for the chart version to use. This constraint can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. ^2.0.0). If this is not specified, the latest version is used
    #[arg(long)]
    pub(crate) version: Option<String>,
    /// verify the package before using it
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) verify: Option<bool>,
    /// location of public keys used for verification
    #[arg(long)]
    pub(crate) keyring: Option<String>,
    /// chart repository url where to locate the requested chart
    #[arg(long)]
    pub(crate) repo: Option<String>,
    /// chart repository username where to locate the requested chart
    #[arg(long)]
    pub(crate) username: Option<String>,
    /// chart repository password where to locate the requested chart
    #[arg(long)]
    pub(crate) password: Option<String>,
    /// identify HTTPS client using this SSL certificate file
    #[arg(long = "cert-file")]
    pub(crate) cert_file: Option<String>,
    /// identify HTTPS client using this SSL key file
    #[arg(long = "key-file")]
    pub(crate) key_file: Option<String>,
    /// skip tls certificate checks for the chart download
    #[arg(long = "insecure-skip-tls-verify", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) insecure_skip_tls_verify: Option<bool>,
    /// use insecure HTTP connections for the chart download
    #[arg(long = "plain-http", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) plain_http: Option<bool>,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long = "ca-file")]
    pub(crate) ca_file: Option<String>,
    /// pass credentials to all domains
    #[arg(long = "pass-credentials", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) pass_credentials: Option<bool>,
}

/// The `show` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum ShowCommand {
    /// show all information of the chart
    All(ShowFlags),
    /// show the chart's README
    Readme(ShowFlags),
    /// show the chart's values
    Values {
        /// The common flags.
        #[command(flatten)]
        flags: ShowFlags,
        /// supply a JSONPath expression to filter the output
        #[arg(long)]
        jsonpath: Option<String>,
    },
    /// show the chart's definition
    Chart(ShowFlags),
    /// show the chart's CRDs
    Crds(ShowFlags),
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(settings: &Settings, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let (flags, format) = match &args.command {
        ShowCommand::All(f) => (f, ShowFormat::All),
        ShowCommand::Readme(f) => (f, ShowFormat::Readme),
        ShowCommand::Chart(f) => (f, ShowFormat::Chart),
        ShowCommand::Crds(f) => (f, ShowFormat::Crds),
        ShowCommand::Values { flags, jsonpath } => {
            if jsonpath.as_deref().is_some_and(|j| !j.is_empty()) {
                return Err(anyhow!(
                    "--jsonpath is not supported by rudder yet (Kubernetes JSONPath templates)"
                ));
            }
            (flags, ShowFormat::Values)
        }
    };
    if flags.repo.as_deref().is_some_and(|r| !r.is_empty()) || flags.chart.contains("://") {
        return Err(anyhow!(
            "rudder show works on local charts only: chart repositories and OCI registries are not supported yet"
        ));
    }
    let path = Path::new(&flags.chart);
    if flags.verify.unwrap_or(false) {
        crate::commands::verify::verify_local(settings, path, flags.keyring.as_deref())?;
    }
    let chart = rudder_chart::load(path).map_err(|e| anyhow!("{e}"))?;
    let out = rudder_authoring::show::show(&chart, format).map_err(|e| anyhow!("{e}"))?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
