//! The subprocess runtime with real shell-script plugins: environment per
//! plugin type (spec §3.2), exit codes, stdin/stdout wiring, platform
//! selection and `$VAR` expansion.

use std::path::Path;

use rudder_plugin::api::getter::GetterOptions;
use rudder_plugin::{HookEvent, InvokeError, PostRenderError};

use crate::util::{host, kv, plugin, plugins_dir};

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn cli_env_and_args() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    let out_s = out.to_string_lossy().into_owned();
    let h = host(
        &[
            ("HELM_PLUGINS", "/a:/b"),
            ("HELM_BIN", "rudder-bin"),
            ("HELM_NAMESPACE", "ns1"),
            ("HELM_DEBUG", "true"),
        ],
        &[
            ("OUT_FILE", out_s.as_str()),
            ("HELM_NAMESPACE", "from-process"),
        ],
    );
    let p = plugin("env-dump");
    let args = vec!["a b".to_owned(), "$NOT_EXPANDED".to_owned()];
    assert_eq!(h.run_cli(&p, &args), Ok(()));
    let m = kv(&read(&out));
    let dir = plugins_dir().join("env-dump");
    assert_eq!(
        m["argv0"],
        vec![dir.join("dump.sh").to_string_lossy().into_owned()]
    );
    // The command's own words are expanded, user arguments are not.
    assert_eq!(
        m["arg"],
        vec!["--from-command", "env-dump", "a b", "$NOT_EXPANDED"]
    );
    assert_eq!(m["HELM_PLUGIN_NAME"], vec!["env-dump"]);
    assert_eq!(
        m["HELM_PLUGIN_DIR"],
        vec![dir.to_string_lossy().into_owned()]
    );
    assert_eq!(m["HELM_PLUGINS"], vec!["/a:/b"]);
    assert_eq!(m["HELM_BIN"], vec!["rudder-bin"]);
    // Settings win over the process environment.
    assert_eq!(m["HELM_NAMESPACE"], vec!["ns1"]);
    assert_eq!(m["HELM_DEBUG"], vec!["true"]);
}

#[test]
fn cli_exit_code_is_kept() {
    let h = host(&[], &[]);
    let p = plugin("exitwith");
    assert_eq!(
        h.run_cli(&p, &["3".to_owned()]),
        Err(InvokeError::Exit {
            name: "exitwith".into(),
            code: 3
        })
    );
    let e = h.run_cli(&p, &["2".to_owned()]).err();
    assert_eq!(
        e.as_ref().map(ToString::to_string).as_deref(),
        Some("plugin \"exitwith\" exited with error")
    );
    assert_eq!(e.and_then(|e| e.exit_code()), Some(2));
    assert_eq!(h.run_cli(&p, &["0".to_owned()]), Ok(()));
}

#[test]
fn cli_platform_selection_and_ignore_flags() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    let h = host(&[], &[("OUT_FILE", &out.to_string_lossy())]);
    let p = plugin("platforms");
    assert_eq!(h.run_cli(&p, &["--user-arg".to_owned()]), Ok(()));
    // plan9 and the arch-only entry are skipped; ignoreFlags drops user args.
    assert_eq!(read(&out), "chosen=generic\n");
}

#[test]
fn missing_executable_has_go_text() {
    let meta =
        rudder_plugin::parse_metadata(b"name: ghost\ncommand: no-such-command-rudder-test\n")
            .unwrap_or_else(|e| panic!("{e}"));
    let p = rudder_plugin::Plugin::new(plugins_dir().join("env-dump"), meta);
    let h = host(&[], &[]);
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("exec: \"no-such-command-rudder-test\": executable file not found in $PATH".to_owned())
    );
    let meta = rudder_plugin::parse_metadata(b"name: ghost\ncommand: /no/such/file\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let p = rudder_plugin::Plugin::new(plugins_dir().join("env-dump"), meta);
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("fork/exec /no/such/file: no such file or directory".to_owned())
    );
    let meta = rudder_plugin::parse_metadata(
        b"name: ghost\nplatformCommand:\n- os: plan9\n  command: x\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = rudder_plugin::Plugin::new(plugins_dir().join("env-dump"), meta);
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("failed to prepare plugin command: no plugin command is applicable".to_owned())
    );
}

#[test]
fn postrenderer_stdin_stdout_args() {
    let h = host(&[("HELM_NAMESPACE", "must-not-leak")], &[]);
    let p = plugin("sed-render");
    let out = h.post_render(
        &p,
        "kind: REPLACE_ME\n",
        &["a".to_owned(), "Secret".to_owned()],
    );
    // stderr noise is discarded; the first platform entry (other OS) is skipped.
    assert_eq!(
        out,
        Ok("# args: --plugin=sed-render a Secret\nkind: Secret\n".to_owned())
    );
}

#[test]
fn postrenderer_failures() {
    let p = plugin("sed-render");
    let h = host(&[], &[("FAIL_WITH", "5")]);
    let e = h.post_render(&p, "x: y\n", &[]);
    assert_eq!(
        e.clone().map_err(|e| e.to_string()),
        Err("failed to invoke post-renderer plugin \"sed-render\": plugin \"sed-render\" exited with error".to_owned())
    );
    assert!(matches!(
        e,
        Err(PostRenderError::Invoke {
            cause: InvokeError::Exit { code: 5, .. },
            ..
        })
    ));
    let h = host(&[], &[("PRINT_NOTHING", "1")]);
    // "# args:" is printed first, so make the plugin print only blanks.
    let meta = rudder_plugin::parse_metadata(
        b"apiVersion: v1\ntype: postrenderer/v1\nname: blank\nversion: 1.0.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n  - command: sh\n    args: [\"-c\", \"cat >/dev/null; printf ' \\\\n\\\\t\\\\n'\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let blank = rudder_plugin::Plugin::new(plugins_dir().join("sed-render"), meta);
    assert_eq!(
        h.post_render(&blank, "x: y\n", &[])
            .map_err(|e| e.to_string()),
        Err("post-renderer \"blank\" produced empty output".to_owned())
    );
}

#[test]
fn postrenderer_gets_no_settings_env() {
    let meta = rudder_plugin::parse_metadata(
        b"apiVersion: v1\ntype: postrenderer/v1\nname: envcheck\nversion: 1.0.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n  - command: sh\n    args: [\"-c\", \"cat >/dev/null; env\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let p = rudder_plugin::Plugin::new(plugins_dir().join("sed-render"), meta);
    let h = host(&[("HELM_NAMESPACE", "x")], &[("FROM_PROCESS", "yes")]);
    let out = h
        .post_render(&p, "a: b\n", &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let m = kv(&out);
    assert!(!m.contains_key("HELM_NAMESPACE"), "{out}");
    assert_eq!(m["HELM_PLUGIN_NAME"], vec!["envcheck"]);
    assert_eq!(m["FROM_PROCESS"], vec!["yes"]);
}

#[test]
fn getter_args_env_and_output() {
    let h = host(
        &[("HELM_NAMESPACE", "getter-ns")],
        &[("NOT_EXPANDED", "oops")],
    );
    let p = plugin("demo-getter");
    let opts = GetterOptions {
        cert_file: "c.pem".into(),
        username: "me".into(),
        password: "secret".into(),
        pass_credentials_all: true,
        ..GetterOptions::default()
    };
    let out = h.get(&p, "demo://host/chart.tgz", opts);
    let out = String::from_utf8(out.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_default();
    let m = kv(&out);
    // Args are not expanded for getters; then certFile keyFile caFile href.
    assert_eq!(
        m["arg"],
        vec![
            "--verbose",
            "$NOT_EXPANDED",
            "c.pem",
            "",
            "",
            "demo://host/chart.tgz"
        ]
    );
    assert_eq!(m["user"], vec!["me"]);
    assert_eq!(m["password"], vec!["secret"]);
    assert_eq!(m["all"], vec!["true"]);
    assert_eq!(m["name"], vec!["demo-getter"]);
    assert_eq!(m["namespace"], vec!["getter-ns"]);
}

#[test]
fn getter_failures() {
    let h = host(&[], &[]);
    let p = plugin("demo-getter");
    assert_eq!(
        h.get(&p, "demo://fail/x.tgz", GetterOptions::default())
            .map_err(|e| e.to_string()),
        Err(
            "plugin \"demo-getter\" failed to invoke: plugin \"demo-getter\" exited with error"
                .to_owned()
        )
    );
    assert_eq!(
        h.get(&p, "other://x", GetterOptions::default())
            .map_err(|e| e.to_string()),
        Err(
            "plugin \"demo-getter\" failed to invoke: no downloader found for protocol \"other\""
                .to_owned()
        )
    );
}

#[test]
fn hooks() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    let h = host(&[], &[("OUT_FILE", &out.to_string_lossy())]);
    let legacy = plugin("hooks-legacy");
    // Legacy string hooks run through `sh -c`; the shell expands.
    assert_eq!(h.run_hook(&legacy, HookEvent::Install), Ok(()));
    assert_eq!(
        read(&out),
        format!(
            "installed hooks-legacy in {}\n",
            plugins_dir().join("hooks-legacy").display()
        )
    );
    assert_eq!(
        h.run_hook(&legacy, HookEvent::Delete)
            .map_err(|e| e.to_string()),
        Err("plugin delete hook for \"hooks-legacy\" exited with error".to_owned())
    );
    assert_eq!(
        h.run_hook(&legacy, HookEvent::Update),
        Ok(()),
        "no update hook: nothing to do"
    );
    let v1 = plugin("hooks-v1");
    assert_eq!(h.run_hook(&v1, HookEvent::Update), Ok(()));
    assert_eq!(read(&out), "updated hooks-v1\n");
}
