//! `rudder template [NAME] [CHART]`: render a chart locally, printing what
//! `helm template` prints.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use rudder_action::{OutputOptions, TemplateOptions};
use rudder_env::Settings;

use crate::cli::{TemplateArgs, split_slice};

/// Helm's `LocateChart` for local charts: an existing path is used as is;
/// a path-looking name that does not exist is an error.
fn locate_chart(name: &str, args: &TemplateArgs) -> anyhow::Result<PathBuf> {
    let name = name.trim();
    if args.repo.is_none() {
        if Path::new(name).exists() {
            return Ok(std::path::absolute(name).unwrap_or_else(|_| PathBuf::from(name)));
        }
        if Path::new(name).is_absolute() || name.starts_with('.') {
            return Err(anyhow!("path {name:?} not found"));
        }
    }
    Err(anyhow!(
        "chart {name:?} is not a local path: charts from repositories and OCI registries are not supported by rudder yet"
    ))
}

/// Read a values file: `-` is stdin; URLs need getters we do not have yet.
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
    std::fs::read(path).map_err(|e| format!("open {path}: {}", io_reason(&e)))
}

/// Go's text for common I/O errors (`no such file or directory`).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

pub(crate) fn run(settings: &Settings, args: TemplateArgs) -> anyhow::Result<ExitCode> {
    if args.post_renderer.is_some() {
        return Err(anyhow!(
            "--post-renderer: post-renderer plugins are not supported by rudder yet"
        ));
    }
    if matches!(args.dry_run.as_deref(), Some("server")) || args.validate.unwrap_or(false) {
        return Err(anyhow!(
            "--dry-run=server needs a cluster, which rudder template does not support yet"
        ));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (name, chart_ref) = rudder_action::name_and_chart(
        &args.args,
        args.generate_name.unwrap_or(false),
        args.name_template.as_deref(),
        Some("release-name"),
        now,
    )?;
    let chart_path = locate_chart(&chart_ref, &args)?;

    let value_opts = rudder_values::ValueOptions {
        value_files: split_slice(&args.values.values),
        values: args.values.set.clone(),
        string_values: args.values.set_string.clone(),
        file_values: args.values.set_file.clone(),
        json_values: args.values.set_json.clone(),
        literal_values: args.values.set_literal.clone(),
    };
    let user_values = value_opts
        .merge_values(&read_values_file)
        .map_err(|e| anyhow!("{e}"))?;
    let chart = rudder_chart::load(&chart_path).map_err(|e| anyhow!("{e}"))?;
    rudder_action::check_chart(&chart)?;

    let opts = TemplateOptions {
        release_name: name.clone(),
        namespace: settings.namespace(&rudder_env::process_env),
        is_upgrade: args.is_upgrade.unwrap_or(false),
        kube_version: args.kube_version.clone(),
        api_versions: split_slice(&args.api_versions),
        include_crds: args.include_crds.unwrap_or(false),
        skip_schema_validation: args.skip_schema_validation.unwrap_or(false),
        enable_dns: args.enable_dns.unwrap_or(false),
        output_dir: args.output_dir.as_ref().map(PathBuf::from),
        use_release_name: args.release_name.unwrap_or(false),
    };
    let mut stdout = std::io::stdout().lock();
    let result = rudder_action::template(chart, &user_values, &opts);
    let out = match result {
        Ok(out) => out,
        Err(e) => {
            if settings.debug {
                // Helm still prints the (partial) release manifest when the
                // failure came after the release was created.
                if e.during_render {
                    let m = e.manifest.as_deref().unwrap_or("");
                    writeln!(stdout, "{}", m.trim())?;
                }
                return Err(anyhow!("{}", e.message));
            }
            if e.during_render {
                return Err(anyhow!(
                    "{}\n\nUse --debug flag to render out invalid YAML",
                    e.message
                ));
            }
            return Err(anyhow!("{}", e.message));
        }
    };
    for w in &out.warnings {
        #[allow(
            clippy::print_stderr,
            reason = "Helm logs coalescing warnings on stderr"
        )]
        {
            eprintln!("level=WARN msg={w:?}");
        }
    }
    for line in &out.wrote {
        writeln!(stdout, "{line}")?;
    }
    let printed = rudder_action::print_template(
        &out.manifest,
        &out.hooks,
        &OutputOptions {
            disable_hooks: args.no_hooks.unwrap_or(false),
            skip_tests: args.skip_tests.unwrap_or(false),
            show_only: args.show_only.clone(),
            output_dir: opts.output_dir.clone(),
            use_release_name: opts.use_release_name,
            release_name: name,
        },
    )
    .context("printing")?;
    for line in &printed.wrote {
        writeln!(stdout, "{line}")?;
    }
    stdout.write_all(printed.stdout.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
