//! [`Manager`]: install, update and uninstall, the same steps for every
//! installer (Helm's `InstallWithOptions`, `plugin_install.go`,
//! `plugin_update.go`, `plugin_uninstall.go`).
//!
//! # Where things go
//!
//! Everything goes into the *first* directory of `HELM_PLUGINS` (by default
//! `$HELM_DATA_HOME/plugins`): the plugin directory, the tarball copies
//! `<name>-<version>.tgz[.prov]` that `plugin list` reads for its
//! PROVENANCE column, and rudder's install record in `.rudder/`. With the
//! default settings this is exactly Helm's layout. Helm puts local and
//! HTTP installs into `$HELM_DATA_HOME/plugins` whatever `HELM_PLUGINS`
//! says, so they are invisible when it points elsewhere (helm#32646), and
//! treats a `HELM_PLUGINS` list as one path (helm#32547); rudder does
//! neither.
//!
//! # Atomicity
//!
//! A plugin is assembled in a private staging directory next to its
//! target, checked (archive path safety, links, `plugin.yaml` loads, the
//! Wasm module exists), and moved into place with one `rename`. An
//! archive or plugin that fails any check leaves nothing behind: no
//! directory, no tarball copy, no record. Helm leaves an unusable plugin
//! installed (`plugin is installed but unusable`), where `plugin
//! uninstall` cannot see it. If the install hook fails, rudder removes the
//! plugin again so the install can simply be retried (Helm keeps it).
//!
//! # Updates
//!
//! Helm updates git checkouts only. rudder also updates tarball installs
//! from the source recorded at install time (with the same signature
//! checking), and treats a linked development directory as always up to
//! date. A git checkout with changes is refused as in Helm (`plugin repo
//! was modified`), except for changes that are byte for byte what the
//! plugin's own install/update hook left when rudder ran it (helm#31664):
//! rudder stores the SHA-256 of `git diff` right after the hook, and when
//! the diff is still exactly that, it restores those files, updates, and
//! runs the update hook, which makes its changes again. Any other change,
//! including an edit to a file the hook also touched, still blocks the
//! update, so no user change is ever discarded. Plugins rudder did not
//! install keep Helm's behaviour.

use std::path::{Path, PathBuf};

use rudder_env::Settings;
use rudder_plugin::{
    Descriptor, HookEvent, NotFound, Plugin, PluginHost, RuntimeKind, discover, split_plugin_dirs,
};
use rudder_provenance::{Keyring, Verification};
use sha2::{Digest, Sha256};

use crate::error::InstallError;
use crate::extract::{Limits, check_links, detect_plugin_root, extract_tgz, tarball_metadata};
use crate::fsutil::{copy_tree, place, remove_any, staging_dir, swap, write_atomic};
use crate::git;
use crate::installer::{
    ArchiveLayout, FetchEnv, Fetched, GitInstaller, HttpInstaller, Installer,
    LocalArchiveInstaller, LocalDirInstaller,
};
use crate::record::{InstallRecord, RECORD_FORMAT, remove_record};
use crate::source::SourceKind;

/// How an install treats signatures (decided before anything is fetched).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyPlan {
    /// A local directory: never verified (`Installing plugin from local
    /// directory (development mode)`).
    DevelopmentMode,
    /// `--verify=false` (`WARNING: Skipping plugin signature verification`).
    Skip,
    /// Verify (`Verifying plugin signature...`).
    Verify,
}

/// A plugin that was put in place (its install hook not run yet).
#[derive(Debug)]
pub struct Installed {
    /// The plugin, loaded from where it was installed.
    pub plugin: Plugin,
    /// The signature check, when verified.
    pub verification: Option<Verification>,
    /// Non-fatal problems (e.g. a Wasm module that did not precompile).
    pub warnings: Vec<String>,
    record: InstallRecord,
    copies: Vec<PathBuf>,
}

/// A plugin that was updated and whose update hook ran.
#[derive(Debug)]
pub struct Updated {
    /// The plugin after the update.
    pub plugin: Plugin,
    /// The signature check of a re-downloaded tarball, when verified.
    pub verification: Option<Verification>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// Options of `plugin update`.
#[derive(Clone, Debug, Default)]
pub struct UpdateOptions {
    /// The keyring for tarball installs that were verified.
    pub keyring: PathBuf,
}

/// Installs, updates and uninstalls plugins in the directories of a
/// [`Settings`].
#[derive(Debug)]
pub struct Manager {
    plugins_dir: PathBuf,
    search_dirs: Vec<PathBuf>,
    data_plugins_dir: PathBuf,
    wasm_cache_dir: PathBuf,
    env: FetchEnv,
    host: PluginHost,
}

impl Manager {
    /// A manager for `settings`; hooks run through a [`PluginHost`] for
    /// the same settings (`helm_bin` is `HELM_BIN`).
    pub fn from_settings(settings: &Settings, helm_bin: &str) -> Manager {
        Manager::new(settings, PluginHost::from_settings(settings, helm_bin))
    }

    /// A manager for `settings` running hooks through `host`.
    pub fn new(settings: &Settings, host: PluginHost) -> Manager {
        let data_plugins_dir = settings.paths.data_path("plugins");
        let search_dirs = split_plugin_dirs(&settings.plugins_directory);
        let plugins_dir = search_dirs
            .first()
            .cloned()
            .unwrap_or_else(|| data_plugins_dir.clone());
        Manager {
            plugins_dir,
            search_dirs,
            data_plugins_dir,
            // The directory PluginHost::from_settings compiles into.
            wasm_cache_dir: settings.paths.cache_path("rudder/wasm"),
            env: FetchEnv {
                cache_plugins_dir: settings.paths.cache_path("plugins"),
                limits: Limits::default(),
            },
            host,
        }
    }

    /// Use other size caps (tests, embedders).
    pub fn with_limits(mut self, limits: Limits) -> Manager {
        self.env.limits = limits;
        self
    }

    /// The directory new plugins go into.
    pub fn plugins_dir(&self) -> &Path {
        &self.plugins_dir
    }

    /// The host hooks run through.
    pub fn host(&self) -> &PluginHost {
        &self.host
    }

    /// Helm's `NewForSource`: the installer for `source`.
    pub fn installer_for(
        &self,
        source: &str,
        version: &str,
    ) -> Result<Box<dyn Installer>, InstallError> {
        let wrap = |e| InstallError::source(source, e);
        Ok(match SourceKind::classify(source) {
            SourceKind::Oci => return Err(InstallError::OciNotSupported(source.to_owned())),
            SourceKind::LocalDirectory => Box::new(LocalDirInstaller::new(source).map_err(wrap)?),
            SourceKind::LocalArchive => Box::new(LocalArchiveInstaller::new(source).map_err(wrap)?),
            SourceKind::Http => Box::new(HttpInstaller::new(source).map_err(wrap)?),
            SourceKind::Git => Box::new(GitInstaller::new(source, version).map_err(wrap)?),
        })
    }

    /// Helm's decision, before anything is fetched: development mode for
    /// a local directory, an error when `verify` is asked of a source that
    /// cannot be signed, else verify or skip.
    pub fn plan(
        &self,
        installer: &dyn Installer,
        verify: bool,
    ) -> Result<VerifyPlan, InstallError> {
        if installer.kind() == SourceKind::LocalDirectory {
            Ok(VerifyPlan::DevelopmentMode)
        } else if verify && !installer.supports_verification() {
            Err(InstallError::VerifyUnsupported)
        } else if verify {
            Ok(VerifyPlan::Verify)
        } else {
            Ok(VerifyPlan::Skip)
        }
    }

    /// Obtain, check and put the plugin in place (Helm's
    /// `InstallWithOptions` and the load that follows it). The install
    /// hook is not run yet: call [`Manager::run_install_hook`].
    pub fn install(
        &self,
        installer: &mut dyn Installer,
        plan: VerifyPlan,
        keyring: &Path,
    ) -> Result<Installed, InstallError> {
        std::fs::create_dir_all(&self.plugins_dir)
            .map_err(|e| InstallError::io("mkdir", &self.plugins_dir, &e))?;
        let target = self.plugins_dir.join(installer.dir_name());
        if std::fs::symlink_metadata(&target).is_ok() {
            return Err(InstallError::AlreadyExists);
        }
        let verification = if plan == VerifyPlan::Verify {
            Some(verify_data(installer, &self.env, keyring)?)
        } else {
            None
        };
        let fetched = installer.fetch(&self.env)?;
        let mut record = InstallRecord {
            format: RECORD_FORMAT,
            source: installer.source().to_owned(),
            kind: installer.kind(),
            version: installer.version().to_owned(),
            verified: verification.is_some(),
            plugin_name: String::new(),
            plugin_version: String::new(),
            archive_sha256: None,
            hook_diff_sha256: None,
            hook_diff_paths: Vec::new(),
        };
        let (plugin, copies) = self.put_in_place(fetched, &target, &mut record, None)?;
        record.plugin_name = plugin.name().to_owned();
        record.plugin_version = plugin.metadata().version.clone();
        if let Err(e) = record.save(&target) {
            self.undo(&target, &copies);
            return Err(e);
        }
        let warnings = self.precompile(&plugin).into_iter().collect();
        Ok(Installed {
            plugin,
            verification,
            warnings,
            record,
            copies,
        })
    }

    /// Run the install hook of a freshly installed plugin. When it fails,
    /// the plugin is removed again (with its copies and record) and Helm's
    /// hook error is returned.
    pub fn run_install_hook(&self, installed: &mut Installed) -> Result<(), InstallError> {
        let dir = installed.plugin.dir().to_path_buf();
        if let Err(e) = self.host.run_hook(&installed.plugin, HookEvent::Install) {
            self.undo(&dir, &installed.copies);
            return Err(InstallError::Hook(e));
        }
        if installed.record.kind == SourceKind::Git {
            remember_hook_changes(&dir, &mut installed.record)?;
            installed.record.save(&dir)?;
        }
        Ok(())
    }

    /// Remove a plugin that was just installed.
    fn undo(&self, dir: &Path, copies: &[PathBuf]) {
        remove_any(dir);
        for c in copies {
            remove_any(c);
        }
        remove_record(dir);
    }

    /// Extract or copy `fetched` into a staging directory, check it, and
    /// move it to `target` (replacing the tree there when `replace` gives
    /// the old plugin's name). Returns the plugin loaded from `target` and
    /// the tarball copies written.
    fn put_in_place(
        &self,
        fetched: Fetched,
        target: &Path,
        record: &mut InstallRecord,
        replace: Option<&Plugin>,
    ) -> Result<(Plugin, Vec<PathBuf>), InstallError> {
        let unusable = |e| {
            if replace.is_some() {
                InstallError::UnusableAfterUpdate(e)
            } else {
                InstallError::Unusable(e)
            }
        };
        let stage = staging_dir(&self.plugins_dir)?;
        let mut copies = Vec::new();
        let root = match fetched {
            Fetched::Link { target: link_to } => {
                Plugin::load(&link_to).map_err(unusable)?;
                if replace.is_none() {
                    crate::extract::make_symlink(&link_to, target).map_err(|e| match e {
                        InstallError::Io { reason, .. } if reason == "file exists" => {
                            InstallError::AlreadyExists
                        }
                        other => other,
                    })?;
                }
                let plugin = Plugin::load(target).map_err(unusable)?;
                return Ok((plugin, copies));
            }
            Fetched::Checkout { dir } => {
                let tree = stage.path().join("tree");
                copy_tree(&dir, &tree)?;
                check_links(&tree, &record.source)?;
                tree
            }
            Fetched::Archive {
                data,
                provenance,
                name,
                layout,
            } => {
                let tree = stage.path().join("tree");
                std::fs::create_dir(&tree).map_err(|e| InstallError::io("mkdir", &tree, &e))?;
                extract_tgz(&data, &tree, &name, &self.env.limits)?;
                let root = match &layout {
                    ArchiveLayout::Wrapped(dir) => {
                        let root = tree.join(dir);
                        if !root.join(rudder_plugin::PLUGIN_FILE_NAME).is_file() {
                            return Err(InstallError::WrapperMissing {
                                archive: name,
                                name: dir.clone(),
                            });
                        }
                        root
                    }
                    ArchiveLayout::Detect => detect_plugin_root(&tree, &name)?,
                };
                check_links(&root, &name)?;
                check_staged(&root, replace).map_err(unusable)??;
                // Helm names the copies after the first plugin.yaml in the
                // tarball, which `plugin list` then looks up.
                let meta = tarball_metadata(&data, &name, &self.env.limits)?;
                let copy = self
                    .plugins_dir
                    .join(format!("{}-{}.tgz", meta.name, meta.version));
                record.archive_sha256 = Some(format!("sha256:{:x}", Sha256::digest(&data)));
                if let Some(old) = replace {
                    self.remove_copies(old);
                }
                write_atomic(&copy, &data)?;
                copies.push(copy.clone());
                let prov_copy = PathBuf::from(format!("{}.prov", copy.display()));
                match provenance {
                    Some(p) => {
                        if let Err(e) = write_atomic(&prov_copy, &p) {
                            remove_any(&copy);
                            return Err(e);
                        }
                        copies.push(prov_copy);
                    }
                    // A stale signature must not vouch for the new tarball.
                    None => remove_any(&prov_copy),
                }
                root
            }
        };
        check_staged(&root, replace).map_err(unusable)??;
        let result = match replace {
            None => place(&root, target),
            Some(_) => swap(&root, target, &stage.path().join("old")),
        };
        if let Err(e) = result {
            for c in &copies {
                remove_any(c);
            }
            return Err(e);
        }
        drop(stage);
        let plugin = Plugin::load(target).map_err(unusable)?;
        Ok((plugin, copies))
    }

    /// Compile a Wasm plugin's module into the code cache the plugin host
    /// uses, so the first call does not wait for Cranelift. A failure is a
    /// warning: the plugin is installed either way, and a module that does
    /// not compile will report that when it is called.
    #[cfg(feature = "wasm")]
    fn precompile(&self, plugin: &Plugin) -> Option<String> {
        if plugin.metadata().runtime != RuntimeKind::ExtismV1 {
            return None;
        }
        let wasm = plugin.dir().join(rudder_plugin::WASM_FILE_NAME);
        let result = rudder_extism::Engine::new(rudder_extism::EngineConfig {
            cache_dir: Some(self.wasm_cache_dir.clone()),
            ..rudder_extism::EngineConfig::default()
        })
        .and_then(|engine| engine.load_file(&wasm));
        result
            .err()
            .map(|e| format!("WARNING: could not precompile {}: {e}", wasm.display()))
    }

    #[cfg(not(feature = "wasm"))]
    fn precompile(&self, plugin: &Plugin) -> Option<String> {
        let _ = (
            &self.wasm_cache_dir,
            plugin.metadata().runtime == RuntimeKind::ExtismV1,
        );
        None
    }

    /// The installed plugin called `name` (the first one in `HELM_PLUGINS`
    /// order; plugins that fail to load are invisible, as in Helm).
    pub fn find(&self, name: &str) -> Result<Plugin, NotFound> {
        discover(&self.search_dirs)
            .plugins
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                NotFound(Descriptor {
                    name: Some(name.to_owned()),
                    plugin_type: None,
                })
            })
    }

    /// Remove `<name>-<version>.tgz[.prov]` of `plugin` where rudder and
    /// Helm put them.
    fn remove_copies(&self, plugin: &Plugin) {
        let m = plugin.metadata();
        if m.version.is_empty() {
            return;
        }
        let file = format!("{}-{}.tgz", m.name, m.version);
        let mut dirs = vec![self.data_plugins_dir.clone()];
        if let Some(parent) = plugin.dir().parent() {
            dirs.push(parent.to_path_buf());
        }
        for d in dirs {
            remove_any(&d.join(&file));
            remove_any(&d.join(format!("{file}.prov")));
        }
    }

    /// Helm's `uninstallPlugin`: remove the directory (a link, not what it
    /// points to), the tarball copies and rudder's record, then run the
    /// `delete` hook (the directory is already gone, as in Helm).
    pub fn uninstall(&self, plugin: &Plugin) -> Result<(), InstallError> {
        let dir = plugin.dir();
        let meta =
            std::fs::symlink_metadata(dir).map_err(|e| InstallError::io("lstat", dir, &e))?;
        if meta.is_dir() {
            std::fs::remove_dir_all(dir).map_err(|e| InstallError::io("unlinkat", dir, &e))?;
        } else {
            std::fs::remove_file(dir).map_err(|e| InstallError::io("remove", dir, &e))?;
        }
        self.remove_copies(plugin);
        remove_record(dir);
        self.host
            .run_hook(plugin, HookEvent::Delete)
            .map_err(InstallError::Hook)
    }

    /// Update `plugin` from its source, reload it and run its `update`
    /// hook (Helm's `updatePlugin`, extended to tarball installs).
    pub fn update(&self, plugin: &Plugin, opts: &UpdateOptions) -> Result<Updated, InstallError> {
        let dir = plugin.dir().to_path_buf();
        if std::fs::symlink_metadata(&dir).is_err() {
            return Err(InstallError::DoesNotExist);
        }
        let mut record = InstallRecord::load(&dir)?;
        let mut verification = None;
        let (work_dir, mut updated) = match record.as_mut() {
            Some(r) if matches!(r.kind, SourceKind::LocalArchive | SourceKind::Http) => {
                let mut installer: Box<dyn Installer> = match r.kind {
                    SourceKind::Http => Box::new(HttpInstaller::new(&r.source)?),
                    _ => Box::new(LocalArchiveInstaller::new(&r.source)?),
                };
                if r.verified {
                    verification = Some(verify_data(installer.as_mut(), &self.env, &opts.keyring)?);
                }
                let fetched = installer.fetch(&self.env)?;
                let (p, _) = self.put_in_place(fetched, &dir, r, Some(plugin))?;
                r.plugin_version = p.metadata().version.clone();
                (dir.clone(), p)
            }
            Some(r) if r.kind == SourceKind::Git => {
                git_update(&dir, Some(r))?;
                (dir.clone(), reload(&dir)?)
            }
            // A linked development directory is always current.
            Some(_) => (dir.clone(), reload(&dir)?),
            None => {
                // Helm: follow the links to the real directory and update
                // it when it is a git checkout.
                let real = dir
                    .canonicalize()
                    .map_err(|e| InstallError::io("lstat", &dir, &e))?;
                if !git::is_repo(&real) {
                    return Err(InstallError::UnknownSource);
                }
                git_update(&real, None)?;
                (real.clone(), reload(&real)?)
            }
        };
        if work_dir != dir {
            updated = reload(&dir).unwrap_or(updated);
        }
        self.host
            .run_hook(&updated, HookEvent::Update)
            .map_err(InstallError::Hook)?;
        if let Some(r) = record.as_mut() {
            r.plugin_version = updated.metadata().version.clone();
            if r.kind == SourceKind::Git {
                remember_hook_changes(&work_dir, r)?;
            }
            r.save(&dir)?;
        }
        let warnings = self.precompile(&updated).into_iter().collect();
        Ok(Updated {
            plugin: updated,
            verification,
            warnings,
        })
    }
}

/// Load the staged plugin at `root`; an update must keep the plugin's
/// name. The outer error is the load failure.
fn check_staged(
    root: &Path,
    replace: Option<&Plugin>,
) -> Result<Result<(), InstallError>, rudder_plugin::LoadError> {
    let staged = Plugin::load(root)?;
    Ok(match replace {
        Some(old) if staged.name() != old.name() => Err(InstallError::NameChanged {
            old: old.name().to_owned(),
            new: staged.name().to_owned(),
        }),
        _ => Ok(()),
    })
}

fn reload(dir: &Path) -> Result<Plugin, InstallError> {
    Plugin::load(dir).map_err(InstallError::UnusableAfterUpdate)
}

/// The verification part of Helm's `InstallWithOptions`.
fn verify_data(
    installer: &mut dyn Installer,
    env: &FetchEnv,
    keyring: &Path,
) -> Result<Verification, InstallError> {
    let data = installer.verification_data(env)?;
    let Some(prov) = data.provenance.filter(|p| !p.is_empty()) else {
        return Err(InstallError::NoProvenance);
    };
    let ring = Keyring::load(keyring).map_err(InstallError::Verification)?;
    crate::package::verify_plugin(&ring, &data.archive, &prov, &data.file_name)
        .map_err(InstallError::Verification)
}

fn sha256_hex(data: &[u8]) -> String {
    format!("{:x}", Sha256::digest(data))
}

/// Record what the hook just changed in the checkout at `dir`.
fn remember_hook_changes(dir: &Path, record: &mut InstallRecord) -> Result<(), InstallError> {
    if !git::is_repo(dir) {
        return Ok(());
    }
    let diff = git::diff(dir)?;
    if diff.is_empty() {
        record.hook_diff_sha256 = None;
        record.hook_diff_paths.clear();
    } else {
        record.hook_diff_sha256 = Some(sha256_hex(&diff));
        record.hook_diff_paths = git::changed_paths(dir)?;
    }
    Ok(())
}

/// Masterminds' `GitRepo.Update` behind Helm's dirty check, with rudder's
/// hook-change exception and constraint re-solving (see the module docs).
fn git_update(dir: &Path, record: Option<&InstallRecord>) -> Result<(), InstallError> {
    let diff = git::diff(dir)?;
    if !diff.is_empty() {
        let ours = record
            .and_then(|r| r.hook_diff_sha256.as_deref())
            .is_some_and(|h| h == sha256_hex(&diff));
        if !ours {
            return Err(InstallError::RepoModified);
        }
        let paths = record
            .map(|r| r.hook_diff_paths.clone())
            .unwrap_or_default();
        git::restore(dir, &paths)?;
        if !git::diff(dir)?.is_empty() {
            return Err(InstallError::RepoModified);
        }
    }
    git::fetch(dir)?;
    let version = record.map(|r| r.version.as_str()).unwrap_or("");
    let remote = record.map(|r| r.source.as_str()).unwrap_or("");
    if !version.is_empty() && !git::is_reference(dir, version) {
        // A SemVer constraint: move to the newest tag that satisfies it.
        if let Some(r) = git::solve_version(dir, version, remote)? {
            git::checkout(dir, &r)?;
        }
    } else if !git::is_detached(dir)? {
        git::pull(dir)?;
        git::defend_against_submodules(dir)?;
    }
    if !dir.join(rudder_plugin::PLUGIN_FILE_NAME).is_file() {
        return Err(InstallError::MissingMetadata);
    }
    Ok(())
}
