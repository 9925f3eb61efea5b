//! Discovery over several directories: order, broken plugins skipped with
//! a warning, name conflicts reported without dropping other plugins
//! (spec §9 case 7, where rudder deliberately differs from Helm).

use std::path::Path;

use rudder_plugin::{Descriptor, DiscoveryWarning, PluginType, discover, split_plugin_dirs};

fn write(dir: &Path, name: &str, yaml: &str) {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.join("plugin.yaml"), yaml).unwrap_or_else(|e| panic!("{e}"));
}

fn cli(name: &str) -> String {
    format!("apiVersion: v1\ntype: cli/v1\nname: {name}\nversion: 1.0.0\nruntime: subprocess\n")
}

#[test]
fn several_dirs_conflicts_and_broken_plugins() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    write(&a, "zz-last", &cli("last"));
    write(&a, "dup-one", &cli("dup"));
    write(&a, ".hidden", &cli("hidden"));
    write(&b, "dup-two", &cli("dup"));
    write(&b, "broken", "apiVersion: v1\nname: broken\n");
    write(
        &b,
        "pr",
        "apiVersion: v1\ntype: postrenderer/v1\nname: pr\nversion: 1.0.0\nruntime: subprocess\n",
    );
    write(
        &b,
        "wasm-less",
        "apiVersion: v1\ntype: test/v1\nname: wl\nversion: 1.0.0\nruntime: extism/v1\n",
    );
    // A directory without plugin.yaml and a plain file are not plugins.
    std::fs::create_dir_all(b.join("empty")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(b.join("README"), "x").unwrap_or_else(|e| panic!("{e}"));
    let missing = tmp.path().join("missing");

    let list = std::env::join_paths([&a, &missing, &b])
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string_lossy()
        .into_owned();
    let found = discover(&split_plugin_dirs(&list));
    let names: Vec<&str> = found.plugins.iter().map(|p| p.name()).collect();
    // Go's glob order: byte order of directory names, dot-files included.
    assert_eq!(names, vec!["hidden", "dup", "last", "pr"]);
    assert_eq!(found.plugins[1].dir(), a.join("dup-one"));

    assert_eq!(found.warnings.len(), 3, "{:?}", found.warnings);
    let texts: Vec<String> = found.warnings.iter().map(ToString::to_string).collect();
    assert!(
        matches!(&found.warnings[0], DiscoveryWarning::LoadFailed { plugin_yaml, .. } if plugin_yaml == &b.join("broken/plugin.yaml")),
        "{texts:?}"
    );
    assert!(
        texts[0].contains("plugin `version` is required"),
        "{}",
        texts[0]
    );
    assert!(
        texts[0].starts_with("level=WARN msg=\"failed to load plugin (ignoring)\""),
        "{}",
        texts[0]
    );
    assert!(
        matches!(&found.warnings[1], DiscoveryWarning::NameConflict { name, kept, ignored }
            if name == "dup" && kept == &a.join("dup-one") && ignored == &b.join("dup-two")),
        "{texts:?}"
    );
    assert!(
        texts[1].contains("two plugins claim the name \\\"dup\\\""),
        "{}",
        texts[1]
    );
    assert!(
        texts[2].contains("wasm binary missing for extism/v1 plugin"),
        "{}",
        texts[2]
    );

    let pr = found.find_one(&Descriptor {
        name: Some("pr".into()),
        plugin_type: Some(PluginType::PostRenderer),
    });
    assert_eq!(pr.map(|p| p.name()), Ok("pr"));
    let wrong_type = found.find_one(&Descriptor {
        name: Some("pr".into()),
        plugin_type: Some(PluginType::Cli),
    });
    assert_eq!(
        wrong_type.map(|p| p.name()).map_err(|e| e.to_string()),
        Err("plugin: {Name:pr Type:cli/v1} not found".to_owned())
    );
    assert_eq!(
        found
            .find(&Descriptor {
                name: None,
                plugin_type: Some(PluginType::Cli)
            })
            .len(),
        3
    );
}

#[test]
fn relative_dirs_are_kept_relative_and_cleaned() {
    // HELM_PLUGIN_DIR is the path as found: Clean(base)/name.
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/./plugins/");
    let found = discover(&[base]);
    let p = found.plugins.iter().find(|p| p.name() == "env-dump");
    assert_eq!(
        p.map(|p| p.dir().to_path_buf()),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plugins/env-dump"))
    );
    assert!(found.warnings.is_empty(), "{:?}", found.warnings);
}

#[test]
fn getters_and_cli_commands_are_looked_up() {
    let found = discover(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plugins")]);
    assert_eq!(
        found.getter_for("demo2").map(|p| p.name()),
        Some("demo-getter")
    );
    assert!(found.getter_for("https").is_none());
    assert_eq!(
        found.cli_command("plat").map(|p| p.name()),
        Some("platforms")
    );
    assert!(
        found.cli_command("platforms").is_none(),
        "usage's first word is the command"
    );
    assert_eq!(
        found.cli_command("env-dump").map(|p| p.name()),
        Some("env-dump")
    );
}

#[test]
fn unreadable_plugin_yaml_is_reported() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = tmp.path().join("dangling");
    std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), d.join("plugin.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let found = discover(&[tmp.path().to_path_buf()]);
    assert!(found.plugins.is_empty());
    let text = found
        .warnings
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(text.contains("failed to read plugin at"), "{text}");
    assert!(text.contains("no such file or directory"), "{text}");
}
