//! Library tests of plugin management: local and HTTP tarball installs
//! with and without signatures, packaging and the plugin `.prov` format,
//! tarball updates from the recorded source, uninstall, hooks. Archive
//! safety, git sources and Wasm precompilation have their own modules.
//!
//! Every test uses its own temporary HELM_DATA_HOME/HELM_CACHE_HOME/
//! HELM_PLUGINS; HTTP goes to a server on 127.0.0.1 only.

mod install_git;
mod install_safety;
mod install_wasm;
mod util;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rudder_plugin_install::{
    InstallError, InstallRecord, SourceKind, VerifyPlan, metadata_yaml, package, verify_plugin,
};
use util::{Env, FINGERPRINT, Must, data, plugin_tgz, serve, signer, write_plugin};

/// Package `src` signed with the test key into `out`; the tarball path.
fn signed_package(src: &std::path::Path, out: &std::path::Path) -> std::path::PathBuf {
    let s = signer();
    package(src, out, Some(&s)).must("package").tarball
}

#[test]
fn local_signed_tarball_installs_with_verification() {
    let env = Env::new();
    write_plugin(&env.path("src/hello"), "hello", "1.2.3", "");
    let tgz = signed_package(&env.path("src/hello"), &env.path("out"));
    let m = env.manager();
    let mut inst = m
        .installer_for(&tgz.to_string_lossy(), "")
        .must("installer");
    assert_eq!(inst.kind(), SourceKind::LocalArchive);
    let plan = m.plan(inst.as_ref(), true).must("plan");
    assert_eq!(plan, VerifyPlan::Verify);
    let mut installed = m
        .install(inst.as_mut(), plan, &data("keys/pub.gpg"))
        .must("install");
    let v = installed.verification.as_ref().map(|v| {
        (
            v.signed_by.identities(),
            v.signed_by.fingerprint_hex(),
            v.file_hash.clone(),
        )
    });
    let Some((ids, fpr, hash)) = v else {
        panic!("no verification");
    };
    assert_eq!(ids, vec!["Rudder Plugin Test <plugins@rudder.invalid>"]);
    assert_eq!(fpr, FINGERPRINT);
    let digest = rudder_provenance::digest(&std::fs::read(&tgz).must("read tgz"));
    assert_eq!(hash, format!("sha256:{digest}"));
    m.run_install_hook(&mut installed).must("hook");
    assert_eq!(installed.plugin.dir(), env.plugins().join("hello"));
    assert_eq!(
        env.plugin_entries(),
        vec![
            ".rudder/hello.json",
            "hello",
            "hello-1.2.3.tgz",
            "hello-1.2.3.tgz.prov"
        ]
    );
    // Modes survive: the command is still executable.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.plugins().join("hello/run.sh"))
        .must("stat run.sh")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o755);
    // plugin list's PROVENANCE column sees a signed install.
    assert_eq!(
        rudder_plugin::signing_status(&env.plugins(), installed.plugin.metadata()),
        "signed"
    );
    let rec = InstallRecord::load(&env.plugins().join("hello"))
        .must("record")
        .unwrap_or_else(|| panic!("no record"));
    assert_eq!(rec.kind, SourceKind::LocalArchive);
    assert!(rec.verified);
    assert_eq!(rec.source, tgz.to_string_lossy());
    assert_eq!(rec.archive_sha256, Some(format!("sha256:{digest}")));
    // A second install of the same plugin is refused.
    let mut again = m
        .installer_for(&tgz.to_string_lossy(), "")
        .must("installer");
    let err = m.install(again.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"));
    assert!(matches!(err, Err(InstallError::AlreadyExists)), "{err:?}");
}

#[test]
fn missing_or_bad_provenance_is_an_error_and_writes_nothing() {
    let env = Env::new();
    write_plugin(&env.path("src/hello"), "hello", "1.2.3", "");
    let out = env.path("out");
    let tgz = package(&env.path("src/hello"), &out, None)
        .must("package")
        .tarball;
    let m = env.manager();
    let src = tgz.to_string_lossy().into_owned();
    // No .prov (CVE-2026-35205: never a warning).
    let mut inst = m.installer_for(&src, "").must("installer");
    let err = m.install(inst.as_mut(), VerifyPlan::Verify, &data("keys/pub.gpg"));
    let Err(e) = err else { panic!("installed") };
    assert_eq!(
        e.to_string(),
        "plugin verification failed: no provenance file (.prov) found"
    );
    assert_eq!(env.plugin_entries(), Vec::<String>::new());
    // An empty .prov is the same as none.
    std::fs::write(format!("{src}.prov"), "").must("write prov");
    let mut inst = m.installer_for(&src, "").must("installer");
    let err = m.install(inst.as_mut(), VerifyPlan::Verify, &data("keys/pub.gpg"));
    assert!(matches!(err, Err(InstallError::NoProvenance)), "{err:?}");
    // A .prov for other bytes.
    let other = env.path("other");
    write_plugin(&env.path("src2/hello"), "hello", "1.2.3", "extra: x\n");
    let other_tgz = signed_package(&env.path("src2/hello"), &other);
    std::fs::copy(
        format!("{}.prov", other_tgz.display()),
        format!("{src}.prov"),
    )
    .must("copy prov");
    let mut inst = m.installer_for(&src, "").must("installer");
    let err = m.install(inst.as_mut(), VerifyPlan::Verify, &data("keys/pub.gpg"));
    let Err(e) = err else { panic!("installed") };
    assert!(
        e.to_string().starts_with(
            "plugin verification failed: sha256 sum does not match for hello-1.2.3.tgz"
        ),
        "{e}"
    );
    // The right .prov but a keyring without the signer.
    std::fs::remove_file(format!("{src}.prov")).must("rm prov");
    let tgz2 = signed_package(&env.path("src/hello"), &env.path("out2"));
    let mut inst = m
        .installer_for(&tgz2.to_string_lossy(), "")
        .must("installer");
    let err = m.install(
        inst.as_mut(),
        VerifyPlan::Verify,
        &data("keys/protected.pub.gpg"),
    );
    let Err(e) = err else { panic!("installed") };
    assert_eq!(
        e.to_string(),
        "plugin verification failed: openpgp: signature made by unknown entity"
    );
    let err = m.install(inst.as_mut(), VerifyPlan::Verify, &env.path("nope.gpg"));
    let Err(e) = err else { panic!("installed") };
    assert_eq!(
        e.to_string(),
        format!(
            "plugin verification failed: open {}: no such file or directory",
            env.path("nope.gpg").display()
        )
    );
    assert_eq!(env.plugin_entries(), Vec::<String>::new());
    // --verify=false installs the unsigned tarball.
    let mut inst = m.installer_for(&src, "").must("installer");
    m.install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"))
        .must("install unverified");
}

#[test]
fn verification_plans_follow_helm() {
    let env = Env::new();
    write_plugin(&env.path("dev/hello"), "hello", "0.1.0", "");
    let m = env.manager();
    let dir = env.path("dev/hello").to_string_lossy().into_owned();
    let inst = m.installer_for(&dir, "").must("installer");
    assert_eq!(
        m.plan(inst.as_ref(), true).ok(),
        Some(VerifyPlan::DevelopmentMode)
    );
    let git = m
        .installer_for("https://example.invalid/x/helm-foo", "")
        .must("installer");
    assert_eq!(git.kind(), SourceKind::Git);
    assert_eq!(git.dir_name(), "helm-foo");
    let err = m.plan(git.as_ref(), true).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "plugin source does not support verification. Use --verify=false to skip verification"
        )
    );
    assert_eq!(m.plan(git.as_ref(), false).ok(), Some(VerifyPlan::Skip));
    let oci = m.installer_for("oci://registry.invalid/plugins/foo:1.0.0", "");
    let Err(e) = oci else { panic!("oci accepted") };
    assert!(e.to_string().starts_with(
        "installing plugins from OCI registries is not supported yet: oci://registry.invalid/plugins/foo:1.0.0"
    ));
    let http = m
        .installer_for("https://example.invalid/dl/secrets-4.7.1.tgz", "")
        .must("installer");
    assert_eq!(http.kind(), SourceKind::Http);
    assert_eq!(http.dir_name(), "secrets");
}

#[test]
fn local_directory_is_linked_and_uninstall_keeps_the_target() {
    let env = Env::new();
    let marker = |n: &str| env.path(n).display().to_string();
    write_plugin(
        &env.path("dev/hello"),
        "hello",
        "0.1.0",
        &format!(
            "hooks:\n  install: \"echo $HELM_PLUGIN_NAME > {}\"\n  delete: \"echo $HELM_PLUGIN_NAME > {}\"\n",
            marker("install-hook-ran"),
            marker("delete-hook-ran")
        ),
    );
    let m = env.manager();
    let dir = env.path("dev/hello").to_string_lossy().into_owned();
    let mut inst = m.installer_for(&dir, "").must("installer");
    let mut installed = m
        .install(
            inst.as_mut(),
            VerifyPlan::DevelopmentMode,
            &data("keys/pub.gpg"),
        )
        .must("install");
    m.run_install_hook(&mut installed).must("install hook");
    let link = env.plugins().join("hello");
    assert!(std::fs::symlink_metadata(&link).must("lstat").is_symlink());
    assert_eq!(
        std::fs::read_link(&link).must("readlink"),
        env.path("dev/hello")
    );
    assert_eq!(
        std::fs::read_to_string(env.path("install-hook-ran")).must("install hook ran"),
        "hello\n"
    );
    assert_eq!(
        rudder_plugin::signing_status(&env.plugins(), installed.plugin.metadata()),
        "local dev"
    );
    // Updating a development link only reruns the hook.
    let p = m.find("hello").must("find");
    m.update(&p, &Default::default()).must("update");
    m.uninstall(&p).must("uninstall");
    assert!(std::fs::symlink_metadata(&link).is_err());
    assert!(env.path("dev/hello/plugin.yaml").exists(), "target removed");
    assert_eq!(
        std::fs::read_to_string(env.path("delete-hook-ran")).must("delete hook ran"),
        "hello\n"
    );
    assert!(!env.plugins().join(".rudder/hello.json").exists());
    // A directory without plugin.yaml.
    std::fs::create_dir_all(env.path("dev/empty")).must("mkdir");
    let mut inst = m
        .installer_for(&env.path("dev/empty").to_string_lossy(), "")
        .must("installer");
    let err = m.install(
        inst.as_mut(),
        VerifyPlan::DevelopmentMode,
        &data("keys/pub.gpg"),
    );
    let Err(e) = err else { panic!("installed") };
    assert_eq!(e.to_string(), "plugin metadata (plugin.yaml) missing");
}

#[test]
fn failing_install_hook_removes_the_plugin_again() {
    let env = Env::new();
    write_plugin(
        &env.path("src/hooky"),
        "hooky",
        "1.0.0",
        "hooks:\n  install: \"exit 3\"\n",
    );
    let tgz = package(&env.path("src/hooky"), &env.path("out"), None)
        .must("package")
        .tarball;
    let m = env.manager();
    let mut inst = m
        .installer_for(&tgz.to_string_lossy(), "")
        .must("installer");
    let mut installed = m
        .install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"))
        .must("install");
    let err = m.run_install_hook(&mut installed);
    let Err(e) = err else { panic!("hook passed") };
    assert_eq!(
        e.to_string(),
        "plugin install hook for \"hooky\" exited with error"
    );
    assert_eq!(env.plugin_entries(), Vec::<String>::new());
}

#[test]
fn unusable_plugin_is_not_installed() {
    let env = Env::new();
    // A v1 plugin with an unknown top-level key does not load.
    let tgz = util::raw_tgz(&[
        ("bad/", b'5', b"", ""),
        (
            "bad/plugin.yaml",
            b'0',
            b"apiVersion: v1\nname: bad\nversion: 1.0.0\ntype: cli/v1\nruntime: subprocess\ndescription: nope\n",
            "",
        ),
    ]);
    std::fs::write(env.path("bad-1.0.0.tgz"), &tgz).must("write");
    let m = env.manager();
    let mut inst = m
        .installer_for(&env.path("bad-1.0.0.tgz").to_string_lossy(), "")
        .must("installer");
    let err = m.install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"));
    let Err(e) = err else { panic!("installed") };
    assert!(
        e.to_string()
            .starts_with("plugin is unusable, nothing was installed: failed to load plugin"),
        "{e}"
    );
    assert_eq!(env.plugin_entries(), Vec::<String>::new());
}

#[test]
fn http_tarball_with_provenance_and_update_from_recorded_source() {
    let env = Env::new();
    write_plugin(&env.path("src/web"), "web", "1.0.0", "");
    let tgz = signed_package(&env.path("src/web"), &env.path("out"));
    let files: util::Files = Arc::new(Mutex::new(HashMap::new()));
    let put = |path: &str, bytes: Vec<u8>| {
        if let Ok(mut f) = files.lock() {
            f.insert(path.to_owned(), bytes);
        }
    };
    put("/dl/web-1.0.0.tgz", std::fs::read(&tgz).must("read"));
    put(
        "/dl/web-1.0.0.tgz.prov",
        std::fs::read(format!("{}.prov", tgz.display())).must("read prov"),
    );
    // "latest" URLs: the same name serves newer releases over time; the
    // publisher signs them under that name.
    let publish = |tgz: &std::path::Path| {
        let bytes = std::fs::read(tgz).must("read");
        let prov = rudder_plugin_install::sign_plugin(&signer(), &bytes, "web.tgz").must("sign");
        put("/latest/web.tgz", bytes);
        put("/latest/web.tgz.prov", prov.into_bytes());
    };
    publish(&tgz);
    let base = serve(files.clone());
    let m = env.manager();

    // A 404 is Helm's getter error.
    let mut inst = m
        .installer_for(&format!("{base}/dl/missing-1.0.0.tgz"), "")
        .must("installer");
    let err = m.install(inst.as_mut(), VerifyPlan::Skip, &data("keys/pub.gpg"));
    let Err(e) = err else { panic!("installed") };
    assert_eq!(
        e.to_string(),
        format!("failed to fetch {base}/dl/missing-1.0.0.tgz : 404 Not Found")
    );

    let url = format!("{base}/latest/web.tgz");
    let mut inst = m.installer_for(&url, "").must("installer");
    assert_eq!(inst.dir_name(), "web");
    let mut installed = m
        .install(inst.as_mut(), VerifyPlan::Verify, &data("keys/pub.gpg"))
        .must("install over http");
    m.run_install_hook(&mut installed).must("hook");
    assert_eq!(installed.plugin.metadata().version, "1.0.0");
    assert!(env.plugins().join("web-1.0.0.tgz.prov").exists());

    // Publish 1.1.0 under the same URL and update.
    write_plugin(&env.path("src/web"), "web", "1.1.0", "");
    let tgz2 = signed_package(&env.path("src/web"), &env.path("out"));
    publish(&tgz2);
    let p = m.find("web").must("find");
    let opts = rudder_plugin_install::UpdateOptions {
        keyring: data("keys/pub.gpg"),
    };
    let updated = m.update(&p, &opts).must("update");
    assert_eq!(updated.plugin.metadata().version, "1.1.0");
    assert!(
        updated.verification.is_some(),
        "verified install re-verifies"
    );
    assert_eq!(
        env.plugin_entries(),
        vec![
            ".rudder/web.json",
            "web",
            "web-1.1.0.tgz",
            "web-1.1.0.tgz.prov"
        ]
    );
    // The next release is unsigned: the update is refused, the plugin kept.
    put("/latest/web.tgz", plugin_tgz("web", "1.2.0"));
    if let Ok(mut f) = files.lock() {
        f.remove("/latest/web.tgz.prov");
    }
    let p = m.find("web").must("find");
    let err = m.update(&p, &opts);
    assert!(matches!(err, Err(InstallError::NoProvenance)), "{err:?}");
    assert_eq!(m.find("web").must("find").metadata().version, "1.1.0");
    // A source that now serves another plugin is refused too.
    put("/latest/web.tgz", plugin_tgz("other", "2.0.0"));
    let mut rec = InstallRecord::load(&env.plugins().join("web"))
        .must("record")
        .unwrap_or_else(|| panic!("no record"));
    rec.verified = false;
    rec.save(&env.plugins().join("web")).must("save record");
    let err = m.update(&p, &opts).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("the update of \"web\" provides plugin \"other\" instead")
    );
    assert_eq!(m.find("web").must("find").metadata().version, "1.1.0");
    // Uninstall removes the directory, the copies and the record.
    let p = m.find("web").must("find");
    m.uninstall(&p).must("uninstall");
    assert_eq!(env.plugin_entries(), Vec::<String>::new());
}

#[test]
fn update_without_record_is_helms_error() {
    let env = Env::new();
    write_plugin(&env.plugins().join("manual"), "manual", "1.0.0", "");
    let m = env.manager();
    let p = m.find("manual").must("find");
    let err = m
        .update(&p, &Default::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("cannot get information about plugin source")
    );
    assert!(m.find("nope").is_err());
}

#[test]
fn package_layout_and_provenance_format() {
    let env = Env::new();
    let src = env.path("src/fmt");
    write_plugin(&src, "fmt", "0.3.0", "hooks:\n  install: \"echo hi\"\n");
    std::fs::create_dir_all(src.join("bin")).must("mkdir");
    std::os::unix::fs::symlink("../run.sh", src.join("bin/run")).must("symlink");
    // Package into the plugin directory itself: the output is not packed.
    let packed = package(&src, &src, Some(&signer())).must("package");
    assert_eq!(packed.tarball, src.join("fmt-0.3.0.tgz"));
    let data_bytes = std::fs::read(&packed.tarball).must("read");
    let mut names = Vec::new();
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(&data_bytes[..]));
    for e in ar.entries().must("entries") {
        let e = e.must("entry");
        names.push((
            String::from_utf8_lossy(&e.path_bytes()).into_owned(),
            e.header().entry_type().as_byte() as char,
        ));
    }
    assert_eq!(
        names,
        vec![
            ("fmt".to_owned(), '5'),
            ("fmt/bin".to_owned(), '5'),
            ("fmt/bin/run".to_owned(), '2'),
            ("fmt/plugin.yaml".to_owned(), '0'),
            ("fmt/run.sh".to_owned(), '0'),
        ]
    );
    let prov =
        std::fs::read_to_string(packed.provenance.clone().unwrap_or_default()).must("read prov");
    let digest = rudder_provenance::digest(&data_bytes);
    // Helm's plugin .prov: converted metadata with Go field names, then
    // the files map, clear-signed with SHA-512.
    let expected_text = format!(
        "APIVersion: legacy\nConfig:\n  IgnoreFlags: false\n  LongHelp: test plugin\n  ShortHelp: say hello\n  Usage: \"\"\nName: fmt\nRuntime: subprocess\nRuntimeConfig:\n  PlatformCommand:\n  - Architecture: \"\"\n    Args: null\n    Command: $HELM_PLUGIN_DIR/run.sh\n    OperatingSystem: \"\"\n  PlatformHooks:\n    install:\n    - Architecture: \"\"\n      Args:\n      - -c\n      - echo hi\n      Command: sh\n      OperatingSystem: \"\"\n  ProtocolCommands: null\nSourceURL: \"\"\nType: cli/v1\nVersion: 0.3.0\n\n...\nfiles:\n  fmt-0.3.0.tgz: sha256:{digest}\n"
    );
    assert!(
        prov.starts_with("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"),
        "{prov}"
    );
    assert!(prov.contains(&expected_text), "{prov}");
    let ring = rudder_provenance::Keyring::load(&data("keys/pub.gpg")).must("keyring");
    let v = verify_plugin(&ring, &data_bytes, prov.as_bytes(), "fmt-0.3.0.tgz").must("verify");
    assert_eq!(v.signed_by.fingerprint_hex(), FINGERPRINT);
    assert_eq!(
        rudder_plugin_install::verification_report(&v),
        format!(
            "Signed by: Rudder Plugin Test <plugins@rudder.invalid>\nUsing Key With Fingerprint: {FINGERPRINT}\nPlugin Hash Verified: sha256:{digest}\n"
        )
    );
    // The in-tree link survives an install of the tarball.
    let m = env.manager();
    let mut inst = m
        .installer_for(&packed.tarball.to_string_lossy(), "")
        .must("installer");
    m.install(inst.as_mut(), VerifyPlan::Verify, &data("keys/pub.gpg"))
        .must("install");
    assert_eq!(
        std::fs::read_link(env.plugins().join("fmt/bin/run")).must("readlink"),
        std::path::PathBuf::from("../run.sh")
    );
    // Packaging refuses tarballs and links out of the tree.
    let err = package(&packed.tarball, &env.path("out"), None)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("plugin package only supports directories, not tarballs")
    );
    std::fs::remove_file(src.join("bin/run")).must("rm");
    std::os::unix::fs::symlink("/etc/passwd", src.join("bin/run")).must("symlink");
    let err = package(&src, &env.path("out"), None)
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("points outside the plugin directory")),
        "{err:?}"
    );
    assert!(!env.path("out/fmt-0.3.0.tgz").exists(), "nothing written");
}

#[test]
fn metadata_yaml_of_v1_wasm_and_getter_plugins() {
    let wasm = rudder_plugin::parse_metadata(
        b"apiVersion: v1\nname: w\nversion: 0.1.0\ntype: test/v1\nruntime: extism/v1\nruntimeConfig:\n  memory:\n    maxPages: 8\n  allowedHosts: [a.example]\n  fileSystem:\n    createTempDir: true\n  timeout: 100\n",
    )
    .must("parse");
    assert_eq!(
        metadata_yaml(&wasm).must("yaml"),
        "APIVersion: v1\nConfig: {}\nName: w\nRuntime: extism/v1\nRuntimeConfig:\n  AllowedHosts:\n  - a.example\n  Config: null\n  EntryFuncName: \"\"\n  FileSystem:\n    CreateTempDir: true\n  HostFunctions: null\n  Memory:\n    MaxHTTPResponseBytes: 0\n    MaxPages: 8\n    MaxVarBytes: 0\n  Timeout: 100\nSourceURL: \"\"\nType: test/v1\nVersion: 0.1.0\n"
    );
    let getter = rudder_plugin::parse_metadata(
        b"apiVersion: v1\nname: g\nversion: 1.0.0\ntype: getter/v1\nruntime: subprocess\nsourceURL: https://example.invalid/g\nconfig:\n  protocols: [s3]\nruntimeConfig:\n  protocolCommands:\n  - protocols: [s3]\n    platformCommand:\n    - command: bin/get\n",
    )
    .must("parse");
    assert_eq!(
        metadata_yaml(&getter).must("yaml"),
        "APIVersion: v1\nConfig:\n  Protocols:\n  - s3\nName: g\nRuntime: subprocess\nRuntimeConfig:\n  PlatformCommand: null\n  PlatformHooks: null\n  ProtocolCommands:\n  - PlatformCommand:\n    - Architecture: \"\"\n      Args: null\n      Command: bin/get\n      OperatingSystem: \"\"\n    Protocols:\n    - s3\nSourceURL: https://example.invalid/g\nType: getter/v1\nVersion: 1.0.0\n"
    );
}
