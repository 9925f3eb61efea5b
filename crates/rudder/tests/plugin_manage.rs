//! End-to-end tests of `rudder plugin install|update|uninstall|package|
//! verify`: Helm's messages and exit codes, and OpenPGP interoperability
//! with GnuPG in both directions:
//!
//! * a plugin `.prov` built the way Helm builds it (metadata YAML, `...`,
//!   `files:` digest) and clear-signed by `gpg --clearsign --digest-algo
//!   SHA512` verifies in `rudder plugin verify` and `rudder plugin install`;
//! * a `.prov` written by `rudder plugin package --sign` verifies with
//!   `gpg --verify`, and its signed `files:` digest is the tarball's
//!   `sha256sum`.
//!
//! GnuPG (Debian's `gnupg`) and git must be installed; a missing tool is a
//! loud failure, never a skip. Every test has its own HELM_* directories
//! and GNUPGHOME; HTTP goes to a server on 127.0.0.1 only.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

trait Must<T> {
    fn must(self, what: &str) -> T;
}

impl<T, E: std::fmt::Display> Must<T> for Result<T, E> {
    fn must(self, what: &str) -> T {
        match self {
            Ok(v) => v,
            Err(e) => panic!("{what}: {e}"),
        }
    }
}

/// The static test keys of rudder-plugin-install.
fn key(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rudder-plugin-install/tests/data/install/keys")
        .join(name)
}

const FINGERPRINT: &str = "CF9293DF6C08A18D34D89F5A077325E7C661376E";

struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().must("tempdir"),
        }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    fn s(&self, p: &str) -> String {
        self.path(p).to_string_lossy().into_owned()
    }

    fn rudder(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_rudder"))
            .args(args)
            .current_dir(self.tmp.path())
            .env("HELM_DATA_HOME", self.path("data"))
            .env("HELM_CACHE_HOME", self.path("cache"))
            .env("HELM_CONFIG_HOME", self.path("config"))
            .env("HELM_PLUGINS", self.path("data/plugins"))
            .env("GNUPGHOME", self.path("gnupg-default"))
            .env("HOME", self.path("home"))
            .env_remove("HELM_NO_PLUGINS")
            .stdin(std::process::Stdio::null())
            .output()
            .must("running rudder")
    }
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

/// The stdout and stderr of a failed run (exit status 1, as Helm).
fn fails(out: &Output) -> (String, String) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected failure: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    (text(&out.stdout), text(&out.stderr))
}

fn write_plugin(dir: &Path, name: &str, version: &str, extra: &str) {
    std::fs::create_dir_all(dir).must("mkdir");
    std::fs::write(
        dir.join("plugin.yaml"),
        format!(
            "name: {name}\nversion: {version}\nusage: \"say hello\"\ndescription: \"test plugin\"\ncommand: \"$HELM_PLUGIN_DIR/run.sh\"\n{extra}"
        ),
    )
    .must("write plugin.yaml");
    std::fs::write(
        dir.join("run.sh"),
        "#!/bin/sh\necho \"hello from $HELM_PLUGIN_NAME\"\n",
    )
    .must("write run.sh");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("run.sh"), std::fs::Permissions::from_mode(0o755))
        .must("chmod");
}

#[test]
fn development_directory_and_unsigned_tarball() {
    let env = Env::new();
    write_plugin(
        &env.path("src/hello"),
        "hello",
        "1.2.3",
        "hooks:\n  install: \"echo install hook for $HELM_PLUGIN_NAME\"\n  delete: \"echo delete hook\"\n",
    );
    let out = env.rudder(&["plugin", "install", &env.s("src/hello")]);
    assert_eq!(
        ok(&out),
        "Installing plugin from local directory (development mode)\ninstall hook for hello\nInstalled plugin: hello\n"
    );
    assert_eq!(ok(&env.rudder(&["hello"])), "hello from hello\n");
    let list = ok(&env.rudder(&["plugin", "list"]));
    assert!(
        list.contains("hello\t1.2.3  \tcli/v1\tlegacy    \tlocal dev "),
        "{list}"
    );
    assert_eq!(
        ok(&env.rudder(&["plugin", "rm", "hello"])),
        "delete hook\nUninstalled plugin: hello\n"
    );
    assert!(env.path("src/hello/plugin.yaml").exists());

    // An unsigned package: refused by default, installed with --verify=false.
    let out = env.rudder(&[
        "plugin",
        "package",
        "src/hello",
        "--sign=false",
        "-d",
        "out",
    ]);
    assert_eq!(
        ok(&out),
        "WARNING: Skipping plugin signing. This is not recommended for plugins intended for distribution.\nSuccessfully packaged plugin and saved it to: out/hello-1.2.3.tgz\n"
    );
    let (stdout, stderr) = fails(&env.rudder(&["plugin", "install", "out/hello-1.2.3.tgz"]));
    assert_eq!(stdout, "Verifying plugin signature...\n");
    assert_eq!(
        stderr,
        "Error: plugin verification failed: no provenance file (.prov) found\n"
    );
    assert!(!env.path("data/plugins/hello").exists());
    let out = env.rudder(&["plugin", "add", "out/hello-1.2.3.tgz", "--verify=false"]);
    assert_eq!(
        ok(&out),
        "WARNING: Skipping plugin signature verification\ninstall hook for hello\nInstalled plugin: hello\n"
    );
    let list = ok(&env.rudder(&["plugin", "ls"]));
    assert!(list.contains("\tunsigned  \t"), "{list}");
    let (_, stderr) =
        fails(&env.rudder(&["plugin", "install", "out/hello-1.2.3.tgz", "--verify=false"]));
    assert_eq!(stderr, "Error: plugin already exists\n");
    let (stdout, stderr) = fails(&env.rudder(&["plugin", "uninstall", "hello", "nope"]));
    assert_eq!(stdout, "delete hook\nUninstalled plugin: hello\n");
    assert_eq!(stderr, "Error: plugin: nope not found\n");
}

#[test]
fn argument_and_source_errors() {
    let env = Env::new();
    let (_, e) = fails(&env.rudder(&["plugin", "uninstall"]));
    assert_eq!(e, "Error: please provide plugin name to uninstall\n");
    let (_, e) = fails(&env.rudder(&["plugin", "update"]));
    assert_eq!(e, "Error: please provide plugin name to update\n");
    let (_, e) = fails(&env.rudder(&["plugin", "install"]));
    assert!(
        e.starts_with("Error: \"rudder plugin install\" requires 1 argument\n"),
        "{e}"
    );
    let (_, e) = fails(&env.rudder(&["plugin", "install", "oci://registry.invalid/p/foo:1.0.0"]));
    assert!(
        e.starts_with("Error: installing plugins from OCI registries is not supported yet: oci://registry.invalid/p/foo:1.0.0"),
        "{e}"
    );
    // Git sources cannot be verified (databus23/helm-diff#885).
    let (_, e) = fails(&env.rudder(&["plugin", "install", "https://example.invalid/x/helm-foo"]));
    assert_eq!(
        e,
        "Error: plugin source does not support verification. Use --verify=false to skip verification\n"
    );
    let (_, e) = fails(&env.rudder(&["plugin", "update", "nope"]));
    assert_eq!(e, "Error: plugin: nope not found\n");
    let (_, e) = fails(&env.rudder(&["plugin", "verify", "missing.tgz"]));
    assert_eq!(e, "Error: stat missing.tgz: no such file or directory\n");
    std::fs::create_dir_all(env.path("adir")).must("mkdir");
    let (_, e) = fails(&env.rudder(&["plugin", "verify", "adir"]));
    assert_eq!(
        e,
        "Error: directory verification not supported - only plugin tarballs can be verified\n"
    );
    std::fs::write(env.path("x.zip"), "x").must("write");
    let (_, e) = fails(&env.rudder(&["plugin", "verify", "x.zip"]));
    assert_eq!(
        e,
        "Error: plugin file must be a gzipped tarball (.tar.gz or .tgz)\n"
    );
    std::fs::write(env.path("x.tgz"), "x").must("write");
    let (_, e) = fails(&env.rudder(&["plugin", "verify", "x.tgz"]));
    assert_eq!(
        e,
        "Error: could not find provenance file x.tgz.prov: stat x.tgz.prov: no such file or directory\n"
    );
    let (_, e) = fails(&env.rudder(&["plugin", "package", "x.tgz"]));
    assert_eq!(
        e,
        "Error: plugin package only supports directories, not tarballs\n"
    );
    // Signing is the default, and needs a key.
    write_plugin(&env.path("src/p"), "p", "0.1.0", "");
    let (_, e) = fails(&env.rudder(&["plugin", "package", "src/p"]));
    assert_eq!(
        e,
        format!(
            "Error: error reading from keyring: open {}: no such file or directory\n",
            env.s("gnupg-default/pubring.gpg")
        )
    );
    let pubring = key("pub.gpg").to_string_lossy().into_owned();
    let (_, e) = fails(&env.rudder(&["plugin", "package", "src/p", "--keyring", &pubring]));
    assert_eq!(e, "Error: private key not found\n");
    let (_, e) = fails(&env.rudder(&[
        "plugin",
        "package",
        "src/p",
        "--keyring",
        &pubring,
        "--key",
        "plugins@",
    ]));
    assert_eq!(
        e,
        "Error: provided key is not a private key. Try providing a keyring with secret keys\n"
    );
    assert!(!env.path("p-0.1.0.tgz").exists());
}

#[test]
fn signed_package_verify_install_and_passphrases() {
    let env = Env::new();
    write_plugin(&env.path("src/signed"), "signed", "2.0.0", "");
    let sec = key("sec.gpg").to_string_lossy().into_owned();
    let pubring = key("pub.gpg").to_string_lossy().into_owned();
    let out = env.rudder(&[
        "plugin",
        "package",
        "src/signed",
        "--key",
        "plugins@rudder.invalid",
        "--keyring",
        &sec,
        "-d",
        "dist",
    ]);
    assert_eq!(
        ok(&out),
        "Successfully signed. Signature written to: dist/signed-2.0.0.tgz.prov\nSuccessfully packaged plugin and saved it to: dist/signed-2.0.0.tgz\n"
    );
    let digest =
        rudder_provenance::digest(&std::fs::read(env.path("dist/signed-2.0.0.tgz")).must("read"));
    let report = format!(
        "Signed by: Rudder Plugin Test <plugins@rudder.invalid>\nUsing Key With Fingerprint: {FINGERPRINT}\nPlugin Hash Verified: sha256:{digest}\n"
    );
    let out = env.rudder(&[
        "plugin",
        "verify",
        "dist/signed-2.0.0.tgz",
        "--keyring",
        &pubring,
    ]);
    assert_eq!(ok(&out), report);
    let out = env.rudder(&[
        "plugin",
        "install",
        "dist/signed-2.0.0.tgz",
        "--keyring",
        &pubring,
    ]);
    assert_eq!(
        ok(&out),
        format!("Verifying plugin signature...\n{report}Installed plugin: signed\n")
    );
    let list = ok(&env.rudder(&["plugin", "list"]));
    assert!(list.contains("\tsigned    \t"), "{list}");
    // The tarball changes under its signature: verify and install refuse.
    let env2 = Env::new();
    std::fs::create_dir_all(env2.path("dist")).must("mkdir");
    std::fs::copy(
        env.path("dist/signed-2.0.0.tgz.prov"),
        env2.path("dist/signed-2.0.0.tgz.prov"),
    )
    .must("copy");
    write_plugin(
        &env2.path("src/signed"),
        "signed",
        "2.0.0",
        "ignoreFlags: true\n",
    );
    ok(&env2.rudder(&[
        "plugin",
        "package",
        "src/signed",
        "--sign=false",
        "-d",
        "dist",
    ]));
    let (_, e) = fails(&env2.rudder(&[
        "plugin",
        "verify",
        "dist/signed-2.0.0.tgz",
        "--keyring",
        &pubring,
    ]));
    assert!(
        e.starts_with("Error: sha256 sum does not match for signed-2.0.0.tgz: "),
        "{e}"
    );
    let (_, e) = fails(&env2.rudder(&[
        "plugin",
        "install",
        "dist/signed-2.0.0.tgz",
        "--keyring",
        &pubring,
    ]));
    assert!(
        e.starts_with(
            "Error: plugin verification failed: sha256 sum does not match for signed-2.0.0.tgz: "
        ),
        "{e}"
    );
    // A passphrase-protected key, from a file.
    let prot = key("protected.sec.gpg").to_string_lossy().into_owned();
    let pass = key("passphrase.txt").to_string_lossy().into_owned();
    let out = env.rudder(&[
        "plugin",
        "package",
        "src/signed",
        "--key",
        "protected@",
        "--keyring",
        &prot,
        "--passphrase-file",
        &pass,
        "-d",
        "prot",
    ]);
    ok(&out);
    let protpub = key("protected.pub.gpg").to_string_lossy().into_owned();
    let out = env.rudder(&[
        "plugin",
        "verify",
        "prot/signed-2.0.0.tgz",
        "--keyring",
        &protpub,
    ]);
    assert!(ok(&out).starts_with("Signed by: Rudder Protected Key <protected@rudder.invalid>\n"));
    std::fs::write(env.path("wrong.txt"), "wrong\n").must("write");
    let (_, e) = fails(&env.rudder(&[
        "plugin",
        "package",
        "src/signed",
        "--key",
        "protected@",
        "--keyring",
        &prot,
        "--passphrase-file",
        "wrong.txt",
        "-d",
        "bad",
    ]));
    assert_eq!(
        e,
        "Error: openpgp: invalid data: private key checksum failure\n"
    );
    assert!(!env.path("bad/signed-2.0.0.tgz").exists());
}

/// Files served by [`serve`], by URL path.
type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A tiny HTTP server on 127.0.0.1 serving `files` (404 otherwise); runs
/// until the test process exits.
fn serve(files: Files) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").must("bind 127.0.0.1");
    let addr = listener.local_addr().must("local addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let mut reader = BufReader::new(clone);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                match reader.read_line(&mut h) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if h.trim().is_empty() => break,
                    Ok(_) => {}
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let body = files.lock().ok().and_then(|f| f.get(&path).cloned());
            let _ = match body {
                Some(b) => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            b.len()
                        )
                        .as_bytes(),
                    )
                    .and_then(|()| stream.write_all(&b)),
                None => stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ),
            };
        }
    });
    format!("http://{addr}")
}

#[test]
fn http_tarball_install_and_update() {
    let env = Env::new();
    write_plugin(&env.path("src/web"), "web", "1.0.0", "");
    let sec = key("sec.gpg").to_string_lossy().into_owned();
    let pubring = key("pub.gpg").to_string_lossy().into_owned();
    ok(&env.rudder(&[
        "plugin",
        "package",
        "src/web",
        "--key",
        "plugins@",
        "--keyring",
        &sec,
        "-d",
        "dist",
    ]));
    let files: Files = Arc::new(Mutex::new(HashMap::new()));
    let put = |p: &str, f: &str| {
        if let Ok(mut m) = files.lock() {
            m.insert(p.to_owned(), std::fs::read(env.path(f)).must("read"));
        }
    };
    put("/dl/web-1.0.0.tgz", "dist/web-1.0.0.tgz");
    put("/dl/web-1.0.0.tgz.prov", "dist/web-1.0.0.tgz.prov");
    let base = serve(files.clone());
    let url = format!("{base}/dl/web-1.0.0.tgz");
    let out = env.rudder(&["plugin", "install", &url, "--keyring", &pubring]);
    let stdout = ok(&out);
    assert!(stdout.starts_with("Verifying plugin signature...\nSigned by: Rudder Plugin Test <plugins@rudder.invalid>\n"), "{stdout}");
    assert!(stdout.ends_with("Installed plugin: web\n"), "{stdout}");
    let record = std::fs::read_to_string(env.path("data/plugins/.rudder/web.json")).must("record");
    assert!(
        record.contains(&format!("\"source\": \"{url}\"")),
        "{record}"
    );
    assert!(record.contains("\"kind\": \"http\""), "{record}");
    // Helm cannot update tarball installs (jkroepke/helm-secrets#654);
    // rudder re-fetches the recorded source and verifies it again.
    let out = env.rudder(&["plugin", "update", "web", "--keyring", &pubring]);
    let stdout = ok(&out);
    assert!(stdout.ends_with("Updated plugin: web\n"), "{stdout}");
    let out = env.rudder(&[
        "plugin",
        "update",
        "web",
        "--keyring",
        &key("protected.pub.gpg").to_string_lossy(),
    ]);
    let (_, e) = fails(&out);
    assert_eq!(
        e,
        "Error: failed to update plugin web, got error (plugin verification failed: openpgp: signature made by unknown entity)\n"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@rudder.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .must("running git (is it installed?)");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn git_install_and_update() {
    let env = Env::new();
    let repo = env.path("repos/helm-greet");
    write_plugin(&repo, "greet", "1.0.0", "");
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "--quiet", "-m", "one"]);
    let url = format!("file://{}", repo.display());
    let (stdout, e) = fails(&env.rudder(&["plugin", "install", &url]));
    assert_eq!(stdout, "");
    assert_eq!(
        e,
        "Error: plugin source does not support verification. Use --verify=false to skip verification\n"
    );
    let out = env.rudder(&["plugin", "install", &url, "--verify=false"]);
    assert_eq!(
        ok(&out),
        "WARNING: Skipping plugin signature verification\nInstalled plugin: greet\n"
    );
    assert!(env.path("data/plugins/helm-greet/.git").exists());
    write_plugin(&repo, "greet", "1.1.0", "");
    git(&repo, &["commit", "--quiet", "-am", "two"]);
    assert_eq!(
        ok(&env.rudder(&["plugin", "up", "greet"])),
        "Updated plugin: greet\n"
    );
    let list = ok(&env.rudder(&["plugin", "list"]));
    assert!(list.contains("greet\t1.1.0  \t"), "{list}");
    // A local edit blocks the update, as in Helm.
    std::fs::write(repo.join("run.sh"), "#!/bin/sh\n").must("write");
    std::fs::write(
        env.path("data/plugins/helm-greet/run.sh"),
        "#!/bin/sh\necho mine\n",
    )
    .must("edit");
    let (_, e) = fails(&env.rudder(&["plugin", "update", "greet"]));
    assert_eq!(
        e,
        "Error: failed to update plugin greet, got error (plugin repo was modified)\n"
    );
}

/// A private GnuPG home with one fresh key.
struct Gpg {
    home: tempfile::TempDir,
    uid: String,
}

impl Gpg {
    fn new(algo: &str) -> Gpg {
        let home = tempfile::tempdir().must("gnupg home");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).must("chmod");
        let uid = format!("Interop {algo} <interop-{algo}@rudder.invalid>");
        let g = Gpg { home, uid };
        g.run(&[
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            &g.uid,
            algo,
            "sign",
            "never",
        ]);
        g
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("gpg")
            .arg("--batch")
            .arg("--homedir")
            .arg(self.home.path())
            .args(args)
            .output()
            .must("running gpg (install Debian's gnupg package)");
        assert!(
            out.status.success(),
            "gpg {args:?} failed: {}",
            text(&out.stderr)
        );
        out
    }

    fn export(&self, secret: bool, to: &Path) {
        let out = if secret {
            self.run(&[
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--export-secret-keys",
                &self.uid,
            ])
        } else {
            self.run(&["--export", &self.uid])
        };
        assert!(!out.stdout.is_empty(), "gpg exported nothing");
        std::fs::write(to, out.stdout).must("write keyring");
    }

    fn fingerprint(&self) -> String {
        let out = self.run(&["--with-colons", "--fingerprint", &self.uid]);
        text(&out.stdout)
            .lines()
            .find_map(|l| {
                l.strip_prefix("fpr:")
                    .map(|r| r.trim_matches(':').to_owned())
            })
            .unwrap_or_default()
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        // The agent gpg started for this home directory.
        let _ = Command::new("gpgconf")
            .arg("--homedir")
            .arg(self.home.path())
            .args(["--kill", "gpg-agent"])
            .output();
    }
}

#[test]
fn gnupg_clearsigned_plugin_provenance_verifies_in_rudder() {
    for algo in ["ed25519", "rsa3072"] {
        let env = Env::new();
        let gpg = Gpg::new(algo);
        write_plugin(&env.path("src/interop"), "interop", "0.5.0", "");
        ok(&env.rudder(&[
            "plugin",
            "package",
            "src/interop",
            "--sign=false",
            "-d",
            "dist",
        ]));
        let tgz = env.path("dist/interop-0.5.0.tgz");
        let data = std::fs::read(&tgz).must("read tgz");
        // Helm's message block: the metadata YAML, "...", the files map.
        let meta = rudder_plugin::parse_metadata(
            &std::fs::read(env.path("src/interop/plugin.yaml")).must("read plugin.yaml"),
        )
        .must("parse");
        let block = format!(
            "{}\n...\nfiles:\n  interop-0.5.0.tgz: sha256:{}\n",
            rudder_plugin_install::metadata_yaml(&meta).must("yaml"),
            rudder_provenance::digest(&data)
        );
        std::fs::write(env.path("block.txt"), &block).must("write block");
        gpg.run(&[
            "--digest-algo",
            "SHA512",
            "--local-user",
            &gpg.uid,
            "--output",
            &format!("{}.prov", tgz.display()),
            "--clearsign",
            &env.s("block.txt"),
        ]);
        let prov = std::fs::read_to_string(format!("{}.prov", tgz.display())).must("read prov");
        assert!(prov.contains("Hash: SHA512"), "{prov}");
        let ring = env.path("gpg-pub.gpg");
        gpg.export(false, &ring);
        let ring_s = ring.to_string_lossy().into_owned();
        let report = format!(
            "Signed by: {}\nUsing Key With Fingerprint: {}\nPlugin Hash Verified: sha256:{}\n",
            gpg.uid,
            gpg.fingerprint(),
            rudder_provenance::digest(&data)
        );
        let out = env.rudder(&[
            "plugin",
            "verify",
            "dist/interop-0.5.0.tgz",
            "--keyring",
            &ring_s,
        ]);
        assert_eq!(ok(&out), report, "{algo}");
        let out = env.rudder(&[
            "plugin",
            "install",
            "dist/interop-0.5.0.tgz",
            "--keyring",
            &ring_s,
        ]);
        assert_eq!(
            ok(&out),
            format!("Verifying plugin signature...\n{report}Installed plugin: interop\n"),
            "{algo}"
        );
        // An armored public key works too (Helm reads binary keyrings only).
        let armored = gpg.run(&["--armor", "--export", &gpg.uid]);
        std::fs::write(env.path("gpg-pub.asc"), armored.stdout).must("write asc");
        let out = env.rudder(&[
            "plugin",
            "verify",
            "dist/interop-0.5.0.tgz",
            "--keyring",
            &env.s("gpg-pub.asc"),
        ]);
        assert_eq!(ok(&out), report, "{algo} armored");
    }
}

#[test]
fn rudder_signed_plugin_provenance_verifies_with_gnupg() {
    for algo in ["ed25519", "rsa3072"] {
        let env = Env::new();
        let gpg = Gpg::new(algo);
        let sec = env.path("gpg-sec.gpg");
        gpg.export(true, &sec);
        write_plugin(&env.path("src/interop"), "interop", "0.6.0", "");
        let out = env.rudder(&[
            "plugin",
            "package",
            "src/interop",
            "--key",
            &gpg.uid,
            "--keyring",
            &sec.to_string_lossy(),
            "-d",
            "dist",
        ]);
        ok(&out);
        let prov = env.s("dist/interop-0.6.0.tgz.prov");
        let out = gpg.run(&["--status-fd", "1", "--verify", &prov]);
        let status = text(&out.stdout);
        assert!(status.contains("[GNUPG:] GOODSIG "), "{algo}: {status}");
        assert!(
            status.contains(&format!("[GNUPG:] VALIDSIG {}", gpg.fingerprint())),
            "{algo}: {status}"
        );
        // SHA-512, as Helm signs (hash algorithm id 10 in VALIDSIG).
        let validsig = status
            .lines()
            .find(|l| l.starts_with("[GNUPG:] VALIDSIG "))
            .unwrap_or_default();
        assert_eq!(validsig.split(' ').nth(9), Some("10"), "{validsig}");
        // The signed text carries the tarball's sha256sum.
        let plain = gpg.run(&["--decrypt", &prov]);
        let plain = text(&plain.stdout);
        let sum = Command::new("sha256sum")
            .arg(env.path("dist/interop-0.6.0.tgz"))
            .output()
            .must("sha256sum");
        let sum = text(&sum.stdout)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned();
        // (Helm 4's layout signs the text with its final line break; how
        // many line breaks gpg prints after it is the framing's business.)
        assert!(
            plain
                .trim_end_matches('\n')
                .ends_with(&format!("\n...\nfiles:\n  interop-0.6.0.tgz: sha256:{sum}")),
            "{plain}"
        );
        assert!(plain.starts_with("APIVersion: legacy\n"), "{plain}");
    }
}
