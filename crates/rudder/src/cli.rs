//! Command-line arguments, named and shaped like Helm's so a Helm user
//! feels at home: `rudder template NAME CHART -f values.yaml --set a=b`.
//!
//! Helm uses Go's pflag, whose conventions differ from clap's defaults in
//! ways scripts rely on: boolean flags take an optional `=true|false`,
//! "slice" flags (`-f`, `--api-versions`) split their value on commas, and
//! "array" flags (`--set`, `--show-only`) do not. Flags that only matter
//! with a cluster are accepted by `template` and ignored, as Helm does.

use clap::{Args, Parser, Subcommand};

/// Parse a Go `strconv.ParseBool` value.
pub(crate) fn go_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {s:?}: invalid syntax")),
    }
}

/// Split a pflag "slice" value: comma-separated, with CSV quoting.
pub(crate) fn split_slice(values: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        if v.is_empty() {
            continue;
        }
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = v.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
    }
    out
}

/// rudder: a Kubernetes package manager compatible with Helm 4.
#[derive(Parser, Debug)]
#[command(
    name = "rudder",
    about = "The Kubernetes package manager, compatible with Helm 4",
    disable_version_flag = true,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// Global flags (Helm's `EnvSettings`).
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    /// The command to run.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every command accepts (Helm's global flags).
#[derive(Args, Debug, Default, Clone)]
pub(crate) struct GlobalArgs {
    /// namespace scope for this request
    #[arg(short = 'n', long, global = true)]
    pub(crate) namespace: Option<String>,
    /// path to the kubeconfig file
    #[arg(long, global = true)]
    pub(crate) kubeconfig: Option<String>,
    /// name of the kubeconfig context to use
    #[arg(long = "kube-context", global = true)]
    pub(crate) kube_context: Option<String>,
    /// bearer token used for authentication
    #[arg(long = "kube-token", global = true)]
    pub(crate) kube_token: Option<String>,
    /// username to impersonate for the operation
    #[arg(long = "kube-as-user", global = true)]
    pub(crate) kube_as_user: Option<String>,
    /// group to impersonate for the operation, this flag can be repeated to specify multiple groups.
    #[arg(long = "kube-as-group", global = true)]
    pub(crate) kube_as_group: Vec<String>,
    /// the address and the port for the Kubernetes API server
    #[arg(long = "kube-apiserver", global = true)]
    pub(crate) kube_apiserver: Option<String>,
    /// the certificate authority file for the Kubernetes API server connection
    #[arg(long = "kube-ca-file", global = true)]
    pub(crate) kube_ca_file: Option<String>,
    /// server name to use for Kubernetes API server certificate validation
    #[arg(long = "kube-tls-server-name", global = true)]
    pub(crate) kube_tls_server_name: Option<String>,
    /// if true, the Kubernetes API server's certificate will not be checked for validity
    #[arg(long = "kube-insecure-skip-tls-verify", global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) kube_insecure_skip_tls_verify: Option<bool>,
    /// enable verbose output
    #[arg(long, global = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) debug: Option<bool>,
    /// path to the registry config file
    #[arg(long = "registry-config", global = true)]
    pub(crate) registry_config: Option<String>,
    /// path to the file containing repository names and URLs
    #[arg(long = "repository-config", global = true)]
    pub(crate) repository_config: Option<String>,
    /// path to the directory containing cached repository indexes
    #[arg(long = "repository-cache", global = true)]
    pub(crate) repository_cache: Option<String>,
    /// path to the directory containing cached content (e.g. charts)
    #[arg(long = "content-cache", global = true)]
    pub(crate) content_cache: Option<String>,
    /// client-side default throttling limit
    #[arg(long = "burst-limit", global = true)]
    pub(crate) burst_limit: Option<i64>,
    /// queries per second used when communicating with the Kubernetes API, not including bursting
    #[arg(long, global = true)]
    pub(crate) qps: Option<f32>,
    /// use colored output (never, auto, always)
    #[arg(long, visible_alias = "colour", global = true)]
    pub(crate) color: Option<String>,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// locally render templates
    Template(Box<TemplateArgs>),
    /// print the client version information
    Version(VersionArgs),
    /// install, list, or uninstall Helm plugins
    Plugin(PluginArgs),
    /// create a new chart with the given name
    Create(crate::commands::create::CreateArgs),
    /// examine a chart for possible issues
    Lint(Box<crate::commands::lint::LintArgs>),
    /// package a chart directory into a chart archive
    Package(Box<crate::commands::package::PackageArgs>),
    /// show information of a chart
    #[command(visible_alias = "inspect")]
    Show(crate::commands::show::ShowArgs),
    /// manage a chart's dependencies
    #[command(visible_aliases = ["dep", "dependencies"])]
    Dependency(crate::commands::dependency::DependencyArgs),
    /// verify that a chart at the given path has been signed and is valid
    Verify(crate::commands::verify::VerifyArgs),
    /// A `cli/v1` plugin (or `__complete`); see commands/plugin.rs.
    #[command(external_subcommand)]
    External(Vec<String>),
}

/// `rudder plugin` (Helm's `plugin` command).
#[derive(Args, Debug)]
pub(crate) struct PluginArgs {
    /// The `plugin` subcommand.
    #[command(subcommand)]
    pub(crate) command: PluginCommand,
}

/// `rudder plugin` subcommands.
#[derive(Subcommand, Debug)]
pub(crate) enum PluginCommand {
    /// list installed Helm plugins
    #[command(visible_alias = "ls")]
    List {
        /// Plugin type
        #[arg(long = "type", default_value = "")]
        plugin_type: String,
    },
    /// install a Helm plugin
    #[command(visible_alias = "add")]
    Install(Box<PluginInstallArgs>),
    /// uninstall one or more Helm plugins
    #[command(visible_aliases = ["rm", "remove"])]
    Uninstall {
        /// <plugin>...
        #[arg(value_name = "plugin")]
        names: Vec<String>,
    },
    /// update one or more Helm plugins
    #[command(visible_alias = "up")]
    Update {
        /// <plugin>...
        #[arg(value_name = "plugin")]
        names: Vec<String>,
        /// keyring for re-verifying signed tarball installs (rudder only)
        #[arg(long)]
        keyring: Option<String>,
    },
    /// package a plugin directory into a plugin archive
    Package(PluginPackageArgs),
    /// verify that a plugin at the given path has been signed and is valid
    Verify {
        /// PATH
        #[arg(value_name = "PATH")]
        paths: Vec<String>,
        /// keyring containing public keys
        #[arg(long)]
        keyring: Option<String>,
    },
}

/// `rudder plugin install` flags (Helm's; the OCI ones are accepted for
/// compatibility and unused until OCI sources are supported).
#[derive(Args, Debug, Default)]
pub(crate) struct PluginInstallArgs {
    /// <path|url>
    #[arg(value_name = "path|url")]
    pub(crate) sources: Vec<String>,
    /// specify a version constraint. If this is not specified, the latest version is installed
    #[arg(long)]
    pub(crate) version: Option<String>,
    /// verify the plugin signature before installing
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) verify: Option<bool>,
    /// location of public keys used for verification
    #[arg(long)]
    pub(crate) keyring: Option<String>,
    /// identify registry client using this SSL certificate file
    #[arg(long = "cert-file")]
    pub(crate) cert_file: Option<String>,
    /// identify registry client using this SSL key file
    #[arg(long = "key-file")]
    pub(crate) key_file: Option<String>,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long = "ca-file")]
    pub(crate) ca_file: Option<String>,
    /// skip tls certificate checks for the plugin download
    #[arg(long = "insecure-skip-tls-verify", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) insecure_skip_tls_verify: Option<bool>,
    /// use insecure HTTP connections for the plugin download
    #[arg(long = "plain-http", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) plain_http: Option<bool>,
    /// registry username
    #[arg(long)]
    pub(crate) username: Option<String>,
    /// registry password
    #[arg(long)]
    pub(crate) password: Option<String>,
}

/// `rudder plugin package` flags.
#[derive(Args, Debug, Default)]
pub(crate) struct PluginPackageArgs {
    /// [PATH]
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<String>,
    /// use a PGP private key to sign this plugin
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) sign: Option<bool>,
    /// name of the key to use when signing. Used if --sign is true
    #[arg(long)]
    pub(crate) key: Option<String>,
    /// location of a public keyring
    #[arg(long)]
    pub(crate) keyring: Option<String>,
    /// location of a file which contains the passphrase for the signing key. Use "-" to read from stdin.
    #[arg(long = "passphrase-file")]
    pub(crate) passphrase_file: Option<String>,
    /// location to write the plugin tarball.
    #[arg(short = 'd', long, default_value = ".")]
    pub(crate) destination: String,
}

/// `rudder version` flags.
#[derive(Args, Debug, Default)]
pub(crate) struct VersionArgs {
    /// print the version number
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) short: Option<bool>,
    /// template for version string format
    #[arg(long)]
    pub(crate) template: Option<String>,
}

/// The values flags (Helm's `addValueOptionsFlags`).
#[derive(Args, Debug, Default, Clone)]
pub(crate) struct ValueArgs {
    /// specify values in a YAML file or a URL (can specify multiple)
    #[arg(short = 'f', long = "values")]
    pub(crate) values: Vec<String>,
    /// set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)
    #[arg(long = "set")]
    pub(crate) set: Vec<String>,
    /// set STRING values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)
    #[arg(long = "set-string")]
    pub(crate) set_string: Vec<String>,
    /// set values from respective files specified via the command line (can specify multiple or separate values with commas: key1=path1,key2=path2)
    #[arg(long = "set-file")]
    pub(crate) set_file: Vec<String>,
    /// set JSON values on the command line (can specify multiple or separate values with commas: key1=jsonval1,key2=jsonval2 or using json format: {"key1": jsonval1, "key2": "jsonval2"})
    #[arg(long = "set-json")]
    pub(crate) set_json: Vec<String>,
    /// set a literal STRING value on the command line
    #[arg(long = "set-literal")]
    pub(crate) set_literal: Vec<String>,
}

/// `rudder template` arguments (Helm's `template` = install flags plus a
/// few of its own).
#[derive(Args, Debug, Default)]
pub(crate) struct TemplateArgs {
    /// [NAME] [CHART]
    #[arg(value_name = "NAME] [CHART", required = true)]
    pub(crate) args: Vec<String>,

    /// The values flags.
    #[command(flatten)]
    pub(crate) values: ValueArgs,

    /// only show manifests rendered from the given templates
    #[arg(short = 's', long = "show-only")]
    pub(crate) show_only: Vec<String>,
    /// writes the executed templates to files in output-dir instead of stdout
    #[arg(long = "output-dir")]
    pub(crate) output_dir: Option<String>,
    /// deprecated: use '--dry-run=server' instead
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) validate: Option<bool>,
    /// include CRDs in the templated output
    #[arg(long = "include-crds", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) include_crds: Option<bool>,
    /// skip tests from templated output
    #[arg(long = "skip-tests", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) skip_tests: Option<bool>,
    /// set .Release.IsUpgrade instead of .Release.IsInstall
    #[arg(long = "is-upgrade", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) is_upgrade: Option<bool>,
    /// Kubernetes version used for Capabilities.KubeVersion
    #[arg(long = "kube-version")]
    pub(crate) kube_version: Option<String>,
    /// Kubernetes api versions used for Capabilities.APIVersions (multiple can be specified)
    #[arg(short = 'a', long = "api-versions")]
    pub(crate) api_versions: Vec<String>,
    /// use release name in the output-dir path.
    #[arg(long = "release-name", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) release_name: Option<bool>,
    /// simulates the operation either client-side or server-side. Must be either: "client", or "server"
    #[arg(long = "dry-run", num_args = 0..=1, require_equals = true, default_missing_value = "unset")]
    pub(crate) dry_run: Option<String>,
    /// the name of a postrenderer type plugin to be used for post rendering. If it exists, the plugin will be used
    // Repeatable so the second use gets Helm's own error text.
    #[arg(long = "post-renderer")]
    pub(crate) post_renderer: Vec<String>,
    /// an argument to the post-renderer (can specify multiple)
    #[arg(long = "post-renderer-args")]
    pub(crate) post_renderer_args: Vec<String>,

    /// generate the name (and omit the NAME parameter)
    #[arg(short = 'g', long = "generate-name", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) generate_name: Option<bool>,
    /// specify template used to name the release
    #[arg(long = "name-template")]
    pub(crate) name_template: Option<String>,
    /// add a custom description
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) devel: Option<bool>,
    /// update dependencies if they are missing before installing the chart
    #[arg(long = "dependency-update", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) dependency_update: Option<bool>,
    /// if set, no CRDs will be installed. By default, CRDs are installed if not already present
    #[arg(long = "skip-crds", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) skip_crds: Option<bool>,
    /// if set, disables JSON schema validation
    #[arg(long = "skip-schema-validation", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) skip_schema_validation: Option<bool>,
    /// enable DNS lookups when rendering templates
    #[arg(long = "enable-dns", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) enable_dns: Option<bool>,
    /// prevent hooks from running during install
    #[arg(long = "no-hooks", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) no_hooks: Option<bool>,
    /// reuse the given name, only if that name is a deleted release which remains in the history
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) replace: Option<bool>,
    /// time to wait for any individual Kubernetes operation (like Jobs for hooks)
    #[arg(long)]
    pub(crate) timeout: Option<String>,
    /// wait until resources are ready (no effect for template)
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "watcher")]
    pub(crate) wait: Option<String>,
    /// if set and --wait enabled, will wait until all Jobs have been completed
    #[arg(long = "wait-for-jobs", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) wait_for_jobs: Option<bool>,
    /// create the release namespace if not present
    #[arg(long = "create-namespace", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) create_namespace: Option<bool>,
    /// force resource updates by replacement
    #[arg(long = "force-replace", visible_alias = "force", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) force_replace: Option<bool>,
    /// if set server-side apply will force changes against conflicts
    #[arg(long = "force-conflicts", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) force_conflicts: Option<bool>,
    /// object updates run in the server instead of the client
    #[arg(long = "server-side", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) server_side: Option<bool>,
    /// if set, the installation process will not validate rendered templates against the Kubernetes OpenAPI Schema
    #[arg(long = "disable-openapi-validation", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) disable_openapi_validation: Option<bool>,
    /// if set, Helm will rollback (uninstall) the installation upon failure
    #[arg(long = "rollback-on-failure", visible_alias = "atomic", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) rollback_on_failure: Option<bool>,
    /// no effect for 'template' (kept for compatibility)
    #[arg(long = "render-subchart-notes", hide = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) render_subchart_notes: Option<bool>,
    /// no effect for 'template' (kept for compatibility)
    #[arg(long = "hide-notes", hide = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) hide_notes: Option<bool>,
    /// Labels that would be added to release metadata. Should be divided by comma.
    #[arg(short = 'l', long)]
    pub(crate) labels: Vec<String>,
    /// if set, install will ignore the check for helm annotations and take ownership of the existing resources
    #[arg(long = "take-ownership", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) take_ownership: Option<bool>,

    /// specify a version constraint for the chart version to use
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

/// Whether clap should treat `rudder` as having run with `args`; used by
/// tests of flag parsing.
#[cfg(test)]
pub(crate) fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_style_flags() {
        let cli = parse(&[
            "rudder",
            "template",
            "rel",
            "./chart",
            "-f",
            "a.yaml,b.yaml",
            "--set",
            "a=1,b=2",
            "--set",
            "c=3",
            "-n",
            "ns",
            "--debug",
            "--include-crds=false",
            "-a",
            "x/v1,y/v1",
        ])
        .map_err(|e| e.to_string());
        let Ok(cli) = cli else {
            panic!("parse failed: {cli:?}");
        };
        assert_eq!(cli.global.namespace.as_deref(), Some("ns"));
        assert_eq!(cli.global.debug, Some(true));
        let Command::Template(t) = cli.command else {
            panic!("not template");
        };
        assert_eq!(t.args, vec!["rel", "./chart"]);
        assert_eq!(split_slice(&t.values.values), vec!["a.yaml", "b.yaml"]);
        assert_eq!(t.values.set, vec!["a=1,b=2", "c=3"]);
        assert_eq!(t.include_crds, Some(false));
        assert_eq!(split_slice(&t.api_versions), vec!["x/v1", "y/v1"]);
    }

    #[test]
    fn csv_slices() {
        assert_eq!(
            split_slice(&["\"a,b\",c".to_owned()]),
            vec!["a,b".to_owned(), "c".to_owned()]
        );
    }
}
