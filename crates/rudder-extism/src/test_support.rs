//! Test support (feature `test-support`): build the guest plugins under
//! `plugins/` and find their `.wasm` files.
//!
//! The guest plugins are a separate Cargo workspace (`plugins/Cargo.toml`,
//! its own `Cargo.lock`, target `wasm32-wasip1`). The first caller in a
//! process runs
//! `cargo build --release --locked --target wasm32-wasip1 --manifest-path plugins/Cargo.toml --target-dir plugins/target`
//! under an exclusive file lock (`plugins/target/.rudder-build.lock`), so
//! parallel test binaries neither race nor rebuild; later callers reuse the
//! result. The built example plugins are also copied next to their
//! plugin.yaml as `plugin.wasm`, so `plugins/examples/<name>/` is a complete
//! Helm plugin directory.
//!
//! A missing `wasm32-wasip1` target is reported as an error naming the fix
//! (`rustup target add wasm32-wasip1`); [`require_wasm`] turns it into a
//! loud test failure. Nothing here skips a test silently.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Example plugins: (crate name, directory under `plugins/examples`).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("postrender-labels", "postrender-labels"),
    ("getter-echo", "getter-echo"),
    ("cli-hello", "cli-hello"),
];

/// The guest workspace: `<repo>/plugins`.
pub fn plugins_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plugins")
}

/// Where the guest workspace builds to: `<repo>/plugins/target`.
pub fn target_dir() -> PathBuf {
    plugins_dir().join("target")
}

/// Path of the built `.wasm` for a guest crate (not checked for existence):
/// `plugins/target/wasm32-wasip1/release/<crate_name with _>.wasm`.
pub fn wasm_path(crate_name: &str) -> PathBuf {
    target_dir()
        .join("wasm32-wasip1/release")
        .join(format!("{}.wasm", crate_name.replace('-', "_")))
}

/// Directory of an example plugin (holds plugin.yaml and, after a build,
/// plugin.wasm).
pub fn example_dir(dir_name: &str) -> PathBuf {
    plugins_dir().join("examples").join(dir_name)
}

/// Build all guest plugins once per process. Returns the release output
/// directory, or a description of what went wrong.
pub fn build_plugins() -> Result<PathBuf, String> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BUILT.get_or_init(build_locked).clone()
}

/// The built `.wasm` of `crate_name`; panics with instructions if the guest
/// plugins cannot be built (for tests: a loud failure, never a skip).
pub fn require_wasm(crate_name: &str) -> PathBuf {
    if let Err(e) = build_plugins() {
        panic!("\n\n*** cannot build the guest plugins under plugins/ ***\n{e}\n\n");
    }
    let path = wasm_path(crate_name);
    assert!(
        path.is_file(),
        "guest plugin {crate_name} was not produced at {}; is it a member of plugins/Cargo.toml?",
        path.display()
    );
    path
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn check_target_installed() -> Result<(), String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(&rustc)
        .args(["--print", "target-libdir", "--target", "wasm32-wasip1"])
        .output()
        .map_err(|e| format!("cannot run {rustc}: {e}"))?;
    let libdir = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let has_std = std::fs::read_dir(&libdir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
        })
        .unwrap_or(false);
    if out.status.success() && has_std {
        Ok(())
    } else {
        Err(format!(
            "the Rust target wasm32-wasip1 is not installed (no standard library in {libdir:?}).\n\
             Install it with:  rustup target add wasm32-wasip1"
        ))
    }
}

/// `cargo build --release --locked` in the guest workspace (into
/// [`target_dir`]) with `extra` arguments, e.g. a `--target` and `-p` of a
/// crate that is not a default member. Errors carry the tail of cargo's
/// output.
pub fn cargo_build(extra: &[&str]) -> Result<(), String> {
    let manifest = plugins_dir().join("Cargo.toml");
    let out = Command::new(cargo())
        .args(["build", "--release", "--locked", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir())
        .args(extra)
        // Do not inherit flags meant for the host build (coverage, -C
        // target-cpu=native, …); they are wrong or fatal for wasm32.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: String = {
        let chars: Vec<char> = stderr.chars().collect();
        chars[chars.len().saturating_sub(6000)..].iter().collect()
    };
    Err(format!(
        "`cargo build --release --locked --manifest-path {} {}` failed ({}):\n{tail}",
        manifest.display(),
        extra.join(" "),
        out.status
    ))
}

fn build_locked() -> Result<PathBuf, String> {
    check_target_installed()?;
    let target = target_dir();
    std::fs::create_dir_all(&target)
        .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    let lock_path = target.join(".rudder-build.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    // Held until the end of this function: other test binaries wait here
    // and then find an up-to-date build.
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;

    cargo_build(&["--target", "wasm32-wasip1"])?;
    let release = target.join("wasm32-wasip1/release");
    for (crate_name, dir) in EXAMPLES {
        let from = wasm_path(crate_name);
        let to = example_dir(dir).join("plugin.wasm");
        if !from.is_file() {
            return Err(format!("cargo succeeded but {} is missing", from.display()));
        }
        copy_if_changed(&from, &to)?;
    }
    drop(lock);
    Ok(release)
}

/// Copy unless identical, so concurrent readers never see a half-written
/// file from a rebuild that changed nothing.
fn copy_if_changed(from: &Path, to: &Path) -> Result<(), String> {
    let new = std::fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    if std::fs::read(to).is_ok_and(|old| old == new) {
        return Ok(());
    }
    let tmp = to.with_extension("wasm.tmp");
    std::fs::write(&tmp, &new).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, to).map_err(|e| format!("cannot rename to {}: {e}", to.display()))
}
