//! Why a plugin management operation failed. `Display` is Helm 4.2's text
//! wherever Helm has one (scripts grep for them); rudder's own errors name
//! the file or source involved.

use std::path::{Path, PathBuf};

use rudder_plugin::{InvokeError, LoadError};
use rudder_provenance::ProvenanceError;

/// A failed install, update, uninstall, package or verify.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The source could not be turned into an installer (Helm's wrapping).
    #[error(
        "cannot get information about plugin source {} (if it's a local directory, does it exist?), last error was: {cause}",
        rudder_plugin::go_quote(src)
    )]
    Source {
        /// The source as given.
        src: String,
        /// Why.
        cause: Box<InstallError>,
    },
    /// `oci://` sources are not implemented yet.
    #[error(
        "installing plugins from OCI registries is not supported yet: {0} (download the plugin tarball and install the .tgz, or use a git or HTTP source)"
    )]
    OciNotSupported(String),
    /// No plugin directory name can be derived from the source.
    #[error("cannot derive a plugin directory name from {}", rudder_plugin::go_quote(.0))]
    NoDirName(String),
    /// The install directory exists already.
    #[error("plugin already exists")]
    AlreadyExists,
    /// `--verify` with a source that has no signature to check.
    #[error("plugin source does not support verification. Use --verify=false to skip verification")]
    VerifyUnsupported,
    /// `--verify` and no `.prov` next to the tarball (CVE-2026-35205: never
    /// a warning).
    #[error("plugin verification failed: no provenance file (.prov) found")]
    NoProvenance,
    /// The signature or the archive digest did not check out.
    #[error("plugin verification failed: {0}")]
    Verification(ProvenanceError),
    /// A local directory without `plugin.yaml` (or a VCS checkout).
    #[error("plugin metadata (plugin.yaml) missing")]
    MissingMetadata,
    /// A local source that is neither a directory nor a tarball.
    #[error("expected plugin to be a directory (containing a file 'plugin.yaml')")]
    NotADirectory,
    /// The new plugin does not load; nothing was installed.
    #[error("plugin is unusable, nothing was installed: {0}")]
    Unusable(LoadError),
    /// The installed plugin no longer loads after an update.
    #[error("plugin is unusable after the update: {0}")]
    UnusableAfterUpdate(LoadError),
    /// A URL that ends in neither `.tgz` nor `.tar.gz`.
    #[error("no extractor implemented yet for {0}")]
    NoExtractor(String),
    /// An unsafe or malformed archive; nothing was written.
    #[error("failed to extract archive {archive}: {reason}")]
    Archive {
        /// The archive's name (file name or URL).
        archive: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A symbolic link that leaves the plugin directory.
    #[error(
        "{}: symbolic link {} points outside the plugin directory",
        origin,
        go(link)
    )]
    LinkEscapes {
        /// The archive, checkout or directory it was found in.
        origin: String,
        /// The link, relative to the plugin directory.
        link: String,
    },
    /// Reading `plugin.yaml` from a tarball failed.
    #[error("failed to extract plugin metadata from tarball {archive}: {reason}")]
    TarballMetadata {
        /// The archive's name.
        archive: String,
        /// Why.
        reason: String,
    },
    /// A local tarball whose `<name>/plugin.yaml` wrapper is missing.
    #[error(
        "plugin.yaml not found in expected directory {} of archive {archive}",
        go(name)
    )]
    WrapperMissing {
        /// The archive.
        archive: String,
        /// The expected top-level directory.
        name: String,
    },
    /// An HTTP tarball without `plugin.yaml` at the root or one level down.
    #[error("plugin.yaml not found in {archive} or its immediate subdirectories")]
    PluginRootMissing {
        /// The archive.
        archive: String,
    },
    /// A download failed (Helm's getter text for HTTP statuses).
    #[error("failed to fetch {url} : {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// The status line or transport error.
        reason: String,
    },
    /// A git command failed.
    #[error("{action}: {detail}")]
    Git {
        /// What rudder was doing (Masterminds/vcs's wording).
        action: String,
        /// git's own message.
        detail: String,
    },
    /// `--version` matched no ref and no tag.
    #[error(
        "requested version {} does not exist for plugin {}",
        go(version),
        go(remote)
    )]
    VersionNotFound {
        /// The requested version or constraint.
        version: String,
        /// The repository.
        remote: String,
    },
    /// `--version` is neither a ref nor a valid constraint.
    #[error("{0}")]
    Constraint(String),
    /// `plugin update` of a checkout with local changes.
    #[error("plugin repo was modified")]
    RepoModified,
    /// `plugin update` of a plugin whose origin is unknown.
    #[error("cannot get information about plugin source")]
    UnknownSource,
    /// `plugin update` target vanished.
    #[error("plugin does not exist")]
    DoesNotExist,
    /// An update would replace the plugin by one with another name.
    #[error("the update of {} provides plugin {} instead", go(old), go(new))]
    NameChanged {
        /// The installed plugin's name.
        old: String,
        /// The name in the new version.
        new: String,
    },
    /// A hook failed.
    #[error("{0}")]
    Hook(InvokeError),
    /// `plugin package` of something that is not a directory.
    #[error("plugin package only supports directories, not tarballs")]
    PackageNotDirectory,
    /// `plugin package` of a directory that does not load.
    #[error("invalid plugin directory: {0}")]
    InvalidPluginDir(LoadError),
    /// A file that cannot go into a plugin tarball.
    #[error("cannot package {}: {reason}", path.display())]
    Unpackable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Signing failed.
    #[error("failed to sign plugin: {0}")]
    Sign(ProvenanceError),
    /// The install record beside the plugins is unreadable.
    #[error("invalid install record {}: {reason}", path.display())]
    Record {
        /// The record file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A file system operation failed (Go's `op path: reason` text).
    #[error("{op} {}: {reason}", path.display())]
    Io {
        /// The operation (`open`, `mkdir`, `rename`, ...).
        op: &'static str,
        /// The path.
        path: PathBuf,
        /// Go's wording of the OS error.
        reason: String,
    },
}

fn go(s: &str) -> String {
    rudder_plugin::go_quote(s)
}

impl InstallError {
    /// An I/O error in Go's `op path: reason` shape.
    pub(crate) fn io(op: &'static str, path: &Path, e: &std::io::Error) -> InstallError {
        InstallError::Io {
            op,
            path: path.to_path_buf(),
            reason: go_io_reason(e),
        }
    }

    /// Wrap a source-construction error the way Helm's `NewForSource` does.
    pub(crate) fn source(source: &str, cause: InstallError) -> InstallError {
        InstallError::Source {
            src: source.to_owned(),
            cause: Box::new(cause),
        }
    }
}

/// Go's wording of common OS errors (`no such file or directory`, ...).
pub(crate) fn go_io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::AlreadyExists => "file exists".to_owned(),
        ErrorKind::IsADirectory => "is a directory".to_owned(),
        ErrorKind::NotADirectory => "not a directory".to_owned(),
        _ => {
            let s = e.to_string();
            match s.rfind(" (os error ") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
