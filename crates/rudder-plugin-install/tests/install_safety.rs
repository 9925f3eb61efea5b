//! Archive path safety: every rejected archive leaves the plugins
//! directory exactly as it was (no plugin, no tarball copy, no record).

use rudder_plugin_install::{Limits, VerifyPlan};

use crate::util::{Env, Must, data, raw_tgz};

const YAML: &[u8] = b"name: evil\nversion: 1.0.0\ncommand: \"$HELM_PLUGIN_DIR/run.sh\"\n";

/// Install `tgz` as the local archive `evil-1.0.0.tgz`; the error text.
fn install_error(env: &Env, tgz: &[u8], limits: Option<Limits>) -> String {
    let path = env.path("evil-1.0.0.tgz");
    std::fs::write(&path, tgz).must("write archive");
    let mut m = env.manager();
    if let Some(l) = limits {
        m = m.with_limits(l);
    }
    let mut inst = m
        .installer_for(&path.to_string_lossy(), "")
        .must("installer");
    let result = m.install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"));
    let Err(e) = result else {
        panic!("malicious archive installed");
    };
    assert_eq!(
        env.plugin_entries(),
        Vec::<String>::new(),
        "something was written for: {e}"
    );
    assert!(!env.path("victim").exists(), "wrote outside: {e}");
    e.to_string()
}

fn prefix(env: &Env) -> String {
    format!(
        "failed to extract archive {}: ",
        env.path("evil-1.0.0.tgz").display()
    )
}

#[test]
fn traversal_absolute_and_colon_names_are_refused() {
    let env = Env::new();
    let p = prefix(&env);
    for (name, reason) in [
        ("evil/../../victim", "path contains '..', which is illegal"),
        (
            "evil\\..\\..\\victim",
            "path contains '..', which is illegal",
        ),
        ("/tmp/victim", "path is absolute, which is illegal"),
        ("c:/victim", "path contains ':', which is illegal"),
    ] {
        let tgz = raw_tgz(&[("evil/plugin.yaml", b'0', YAML, ""), (name, b'0', b"x", "")]);
        assert_eq!(
            install_error(&env, &tgz, None),
            format!("{p}{reason}"),
            "{name}"
        );
    }
}

#[test]
fn links_out_of_the_tree_and_special_files_are_refused() {
    let env = Env::new();
    let p = prefix(&env);
    let archive = env.path("evil-1.0.0.tgz").display().to_string();
    let escape = format!("{archive}: symbolic link \"evil/x\" points outside the plugin directory");
    for (entries, expected) in [
        (
            vec![("evil/x", b'2', &b""[..], "../../victim")],
            escape.clone(),
        ),
        (vec![("evil/x", b'2', &b""[..], "/etc")], escape.clone()),
        // A link into the archive but out of the installed plugin dir.
        (
            vec![
                ("other/f", b'0', &b"x"[..], ""),
                ("evil/x", b'2', &b""[..], "../other/f"),
            ],
            format!("{archive}: symbolic link \"x\" points outside the plugin directory"),
        ),
        // Writing through a link is impossible: links come last, and a
        // link inside a linked directory is refused.
        (
            vec![
                ("evil/d", b'2', &b""[..], "."),
                ("evil/d/x", b'2', &b""[..], "../y"),
            ],
            format!("{archive}: symbolic link \"evil/d/x\" points outside the plugin directory"),
        ),
        (
            vec![("evil/h", b'1', &b""[..], "evil/plugin.yaml")],
            format!("{p}hard link \"evil/h\" is not supported in plugin archives"),
        ),
        (
            vec![("evil/dev", b'3', &b""[..], "")],
            format!("{p}unknown type: 110011 in evil/dev"),
        ),
        (
            vec![("evil/fifo", b'6', &b""[..], "")],
            format!("{p}unknown type: 110110 in evil/fifo"),
        ),
    ] {
        let mut all = vec![("evil/plugin.yaml", b'0', YAML, "")];
        all.extend(entries);
        let tgz = raw_tgz(&all);
        assert_eq!(install_error(&env, &tgz, None), expected);
    }
}

#[test]
fn size_caps_and_garbage() {
    let env = Env::new();
    let p = prefix(&env);
    let big = vec![b'a'; 64 * 1024];
    let tgz = raw_tgz(&[
        ("evil/plugin.yaml", b'0', YAML, ""),
        ("evil/big", b'0', &big, ""),
    ]);
    let small_file = Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    };
    assert_eq!(
        install_error(&env, &tgz, Some(small_file)),
        format!("{p}file \"evil/big\" is larger than the maximum file size 1024")
    );
    // A highly compressible archive stops at the total cap while inflating.
    let small_total = Limits {
        max_total_bytes: 16 * 1024,
        ..Limits::default()
    };
    let e = install_error(&env, &tgz, Some(small_total));
    assert!(e.starts_with(&p) && e.contains("size limit"), "{e}");
    let few = Limits {
        max_entries: 1,
        ..Limits::default()
    };
    assert_eq!(
        install_error(&env, &tgz, Some(few)),
        format!("{p}archive has more than 1 entries")
    );
    let tiny = Limits {
        max_archive_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        install_error(&env, &tgz, Some(tiny)),
        format!(
            "failed to extract archive {}: archive is larger than the maximum size 10",
            env.path("evil-1.0.0.tgz").display()
        )
    );
    assert_eq!(
        install_error(&env, b"not a tarball at all", None),
        format!("{p}gzip: invalid header")
    );
    // A valid archive without the <name>/ wrapper directory.
    let flat = raw_tgz(&[("plugin.yaml", b'0', YAML, "")]);
    assert_eq!(
        install_error(&env, &flat, None),
        format!(
            "plugin.yaml not found in expected directory \"evil\" of archive {}",
            env.path("evil-1.0.0.tgz").display()
        )
    );
}
