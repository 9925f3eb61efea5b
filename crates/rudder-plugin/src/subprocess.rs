//! The `subprocess` runtime: plugins are executables, run with the
//! environment and stdio wiring Helm uses for each plugin type (spec §3.2).
//!
//! | Invocation | environment | stdin | stdout | stderr |
//! |---|---|---|---|---|
//! | cli/v1 | process + `HELM_*` settings + `HELM_PLUGIN_NAME/DIR` | inherited | inherited | inherited |
//! | getter/v1 | same + `HELM_PLUGIN_USERNAME/PASSWORD/PASS_CREDENTIALS_ALL` | none | the downloaded bytes | inherited |
//! | postrenderer/v1 | process + `HELM_PLUGIN_NAME/DIR` | the manifests | the result | captured, discarded |
//! | hooks | process + `HELM_PLUGIN_NAME/DIR` | none | inherited | inherited |

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use crate::command::prepare_command;
use crate::discovery::{Plugin, go_io_reason};
use crate::error::InvokeError;
use crate::quote::go_quote;

/// Go's `exec.LookPath` for a command without a path separator, against
/// the `PATH` of the environment the child gets (Helm resolves against its
/// own, which is the same variable).
fn look_path(name: &str, env: &BTreeMap<String, String>) -> Result<PathBuf, InvokeError> {
    if name.contains(std::path::MAIN_SEPARATOR) || name.contains('/') {
        return Ok(PathBuf::from(name));
    }
    let not_found = || {
        InvokeError::Spawn(format!(
            "exec: {}: executable file not found in $PATH",
            go_quote(name)
        ))
    };
    if name.is_empty() {
        return Err(not_found());
    }
    let path = env.get("PATH").cloned().unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        let candidate = dir.join(name);
        if is_executable(&candidate) {
            return Ok(candidate);
        }
    }
    Err(not_found())
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
}

/// A command ready to run: program, argv and exactly this environment.
pub(crate) struct Prepared {
    pub(crate) program: String,
    pub(crate) args: Vec<String>,
    pub(crate) env: BTreeMap<String, String>,
}

impl Prepared {
    fn command(&self) -> Result<Command, InvokeError> {
        let resolved = look_path(&self.program, &self.env)?;
        let mut cmd = Command::new(&resolved);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // argv[0] is the name as written, as Go's exec.Command sets it.
            cmd.arg0(&self.program);
        }
        cmd.args(&self.args).env_clear().envs(&self.env);
        Ok(cmd)
    }
}

/// Go's `fork/exec <path>: <reason>` for a spawn failure.
fn spawn_error(program: &str, e: &std::io::Error) -> InvokeError {
    InvokeError::Spawn(format!("fork/exec {program}: {}", go_io_reason(e)))
}

/// Go's `ExitError.ExitCode()`: the status, or -1 for a signal.
fn exit_code(status: ExitStatus) -> i32 {
    status.code().unwrap_or(-1)
}

fn check(status: ExitStatus, plugin: &Plugin) -> Result<(), InvokeError> {
    if status.success() {
        Ok(())
    } else {
        Err(InvokeError::Exit {
            name: plugin.name().to_owned(),
            code: exit_code(status),
        })
    }
}

/// The environment every invocation starts from: the process environment
/// overlaid by `extra`, then the plugin's name and directory.
pub(crate) fn plugin_env(
    plugin: &Plugin,
    process: &BTreeMap<String, String>,
    extra: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut env = process.clone();
    if let Some(extra) = extra {
        env.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    env.insert("HELM_PLUGIN_NAME".to_owned(), plugin.name().to_owned());
    env.insert(
        "HELM_PLUGIN_DIR".to_owned(),
        plugin.dir().to_string_lossy().into_owned(),
    );
    env
}

fn subprocess_config(plugin: &Plugin) -> Result<&crate::metadata::SubprocessConfig, InvokeError> {
    match &plugin.metadata().runtime_config {
        crate::metadata::RuntimeConfig::Subprocess(c) => Ok(c),
        crate::metadata::RuntimeConfig::Extism(_) => Err(InvokeError::Unsupported {
            runtime: "subprocess".to_owned(),
            plugin_type: plugin.metadata().plugin_type.as_str().to_owned(),
        }),
    }
}

/// Run a `cli/v1` plugin with inherited stdio.
pub(crate) fn run_cli(
    plugin: &Plugin,
    args: &[String],
    env: BTreeMap<String, String>,
) -> Result<(), InvokeError> {
    let cfg = subprocess_config(plugin)?;
    let (program, args) =
        prepare_command(&cfg.platform_command, true, args, &env).map_err(InvokeError::Prepare)?;
    let p = Prepared { program, args, env };
    let status = p
        .command()?
        .status()
        .map_err(|e| spawn_error(&p.program, &e))?;
    check(status, plugin)
}

/// Run a `postrenderer/v1` plugin: manifests on stdin, result on stdout,
/// stderr captured and discarded (as Helm does).
pub(crate) fn run_postrenderer(
    plugin: &Plugin,
    manifests: &str,
    extra_args: &[String],
    env: BTreeMap<String, String>,
) -> Result<Vec<u8>, InvokeError> {
    let cfg = subprocess_config(plugin)?;
    let (program, args) = prepare_command(&cfg.platform_command, true, extra_args, &env)
        .map_err(InvokeError::Prepare)?;
    let p = Prepared { program, args, env };
    let mut child = p
        .command()?
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(&p.program, &e))?;
    // Feed stdin from another thread so a plugin that writes before it has
    // read everything cannot deadlock us.
    let writer = child.stdin.take().map(|mut stdin| {
        let data = manifests.as_bytes().to_vec();
        std::thread::spawn(move || {
            // A plugin that exits without reading its input is not an error
            // here; its exit status decides.
            let _ = stdin.write_all(&data);
        })
    });
    let stderr = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        })
    });
    let mut out = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout
            .read_to_end(&mut out)
            .map_err(|e| InvokeError::Io(format!("reading plugin output: {e}")))?;
    }
    let status = child
        .wait()
        .map_err(|e| InvokeError::Io(format!("waiting for plugin: {e}")))?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    if let Some(s) = stderr {
        let _ = s.join();
    }
    check(status, plugin)?;
    Ok(out)
}

/// Run a `getter/v1` plugin: `<command> [args] certFile keyFile caFile href`,
/// the downloaded bytes on stdout.
///
/// Helm joins the command onto the plugin directory even when it is
/// absolute, so `$HELM_PLUGIN_DIR/bin/get` breaks (hayorov/helm-gcs#255);
/// rudder uses absolute commands as they are and joins relative ones.
pub(crate) fn run_getter(
    plugin: &Plugin,
    input: &rudder_plugin_api::getter::Input,
    mut env: BTreeMap<String, String>,
) -> Result<Vec<u8>, InvokeError> {
    let cfg = subprocess_config(plugin)?;
    let Some(pc) = cfg
        .protocol_commands
        .iter()
        .find(|c| c.protocols.contains(&input.protocol))
    else {
        return Err(InvokeError::NoDownloader(input.protocol.clone()));
    };
    let o = &input.options;
    env.insert("HELM_PLUGIN_USERNAME".to_owned(), o.username.clone());
    env.insert("HELM_PLUGIN_PASSWORD".to_owned(), o.password.clone());
    env.insert(
        "HELM_PLUGIN_PASS_CREDENTIALS_ALL".to_owned(),
        o.pass_credentials_all.to_string(),
    );
    let (command, mut args) =
        prepare_command(&pc.platform_command, false, &[], &env).map_err(|cause| {
            InvokeError::PrepareGetter {
                protocol: input.protocol.clone(),
                cause,
            }
        })?;
    args.extend([
        o.cert_file.clone(),
        o.key_file.clone(),
        o.ca_file.clone(),
        input.href.clone(),
    ]);
    let program = if Path::new(&command).is_absolute() {
        PathBuf::from(&command)
    } else {
        crate::discovery::clean_path(&plugin.dir().join(&command))
    };
    let program = program.to_string_lossy().into_owned();
    let p = Prepared { program, args, env };
    let output = p
        .command()?
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| spawn_error(&p.program, &e))?;
    check(output.status, plugin)?;
    Ok(output.stdout)
}

/// Run the plugin's hook for `event` (`install`, `update`, `delete`), if it
/// has one; stdout and stderr inherited, no stdin.
pub(crate) fn run_hook(
    plugin: &Plugin,
    event: &str,
    env: BTreeMap<String, String>,
) -> Result<(), InvokeError> {
    let cfg = subprocess_config(plugin)?;
    let Some(cmds) = cfg.platform_hooks.get(event).filter(|c| !c.is_empty()) else {
        return Ok(());
    };
    let (program, args) =
        prepare_command(cmds, cfg.expand_hook_args, &[], &env).map_err(InvokeError::Prepare)?;
    let p = Prepared { program, args, env };
    let status = p
        .command()?
        .stdin(Stdio::null())
        .status()
        .map_err(|e| spawn_error(&p.program, &e))?;
    if status.success() {
        Ok(())
    } else {
        Err(InvokeError::Hook {
            event: event.to_owned(),
            name: plugin.name().to_owned(),
        })
    }
}
