//! The example plugins under plugins/examples, run as rudder-plugin will
//! run them (entry `helm_plugin_main`, rudder's JSON messages).

use std::io::Write;
use std::process::{Command, Stdio};

use rudder_extism::{CallError, Output, Sandbox, test_support};

use crate::util::plugin;

/// Some Kubernetes manifests, `n` ConfigMaps long.
pub(crate) fn manifests(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "---\n# Source: chart/templates/cm{i}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels:\n    app: demo\ndata:\n  key: \"value {i}\"\n"
            )
        })
        .collect()
}

fn postrender(manifests: &str, args: &[&str]) -> String {
    let input = serde_json::json!({"manifests": manifests, "extraArgs": args});
    let mut p = plugin("postrender-labels", Sandbox::default());
    let out = p
        .call(rudder_extism::DEFAULT_ENTRY, input.to_string().as_bytes())
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    v["manifests"].as_str().unwrap().to_owned()
}

#[test]
fn postrender_labels_adds_labels() {
    let out = postrender("kind: ConfigMap\nmetadata:\n  name: a\n", &[]);
    assert_eq!(
        out,
        "kind: ConfigMap\nmetadata:\n  labels:\n    rudder.sh/postrendered: \"true\"\n  name: a\n"
    );
    let out = postrender(&manifests(2), &["team=blue"]);
    assert_eq!(out.matches("    team: \"blue\"\n").count(), 2, "{out}");
}

#[test]
fn postrender_labels_rejects_bad_args_with_the_plugins_message() {
    let input = serde_json::json!({"manifests": "", "extraArgs": ["oops"]});
    let mut p = plugin("postrender-labels", Sandbox::default());
    match p.call(rudder_extism::DEFAULT_ENTRY, input.to_string().as_bytes()) {
        Err(CallError::Guest { message, code: 1 }) => {
            assert!(message.contains("not key=value"), "{message}")
        }
        other => panic!("expected the plugin's error, got {other:?}"),
    }
}

#[test]
fn wasm_and_subprocess_postrenderers_agree() {
    let script =
        test_support::example_dir("postrender-labels-subprocess").join("postrender-labels.sh");
    let input =
        manifests(20) + "---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      name: p\n";
    for args in [&[][..], &["team=blue", "tier=web"][..]] {
        let mut child = Command::new("sh")
            .arg(&script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run the subprocess twin");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            postrender(&input, args)
        );
    }
}

#[test]
fn getter_echo_serves_bytes() {
    let mut p = plugin("getter-echo", Sandbox::default());
    let input = serde_json::json!({"href": "echo://charts/x.tgz?b64=aGVsbG8%3D", "protocol": "echo", "options": {}});
    let out = p
        .call(rudder_extism::DEFAULT_ENTRY, input.to_string().as_bytes())
        .unwrap();
    assert_eq!(out, br#"{"data":"aGVsbG8="}"#);
}

#[test]
fn cli_hello_uses_wasi_stdout_and_env() {
    let mut p = plugin(
        "cli-hello",
        Sandbox {
            stdout: Output::Capture,
            env: vec![("HELM_NAMESPACE".into(), "prod".into())],
            ..Sandbox::default()
        },
    );
    let out = p
        .call(rudder_extism::DEFAULT_ENTRY, br#"{"extraArgs":["Ada"]}"#)
        .unwrap();
    assert_eq!(out, b"{}");
    assert_eq!(p.captured_stdout(), b"Hello, Ada! namespace: prod\n");
    match p.call(rudder_extism::DEFAULT_ENTRY, br#"{"extraArgs":["--fail"]}"#) {
        Err(CallError::Guest { message, .. }) => assert!(message.contains("--fail"), "{message}"),
        other => panic!("expected the plugin's error, got {other:?}"),
    }
}

#[test]
fn example_directories_are_complete_plugins() {
    test_support::build_plugins().unwrap();
    for (_, dir) in test_support::EXAMPLES {
        let dir = test_support::example_dir(dir);
        assert!(dir.join("plugin.yaml").is_file(), "{}", dir.display());
        assert!(dir.join("plugin.wasm").is_file(), "{}", dir.display());
        assert!(dir.join("README.md").is_file(), "{}", dir.display());
        let yaml = std::fs::read_to_string(dir.join("plugin.yaml")).unwrap();
        assert!(
            yaml.contains("apiVersion: v1") && yaml.contains("runtime: extism/v1"),
            "{yaml}"
        );
    }
}
