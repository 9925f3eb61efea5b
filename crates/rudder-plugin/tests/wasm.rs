//! The extism/v1 runtime with real guest plugins from `plugins/` (built on
//! demand by `rudder_extism::test_support`; if the wasm32-wasip1 toolchain
//! is missing these tests fail loudly with instructions, never skip):
//! the example getter and post-renderer, and the adversarial `trap` and
//! `state` plugins for error mapping and the memory-limit defaults.

use std::path::{Path, PathBuf};

use rudder_plugin::api::getter::GetterOptions;
use rudder_plugin::{InvokeError, Plugin, PostRenderError};

use crate::util::host;

/// The built `.wasm` of a guest crate.
fn wasm(crate_name: &str) -> PathBuf {
    rudder_extism::test_support::require_wasm(crate_name)
}

/// A plugin directory in `dir` with this plugin.yaml and the given guest.
fn wasm_plugin(dir: &Path, yaml: &str, guest: &str) -> Plugin {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("plugin.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(wasm(guest), dir.join("plugin.wasm")).unwrap_or_else(|e| panic!("{e}"));
    Plugin::load(dir).unwrap_or_else(|e| panic!("{e}"))
}

fn cli_yaml(name: &str, runtime_config: &str) -> String {
    format!(
        "apiVersion: v1\ntype: cli/v1\nname: {name}\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n{runtime_config}"
    )
}

#[test]
fn example_getter_returns_bytes() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = wasm_plugin(
        &tmp.path().join("getter-echo"),
        "apiVersion: v1\ntype: getter/v1\nname: getter-echo\nversion: 0.1.0\nruntime: extism/v1\nconfig:\n  protocols: [echo]\n",
        "getter-echo",
    );
    let h = host(&[], &[]);
    let out = h.get(
        &p,
        "echo://x/chart.tgz?b64=aGVsbG8%3D",
        GetterOptions::default(),
    );
    assert_eq!(out, Ok(b"hello".to_vec()));
    let out = h.get(&p, "echo://plain", GetterOptions::default());
    assert_eq!(out, Ok(b"echo://plain".to_vec()));
}

#[test]
fn example_post_renderer_gets_and_returns_manifests() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = wasm_plugin(
        &tmp.path().join("pr"),
        "apiVersion: v1\ntype: postrenderer/v1\nname: pr\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  memory:\n    maxPages: 1024\n",
        "postrender-labels",
    );
    let h = host(&[], &[]);
    let out = h.post_render(
        &p,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        &["team=blue".to_owned()],
    );
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.contains("team: \"blue\"") || out.contains("team: blue"),
        "{out}"
    );
    assert!(out.contains("name: x"), "{out}");
}

#[test]
fn return_code_without_message_is_a_clean_exit_error() {
    // Helm 4.2 dereferences a nil error here and panics.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = wasm_plugin(
        &tmp.path().join("rc"),
        &cli_yaml("rc", "  entryFuncName: rc_only\n"),
        "adv-trap",
    );
    let e = host(&[], &[]).run_cli(&p, &[]);
    assert_eq!(
        e,
        Err(InvokeError::Exit {
            name: "rc".into(),
            code: 7
        })
    );
    assert_eq!(
        e.map_err(|e| e.to_string()),
        Err("plugin \"rc\" exited with error".to_owned())
    );
}

#[test]
fn guest_errors_unknown_entries_and_host_functions() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = host(&[], &[]);
    let p = wasm_plugin(
        &tmp.path().join("ge"),
        &cli_yaml("ge", "  entryFuncName: guest_error\n"),
        "adv-trap",
    );
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("plugin error: guest says no".to_owned())
    );
    let p = wasm_plugin(
        &tmp.path().join("nf"),
        &cli_yaml("nf", "  entryFuncName: nope\n"),
        "adv-trap",
    );
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("plugin error: unknown function: nope".to_owned())
    );
    let p = wasm_plugin(
        &tmp.path().join("hf"),
        &cli_yaml("hf", "  hostFunctions: [anything]\n"),
        "adv-trap",
    );
    assert_eq!(
        h.run_cli(&p, &[]).map_err(|e| e.to_string()),
        Err("plugin requested host function \"anything\" not found".to_owned())
    );
    // The guest's answer must be the type's JSON: `ok` echoes its input
    // as `ok:{…}`, which is not JSON.
    let p = wasm_plugin(
        &tmp.path().join("ok"),
        &cli_yaml("ok", "  entryFuncName: ok\n"),
        "adv-trap",
    );
    let e = h.run_cli(&p, &[]).map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err("failed to json marshal plugin output message: reflect.Value: invalid character 'o' looking for beginning of value".to_owned())
    );
}

#[test]
fn omitted_var_limit_means_extism_default_not_disabled() {
    // rudder's deliberate difference: Helm turns an omitted maxVarBytes
    // into 0 (vars disabled). The `incr` export stores a var, then answers
    // a bare number (not the JSON a cli/v1 plugin must answer), so a call
    // that got past var_set fails on the output instead.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = host(&[], &[]);
    let p = wasm_plugin(
        &tmp.path().join("vars"),
        &cli_yaml("vars", "  entryFuncName: incr\n"),
        "adv-state",
    );
    let e = h.run_cli(&p, &[]).map_err(|e| e.to_string());
    assert_eq!(
        e,
        Err("failed to json marshal plugin output message: reflect.Value: json: cannot unmarshal number into Go value of type schema.OutputMessageCLIV1".to_owned())
    );
    let p = wasm_plugin(
        &tmp.path().join("novars"),
        &cli_yaml(
            "novars",
            "  entryFuncName: incr\n  memory:\n    maxVarBytes: 0\n",
        ),
        "adv-state",
    );
    let e = h.run_cli(&p, &[]).map_err(|e| e.to_string());
    assert!(
        matches!(&e, Err(m) if m.starts_with("plugin error: ") && m.to_lowercase().contains("var")),
        "{e:?}"
    );
}

#[test]
fn wasm_post_renderer_failures_are_wrapped() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = wasm_plugin(
        &tmp.path().join("prx"),
        "apiVersion: v1\ntype: postrenderer/v1\nname: prx\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: rc_only\n",
        "adv-trap",
    );
    let e = host(&[], &[]).post_render(&p, "a: b\n", &[]);
    assert!(
        matches!(
            e,
            Err(PostRenderError::Invoke {
                cause: InvokeError::Exit { code: 7, .. },
                ..
            })
        ),
        "{e:?}"
    );
}

#[test]
fn test_type_round_trip_and_type_checks() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let h = host(&[], &[]);
    // `ok` answers `ok:<input>`: the input reached the guest as Go-style
    // JSON (`{"Name":"Phippy"}`), and the non-JSON answer is rejected with
    // Go's text.
    let p = wasm_plugin(
        &tmp.path().join("t"),
        "apiVersion: v1\ntype: test/v1\nname: t\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  entryFuncName: ok\n",
        "adv-trap",
    );
    let input = rudder_plugin::api::test::Input {
        name: "Phippy".into(),
    };
    assert_eq!(
        h.invoke_test(&p, &input).map_err(|e| e.to_string()),
        Err("failed to json marshal plugin output message: reflect.Value: invalid character 'o' looking for beginning of value".to_owned())
    );
    // Only Wasm test/v1 plugins can be invoked as tests.
    let cli = wasm_plugin(
        &tmp.path().join("c"),
        &cli_yaml("c", "  entryFuncName: ok\n"),
        "adv-trap",
    );
    assert_eq!(
        h.invoke_test(&cli, &input).map_err(|e| e.to_string()),
        Err("unsupported extism/v1 plugin type \"cli/v1\"".to_owned())
    );
}
