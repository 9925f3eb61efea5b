//! plugin.yaml parsing and validation: spec §9 cases 1-6, every error text
//! of spec §1.2/§1.3/§1.5, and the CVE-2026-35204 path traversal attempts.
//! Expected texts are Helm 4.2's (internal/plugin/metadata*.go, loader.go,
//! config.go, yaml.v3's decode.go).

use rudder_plugin::{Config, PluginType, RuntimeConfig, RuntimeKind, parse_metadata};

fn ok(yaml: &str) -> rudder_plugin::Metadata {
    match parse_metadata(yaml.as_bytes()) {
        Ok(m) => m,
        Err(e) => panic!("{yaml}\n=> {e}"),
    }
}

fn err(yaml: &str) -> String {
    match parse_metadata(yaml.as_bytes()) {
        Ok(m) => panic!("{yaml}\n=> loaded {m:?}"),
        Err(e) => e.to_string(),
    }
}

const V1_HEAD: &str = "apiVersion: v1\nname: p\nversion: 0.1.0\n";

#[test]
fn case_1_legacy_cli_with_string_hook() {
    let m = ok(
        "name: foo\nversion: 1.2.3\ncommand: \"$HELM_PLUGIN_DIR/run.sh --x\"\nhooks:\n  install: \"echo hi\"\n",
    );
    assert_eq!(m.api_version, "legacy");
    assert_eq!(m.plugin_type, PluginType::Cli);
    assert_eq!(m.runtime, RuntimeKind::Subprocess);
    let RuntimeConfig::Subprocess(rc) = &m.runtime_config else {
        panic!("not subprocess");
    };
    assert_eq!(rc.platform_command.len(), 1);
    assert_eq!(
        rc.platform_command[0].command,
        "$HELM_PLUGIN_DIR/run.sh --x"
    );
    let install = &rc.platform_hooks["install"][0];
    assert_eq!(install.command, "sh");
    assert_eq!(install.args, vec!["-c".to_owned(), "echo hi".to_owned()]);
    assert!(!rc.expand_hook_args);
}

#[test]
fn case_2_legacy_downloader_is_getter_only() {
    let m =
        ok("name: s3\ncommand: bin/cli\ndownloaders:\n- protocols: [s3]\n  command: bin/s3get\n");
    assert_eq!(m.plugin_type, PluginType::Getter);
    assert_eq!(
        m.config,
        Config::Getter(rudder_plugin::GetterConfig {
            protocols: vec!["s3".into()]
        })
    );
    let RuntimeConfig::Subprocess(rc) = &m.runtime_config else {
        panic!("not subprocess");
    };
    assert_eq!(rc.protocol_commands[0].protocols, vec!["s3".to_owned()]);
    assert_eq!(
        rc.protocol_commands[0].platform_command[0].command,
        "bin/s3get"
    );
}

#[test]
fn legacy_cli_config_mapping() {
    let m = ok(
        "name: x\nusage: \"short\thelp\n\"\ndescription: long\nignoreFlags: true\nplatformHooks:\n  install:\n  - command: a\n",
    );
    assert_eq!(
        m.config,
        Config::Cli(rudder_plugin::CliConfig {
            usage: String::new(),
            short_help: "short help ".into(),
            long_help: "long".into(),
            ignore_flags: true,
        })
    );
    let RuntimeConfig::Subprocess(rc) = &m.runtime_config else {
        panic!("not subprocess");
    };
    assert!(rc.expand_hook_args);
    // Unknown legacy keys (Helm 2's useTunnel) are ignored.
    ok("name: x\nuseTunnel: true\n");
}

#[test]
fn case_3_strictness_per_section() {
    let base = "apiVersion: v1\nname: p\nversion: 0.1.0\ntype: cli/v1\nruntime: subprocess\n";
    assert_eq!(
        err(&format!("{base}description: nope\n")),
        "yaml: unmarshal errors:\n  line 6: field description not found in type plugin.MetadataV1"
    );
    ok(&format!(
        "{base}runtimeConfig:\n  description: fine\n  command: ignored\n  hooks: {{install: x}}\n"
    ));
    // The line is the one in the re-marshalled (sorted) config, as in Helm.
    assert_eq!(
        err(&format!("{base}config:\n  usage: u\n  description: nope\n")),
        "failed to convert MetadataV1 to Metadata: yaml: unmarshal errors:\n  line 1: field description not found in type schema.ConfigCLIV1"
    );
}

#[test]
fn case_4_versions() {
    let with = |v: &str| format!("apiVersion: v1\nname: p\ntype: cli/v1\nruntime: subprocess\n{v}");
    assert_eq!(err(&with("")), "plugin `version` is required");
    assert_eq!(
        err(&with("version: \"\"\n")),
        "plugin `version` is required"
    );
    assert_eq!(
        err(&with("version: v1.0.0\n")),
        "invalid plugin `version` \"v1.0.0\": must be valid semver"
    );
    assert_eq!(
        err(&with("version: 0.1\n")),
        "invalid plugin `version` \"0.1\": must be valid semver"
    );
    assert_eq!(
        err(&with("version: ../../x\n")),
        "invalid plugin `version` \"../../x\": must be valid semver"
    );
    assert_eq!(
        ok(&with("version: 1.2.3-alpha.1+build.5\n")).version,
        "1.2.3-alpha.1+build.5"
    );
    // Legacy: optional, but strict when present.
    assert_eq!(ok("name: x\n").version, "");
    assert_eq!(
        err("name: x\nversion: 0.6.7.1\n"),
        "invalid plugin version \"0.6.7.1\": must be valid semver"
    );
}

#[test]
fn cve_2026_35204_path_traversal_is_impossible() {
    // Helm builds `<name>-<version>.tgz` paths; neither part may carry a
    // path through validation.
    for v in [
        "../../../../etc/passwd",
        "1.0.0/../../../x",
        "1.0.0-../../x",
        "1.0.0+../x",
        "1.0.0-a/b",
        "..",
        "1.0.0\\..\\x",
        "1.0.0-\u{0}",
    ] {
        let v1 = format!(
            "apiVersion: v1\nname: p\ntype: cli/v1\nruntime: subprocess\nversion: {:?}\n",
            v
        );
        assert!(parse_metadata(v1.as_bytes()).is_err(), "v1 accepted {v:?}");
        let legacy = format!("name: p\nversion: {:?}\n", v);
        assert!(
            parse_metadata(legacy.as_bytes()).is_err(),
            "legacy accepted {v:?}"
        );
    }
    for n in ["../x", "a/b", "..", ".", "a b", "é", ""] {
        let legacy = format!("name: {n:?}\n");
        assert!(
            parse_metadata(legacy.as_bytes()).is_err(),
            "legacy accepted name {n:?}"
        );
        let v1 = format!(
            "apiVersion: v1\nname: {n:?}\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\n"
        );
        assert_eq!(err(&v1), "invalid plugin `name`");
    }
}

#[test]
fn case_5_duplicates_and_api_version() {
    assert_eq!(
        err("apiVersion: v1\nname: a\nname: b\n"),
        "failed to peek plugin.yaml API version: yaml: unmarshal errors:\n  line 3: mapping key \"name\" already defined at line 2"
    );
    assert_eq!(
        err("name: a\nplatformCommand:\n- command: x\n  command: y\n"),
        "yaml: unmarshal errors:\n  line 4: mapping key \"command\" already defined at line 3"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: cli/v1\nruntime: subprocess\nconfig:\n  usage: a\n  usage: b\n"
        )),
        "yaml: unmarshal errors:\n  line 8: mapping key \"usage\" already defined at line 7"
    );
    assert_eq!(
        err("apiVersion: v2\nname: x\n"),
        "invalid plugin apiVersion: \"v2\""
    );
    assert_eq!(err("apiVersion: 1\n"), "invalid plugin apiVersion: \"1\"");
}

#[test]
fn case_6_type_configs() {
    let getter = |cfg: &str| format!("{V1_HEAD}type: getter/v1\nruntime: subprocess\n{cfg}");
    assert_eq!(
        err(&getter("config:\n  protocols: []\n")),
        "config validation failed: getter has no protocols"
    );
    assert_eq!(
        err(&getter("")),
        "config validation failed: getter has no protocols"
    );
    assert_eq!(
        err(&getter("config:\n  protocols: [a, \"\"]\n")),
        "config validation failed: getter has empty protocol at index 1"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: postrenderer/v1\nruntime: subprocess\nconfig: {{x: 1}}\n"
        )),
        "failed to convert MetadataV1 to Metadata: yaml: unmarshal errors:\n  line 1: field x not found in type schema.ConfigPostRendererV1"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: test/v1\nruntime: extism/v1\nconfig: {{x: 1}}\n"
        )),
        "failed to convert MetadataV1 to Metadata: yaml: unmarshal errors:\n  line 1: field x not found in type schema.ConfigTestV1"
    );
    ok(&format!(
        "{V1_HEAD}type: postrenderer/v1\nruntime: subprocess\nconfig: {{}}\n"
    ));
    ok(&format!(
        "{V1_HEAD}type: postrenderer/v1\nruntime: subprocess\nconfig:\n"
    ));
}

#[test]
fn v1_validation_order_and_texts() {
    assert_eq!(err("apiVersion: v1\nname: a.b\n"), "invalid plugin `name`");
    assert_eq!(err(V1_HEAD), "`type` missing");
    assert_eq!(
        err(&format!("{V1_HEAD}type: cli/v1\n")),
        "`runtime` missing"
    );
    assert_eq!(
        err(&format!("{V1_HEAD}type: nope/v1\nruntime: subprocess\n")),
        "failed to convert MetadataV1 to Metadata: unknown plugin type \"nope/v1\""
    );
    assert_eq!(
        err(&format!("{V1_HEAD}type: cli/v1\nruntime: wasm\n")),
        "failed to convert MetadataV1 to Metadata: unsupported plugin runtime type: \"wasm\""
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  timeout: soon\n"
        )),
        "failed to convert MetadataV1 to Metadata: failed to unmarshal runtimeConfig for extism/v1 runtime: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `soon` into uint64"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: cli/v1\nruntime: extism/v1\nruntimeConfig:\n  memory: {{maxPages: -1}}\n"
        )),
        "failed to convert MetadataV1 to Metadata: failed to unmarshal runtimeConfig for extism/v1 runtime: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!int `-1` into uint32"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: cli/v1\nruntime: subprocess\nconfig: [a]\n"
        )),
        "yaml: unmarshal errors:\n  line 6: cannot unmarshal !!seq into map[string]interface {}"
    );
    assert_eq!(
        err(&format!(
            "{V1_HEAD}type: cli/v1\nruntime: subprocess\nconfig:\n  ignoreFlags: maybe\n"
        )),
        "failed to convert MetadataV1 to Metadata: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `maybe` into bool"
    );
}

#[test]
fn legacy_validation_texts() {
    assert_eq!(
        err("name: \"a b\"\n"),
        "invalid plugin name \"a b\": must contain only a-z, A-Z, 0-9, _ and -"
    );
    assert_eq!(
        err("version: 1.0.0\n"),
        "invalid plugin name \"\": must contain only a-z, A-Z, 0-9, _ and -"
    );
    assert_eq!(
        err("name: x\ncommand: a\nplatformCommand:\n- command: b\n"),
        "both platformCommand and command are set"
    );
    assert_eq!(
        err("name: x\nhooks: {install: a}\nplatformHooks:\n  install:\n  - command: b\n"),
        "both platformHooks and hooks are set"
    );
    assert_eq!(
        err("name: x\ndownloaders:\n- protocols: [a]\n"),
        "downloader 0 has empty command"
    );
    assert_eq!(
        err("name: x\ndownloaders:\n- protocols: [a]\n  command: c\n- command: c\n"),
        "downloader 1 has no protocols"
    );
    assert_eq!(
        err("name: x\ndownloaders:\n- protocols: [a, \"\"]\n  command: c\n"),
        "downloader 0 has empty protocol at index 1"
    );
    assert_eq!(
        err("name: x\nignoreFlags: [1]\n"),
        "yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into bool"
    );
}

#[test]
fn peek_failures() {
    assert_eq!(err(""), "failed to peek plugin.yaml API version: EOF");
    assert_eq!(
        err("# only a comment\n"),
        "failed to peek plugin.yaml API version: EOF"
    );
    assert_eq!(
        err("foo\n"),
        "failed to peek plugin.yaml API version: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `foo` into plugin.apiVersion"
    );
    assert_eq!(
        err("a: b: c\n"),
        // yaml.v3 prints no line for errors on the first line.
        "failed to peek plugin.yaml API version: yaml: mapping values are not allowed in this context"
    );
    assert_eq!(
        err("apiVersion: [v1]\n"),
        "failed to peek plugin.yaml API version: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into string"
    );
}

#[test]
fn v1_full_example_and_command_name() {
    let m = ok(r#"
apiVersion: v1
type: cli/v1
name: hello-v1
version: 0.1.0
runtime: subprocess
sourceURL: https://example.com/hello
config:
  usage: "hello [params]..."
  shortHelp: Say hello
  ignoreFlags: false
runtimeConfig:
  platformCommand:
    - os: windows
      command: pwsh
      args: ["-File", "${HELM_PLUGIN_DIR}/hello.ps1"]
    - command: ${HELM_PLUGIN_DIR}/hello.sh
  platformHooks:
    install:
      - command: sh
        args: ["-c", "echo installed"]
"#);
    assert_eq!(m.source_url, "https://example.com/hello");
    let p = rudder_plugin::Plugin::new("/x".into(), m.clone());
    assert_eq!(p.command_name(), "hello");
    assert_eq!(p.short_help(), "Say hello");
    let RuntimeConfig::Subprocess(rc) = &m.runtime_config else {
        panic!("not subprocess");
    };
    assert!(
        !rc.expand_hook_args,
        "v1 hooks are never $-expanded by Helm"
    );
    assert_eq!(rc.platform_command.len(), 2);
    let legacy = rudder_plugin::Plugin::new("/x".into(), ok("name: legacy-x\n"));
    assert_eq!(legacy.command_name(), "legacy-x");
    assert_eq!(legacy.short_help(), "the \"legacy-x\" plugin");
}

#[test]
fn v1_remarshal_normalises_scalars() {
    // config goes through yaml.v3 Marshal/Unmarshal in Helm: 1.0 → "1".
    let m = ok(&format!(
        "{V1_HEAD}type: cli/v1\nruntime: subprocess\nconfig:\n  usage: 1.0\n"
    ));
    let Config::Cli(c) = m.config else {
        panic!("not cli")
    };
    assert_eq!(c.usage, "1");
    // ...while top-level strings keep their text.
    let m = ok(
        "apiVersion: v1\nname: p\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\nsourceURL: 1.0\n",
    );
    assert_eq!(m.source_url, "1.0");
}

#[test]
fn extism_runtime_config() {
    let m = ok(&format!(
        "{V1_HEAD}type: getter/v1\nruntime: extism/v1\nconfig:\n  protocols: [x]\nruntimeConfig:\n  memory:\n    maxPages: 16\n    maxVarBytes: 0\n  config: {{a: b, n: 1}}\n  allowedHosts: [example.com]\n  fileSystem: {{createTempDir: yes}}\n  timeout: 100\n  hostFunctions: [f]\n  entryFuncName: other\n  unknownKey: ignored\n"
    ));
    let RuntimeConfig::Extism(rc) = &m.runtime_config else {
        panic!("not extism");
    };
    assert_eq!(rc.memory.max_pages, 16);
    assert_eq!(rc.memory.max_var_bytes, Some(0));
    assert_eq!(rc.memory.max_http_response_bytes, None);
    assert_eq!(rc.config.get("n").map(String::as_str), Some("1"));
    assert_eq!(rc.allowed_hosts, vec!["example.com".to_owned()]);
    assert!(rc.create_temp_dir);
    assert_eq!(rc.timeout_ms, 100);
    assert_eq!(rc.host_functions, vec!["f".to_owned()]);
    assert_eq!(rc.entry_function(), "other");
    let m = ok(&format!("{V1_HEAD}type: test/v1\nruntime: extism/v1\n"));
    let RuntimeConfig::Extism(rc) = &m.runtime_config else {
        panic!("not extism");
    };
    assert_eq!(rc.entry_function(), "helm_plugin_main");
}

#[test]
fn yaml_syntax_and_bom() {
    ok("\u{feff}name: bom\n");
    assert!(
        err("name: [unclosed\n").starts_with("failed to peek plugin.yaml API version: yaml: line")
    );
}
