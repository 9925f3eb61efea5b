//! `rudder template [NAME] [CHART]`: render a chart locally, printing what
//! `helm template` prints.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use rudder_action::{OutputOptions, TemplateOptions};
use rudder_env::Settings;

use crate::cli::{TemplateArgs, split_slice};

/// Helm's `LocateChart` for local charts: an existing path is used as is;
/// a path-looking name that does not exist is an error. A URL whose scheme
/// a `getter/v1` plugin serves is downloaded with it into a temporary
/// directory (kept alive by the returned guard); http, https and oci are
/// Helm's built-in getters, which rudder does not have yet.
fn locate_chart(
    name: &str,
    args: &TemplateArgs,
    settings: &Settings,
) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    let name = name.trim();
    if args.repo.is_none() {
        if Path::new(name).exists() {
            return Ok((
                std::path::absolute(name).unwrap_or_else(|_| PathBuf::from(name)),
                None,
            ));
        }
        if Path::new(name).is_absolute() || name.starts_with('.') {
            return Err(anyhow!("path {name:?} not found"));
        }
        let scheme = rudder_plugin::url_scheme(name);
        if !scheme.is_empty() && !matches!(scheme.as_str(), "http" | "https" | "oci") {
            return download_with_plugin(name, &scheme, args, settings).map(|(p, d)| (p, Some(d)));
        }
    }
    Err(anyhow!(
        "chart {name:?} is not a local path: charts from repositories and OCI registries are not supported by rudder yet"
    ))
}

/// Download a chart URL with the first getter plugin serving its scheme
/// (Helm's `ChartDownloader.DownloadTo` with a plugin getter), into a temp
/// directory under the URL's base name.
fn download_with_plugin(
    url: &str,
    scheme: &str,
    args: &TemplateArgs,
    settings: &Settings,
) -> anyhow::Result<(PathBuf, tempfile::TempDir)> {
    let found = crate::commands::plugin::discover_plugins(settings);
    let Some(getter) = found.getter_for(scheme) else {
        return Err(anyhow!("scheme {scheme:?} not supported"));
    };
    let host =
        rudder_plugin::PluginHost::from_settings(settings, &crate::commands::plugin::helm_bin());
    let options = rudder_plugin::api::getter::GetterOptions {
        url: url.to_owned(),
        cert_file: args.cert_file.clone().unwrap_or_default(),
        key_file: args.key_file.clone().unwrap_or_default(),
        ca_file: args.ca_file.clone().unwrap_or_default(),
        insecure_skip_verify_tls: args.insecure_skip_tls_verify.unwrap_or(false),
        plain_http: args.plain_http.unwrap_or(false),
        accept_header: "application/gzip,application/octet-stream".to_owned(),
        username: args.username.clone().unwrap_or_default(),
        password: args.password.clone().unwrap_or_default(),
        pass_credentials_all: args.pass_credentials.unwrap_or(false),
        ..Default::default()
    };
    let data = host.get(getter, url, options)?;
    let path_part = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_part = path_part.split(['?', '#']).next().unwrap_or(path_part);
    let base = path_part
        .split_once('/')
        .map_or("", |(_, p)| p)
        .rsplit('/')
        .next()
        .filter(|b| !b.is_empty() && *b != "." && *b != "..")
        .unwrap_or("chart.tgz");
    let dir = tempfile::Builder::new().prefix("rudder-chart-").tempdir()?;
    let file = dir.path().join(base);
    std::fs::write(&file, data)?;
    Ok((file, dir))
}

/// The `--post-renderer` plugin, resolved as Helm resolves the flag: the
/// first `postrenderer/v1` plugin with that name; empty values are ignored
/// and a second one is an error.
fn post_renderer(
    args: &TemplateArgs,
    settings: &Settings,
) -> anyhow::Result<Option<std::sync::Arc<dyn rudder_action::PostRenderer>>> {
    let mut chosen: Option<&String> = None;
    for name in args.post_renderer.iter().filter(|n| !n.is_empty()) {
        if chosen.is_some() {
            return Err(anyhow!(
                "invalid argument {name:?} for \"--post-renderer\" flag: cannot specify --post-renderer flag more than once"
            ));
        }
        chosen = Some(name);
    }
    let Some(name) = chosen else {
        return Ok(None);
    };
    let found = crate::commands::plugin::discover_plugins(settings);
    let plugin = found
        .find_one(&rudder_plugin::Descriptor {
            name: Some(name.clone()),
            plugin_type: Some(rudder_plugin::PluginType::PostRenderer),
        })
        .map_err(|e| anyhow!("invalid argument {name:?} for \"--post-renderer\" flag: {e}"))?;
    Ok(Some(std::sync::Arc::new(PluginPostRenderer {
        host: rudder_plugin::PluginHost::from_settings(
            settings,
            &crate::commands::plugin::helm_bin(),
        ),
        plugin: plugin.clone(),
        args: args.post_renderer_args.clone(),
    })))
}

/// A `postrenderer/v1` plugin as the template action's post-renderer.
#[derive(Debug)]
struct PluginPostRenderer {
    host: rudder_plugin::PluginHost,
    plugin: rudder_plugin::Plugin,
    args: Vec<String>,
}

impl rudder_action::PostRenderer for PluginPostRenderer {
    fn run(&self, manifests: &str) -> Result<String, String> {
        self.host
            .post_render(&self.plugin, manifests, &self.args)
            .map_err(|e| e.to_string())
    }
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
    let post_renderer = post_renderer(&args, settings)?;
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
    let (chart_path, _download_dir) = locate_chart(&chart_ref, &args, settings)?;

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
        post_renderer,
        ..TemplateOptions::default()
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
    .map_err(|e| anyhow!("{}", e.message))?;
    for line in &printed.wrote {
        writeln!(stdout, "{line}")?;
    }
    stdout.write_all(printed.stdout.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
