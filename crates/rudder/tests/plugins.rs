//! End-to-end tests of plugins in the `rudder` binary: `cli/v1` plugins as
//! subcommands (global-flag extraction, environment, exit codes),
//! `plugin list`, `--post-renderer` in `rudder template` (subprocess and
//! Wasm), getter plugins for custom URL schemes, and completion.
//!
//! Test plugins: `tests/data/plugins` here, the shell-script plugins of
//! `crates/rudder-plugin/tests/data/plugins`, and the examples under
//! `plugins/examples` (their `plugin.wasm` is built on demand by
//! `rudder_extism::test_support`; a missing wasm32-wasip1 toolchain makes
//! the Wasm tests fail loudly, never skip).
//!
//! Expected outputs of the post-renderer cases are derived from Helm's
//! algorithm (annotateAndMerge → kyaml → splitAndDeannotate → sort), not
//! produced by Helm: the oracle cannot run post-renderers. The kyaml
//! re-serialisation itself is checked against yaml.v3's own test table in
//! rudder-yaml.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

/// HELM_PLUGINS for the tests: this crate's plugins, rudder-plugin's, and
/// the examples. The Wasm examples are built first: on a fresh clone they
/// have no plugin.wasm yet, and rudder would warn about them on stderr.
fn plugin_dirs() -> String {
    require_wasm_examples();
    let dirs = [
        here("plugins"),
        repo_root().join("crates/rudder-plugin/tests/data/plugins"),
        repo_root().join("plugins/examples"),
    ];
    std::env::join_paths(dirs)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn rudder_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rudder"));
    cmd.args(args)
        .current_dir(repo_root())
        .env_remove("HELM_NAMESPACE")
        .env_remove("HELM_NO_PLUGINS")
        .env_remove("HELM_DEBUG")
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env("HELM_PLUGINS", plugin_dirs());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("running rudder: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "rudder failed: {}\n{}",
        text(&out.stderr),
        text(&out.stdout)
    );
    text(&out.stdout)
}

/// Builds the example Wasm plugins once and puts plugin.wasm next to their
/// plugin.yaml; panics with instructions when that is impossible.
fn require_wasm_examples() {
    if let Err(e) = rudder_extism::test_support::build_plugins() {
        panic!(
            "\n\n*** the Wasm example plugins under plugins/examples could not be built ***\n{e}\n(run scripts/build-plugins.sh to see the details)\n\n"
        );
    }
    for example in ["postrender-labels", "getter-echo", "cli-hello"] {
        let wasm = repo_root()
            .join("plugins/examples")
            .join(example)
            .join("plugin.wasm");
        assert!(
            wasm.is_file(),
            "{} is missing after the build",
            wasm.display()
        );
    }
}

#[test]
fn cli_plugin_global_flags_env_and_args() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_file = tmp.path().join("out");
    let out = rudder_with(
        &[
            "env-dump",
            "--namespace",
            "ns",
            "-n=x",
            "--debug",
            "bar",
            "--kube-as-group",
            "g",
            "--qps",
            "5",
        ],
        &[("OUT_FILE", &out_file.to_string_lossy())],
    );
    ok(&out);
    let dump = std::fs::read_to_string(&out_file).unwrap_or_default();
    let lines: Vec<&str> = dump.lines().collect();
    // Spec §9 case 9: known flags applied (last -n wins), the rest forwarded.
    assert!(lines.contains(&"HELM_NAMESPACE=x"), "{dump}");
    assert!(lines.contains(&"HELM_DEBUG=true"), "{dump}");
    assert!(lines.contains(&"HELM_KUBEASGROUPS=g"), "{dump}");
    let args: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("arg="))
        .collect();
    assert_eq!(
        args,
        vec!["--from-command", "env-dump", "bar", "--qps", "5"]
    );
    // Spec §9 case 10.
    assert!(lines.contains(&"HELM_PLUGIN_NAME=env-dump"), "{dump}");
    // HELM_PLUGIN_DIR is the cleaned path of the plugin as found.
    let dir = rudder_plugin::clean_path(
        &repo_root().join("crates/rudder-plugin/tests/data/plugins/env-dump"),
    );
    assert!(
        lines.contains(&format!("HELM_PLUGIN_DIR={}", dir.display()).as_str()),
        "{dump}"
    );
    assert!(
        lines.contains(&format!("HELM_PLUGINS={}", plugin_dirs()).as_str()),
        "{dump}"
    );
    assert!(
        lines.contains(&format!("HELM_BIN={}", env!("CARGO_BIN_EXE_rudder")).as_str()),
        "{dump}"
    );
}

#[test]
fn global_flags_before_the_plugin_name_count_too() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_file = tmp.path().join("out");
    let out = rudder_with(
        &[
            "--kube-context",
            "ctx",
            "env-dump",
            "--kube-insecure-skip-tls-verify",
            "swallowed",
            "kept",
        ],
        &[("OUT_FILE", &out_file.to_string_lossy())],
    );
    ok(&out);
    let dump = std::fs::read_to_string(&out_file).unwrap_or_default();
    assert!(dump.contains("HELM_KUBECONTEXT=ctx\n"), "{dump}");
    assert!(
        dump.contains("HELM_KUBEINSECURE_SKIP_TLS_VERIFY=true\n"),
        "{dump}"
    );
    assert!(
        dump.contains("arg=kept\n") && !dump.contains("swallowed"),
        "{dump}"
    );
}

#[test]
fn cli_plugin_exit_code_is_propagated() {
    // Spec §9 case 11.
    let out = rudder_with(&["exitwith", "2"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "exiting with 2\nError: plugin \"exitwith\" exited with error\n"
    );
    let out = rudder_with(&["exitwith", "0"], &[]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn ignore_flags_and_usage_name() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_file = tmp.path().join("out");
    // `platforms` registers as `plat` (first word of usage) and ignores
    // every user argument.
    ok(&rudder_with(
        &["plat", "--namespace", "x", "arg"],
        &[("OUT_FILE", &out_file.to_string_lossy())],
    ));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap_or_default(),
        "chosen=generic\n"
    );
    let out = rudder_with(&["platforms"], &[]);
    assert!(!out.status.success());
}

#[test]
fn unknown_commands_and_no_plugins() {
    let out = rudder_with(&["no-such-plugin"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error: unknown command \"no-such-plugin\" for \"rudder\"\nRun 'rudder --help' for usage.\n"
    );
    let out = rudder_with(&["exitwith", "3"], &[("HELM_NO_PLUGINS", "1")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("Error: unknown command \"exitwith\""));
}

#[test]
fn plugin_list_table() {
    let out = rudder_with(
        &["plugin", "list", "--type", "postrenderer/v1"],
        &[("HELM_PLUGINS", &here("plugins").to_string_lossy())],
    );
    assert_eq!(
        ok(&out),
        "NAME       \tVERSION\tTYPE           \tAPIVERSION\tPROVENANCE\tSOURCE \n\
         fail-render\t0.1.0  \tpostrenderer/v1\tv1        \tunknown   \tunknown\n\
         identity   \t0.1.0  \tpostrenderer/v1\tv1        \tunknown   \tunknown\n"
    );
    let all = ok(&rudder_with(&["plugin", "ls"], &[]));
    assert!(all.contains("\nenv-dump "), "{all}");
    assert!(all.contains("\tlegacy    \t"), "{all}");
    let none = ok(&rudder_with(&["plugin", "list", "--type", "nope/v1"], &[]));
    assert_eq!(none.lines().count(), 1);
}

#[test]
fn plugin_list_provenance_local_dev() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("plugins")).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(here("plugins/identity"), data.join("plugins/identity"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = rudder_with(
        &["plugin", "list"],
        &[
            ("HELM_PLUGINS", &data.join("plugins").to_string_lossy()),
            ("HELM_DATA_HOME", &data.to_string_lossy()),
        ],
    );
    assert!(ok(&out).contains("\tlocal dev \t"), "{}", text(&out.stdout));
}

const PR_DEMO_IDENTITY: &str = "---
# Source: pr-demo/templates/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-cm
  annotations:
    keep: \"yes\"
data:
  script: |
    echo hi

---
# Source: pr-demo/templates/app.yaml
apiVersion: example.com/v1
kind: App
metadata:
  name: rel
spec:
  replicas: 2
  ports:
  - name: http
    port: 80
  tags: [a, b]
---
# Source: pr-demo/templates/tests/hook.yaml
apiVersion: v1
kind: Pod
metadata:
  name: rel-test
  annotations:
    \"helm.sh/hook\": test
spec:
  containers:
  - name: t
    image: busybox

";

#[test]
fn post_renderer_round_trip_through_kyaml() {
    let chart = here("charts/pr-demo");
    let out = rudder_with(
        &[
            "template",
            "rel",
            &chart.to_string_lossy(),
            "--post-renderer",
            "identity",
        ],
        &[],
    );
    assert_eq!(ok(&out), PR_DEMO_IDENTITY);
}

#[test]
fn post_renderer_subprocess_with_args() {
    let out = rudder_with(
        &[
            "template",
            "demo",
            "examples/hello",
            "--post-renderer-args",
            "team=blue",
            "--post-renderer",
            "postrender-labels-subprocess",
            "--post-renderer-args",
            "tier=web",
        ],
        &[],
    );
    let stdout = ok(&out);
    assert!(
        stdout.contains("  labels:\n    team: \"blue\"\n    tier: \"web\"\n"),
        "{stdout}"
    );
    // Every document came back to its file, hooks included.
    assert!(
        stdout.contains("# Source: hello/templates/tests/test-connection.yaml\n"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("team: \"blue\"").count(),
        stdout.matches("\nkind: ").count()
    );
}

#[test]
fn post_renderer_wasm_matches_its_subprocess_twin() {
    require_wasm_examples();
    let args = |pr: &'static str| -> Vec<&'static str> {
        vec![
            "template",
            "demo",
            "examples/hello",
            "--post-renderer",
            pr,
            "--post-renderer-args",
            "team=blue",
        ]
    };
    let wasm = ok(&rudder_with(&args("postrender-labels"), &[]));
    let sub = ok(&rudder_with(&args("postrender-labels-subprocess"), &[]));
    assert_eq!(wasm, sub);
    assert!(wasm.contains("team: \"blue\""), "{wasm}");
}

#[test]
fn post_renderer_errors() {
    let out = rudder_with(
        &[
            "template",
            "demo",
            "examples/hello",
            "--post-renderer",
            "/usr/bin/cat",
        ],
        &[],
    );
    assert_eq!(
        text(&out.stderr),
        "Error: invalid argument \"/usr/bin/cat\" for \"--post-renderer\" flag: plugin: {Name:/usr/bin/cat Type:postrenderer/v1} not found\n"
    );
    // A CLI plugin is not a post-renderer.
    let out = rudder_with(
        &[
            "template",
            "demo",
            "examples/hello",
            "--post-renderer",
            "exitwith",
        ],
        &[],
    );
    assert!(text(&out.stderr).contains("plugin: {Name:exitwith Type:postrenderer/v1} not found"));
    let out = rudder_with(
        &[
            "template",
            "demo",
            "examples/hello",
            "--post-renderer",
            "identity",
            "--post-renderer",
            "fail-render",
        ],
        &[],
    );
    assert!(text(&out.stderr).contains("cannot specify --post-renderer flag more than once"));
    // Empty values are ignored.
    ok(&rudder_with(
        &["template", "demo", "examples/hello", "--post-renderer", ""],
        &[],
    ));
    let out = rudder_with(
        &[
            "template",
            "demo",
            "examples/hello",
            "--post-renderer",
            "fail-render",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error: error while running post render on files: failed to invoke post-renderer plugin \"fail-render\": plugin \"fail-render\" exited with error\n\nUse --debug flag to render out invalid YAML\n"
    );
}

#[test]
fn getter_plugin_for_a_custom_scheme() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let archive = tmp.path().join("hello-0.1.0.tgz");
    let status = Command::new("tar")
        .arg("czf")
        .arg(&archive)
        .arg("-C")
        .arg(repo_root().join("examples"))
        .arg("hello")
        .status()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    assert!(status.success());
    let url = format!("mything://local{}", archive.display());
    let from_getter = ok(&rudder_with(&["template", "demo", &url], &[]));
    let local = ok(&rudder_with(&["template", "demo", "examples/hello"], &[]));
    assert_eq!(from_getter, local);
    let out = rudder_with(&["template", "demo", "mything://local/no/such.tgz"], &[]);
    assert_eq!(
        text(&out.stderr),
        "chart-getter: /no/such.tgz not found\nError: plugin \"chart-getter\" failed to invoke: plugin \"chart-getter\" exited with error\n"
    );
    let out = rudder_with(&["template", "demo", "unknown-scheme://x/y.tgz"], &[]);
    assert_eq!(
        text(&out.stderr),
        "Error: scheme \"unknown-scheme\" not supported\n"
    );
    // Plugins cannot take over the built-in schemes.
    let out = rudder_with(&["template", "demo", "https://example.com/c.tgz"], &[]);
    assert!(text(&out.stderr).contains("not supported by rudder yet"));
}

#[test]
fn wasm_getter_and_cli_plugins() {
    require_wasm_examples();
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let archive = tmp.path().join("hello-0.1.0.tgz");
    let status = Command::new("tar")
        .arg("czf")
        .arg(&archive)
        .arg("-C")
        .arg(repo_root().join("examples"))
        .arg("hello")
        .status()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    assert!(status.success());
    let bytes = std::fs::read(&archive).unwrap_or_default();
    let b64 = rudder_plugin::api::encode_base64(&bytes)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let url = format!("echo://charts/hello-0.1.0.tgz?b64={b64}");
    let from_wasm = ok(&rudder_with(&["template", "demo", &url], &[]));
    let local = ok(&rudder_with(&["template", "demo", "examples/hello"], &[]));
    assert_eq!(from_wasm, local);
    // cli/v1 Wasm: WASI stdout reaches the terminal, the namespace comes
    // from the settings in the WASI environment.
    let out = rudder_with(&["hello", "-n", "wasm-ns", "world"], &[]);
    let stdout = ok(&out);
    assert!(stdout.contains("world"), "{stdout}");
    assert!(stdout.contains("wasm-ns"), "{stdout}");
}

#[test]
fn completion_of_plugins() {
    let names = ok(&rudder_with(&["__complete", "exit"], &[]));
    assert_eq!(names, "exitwith\texit with the given code\n:4\n");
    let names = ok(&rudder_with(&["__completeNoDesc", "comp"], &[]));
    assert_eq!(names, "complete-me\n:4\n");
    // Static completion.yaml: sub-commands, then validArgs.
    assert_eq!(
        ok(&rudder_with(&["__complete", "complete-me", ""], &[])),
        "static\ndynamic\n:4\n"
    );
    assert_eq!(
        ok(&rudder_with(
            &["__complete", "complete-me", "static", "a"],
            &[]
        )),
        "alpha\n:4\n"
    );
    // Dynamic plugin.complete for a leaf without validArgs: it gets the
    // path, the forwarded args and the word; global flags are applied.
    assert_eq!(
        ok(&rudder_with(
            &[
                "__complete",
                "complete-me",
                "dynamic",
                "-n",
                "ns1",
                "x",
                "y"
            ],
            &[]
        )),
        "got-dynamic\ngot-x\ngot-y\nns-ns1\n:4\n"
    );
    assert_eq!(
        ok(&rudder_with(
            &["__complete", "complete-me", "dynamic", "--v"],
            &[]
        )),
        "--verbose\n:4\n"
    );
}

#[test]
fn running_a_plugin_with_completion_files() {
    let out = rudder_with(&["complete-me", "a", "b"], &[]);
    assert_eq!(ok(&out), "complete-me ran: a b\n");
}
