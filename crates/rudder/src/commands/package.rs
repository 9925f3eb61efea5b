//! `rudder package CHART... [--version] [--app-version] [-d DIR] [--sign
//! --key NAME --keyring FILE [--passphrase-file F|-]]` (Helm's
//! `pkg/cmd/package.go` and `pkg/action/package.go`).
//!
//! The signing key is unlocked before anything is written, so a wrong key
//! or passphrase leaves no archive behind; if signing still fails, the
//! archive just written is removed.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use rudder_authoring::package::PackageOptions;
use rudder_env::Settings;

use crate::cli::go_bool;

/// `rudder package` arguments.
#[derive(Args, Debug)]
pub(crate) struct PackageArgs {
    /// [CHART_PATH] [...]
    #[arg(value_name = "CHART_PATH")]
    pub(crate) paths: Vec<String>,
    /// use a PGP private key to sign this package
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) sign: Option<bool>,
    /// name of the key to use when signing. Used if --sign is true
    #[arg(long)]
    pub(crate) key: Option<String>,
    /// location of a public keyring
    #[arg(long)]
    pub(crate) keyring: Option<String>,
    /// location of a file which contains the passphrase for the signing key. Use "-" in order to read from stdin.
    #[arg(long = "passphrase-file")]
    pub(crate) passphrase_file: Option<String>,
    /// set the version on the chart to this semver version
    #[arg(long)]
    pub(crate) version: Option<String>,
    /// set the appVersion on the chart to this version
    #[arg(long = "app-version")]
    pub(crate) app_version: Option<String>,
    /// location to write the chart.
    #[arg(short = 'd', long, default_value = ".")]
    pub(crate) destination: String,
    /// update dependencies from "Chart.yaml" to dir "charts/" before packaging
    #[arg(short = 'u', long = "dependency-update", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) dependency_update: Option<bool>,
    /// chart repository username where to locate the requested chart
    #[arg(long)]
    pub(crate) username: Option<String>,
    /// chart repository password where to locate the requested chart
    #[arg(long)]
    pub(crate) password: Option<String>,
    /// identify HTTPS client using this SSL certificate file
    #[arg(long = "cert-file")]
    pub(crate) cert_file: Option<String>,
    /// identify HTTPS client using this SSL key file
    #[arg(long = "key-file")]
    pub(crate) key_file: Option<String>,
    /// skip tls certificate checks for the chart download
    #[arg(long = "insecure-skip-tls-verify", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) insecure_skip_tls_verify: Option<bool>,
    /// use insecure HTTP connections for the chart download
    #[arg(long = "plain-http", num_args = 0..=1, require_equals = true, default_missing_value = "true", value_parser = go_bool)]
    pub(crate) plain_http: Option<bool>,
    /// verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long = "ca-file")]
    pub(crate) ca_file: Option<String>,
}

/// Whether standard input is a pipe (Helm refuses `--passphrase-file -`
/// otherwise).
fn stdin_is_pipe() -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata("/proc/self/fd/0").is_ok_and(|m| m.file_type().is_fifo())
}

/// Helm's `passphraseFileFetcher`: the first line of the file (or of
/// standard input for `-`).
fn read_passphrase_file(file: &str) -> anyhow::Result<Vec<u8>> {
    let mut line = Vec::new();
    if file == "-" {
        if !stdin_is_pipe() {
            return Err(anyhow!(
                "specified reading passphrase from stdin, without input on stdin"
            ));
        }
        std::io::stdin().lock().read_until(b'\n', &mut line)?;
    } else {
        let f = std::fs::File::open(file).map_err(|e| {
            anyhow!(
                "open {file}: {}",
                if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_owned()
                } else {
                    e.to_string()
                }
            )
        })?;
        std::io::BufReader::new(f).read_until(b'\n', &mut line)?;
    }
    if line.is_empty() {
        return Err(anyhow!("EOF"));
    }
    if line.ends_with(b"\n") {
        line.pop();
        if line.ends_with(b"\r") {
            line.pop();
        }
    }
    Ok(line)
}

/// Helm's `promptUser`. rudder cannot turn terminal echo off without a
/// terminal library, so the passphrase is read as a plain line.
#[allow(
    clippy::print_stdout,
    reason = "Helm prompts for the passphrase on stdout"
)]
fn prompt(name: &str) -> Result<Vec<u8>, String> {
    print!("Password for key {} >  ", rudder_value::fmt::quote(name));
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    println!();
    Ok(line.trim_end_matches(['\r', '\n']).as_bytes().to_vec())
}

fn signatory(
    keyring: &str,
    key: &str,
    passphrase_file: Option<&str>,
) -> anyhow::Result<rudder_provenance::Signatory> {
    let ring = rudder_provenance::Keyring::load(Path::new(keyring)).map_err(|e| anyhow!("{e}"))?;
    let mut signer = rudder_provenance::Signatory::new(ring, key).map_err(|e| anyhow!("{e}"))?;
    match passphrase_file.filter(|f| !f.is_empty()) {
        Some(file) => {
            // Helm reads the file before knowing whether the key needs it.
            let pw = read_passphrase_file(file)?;
            signer.decrypt_key(|_| Ok(pw)).map_err(|e| anyhow!("{e}"))?;
        }
        None => signer.decrypt_key(prompt).map_err(|e| anyhow!("{e}"))?,
    }
    Ok(signer)
}

fn sign(signer: &rudder_provenance::Signatory, archive: &Path) -> anyhow::Result<()> {
    let chart = rudder_chart::load_archive_file(archive)
        .map_err(|e| anyhow!("failed to load chart for signing: {e}"))?;
    let metadata =
        rudder_authoring::save::chart_yaml(&chart.metadata).map_err(|e| anyhow!("{e}"))?;
    let data = std::fs::read(archive).map_err(|e| anyhow!("failed to read chart archive: {e}"))?;
    let name = archive
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prov = signer
        .clear_sign(&data, &name, &metadata)
        .map_err(|e| anyhow!("{e}"))?;
    let prov_path = PathBuf::from(format!("{}.prov", archive.display()));
    std::fs::write(&prov_path, prov).map_err(|e| anyhow!("open {}: {e}", prov_path.display()))?;
    Ok(())
}

#[allow(
    clippy::print_stdout,
    reason = "the command's output is its stdout, as Helm's"
)]
pub(crate) fn run(_settings: &Settings, args: &PackageArgs) -> anyhow::Result<ExitCode> {
    if args.paths.is_empty() {
        return Err(anyhow!("need at least one argument, the path to the chart"));
    }
    let signer = if args.sign.unwrap_or(false) {
        let key = args.key.as_deref().unwrap_or("");
        if key.is_empty() {
            return Err(anyhow!("--key is required for signing a package"));
        }
        let keyring = args.keyring.clone().unwrap_or_else(|| {
            crate::commands::verify::default_keyring()
                .display()
                .to_string()
        });
        if keyring.is_empty() {
            return Err(anyhow!("--keyring is required for signing a package"));
        }
        Some(signatory(&keyring, key, args.passphrase_file.as_deref())?)
    } else {
        None
    };
    let opts = PackageOptions {
        version: args.version.clone(),
        app_version: args.app_version.clone(),
        destination: Some(PathBuf::from(&args.destination)),
    };
    for arg in &args.paths {
        if let Err(e) = std::fs::metadata(arg) {
            return Err(anyhow!(
                "stat {arg}: {}",
                if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_owned()
                } else {
                    e.to_string()
                }
            ));
        }
        if args.dependency_update.unwrap_or(false) {
            let chart = rudder_chart::load(Path::new(arg)).map_err(|e| anyhow!("{e}"))?;
            if chart
                .metadata
                .dependencies
                .as_ref()
                .is_some_and(|d| !d.is_empty())
            {
                return Err(anyhow!(
                    "--dependency-update is not supported by rudder yet: it needs chart repositories"
                ));
            }
        }
        let packaged = rudder_authoring::package::package(Path::new(arg), &opts)
            .map_err(|e| anyhow!("{e}"))?;
        if let Some(signer) = &signer
            && let Err(e) = sign(signer, &packaged.path)
        {
            let _ = std::fs::remove_file(&packaged.path);
            return Err(e);
        }
        println!(
            "Successfully packaged chart and saved it to: {}",
            packaged.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
