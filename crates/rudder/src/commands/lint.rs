//! `rudder lint PATH... [-f] [--set...] [--strict] [--with-subcharts]
//! [--quiet] [--kube-version] [--skip-schema-validation]` (Helm's
//! `pkg/cmd/lint.go`): lints each chart, prints Helm's report, and fails
//! with `N chart(s) linted, M chart(s) failed` when a chart fails.

use std::io::Read;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use rudder_authoring::lint::{LintOptions, lint, report, subchart_paths};
use rudder_env::Settings;

use crate::cli::{ValueArgs, go_bool, split_slice};

/// `rudder lint` arguments.
#[derive(Args, Debug)]
pub(crate) struct LintArgs {
    /// PATH
    #[arg(value_name = "PATH", required = true)]
    pub(crate) paths: Vec<String>,
    /// The values flags.
    #[command(flatten)]
    pub(crate) values: ValueArgs,
    /// fail on lint warnings
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) strict: Option<bool>,
    /// lint dependent charts
    #[arg(long = "with-subcharts", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) with_subcharts: Option<bool>,
    /// print only warnings and errors
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) quiet: Option<bool>,
    /// if set, disables JSON schema validation
    #[arg(long = "skip-schema-validation", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) skip_schema_validation: Option<bool>,
    /// Kubernetes version used for capabilities and deprecation checks
    #[arg(long = "kube-version")]
    pub(crate) kube_version: Option<String>,
}

/// Reads a `-f` file: `-` is standard input; URLs need getters rudder
/// does not have yet.
fn read_values_file(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| e.to_string())?;
        return Ok(buf);
    }
    if path.contains("://") {
        return Err(format!(
            "{path}: fetching values over the network is not supported by rudder yet"
        ));
    }
    std::fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        format!("open {path}: {reason}")
    })
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(settings: &Settings, args: &LintArgs) -> anyhow::Result<ExitCode> {
    let kube_version = match args.kube_version.as_deref().filter(|k| !k.is_empty()) {
        Some(kv) => Some(
            rudder_render::KubeVersion::parse(kv)
                .map_err(|e| anyhow!("invalid kube version '{kv}': {e}"))?,
        ),
        None => None,
    };
    let mut paths = args.paths.clone();
    if args.with_subcharts.unwrap_or(false) {
        for p in &args.paths {
            paths.extend(subchart_paths(p));
        }
    }
    let value_opts = rudder_values::ValueOptions {
        value_files: split_slice(&args.values.values),
        values: args.values.set.clone(),
        string_values: args.values.set_string.clone(),
        file_values: args.values.set_file.clone(),
        json_values: args.values.set_json.clone(),
        literal_values: args.values.set_literal.clone(),
    };
    let values = value_opts
        .merge_values(&read_values_file)
        .map_err(|e| anyhow!("{e}"))?;
    let opts = LintOptions {
        strict: args.strict.unwrap_or(false),
        namespace: settings.namespace(&rudder_env::process_env),
        kube_version,
        skip_schema_validation: args.skip_schema_validation.unwrap_or(false),
    };
    let results: Vec<_> = paths
        .iter()
        .map(|p| (p.clone(), lint(p, &values, &opts)))
        .collect();
    let (out, outcome) = report(&results, args.quiet.unwrap_or(false));
    print!("{out}");
    match outcome {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(summary) => Err(anyhow!(summary)),
    }
}
