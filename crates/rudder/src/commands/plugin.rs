//! Plugins in the CLI: `rudder plugin list|install|uninstall|update|
//! package|verify`, `cli/v1` plugins as `rudder <name>` subcommands, and
//! the plugin part of shell completion (`rudder __complete …`, cobra's
//! protocol).
//!
//! The management commands print Helm's messages in Helm's order; the
//! work is done by `rudder-plugin-install` (see its docs for where rudder
//! deliberately differs from Helm: atomic installs, updates of tarball
//! installs, hook changes that do not block git updates).
//!
//! A `cli/v1` plugin is reached through clap's external subcommand: any
//! subcommand clap does not know is looked up among the plugins (by the
//! first word of their `usage`, else their name). The arguments after it
//! go through Helm's global-flag extraction: `--namespace x`, `-n=x`,
//! `--kube-context …`, `--debug` and friends update the settings the
//! plugin sees in its `HELM_*` variables; everything else is forwarded in
//! order (nothing at all with `ignoreFlags`).
//!
//! Differences from Helm: plugins are not listed in `rudder --help`; a
//! plugin whose name clashes with a built-in command (`template`,
//! `version`, `plugin`) is unreachable but does not stop other plugins
//! from working (Helm stops registering plugins at the first clash);
//! completion covers the plugin part only (plugin names as the first word,
//! then `completion.yaml` and `plugin.complete`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Parser;
use rudder_env::Settings;
use rudder_plugin::{
    Descriptor, Discovery, PluginHost, PluginType, discover, known_flags_as_assignments,
    signing_status, split_global_flags, split_plugin_dirs,
};
use rudder_plugin_install::{
    Manager, UpdateOptions, VerifyPlan, verification_report, verify_plugin,
};

use crate::cli::{GlobalArgs, PluginArgs, PluginCommand, PluginInstallArgs, PluginPackageArgs};

/// Whether `name` is one of rudder's own commands (or an alias), which a
/// plugin cannot shadow: clap routes those before plugins are consulted.
fn is_builtin(name: &str) -> bool {
    use clap::CommandFactory;
    crate::cli::Cli::command()
        .get_subcommands()
        .any(|c| c.get_name() == name || c.get_all_aliases().any(|a| a == name))
}

/// The plugins in `HELM_PLUGINS`, with discovery warnings printed to
/// stderr as Helm logs them.
pub(crate) fn discover_plugins(settings: &Settings) -> Discovery {
    let found = discover(&split_plugin_dirs(&settings.plugins_directory));
    for w in &found.warnings {
        #[allow(
            clippy::print_stderr,
            reason = "Helm logs plugin load failures on stderr"
        )]
        {
            eprintln!("{w}");
        }
    }
    found
}

/// `argv[0]` as the user invoked rudder (Helm's `HELM_BIN`).
pub(crate) fn helm_bin() -> String {
    std::env::args_os()
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rudder".to_owned())
}

/// `rudder plugin …`.
pub(crate) fn run_plugin_command(
    settings: &Settings,
    args: &PluginArgs,
) -> anyhow::Result<ExitCode> {
    match &args.command {
        PluginCommand::List { plugin_type } => list(settings, plugin_type),
        PluginCommand::Install(a) => install(settings, a),
        PluginCommand::Uninstall { names } => uninstall(settings, names),
        PluginCommand::Update { names, keyring } => update(settings, names, keyring.as_deref()),
        PluginCommand::Package(a) => package(a),
        PluginCommand::Verify { paths, keyring } => verify(paths, keyring.as_deref()),
    }
}

/// Print a line on stdout right away (hooks write to the same terminal).
fn say(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

fn warn(line: &str) {
    #[allow(clippy::print_stderr, reason = "warnings go to stderr, as Helm's")]
    {
        eprintln!("{line}");
    }
}

/// Helm's `require.ExactArgs(1)`.
fn exactly_one<'a>(args: &'a [String], command: &str) -> anyhow::Result<&'a str> {
    match args {
        [one] => Ok(one),
        _ => Err(anyhow!(
            "\"rudder plugin {command}\" requires 1 argument\n\nUsage:  rudder plugin {command} [flags]"
        )),
    }
}

/// Go's `stat PATH: reason`.
fn stat(path: &str) -> anyhow::Result<std::fs::Metadata> {
    std::fs::metadata(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        };
        anyhow!("stat {path}: {reason}")
    })
}

fn keyring_or_default(keyring: Option<&str>) -> std::path::PathBuf {
    keyring.map_or_else(super::verify::default_keyring, std::path::PathBuf::from)
}

/// `rudder plugin install <path|url> [--version V] [--verify=false]
/// [--keyring K]`.
fn install(settings: &Settings, args: &PluginInstallArgs) -> anyhow::Result<ExitCode> {
    let source = exactly_one(&args.sources, "install")?;
    let manager = Manager::from_settings(settings, &helm_bin());
    let mut installer = manager.installer_for(source, args.version.as_deref().unwrap_or(""))?;
    let plan = manager.plan(installer.as_ref(), args.verify.unwrap_or(true))?;
    say(match plan {
        VerifyPlan::DevelopmentMode => "Installing plugin from local directory (development mode)",
        VerifyPlan::Skip => "WARNING: Skipping plugin signature verification",
        VerifyPlan::Verify => "Verifying plugin signature...",
    })?;
    let keyring = keyring_or_default(args.keyring.as_deref());
    let mut installed = manager.install(installer.as_mut(), plan, &keyring)?;
    if let Some(v) = &installed.verification {
        say(verification_report(v).trim_end())?;
    }
    for w in &installed.warnings {
        warn(w);
    }
    manager.run_install_hook(&mut installed)?;
    say(&format!("Installed plugin: {}", installed.plugin.name()))?;
    Ok(ExitCode::SUCCESS)
}

/// `rudder plugin uninstall <plugin>...`: every name is tried; the
/// failures are reported together, as Helm's `errors.Join`.
fn uninstall(settings: &Settings, names: &[String]) -> anyhow::Result<ExitCode> {
    if names.is_empty() {
        return Err(anyhow!("please provide plugin name to uninstall"));
    }
    let manager = Manager::from_settings(settings, &helm_bin());
    let mut errors = Vec::new();
    for name in names {
        match manager.find(name) {
            Ok(p) => match manager.uninstall(&p) {
                Ok(()) => say(&format!("Uninstalled plugin: {name}"))?,
                Err(e) => errors.push(format!(
                    "failed to uninstall plugin {name}, got error ({e})"
                )),
            },
            Err(_) => errors.push(format!("plugin: {name} not found")),
        }
    }
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(anyhow!("{}", errors.join("\n")))
    }
}

/// `rudder plugin update <plugin>... [--keyring K]`.
fn update(
    settings: &Settings,
    names: &[String],
    keyring: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if names.is_empty() {
        return Err(anyhow!("please provide plugin name to update"));
    }
    let manager = Manager::from_settings(settings, &helm_bin());
    let opts = UpdateOptions {
        keyring: keyring_or_default(keyring),
    };
    let mut errors = Vec::new();
    for name in names {
        match manager.find(name) {
            Ok(p) => match manager.update(&p, &opts) {
                Ok(u) => {
                    if let Some(v) = &u.verification {
                        say(verification_report(v).trim_end())?;
                    }
                    for w in &u.warnings {
                        warn(w);
                    }
                    say(&format!("Updated plugin: {name}"))?;
                }
                Err(e) => errors.push(format!("failed to update plugin {name}, got error ({e})")),
            },
            Err(_) => errors.push(format!("plugin: {name} not found")),
        }
    }
    if errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(anyhow!("{}", errors.join("\n")))
    }
}

/// Whether standard input is a pipe (Helm refuses `--passphrase-file -`
/// otherwise).
fn stdin_is_pipe() -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata("/proc/self/fd/0").is_ok_and(|m| m.file_type().is_fifo())
}

/// Helm's plugin `passphraseFileFetcher`: the whole file (or standard
/// input for `-`), trailing CR/LF removed.
fn read_passphrase(file: &str) -> anyhow::Result<Vec<u8>> {
    let mut data = Vec::new();
    if file == "-" {
        if !stdin_is_pipe() {
            return Err(anyhow!(
                "specified reading passphrase from stdin, without input on stdin"
            ));
        }
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut data)?;
    } else {
        data = std::fs::read(file).map_err(|e| {
            anyhow!(
                "open {file}: {}",
                if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_owned()
                } else {
                    e.to_string()
                }
            )
        })?;
    }
    while data.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        data.pop();
    }
    Ok(data)
}

/// Helm's `promptUser` (rudder reads the line without turning echo off).
#[allow(
    clippy::print_stdout,
    reason = "Helm prompts for the passphrase on stdout"
)]
fn prompt(name: &str) -> Result<Vec<u8>, String> {
    print!("Password for key {} >  ", rudder_value_quote(name));
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)
        .map_err(|e| e.to_string())?;
    println!();
    Ok(line.trim_end_matches(['\r', '\n']).as_bytes().to_vec())
}

/// Go's `%q`.
fn rudder_value_quote(s: &str) -> String {
    rudder_plugin::go_quote(s)
}

/// `rudder plugin package PATH [--sign=false] [--key K] [--keyring R]
/// [--passphrase-file F|-] [-d DIR]`.
fn package(args: &PluginPackageArgs) -> anyhow::Result<ExitCode> {
    let path = exactly_one(&args.paths, "package")?;
    if !stat(path)?.is_dir() {
        return Err(anyhow!(
            "plugin package only supports directories, not tarballs"
        ));
    }
    rudder_plugin::Plugin::load(std::path::Path::new(path))
        .map_err(|e| anyhow!("invalid plugin directory: {e}"))?;
    let sign = args.sign.unwrap_or(true);
    let signer = if sign {
        let keyring = keyring_or_default(args.keyring.as_deref());
        let ring = rudder_provenance::Keyring::load(&keyring)
            .map_err(|e| anyhow!("error reading from keyring: {e}"))?;
        let mut signer = rudder_provenance::Signatory::new(ring, args.key.as_deref().unwrap_or(""))
            .map_err(|e| anyhow!("error reading from keyring: {e}"))?;
        match args.passphrase_file.as_deref().filter(|f| !f.is_empty()) {
            Some(file) => {
                let pw = read_passphrase(file)?;
                signer.decrypt_key(|_| Ok(pw)).map_err(|e| anyhow!("{e}"))?;
            }
            None => signer.decrypt_key(prompt).map_err(|e| anyhow!("{e}"))?,
        }
        Some(signer)
    } else {
        say(
            "WARNING: Skipping plugin signing. This is not recommended for plugins intended for distribution.",
        )?;
        None
    };
    let packaged = rudder_plugin_install::package(
        std::path::Path::new(path),
        std::path::Path::new(&args.destination),
        signer.as_ref(),
    )?;
    let shown = |p: &std::path::Path| rudder_plugin::clean_path(p).display().to_string();
    if let Some(prov) = &packaged.provenance {
        say(&format!(
            "Successfully signed. Signature written to: {}",
            shown(prov)
        ))?;
    }
    say(&format!(
        "Successfully packaged plugin and saved it to: {}",
        shown(&packaged.tarball)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `rudder plugin verify PATH [--keyring K]`.
fn verify(paths: &[String], keyring: Option<&str>) -> anyhow::Result<ExitCode> {
    let path = exactly_one(paths, "verify")?;
    if stat(path)?.is_dir() {
        return Err(anyhow!(
            "directory verification not supported - only plugin tarballs can be verified"
        ));
    }
    if !(path.ends_with(".gz") || path.ends_with(".tgz")) {
        return Err(anyhow!(
            "plugin file must be a gzipped tarball (.tar.gz or .tgz)"
        ));
    }
    let prov = format!("{path}.prov");
    stat(&prov).map_err(|e| anyhow!("could not find provenance file {prov}: {e}"))?;
    let archive = std::fs::read(path).map_err(|e| anyhow!("failed to read plugin file: {e}"))?;
    let prov_data =
        std::fs::read(&prov).map_err(|e| anyhow!("failed to read provenance file: {e}"))?;
    let ring = rudder_provenance::Keyring::load(&keyring_or_default(keyring))
        .map_err(|e| anyhow!("{e}"))?;
    let name = rudder_value::path::base(path);
    let v = verify_plugin(&ring, &archive, &prov_data, name).map_err(|e| anyhow!("{e}"))?;
    say(verification_report(&v).trim_end())?;
    Ok(ExitCode::SUCCESS)
}

/// `rudder plugin list [--type T]`: Helm's table (gosuri/uitable: cells
/// padded to the column width, columns joined by a tab).
fn list(settings: &Settings, plugin_type: &str) -> anyhow::Result<ExitCode> {
    let found = discover_plugins(settings);
    let plugins = if plugin_type.is_empty() {
        found.plugins.iter().collect()
    } else {
        match PluginType::parse(plugin_type) {
            Some(t) => found.find(&Descriptor {
                name: None,
                plugin_type: Some(t),
            }),
            // Helm compares the string: an unknown type matches nothing.
            None => Vec::new(),
        }
    };
    let data_plugins = settings.paths.data_path("plugins");
    let mut rows: Vec<[String; 6]> = vec![[
        "NAME".into(),
        "VERSION".into(),
        "TYPE".into(),
        "APIVERSION".into(),
        "PROVENANCE".into(),
        "SOURCE".into(),
    ]];
    for p in plugins {
        let m = p.metadata();
        let source = if m.source_url.is_empty() {
            "unknown".to_owned()
        } else {
            m.source_url.clone()
        };
        rows.push([
            m.name.clone(),
            m.version.clone(),
            m.plugin_type.as_str().to_owned(),
            m.api_version.clone(),
            signing_status(&data_plugins, m).to_owned(),
            source,
        ]);
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let cells: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(&cells.join("\t"));
    }
    out.push('\n');
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Helm's global flags, parsed from the arguments after a plugin name.
#[derive(Parser, Debug)]
#[command(
    name = "rudder",
    args_override_self = true,
    disable_help_flag = true,
    disable_version_flag = true
)]
struct GlobalOnly {
    #[command(flatten)]
    global: GlobalArgs,
}

/// Flags given after the plugin name override those given before it.
fn merge_globals(before: &GlobalArgs, after: GlobalArgs) -> GlobalArgs {
    let mut g = before.clone();
    macro_rules! over {
        ($($f:ident),*) => {$(
            if after.$f.is_some() {
                g.$f = after.$f;
            }
        )*};
    }
    over!(
        namespace,
        kubeconfig,
        kube_context,
        kube_token,
        kube_as_user,
        kube_apiserver,
        kube_ca_file,
        kube_tls_server_name,
        kube_insecure_skip_tls_verify,
        debug,
        registry_config,
        repository_config,
        repository_cache,
        content_cache,
        burst_limit,
        qps,
        color
    );
    g.kube_as_group.extend(after.kube_as_group);
    g
}

fn print_error(msg: &str) {
    #[allow(
        clippy::print_stderr,
        reason = "the CLI reports errors on stderr, as Helm does"
    )]
    {
        eprintln!("Error: {msg}");
    }
}

/// A subcommand clap does not know: a `cli/v1` plugin, or `__complete`.
pub(crate) fn run_external(global: &GlobalArgs, argv: Vec<String>) -> anyhow::Result<ExitCode> {
    let Some((name, rest)) = argv.split_first() else {
        return Err(anyhow!("no command given"));
    };
    if name == "__complete" || name == "__completeNoDesc" {
        return complete(global, rest, name == "__complete");
    }
    let unknown =
        || anyhow!("unknown command {name:?} for \"rudder\"\nRun 'rudder --help' for usage.");
    // Helm's switch: with HELM_NO_PLUGINS=1 no CLI plugin is registered.
    if std::env::var("HELM_NO_PLUGINS").as_deref() == Ok("1") {
        return Err(unknown());
    }
    let settings = super::settings(global);
    let found = discover_plugins(&settings);
    let Some(plugin) = found
        .cli_command(name)
        .filter(|p| !is_builtin(p.command_name()))
    else {
        return Err(unknown());
    };
    let (known, forwarded) = split_global_flags(rest);
    let mut parse_args = vec!["rudder".to_owned()];
    parse_args.extend(known_flags_as_assignments(&known));
    let after = GlobalOnly::try_parse_from(&parse_args)
        .map_err(|e| anyhow!("{}", e.to_string().trim_end()))?;
    let settings = super::settings(&merge_globals(global, after.global));
    let host = PluginHost::from_settings(&settings, &helm_bin());
    match host.run_cli(plugin, &forwarded) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            print_error(&e.to_string());
            // Helm exits with the plugin's own code (Go's os.Exit keeps the
            // low 8 bits, so -1 for a signal becomes 255).
            let code = e.exit_code().map_or(1, |c| c as u8);
            Ok(ExitCode::from(code))
        }
    }
}

/// `rudder __complete <words…> <partial>`: cobra's completion protocol for
/// the plugin part: candidate lines, then `:<directive>`.
fn complete(
    global: &GlobalArgs,
    words: &[String],
    with_descriptions: bool,
) -> anyhow::Result<ExitCode> {
    let (to_complete, words) = match words.split_last() {
        Some((last, rest)) => (last.as_str(), rest),
        None => ("", words),
    };
    let settings = super::settings(global);
    let no_plugins = std::env::var("HELM_NO_PLUGINS").as_deref() == Ok("1");
    let found = if no_plugins {
        Discovery::default()
    } else {
        discover(&split_plugin_dirs(&settings.plugins_directory))
    };
    let mut lines = Vec::new();
    let mut directive = rudder_plugin::DIRECTIVE_NO_FILE_COMP;
    match words.split_first() {
        None => {
            for p in found
                .plugins
                .iter()
                .filter(|p| p.metadata().plugin_type == PluginType::Cli)
            {
                let name = p.command_name();
                if name.starts_with(to_complete) && !is_builtin(name) {
                    lines.push(if with_descriptions {
                        format!("{name}\t{}", p.short_help())
                    } else {
                        name.to_owned()
                    });
                }
            }
        }
        Some((cmd, rest)) => {
            if let Some(p) = found.cli_command(cmd) {
                // As in Helm, global flags typed after the plugin name
                // shape the settings plugin.complete sees.
                let (known, _) = split_global_flags(rest);
                let mut parse_args = vec!["rudder".to_owned()];
                parse_args.extend(known_flags_as_assignments(&known));
                let settings = match GlobalOnly::try_parse_from(&parse_args) {
                    Ok(after) => super::settings(&merge_globals(global, after.global)),
                    Err(_) => settings.clone(),
                };
                let host = PluginHost::from_settings(&settings, &helm_bin());
                let c = host.complete(p, rest, to_complete);
                lines = c.candidates;
                directive = c.directive;
            } else {
                directive = rudder_plugin::DIRECTIVE_DEFAULT;
            }
        }
    }
    let mut out = String::new();
    for l in &lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_flags_parse_and_override() {
        let before = GlobalArgs {
            namespace: Some("first".into()),
            kube_as_group: vec!["a".into()],
            ..GlobalArgs::default()
        };
        let (known, forwarded) = split_global_flags(
            &[
                "--namespace",
                "ns",
                "-n=x",
                "--debug",
                "bar",
                "--kube-as-group",
                "g",
                "--qps",
                "5",
            ]
            .map(String::from),
        );
        let mut argv = vec!["rudder".to_owned()];
        argv.extend(known_flags_as_assignments(&known));
        let parsed = GlobalOnly::try_parse_from(&argv).map_err(|e| e.to_string());
        let Ok(parsed) = parsed else {
            panic!("{parsed:?}");
        };
        let g = merge_globals(&before, parsed.global);
        assert_eq!(g.namespace.as_deref(), Some("x"));
        assert_eq!(g.debug, Some(true));
        assert_eq!(g.kube_as_group, vec!["a".to_owned(), "g".to_owned()]);
        assert_eq!(forwarded, vec!["bar", "--qps", "5"]);
    }

    #[test]
    fn insecure_flag_swallows_its_neighbour() {
        let (known, _) =
            split_global_flags(&["--kube-insecure-skip-tls-verify", "x"].map(String::from));
        let mut argv = vec!["rudder".to_owned()];
        argv.extend(known_flags_as_assignments(&known));
        let parsed = GlobalOnly::try_parse_from(&argv).map_err(|e| e.to_string());
        assert_eq!(
            parsed.map(|p| p.global.kube_insecure_skip_tls_verify),
            Ok(Some(true))
        );
    }
}
