//! `rudder verify PATH [--keyring FILE]` (Helm's `pkg/cmd/verify.go` and
//! `downloader.VerifyChart`): checks a chart archive against its `.prov`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use rudder_env::Settings;

/// `rudder verify` arguments.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// PATH
    #[arg(value_name = "PATH", num_args = 1, required = true)]
    pub(crate) path: String,
    /// keyring containing public keys
    #[arg(long)]
    pub(crate) keyring: Option<String>,
}

/// Helm's `defaultKeyring`: `$GNUPGHOME/pubring.gpg`, else
/// `~/.gnupg/pubring.gpg`.
pub(crate) fn default_keyring() -> PathBuf {
    if let Some(v) = std::env::var_os("GNUPGHOME") {
        return PathBuf::from(v).join("pubring.gpg");
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    PathBuf::from(home).join(".gnupg").join("pubring.gpg")
}

fn go_errno(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// Helm's `VerifyChart`: the archive at `path` against `path.prov`.
pub(crate) fn verify_local(
    _settings: &Settings,
    path: &Path,
    keyring: Option<&str>,
) -> anyhow::Result<rudder_provenance::Verification> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| anyhow!("stat {shown}: {}", go_errno(&e)))?;
    if meta.is_dir() {
        return Err(anyhow!("unpacked charts cannot be verified"));
    }
    let is_tgz = path
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("tgz"));
    if !is_tgz {
        return Err(anyhow!("chart must be a tgz file"));
    }
    let prov = PathBuf::from(format!("{shown}.prov"));
    if let Err(e) = std::fs::metadata(&prov) {
        return Err(anyhow!(
            "could not load provenance file {}: stat {}: {}",
            prov.display(),
            prov.display(),
            go_errno(&e)
        ));
    }
    let keyring_path = keyring
        .filter(|k| !k.is_empty())
        .map_or_else(default_keyring, PathBuf::from);
    let ring = rudder_provenance::Keyring::load(&keyring_path)
        .map_err(|e| anyhow!("failed to load keyring: {e}"))?;
    let archive = std::fs::read(path).map_err(|e| anyhow!("failed to read chart archive: {e}"))?;
    let prov_data =
        std::fs::read(&prov).map_err(|e| anyhow!("failed to read provenance file: {e}"))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    rudder_provenance::verify(&ring, &archive, &prov_data, &name).map_err(|e| anyhow!("{e}"))
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(settings: &Settings, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let v = verify_local(settings, Path::new(&args.path), args.keyring.as_deref())?;
    print!("{}", rudder_provenance::verification_report(&v));
    Ok(ExitCode::SUCCESS)
}
