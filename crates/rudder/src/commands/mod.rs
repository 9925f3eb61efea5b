//! One module per command; each turns flags into a library call and prints
//! the result.

pub(crate) mod create;
pub(crate) mod dependency;
pub(crate) mod lint;
pub(crate) mod package;
mod plugin;
pub(crate) mod show;
mod template;
pub(crate) mod verify;
mod version;

use std::process::ExitCode;

use rudder_env::Settings;

use crate::cli::{Cli, Command, GlobalArgs};

/// Settings from the environment, overridden by the global flags.
pub(crate) fn settings(global: &GlobalArgs) -> Settings {
    let mut s = Settings::from_env(&rudder_env::process_env);
    let set = |dst: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            dst.clone_from(v);
        }
    };
    set(&mut s.namespace_override, &global.namespace);
    set(&mut s.kube_config, &global.kubeconfig);
    set(&mut s.kube_context, &global.kube_context);
    set(&mut s.kube_token, &global.kube_token);
    set(&mut s.kube_as_user, &global.kube_as_user);
    set(&mut s.kube_api_server, &global.kube_apiserver);
    set(&mut s.kube_ca_file, &global.kube_ca_file);
    set(&mut s.kube_tls_server_name, &global.kube_tls_server_name);
    if !global.kube_as_group.is_empty() {
        s.kube_as_groups.clone_from(&global.kube_as_group);
    }
    if let Some(v) = global.kube_insecure_skip_tls_verify {
        s.kube_insecure_skip_tls_verify = v;
    }
    if let Some(v) = global.debug {
        s.debug = v;
    }
    let path = |dst: &mut std::path::PathBuf, v: &Option<String>| {
        if let Some(v) = v {
            *dst = v.into();
        }
    };
    path(&mut s.registry_config, &global.registry_config);
    path(&mut s.repository_config, &global.repository_config);
    path(&mut s.repository_cache, &global.repository_cache);
    path(&mut s.content_cache, &global.content_cache);
    if let Some(v) = global.burst_limit {
        s.burst_limit = v;
    }
    if let Some(v) = global.qps {
        s.qps = v;
    }
    if let Some(v) = &global.color {
        s.color_mode = v.to_lowercase();
    }
    s
}

/// Run the parsed command line.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = settings(&cli.global);
    match cli.command {
        Command::Template(args) => template::run(&settings, *args),
        Command::Version(args) => version::run(&args),
        Command::Plugin(args) => plugin::run_plugin_command(&settings, &args),
        Command::External(argv) => plugin::run_external(&cli.global, argv),
        Command::Create(args) => create::run(&settings, &args),
        Command::Lint(args) => lint::run(&settings, &args),
        Command::Package(args) => package::run(&settings, &args),
        Command::Show(args) => show::run(&settings, &args),
        Command::Dependency(args) => dependency::run(&settings, &args),
        Command::Verify(args) => verify::run(&settings, &args),
    }
}
