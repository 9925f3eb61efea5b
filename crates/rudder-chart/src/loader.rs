//! Loading charts from directories, archive files and in-memory archives,
//! following Helm's `pkg/chart/loader` (generic entry point) and
//! `pkg/chart/v2/loader` (`LoadDir`, `LoadFile`, `LoadArchive`,
//! `LoadFiles`), spec §1.1–§1.6.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rudder_value::{Map, Value};

use crate::archive::{self, BufferedFile, MAX_DECOMPRESSED_FILE_SIZE};
use crate::chart::{Chart, ChartFile};
use crate::error::LoadError;
use crate::ignore::{HELM_IGNORE, Rules};
use crate::metadata::{self, API_VERSION_V1, MetadataDraft};
use crate::yaml;
use rudder_value::path::ext;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Loads a chart from a directory or an archive file, as Helm's generic
/// `loader.Load` does for `helm template`: a directory must have a
/// readable `Chart.yaml` whose `apiVersion` is `v1`, `v2` or empty; an
/// archive is checked, read once to find its `apiVersion`, then loaded.
///
/// Chart API v3 (experimental in Helm) is rejected as unsupported.
pub fn load(path: &Path) -> Result<Chart, LoadError> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| LoadError::os("stat", &shown, &e))?;
    if meta.is_dir() {
        let top = absolute(path);
        let chart_yaml = top.join("Chart.yaml");
        let chart_yaml_shown = chart_yaml.display().to_string();
        let data = fs::read(&chart_yaml).map_err(|e| LoadError::DetectChart {
            path: chart_yaml_shown.clone(),
            source: Box::new(LoadError::os("open", &chart_yaml_shown, &e)),
        })?;
        check_api_version(&data)?;
        return load_dir(path);
    }
    let data = read_archive_file(path, &shown)?;
    let files = archive::load_archive_files(&data).map_err(|e| {
        if e.is_gzip_header() {
            LoadError::InvalidChartFile {
                name: shown.clone(),
                source: e,
            }
        } else {
            LoadError::UnableToLoadArchive
        }
    })?;
    let chart_yaml = files
        .iter()
        .find(|f| f.name == "Chart.yaml")
        .ok_or(LoadError::NoChartYamlInArchive)?;
    check_api_version(&chart_yaml.data)?;
    load_files(buffered_to_chart_files(files))
}

/// Helm's v2 `LoadFile`: loads an archive file (`.tgz`), after checking
/// that it looks like gzip.
pub fn load_archive_file(path: &Path) -> Result<Chart, LoadError> {
    let shown = path.display().to_string();
    let data = read_archive_file(path, &shown)?;
    let files = archive::load_archive_files(&data).map_err(|e| {
        if e.is_gzip_header() {
            LoadError::InvalidChartFile {
                name: shown.clone(),
                source: e,
            }
        } else {
            LoadError::Archive(e)
        }
    })?;
    load_files(buffered_to_chart_files(files))
}

/// Helm's v2 `LoadArchive`: loads a chart from the bytes of a `.tgz`.
pub fn load_archive_bytes(bytes: &[u8]) -> Result<Chart, LoadError> {
    let files = archive::load_archive_files(bytes)?;
    load_files(buffered_to_chart_files(files))
}

/// Stats, opens and reads an archive file, with Helm's `EnsureArchive`
/// check of its first 512 bytes.
fn read_archive_file(path: &Path, shown: &str) -> Result<Vec<u8>, LoadError> {
    let meta = fs::metadata(path).map_err(|e| LoadError::os("stat", shown, &e))?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory);
    }
    let mut file = fs::File::open(path).map_err(|e| LoadError::os("open", shown, &e))?;
    let mut data = Vec::new();
    file.read_to_end(&mut data)
        .map_err(|e| LoadError::os("read", shown, &e))?;
    // Go sniffs a zero-padded 512-byte buffer.
    let mut head = [0u8; 512];
    let n = data.len().min(512);
    head[..n].copy_from_slice(&data[..n]);
    if !archive::looks_gzipped(&head) {
        if shown.ends_with(".yml") || shown.ends_with(".yaml") {
            return Err(LoadError::YamlNotArchive(shown.to_owned()));
        }
        return Err(LoadError::NotArchive {
            name: shown.to_owned(),
            content_type: archive::detect_content_type(&head).to_owned(),
        });
    }
    Ok(data)
}

/// Reads only `apiVersion` (as the generic loader's `chartBase` does) and
/// rejects versions the v2 loader does not handle.
fn check_api_version(data: &[u8]) -> Result<(), LoadError> {
    let doc = yaml::parse_document(data).map_err(LoadError::ChartYaml)?;
    let mut draft = MetadataDraft::default();
    if let Value::Map(m) = &doc {
        // Only apiVersion matters here: decode a copy holding just that key.
        let only = Map::new();
        let key = m
            .keys()
            .into_iter()
            .find(|k| &**k == "apiVersion")
            .or_else(|| {
                m.keys()
                    .into_iter()
                    .find(|k| k.eq_ignore_ascii_case("apiVersion"))
            });
        if let Some(k) = key
            && let Some(v) = m.get(&k)
        {
            only.insert(k, v);
        }
        draft
            .apply(&Value::Map(only))
            .map_err(|e| LoadError::ChartYaml(yaml::decode_error_text(&e.0)))?;
    }
    match draft.md.api_version.as_str() {
        "" | "v1" | "v2" => Ok(()),
        _ => Err(LoadError::UnsupportedVersion),
    }
}

fn buffered_to_chart_files(files: Vec<BufferedFile>) -> Vec<ChartFile> {
    files
        .into_iter()
        .map(|f| ChartFile {
            name: f.name,
            data: Arc::from(f.data),
        })
        .collect()
}

/// Go's `filepath.Abs`: joined with the working directory and cleaned,
/// without resolving symbolic links.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let text = joined.to_string_lossy();
    PathBuf::from(rudder_value::path::clean(&text))
}

/// Helm's v2 `LoadDir`: walks the directory in byte order, following
/// symbolic links, skipping what the root `.helmignore` (plus the default
/// rule `templates/.?*`) ignores, then classifies the files.
pub fn load_dir(path: &Path) -> Result<Chart, LoadError> {
    let top = absolute(path);
    let ignore_file = top.join(HELM_IGNORE);
    let mut rules = if fs::metadata(&ignore_file).is_ok() {
        let shown = ignore_file.display().to_string();
        let data = fs::read(&ignore_file).map_err(|e| LoadError::os("open", &shown, &e))?;
        Rules::parse(&data)?
    } else {
        Rules::empty()
    };
    rules.add_defaults();
    let mut walker = Walker {
        rules,
        files: Vec::new(),
        stack: Vec::new(),
    };
    let root_info =
        fs::metadata(&top).map_err(|e| LoadError::os("lstat", &top.display().to_string(), &e))?;
    let root_name = top
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    walker.walk(&top, "", &root_info, &root_name)?;
    load_files(walker.files)
}

/// Whether a walked directory's contents are visited.
enum Flow {
    Continue,
    SkipDir,
}

struct Walker {
    rules: Rules,
    files: Vec<ChartFile>,
    /// Canonical paths of the directories being walked, to stop symlink
    /// cycles.
    stack: Vec<PathBuf>,
}

impl Walker {
    /// Helm's `sympath` walk: `info` is the `lstat` of `path` (or of the
    /// link target, for a followed link); `base` is the name Go reports for
    /// the file (the target's base name for a link).
    fn walk(
        &mut self,
        path: &Path,
        rel: &str,
        info: &fs::Metadata,
        base: &str,
    ) -> Result<Flow, LoadError> {
        let shown = path.display().to_string();
        if info.file_type().is_symlink() {
            let resolved = fs::canonicalize(path).map_err(|e| LoadError::Symlink {
                path: shown.clone(),
                source: Box::new(LoadError::os("lstat", &shown, &e)),
            })?;
            let target = fs::symlink_metadata(&resolved)
                .map_err(|e| LoadError::os("lstat", &resolved.display().to_string(), &e))?;
            let target_base = resolved
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.walk(path, rel, &target, &target_base)?;
            return Ok(Flow::Continue);
        }
        if let Flow::SkipDir = self.visit(path, rel, info, base)? {
            return Ok(Flow::SkipDir);
        }
        if !info.is_dir() {
            return Ok(Flow::Continue);
        }
        let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.stack.contains(&canonical) {
            return Err(LoadError::SymlinkCycle(shown));
        }
        let mut names: Vec<Vec<u8>> = match fs::read_dir(path) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.file_name().into_encoded_bytes())
                .collect(),
            Err(e) if rel.is_empty() => {
                // Helm's walk function ignores errors on the root itself.
                drop(e);
                return Ok(Flow::Continue);
            }
            Err(e) => return Err(LoadError::os("open", &shown, &e)),
        };
        names.sort();
        self.stack.push(canonical);
        for name in names {
            let name = String::from_utf8_lossy(&name).into_owned();
            let child = path.join(&name);
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let child_info = fs::symlink_metadata(&child)
                .map_err(|e| LoadError::os("lstat", &child.display().to_string(), &e))?;
            // A skipped directory only skips itself.
            self.walk(&child, &child_rel, &child_info, &name)?;
        }
        self.stack.pop();
        Ok(Flow::Continue)
    }

    /// Helm's walk callback for one entry.
    fn visit(
        &mut self,
        path: &Path,
        rel: &str,
        info: &fs::Metadata,
        base: &str,
    ) -> Result<Flow, LoadError> {
        if rel.is_empty() {
            return Ok(Flow::Continue);
        }
        if info.is_dir() {
            return Ok(if self.rules.ignore(rel, true) {
                Flow::SkipDir
            } else {
                Flow::Continue
            });
        }
        if self.rules.ignore(rel, false) {
            return Ok(Flow::Continue);
        }
        let shown = path.display().to_string();
        if !info.is_file() {
            return Err(LoadError::IrregularFile(shown));
        }
        if info.len() > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(LoadError::FileTooLarge {
                name: rudder_value::fmt::quote(base),
                max: MAX_DECOMPRESSED_FILE_SIZE,
            });
        }
        let mut data = fs::read(path).map_err(|e| LoadError::ReadFile {
            name: rel.to_owned(),
            source: Box::new(LoadError::os("open", &shown, &e)),
        })?;
        if data.starts_with(UTF8_BOM) {
            data.drain(..UTF8_BOM.len());
        }
        self.files.push(ChartFile {
            name: rel.to_owned(),
            data: Arc::from(data),
        });
        Ok(Flow::Continue)
    }
}

/// Helm's v2 `LoadFiles`: classifies in-memory files into a chart (spec
/// §1.2), validates the metadata, then loads the subcharts under
/// `charts/` (sorted by name; Helm's order is random).
pub fn load_files(files: Vec<ChartFile>) -> Result<Chart, LoadError> {
    let mut draft: Option<MetadataDraft> = None;
    // Chart.yaml first, wherever it sits, so the API version is known.
    for f in &files {
        if f.name == "Chart.yaml" {
            let d = draft.get_or_insert_with(MetadataDraft::default);
            let doc = yaml::parse_document(&f.data).map_err(LoadError::ChartYaml)?;
            d.apply(&doc)
                .map_err(|e| LoadError::ChartYaml(yaml::decode_error_text(&e.0)))?;
            if d.md.api_version.is_empty() {
                d.md.api_version = API_VERSION_V1.to_owned();
            }
        }
    }
    let mut lock = None;
    let mut values = Map::new();
    let mut schema = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut subcharts: BTreeMap<String, Vec<ChartFile>> = BTreeMap::new();
    for f in &files {
        let name = f.name.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" => {
                let doc = yaml::parse_document(&f.data).map_err(LoadError::ChartLock)?;
                lock = Some(
                    metadata::decode_lock(&doc)
                        .map_err(|e| LoadError::ChartLock(yaml::decode_error_text(&e.0)))?,
                );
            }
            "values.yaml" => {
                values = yaml::parse_values(&f.data).map_err(LoadError::Values)?;
            }
            "values.schema.json" => schema = Some(f.data.clone()),
            "requirements.yaml" => {
                let d = draft.get_or_insert_with(MetadataDraft::default);
                let doc = yaml::parse_document(&f.data).map_err(LoadError::Requirements)?;
                d.apply(&doc)
                    .map_err(|e| LoadError::Requirements(yaml::decode_error_text(&e.0)))?;
                if d.md.api_version == API_VERSION_V1 {
                    other.push(f.clone());
                }
            }
            "requirements.lock" => {
                let doc = yaml::parse_document(&f.data).map_err(LoadError::RequirementsLock)?;
                lock = Some(
                    metadata::decode_lock(&doc)
                        .map_err(|e| LoadError::RequirementsLock(yaml::decode_error_text(&e.0)))?,
                );
                let d = draft.get_or_insert_with(MetadataDraft::default);
                if d.md.api_version == API_VERSION_V1 {
                    other.push(f.clone());
                }
            }
            _ if name.starts_with("templates/") => templates.push(f.clone()),
            _ if name.starts_with("charts/") => {
                if ext(name) == ".prov" {
                    other.push(f.clone());
                    continue;
                }
                let fname = &name["charts/".len()..];
                let cname = fname.split('/').next().unwrap_or("");
                subcharts
                    .entry(cname.to_owned())
                    .or_default()
                    .push(ChartFile {
                        name: fname.to_owned(),
                        data: f.data.clone(),
                    });
            }
            _ => other.push(f.clone()),
        }
    }
    let draft = draft.ok_or(LoadError::MissingChartYaml)?;
    let metadata = draft.validate()?;
    let parent = metadata.name.clone();
    let mut dependencies = Vec::new();
    for (n, group) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let loaded = if ext(&n) == ".tgz" {
            let Some(first) = group.first() else { continue };
            if first.name != n {
                return Err(LoadError::SubchartTar {
                    parent,
                    expected: n,
                    got: first.name.clone(),
                });
            }
            archive::load_archive_files(&first.data)
                .map_err(LoadError::Archive)
                .and_then(|fs| load_files(buffered_to_chart_files(fs)))
        } else {
            let inner = group
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| ChartFile {
                        name: rest.to_owned(),
                        data: f.data,
                    })
                })
                .collect();
            load_files(inner)
        };
        match loaded {
            Ok(sc) => dependencies.push(sc),
            Err(e) => {
                return Err(LoadError::Subchart {
                    name: n,
                    parent,
                    source: Box::new(e),
                });
            }
        }
    }
    Ok(Chart {
        metadata,
        lock,
        templates,
        files: other,
        raw: files,
        values,
        schema,
        dependencies,
    })
}
