//! Test fixtures: private Helm directories, plugin sources, hand-built
//! (also malicious) tarballs, a loopback HTTP server and local git
//! repositories. Nothing here touches the network beyond 127.0.0.1.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use rudder_plugin::PluginHost;
use rudder_plugin_install::Manager;

/// Panic with context on error (tests only).
pub(crate) trait Must<T> {
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

/// `tests/data/install`.
pub(crate) fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/install")
        .join(p)
}

/// A private HELM_DATA_HOME / HELM_CACHE_HOME / HELM_CONFIG_HOME, with
/// HELM_PLUGINS = `<data>/plugins`.
pub(crate) struct Env {
    pub(crate) tmp: tempfile::TempDir,
}

impl Env {
    pub(crate) fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().must("tempdir"),
        }
    }

    pub(crate) fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    pub(crate) fn vars(&self) -> Vec<(String, String)> {
        let s = |p: &str| self.path(p).to_string_lossy().into_owned();
        vec![
            ("HELM_DATA_HOME".to_owned(), s("data")),
            ("HELM_CACHE_HOME".to_owned(), s("cache")),
            ("HELM_CONFIG_HOME".to_owned(), s("config")),
            ("HELM_PLUGINS".to_owned(), s("data/plugins")),
            ("HOME".to_owned(), s("home")),
        ]
    }

    pub(crate) fn settings(&self) -> rudder_env::Settings {
        let vars: HashMap<String, String> = self.vars().into_iter().collect();
        rudder_env::Settings::from_env(&move |k: &str| vars.get(k).cloned())
    }

    /// A manager whose hooks see only PATH from the process environment.
    pub(crate) fn manager(&self) -> Manager {
        let mut process = BTreeMap::new();
        process.insert("PATH".to_owned(), std::env::var("PATH").unwrap_or_default());
        let host = PluginHost::new(BTreeMap::new(), None).with_process_env(process);
        Manager::new(&self.settings(), host)
    }

    pub(crate) fn plugins(&self) -> PathBuf {
        self.path("data/plugins")
    }

    /// The visible entries of the plugins directory (without `.rudder`'s
    /// empty staging area).
    pub(crate) fn plugin_entries(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Ok(rd) = std::fs::read_dir(self.plugins()) else {
            return out;
        };
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == ".rudder" {
                for sub in walk(&e.path()) {
                    out.push(format!(".rudder/{sub}"));
                }
            } else {
                out.push(name);
            }
        }
        out.sort();
        out
    }
}

/// Every non-directory below `dir`, relative, sorted.
pub(crate) fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Write a legacy subprocess plugin `name` at `version` into `dir`, with
/// extra top-level YAML (hooks, ...).
pub(crate) fn write_plugin(dir: &Path, name: &str, version: &str, extra: &str) {
    std::fs::create_dir_all(dir).must("mkdir plugin");
    std::fs::write(
        dir.join("plugin.yaml"),
        format!(
            "name: {name}\nversion: {version}\nusage: \"say hello\"\ndescription: \"test plugin\"\ncommand: \"$HELM_PLUGIN_DIR/run.sh\"\n{extra}"
        ),
    )
    .must("write plugin.yaml");
    std::fs::write(dir.join("run.sh"), "#!/bin/sh\necho hello\n").must("write run.sh");
    set_exec(&dir.join("run.sh"));
}

pub(crate) fn set_exec(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).must("chmod");
}

/// A gzipped tarball from raw entries: (name bytes, type flag, data, link).
pub(crate) fn raw_tgz(entries: &[(&str, u8, &[u8], &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (name, flag, data, link) in entries {
        let mut h = tar::Header::new_gnu();
        {
            let Some(g) = h.as_gnu_mut() else {
                panic!("not a GNU header");
            };
            g.name = [0; 100];
            g.name[..name.len()].copy_from_slice(name.as_bytes());
            if !link.is_empty() {
                g.linkname = [0; 100];
                g.linkname[..link.len()].copy_from_slice(link.as_bytes());
            }
        }
        h.set_entry_type(tar::EntryType::new(*flag));
        h.set_mode(if *flag == b'5' { 0o755 } else { 0o644 });
        h.set_size(data.len() as u64);
        h.set_cksum();
        b.append(&h, *data).must("append");
    }
    b.into_inner().must("tar").finish().must("gzip")
}

/// A well-formed plugin tarball for `name` (entries under `<name>/`).
pub(crate) fn plugin_tgz(name: &str, version: &str) -> Vec<u8> {
    let yaml = format!(
        "name: {name}\nversion: {version}\nusage: \"u\"\ndescription: \"d\"\ncommand: \"$HELM_PLUGIN_DIR/run.sh\"\n"
    );
    raw_tgz(&[
        (name, b'5', b"", ""),
        (&format!("{name}/plugin.yaml"), b'0', yaml.as_bytes(), ""),
        (&format!("{name}/run.sh"), b'0', b"#!/bin/sh\necho hi\n", ""),
    ])
}

/// Files served by [`serve`], by URL path.
pub(crate) type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A tiny HTTP/1.0 server on 127.0.0.1 serving `files` (404 otherwise).
/// Returns the base URL. The accept loop runs on a background thread
/// until the test process exits.
pub(crate) fn serve(files: Files) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").must("bind 127.0.0.1");
    let addr = listener.local_addr().must("local addr");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(match stream.try_clone() {
                Ok(s) => s,
                Err(_) => continue,
            });
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Drain the request headers.
            loop {
                let mut h = String::new();
                match reader.read_line(&mut h) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if h == "\r\n" || h == "\n" => break,
                    Ok(_) => {}
                }
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let body = files.lock().ok().and_then(|f| f.get(&path).cloned());
            let _ = match body {
                Some(b) => stream
                    .write_all(
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
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

/// Run git in `dir` with a fixed identity; panics on failure.
pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Rudder Test",
            "-c",
            "user.email=test@rudder.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .must("running git (is it installed?)");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A git repository at `dir` holding plugin `name` at `version`, committed
/// and tagged `v<version>`; returns its `file://` URL.
pub(crate) fn git_plugin_repo(dir: &Path, name: &str, version: &str, extra: &str) -> String {
    write_plugin(dir, name, version, extra);
    git(dir, &["init", "--quiet"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "--quiet", "-m", "first"]);
    git(dir, &["tag", &format!("v{version}")]);
    format!("file://{}", dir.display())
}

/// Commit a new plugin version in the repo at `dir` and tag it.
pub(crate) fn git_bump(dir: &Path, name: &str, version: &str, extra: &str) {
    write_plugin(dir, name, version, extra);
    git(dir, &["add", "-A"]);
    git(
        dir,
        &["commit", "--quiet", "-m", &format!("release {version}")],
    );
    git(dir, &["tag", &format!("v{version}")]);
}

/// The test signing key (tests/data/install/keys, see its README).
pub(crate) fn signer() -> rudder_provenance::Signatory {
    let ring = rudder_provenance::Keyring::load(&data("keys/sec.gpg")).must("load sec.gpg");
    rudder_provenance::Signatory::new(ring, "plugins@rudder.invalid").must("signatory")
}

/// The fingerprint of the test key.
pub(crate) const FINGERPRINT: &str = "CF9293DF6C08A18D34D89F5A077325E7C661376E";
