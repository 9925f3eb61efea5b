//! Plugin management, compatible with Helm 4.2's `helm plugin install |
//! update | uninstall | package | verify`: the same sources, directories,
//! provenance files and messages, so Helm and rudder can share one
//! `HELM_PLUGINS`.
//!
//! ```no_run
//! use rudder_plugin_install::{Manager, VerifyPlan};
//!
//! let settings = rudder_env::Settings::from_env(&rudder_env::process_env);
//! let manager = Manager::from_settings(&settings, "rudder");
//! let mut installer = manager.installer_for("./helm-foo-1.0.0.tgz", "")?;
//! let plan = manager.plan(installer.as_ref(), true)?; // --verify=true
//! assert_eq!(plan, VerifyPlan::Verify);
//! let mut installed = manager.install(installer.as_mut(), plan, "pubring.gpg".as_ref())?;
//! manager.run_install_hook(&mut installed)?;
//! println!("Installed plugin: {}", installed.plugin.name());
//! # Ok::<(), rudder_plugin_install::InstallError>(())
//! ```
//!
//! * Sources ([`SourceKind`]): a local directory (symlinked, "development
//!   mode", never verified), a local `.tgz`/`.tar.gz` (+ `.prov`), an
//!   HTTP(S) tarball URL (+ `<url>.prov`), a git repository (the `git`
//!   command; `--version` is a ref or a SemVer constraint over the tags).
//!   `oci://` is refused with a clear error for now; [`Installer`] is the
//!   seam an OCI installer plugs into.
//! * Verification is on by default and strict: a missing or bad `.prov`
//!   is an error (the CVE-2026-35205 bypass of Helm 4.0–4.1.3 does not
//!   exist here); `--verify=false` is the only way around it.
//! * Archives are checked before anything lands ([`extract`]); installs
//!   are staged and moved into place atomically ([`Manager`]).
//! * [`record`]: where each plugin came from, so tarball installs can be
//!   updated too, and install hooks' own changes do not block git updates.
//! * [`package`](mod@package): plugin tarballs and Helm's plugin `.prov` format.
//!
//! Differences from Helm are listed in the module docs of [`manager`],
//! [`extract`], [`package`](mod@package) and [`source`].

pub mod error;
pub mod extract;
mod fsutil;
mod git;
mod http;
pub mod installer;
pub mod manager;
pub mod package;
pub mod record;
pub mod source;

pub use error::InstallError;
pub use extract::{Limits, check_links, extract_tgz, tarball_metadata};
pub use fsutil::STATE_DIR;
pub use installer::{
    ArchiveLayout, FetchEnv, Fetched, GitInstaller, HttpInstaller, Installer,
    LocalArchiveInstaller, LocalDirInstaller, VerificationData,
};
pub use manager::{Installed, Manager, UpdateOptions, Updated, VerifyPlan};
pub use package::{
    Packaged, create_tarball, metadata_yaml, package, sign_plugin, verification_report,
    verify_plugin,
};
pub use record::{InstallRecord, record_path};
pub use source::{SourceKind, cache_key, strip_plugin_name};
