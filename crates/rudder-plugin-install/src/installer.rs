//! The [`Installer`] trait and rudder's installers: local directory
//! (symlink, development mode), local tarball, HTTP tarball and git.
//!
//! An installer only *obtains* the plugin: the bytes of a tarball (with
//! its `.prov`), a checkout to copy, or a directory to link. Everything
//! after that — verification, extraction with the safety checks, loading,
//! the tarball copies, moving into place, the install record, hooks — is
//! done once, by [`crate::Manager`], for every installer.
//!
//! # Adding the OCI installer
//!
//! `oci://` sources are refused today ([`InstallError::OciNotSupported`]).
//! An OCI installer implements this trait: [`Installer::dir_name`] is the
//! last repository path segment, [`Installer::supports_verification`] is
//! true, [`Installer::verification_data`] pulls the manifest and returns
//! the `<name>-<version>.tgz` layer with the optional `.prov` layer (file
//! name from the tarball's metadata), and [`Installer::fetch`] returns the
//! same bytes as [`Fetched::Archive`] with [`ArchiveLayout::Detect`].
//! Then it is constructed in [`crate::Manager::installer_for`].

use std::path::{Path, PathBuf};

use crate::error::InstallError;
use crate::extract::Limits;
use crate::git;
use crate::source::{SourceKind, cache_key, is_safe_dir_name, strip_plugin_name};
use rudder_value::path::base;

/// What installers may use while fetching.
#[derive(Clone, Debug)]
pub struct FetchEnv {
    /// Helm's `CachePath("plugins")`: git clones live in `<key>` below it.
    pub cache_plugins_dir: PathBuf,
    /// Size caps.
    pub limits: Limits,
}

/// A tarball and its provenance, for signature verification.
#[derive(Clone, Debug)]
pub struct VerificationData {
    /// The tarball.
    pub archive: Vec<u8>,
    /// The `.prov` file, when there is one.
    pub provenance: Option<Vec<u8>>,
    /// The file name the provenance's `files:` entry must have.
    pub file_name: String,
}

/// Where the plugin sits inside a tarball.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchiveLayout {
    /// Under a top-level directory of this name (Helm's local archives).
    Wrapped(String),
    /// At the root, else in the first immediate subdirectory with a
    /// `plugin.yaml` (Helm's HTTP and OCI archives).
    Detect,
}

/// What an installer obtained.
#[derive(Clone, Debug)]
pub enum Fetched {
    /// A gzipped tarball to extract.
    Archive {
        /// The bytes.
        data: Vec<u8>,
        /// The `.prov` next to it, if any (copied beside the plugin).
        provenance: Option<Vec<u8>>,
        /// The archive's name for messages (file name or URL).
        name: String,
        /// Where the plugin is inside.
        layout: ArchiveLayout,
    },
    /// A directory tree to copy (a git checkout, `.git` included).
    Checkout {
        /// The tree.
        dir: PathBuf,
    },
    /// A directory to link to (development mode).
    Link {
        /// The absolute path of the plugin directory.
        target: PathBuf,
    },
}

/// Obtains a plugin from one kind of source.
pub trait Installer {
    /// The kind of source.
    fn kind(&self) -> SourceKind;
    /// The source as recorded for `plugin update` (absolute for local
    /// paths).
    fn source(&self) -> &str;
    /// The `--version` requested (git only).
    fn version(&self) -> &str {
        ""
    }
    /// The directory name under the plugins directory.
    fn dir_name(&self) -> &str;
    /// Whether the source can carry a signature.
    fn supports_verification(&self) -> bool;
    /// The tarball and `.prov` to verify (fetched once, kept for
    /// [`Installer::fetch`]).
    fn verification_data(&mut self, env: &FetchEnv) -> Result<VerificationData, InstallError>;
    /// Obtain the plugin.
    fn fetch(&mut self, env: &FetchEnv) -> Result<Fetched, InstallError>;
}

/// Reads a local file with the archive size cap.
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, InstallError> {
    let meta = std::fs::metadata(path).map_err(|e| InstallError::io("stat", path, &e))?;
    if meta.len() > max {
        return Err(InstallError::Archive {
            archive: path.display().to_string(),
            reason: format!("archive is larger than the maximum size {max}"),
        });
    }
    std::fs::read(path).map_err(|e| InstallError::io("open", path, &e))
}

/// The absolute form of a local source (Go's `filepath.Abs`: joined to the
/// working directory and cleaned, symlinks kept).
pub(crate) fn absolute(source: &str) -> Result<PathBuf, InstallError> {
    let p = Path::new(source);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        let cwd = std::env::current_dir().map_err(|e| InstallError::io("getwd", p, &e))?;
        cwd.join(p)
    };
    Ok(rudder_plugin::clean_path(&joined))
}

fn dir_name_checked(name: String, source: &str) -> Result<String, InstallError> {
    if is_safe_dir_name(&name) {
        Ok(name)
    } else {
        Err(InstallError::NoDirName(source.to_owned()))
    }
}

/// A local plugin directory, installed as a symlink (development mode).
#[derive(Debug)]
pub struct LocalDirInstaller {
    target: PathBuf,
    source: String,
    dir_name: String,
}

impl LocalDirInstaller {
    /// For the local path `source`.
    pub fn new(source: &str) -> Result<LocalDirInstaller, InstallError> {
        let target = absolute(source)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(LocalDirInstaller {
            source: target.to_string_lossy().into_owned(),
            dir_name: dir_name_checked(name, source)?,
            target,
        })
    }
}

impl Installer for LocalDirInstaller {
    fn kind(&self) -> SourceKind {
        SourceKind::LocalDirectory
    }
    fn source(&self) -> &str {
        &self.source
    }
    fn dir_name(&self) -> &str {
        &self.dir_name
    }
    fn supports_verification(&self) -> bool {
        false
    }
    fn verification_data(&mut self, _env: &FetchEnv) -> Result<VerificationData, InstallError> {
        Err(InstallError::VerifyUnsupported)
    }
    fn fetch(&mut self, _env: &FetchEnv) -> Result<Fetched, InstallError> {
        let meta = std::fs::metadata(&self.target)
            .map_err(|e| InstallError::io("stat", &self.target, &e))?;
        if !meta.is_dir() {
            return Err(InstallError::NotADirectory);
        }
        if !self.target.join(rudder_plugin::PLUGIN_FILE_NAME).exists() {
            return Err(InstallError::MissingMetadata);
        }
        Ok(Fetched::Link {
            target: self.target.clone(),
        })
    }
}

/// A local `.tgz`/`.tar.gz` (with `<file>.prov` beside it when signed).
#[derive(Debug)]
pub struct LocalArchiveInstaller {
    path: PathBuf,
    source: String,
    dir_name: String,
    data: Option<Vec<u8>>,
    provenance: Option<Option<Vec<u8>>>,
}

impl LocalArchiveInstaller {
    /// For the local tarball `source`; the directory is named after the
    /// file without suffix and version (Helm's `stripPluginName`).
    pub fn new(source: &str) -> Result<LocalArchiveInstaller, InstallError> {
        let path = absolute(source)?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(LocalArchiveInstaller {
            source: path.to_string_lossy().into_owned(),
            dir_name: dir_name_checked(strip_plugin_name(&file), source)?,
            path,
            data: None,
            provenance: None,
        })
    }

    fn load(&mut self, env: &FetchEnv) -> Result<(Vec<u8>, Option<Vec<u8>>), InstallError> {
        if self.data.is_none() {
            self.data = Some(read_capped(&self.path, env.limits.max_archive_bytes)?);
        }
        if self.provenance.is_none() {
            let prov = PathBuf::from(format!("{}.prov", self.path.display()));
            self.provenance = Some(match std::fs::read(&prov) {
                Ok(p) => Some(p),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(InstallError::io("open", &prov, &e)),
            });
        }
        Ok((
            self.data.clone().unwrap_or_default(),
            self.provenance.clone().flatten(),
        ))
    }
}

impl Installer for LocalArchiveInstaller {
    fn kind(&self) -> SourceKind {
        SourceKind::LocalArchive
    }
    fn source(&self) -> &str {
        &self.source
    }
    fn dir_name(&self) -> &str {
        &self.dir_name
    }
    fn supports_verification(&self) -> bool {
        true
    }
    fn verification_data(&mut self, env: &FetchEnv) -> Result<VerificationData, InstallError> {
        let (archive, provenance) = self.load(env)?;
        Ok(VerificationData {
            archive,
            provenance,
            file_name: base(&self.source).to_owned(),
        })
    }
    fn fetch(&mut self, env: &FetchEnv) -> Result<Fetched, InstallError> {
        let (data, provenance) = self.load(env)?;
        Ok(Fetched::Archive {
            data,
            provenance,
            name: self.source.clone(),
            layout: ArchiveLayout::Wrapped(self.dir_name.clone()),
        })
    }
}

/// A tarball URL (`http(s)://…/<name>[-<version>].tgz`), with `<url>.prov`.
#[derive(Debug)]
pub struct HttpInstaller {
    url: String,
    dir_name: String,
    data: Option<Vec<u8>>,
    provenance: Option<Option<Vec<u8>>>,
}

impl HttpInstaller {
    /// For `url`; fails like Helm when it does not end in an archive suffix.
    pub fn new(url: &str) -> Result<HttpInstaller, InstallError> {
        if !crate::source::has_archive_suffix(url) {
            return Err(InstallError::NoExtractor(url.to_owned()));
        }
        Ok(HttpInstaller {
            url: url.to_owned(),
            dir_name: dir_name_checked(strip_plugin_name(base(url)), url)?,
            data: None,
            provenance: None,
        })
    }

    fn load(&mut self, env: &FetchEnv) -> Result<(Vec<u8>, Option<Vec<u8>>), InstallError> {
        if self.data.is_none() {
            self.data = Some(crate::http::get(&self.url, env.limits.max_archive_bytes)?);
        }
        if self.provenance.is_none() {
            // As in Helm, any failure to get the .prov means "no .prov".
            let prov = crate::http::get(&format!("{}.prov", self.url), 1024 * 1024).ok();
            self.provenance = Some(prov);
        }
        Ok((
            self.data.clone().unwrap_or_default(),
            self.provenance.clone().flatten(),
        ))
    }
}

impl Installer for HttpInstaller {
    fn kind(&self) -> SourceKind {
        SourceKind::Http
    }
    fn source(&self) -> &str {
        &self.url
    }
    fn dir_name(&self) -> &str {
        &self.dir_name
    }
    fn supports_verification(&self) -> bool {
        crate::source::has_archive_suffix(&self.url)
    }
    fn verification_data(&mut self, env: &FetchEnv) -> Result<VerificationData, InstallError> {
        let (archive, provenance) = self.load(env)?;
        Ok(VerificationData {
            archive,
            provenance,
            file_name: base(&self.url).to_owned(),
        })
    }
    fn fetch(&mut self, env: &FetchEnv) -> Result<Fetched, InstallError> {
        let (data, provenance) = self.load(env)?;
        Ok(Fetched::Archive {
            data,
            provenance,
            name: self.url.clone(),
            layout: ArchiveLayout::Detect,
        })
    }
}

/// A git repository, cloned into Helm's cache and copied (with `.git`).
#[derive(Debug)]
pub struct GitInstaller {
    remote: String,
    version: String,
    dir_name: String,
}

impl GitInstaller {
    /// For the repository `remote` at `version` (a ref, a SemVer
    /// constraint over the tags, or empty for the default branch).
    pub fn new(remote: &str, version: &str) -> Result<GitInstaller, InstallError> {
        Ok(GitInstaller {
            remote: remote.to_owned(),
            version: version.to_owned(),
            dir_name: dir_name_checked(base(remote).to_owned(), remote)?,
        })
    }

    /// Clone or refresh the cached clone, then check out the version.
    fn sync(&self, env: &FetchEnv) -> Result<PathBuf, InstallError> {
        let cache = env.cache_plugins_dir.join(cache_key(&self.remote));
        let fresh = || -> Result<(), InstallError> {
            crate::fsutil::remove_any(&cache);
            std::fs::create_dir_all(&env.cache_plugins_dir)
                .map_err(|e| InstallError::io("mkdir", &env.cache_plugins_dir, &e))?;
            git::clone(&self.remote, &cache)
        };
        if git::is_repo(&cache) {
            // Helm pulls into an existing clone; a clone left at an old tag
            // or broken in any way is simply cloned again.
            let refreshed = git::fetch(&cache).and_then(|()| {
                if self.version.is_empty() && git::is_detached(&cache)? {
                    return Err(InstallError::UnknownSource);
                }
                if !git::is_detached(&cache)? {
                    git::pull(&cache)?;
                }
                Ok(())
            });
            if refreshed.is_err() {
                fresh()?;
            }
        } else {
            fresh()?;
        }
        if let Some(r) = git::solve_version(&cache, &self.version, &self.remote)? {
            git::checkout(&cache, &r)?;
        }
        if !cache.join(rudder_plugin::PLUGIN_FILE_NAME).is_file() {
            return Err(InstallError::MissingMetadata);
        }
        Ok(cache)
    }
}

impl Installer for GitInstaller {
    fn kind(&self) -> SourceKind {
        SourceKind::Git
    }
    fn source(&self) -> &str {
        &self.remote
    }
    fn version(&self) -> &str {
        &self.version
    }
    fn dir_name(&self) -> &str {
        &self.dir_name
    }
    fn supports_verification(&self) -> bool {
        false
    }
    fn verification_data(&mut self, _env: &FetchEnv) -> Result<VerificationData, InstallError> {
        Err(InstallError::VerifyUnsupported)
    }
    fn fetch(&mut self, env: &FetchEnv) -> Result<Fetched, InstallError> {
        Ok(Fetched::Checkout {
            dir: self.sync(env)?,
        })
    }
}
