//! Writing charts back out, as Helm's `chartutil` does: `Chart.yaml`
//! re-serialised from the metadata (`SaveChartfile`), chart archives
//! (`Save`, `writeTarContents`) and chart directories (`SaveDir`).
//!
//! Helm never copies `Chart.yaml` or `Chart.lock` verbatim: it marshals
//! the loaded structs with `sigs.k8s.io/yaml` (JSON field names, empty
//! fields omitted, keys sorted). Every other file is written from the
//! loaded bytes (BOM already stripped). Archive entries carry each file's
//! modification time as loaded (rounded to the second by Go's tar writer);
//! `Chart.lock` carries its own `generated` time.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rudder_chart::{API_VERSION_V1, API_VERSION_V2, Chart, Dependency, Lock, Metadata};
use rudder_value::{Map, MapKind, Value};

use crate::error::AuthoringError;
use crate::tarball::{TarWriter, gzip};
use crate::timefmt::{ModTime, Rfc3339};
use crate::util;

fn put_str(m: &Map, key: &str, v: &str) {
    if !v.is_empty() {
        m.insert(key, Value::str(v));
    }
}

fn put_list(m: &Map, key: &str, v: &[String]) {
    if !v.is_empty() {
        m.insert(key, Value::list(v.iter().map(|s| Value::str(s)).collect()));
    }
}

/// A dependency as `encoding/json` marshals Helm's `chart.Dependency`:
/// `name` and `repository` always, the rest when non-empty.
pub(crate) fn dependency_value(d: &Dependency) -> Value {
    let m = Map::with_kind(MapKind::Any);
    m.insert("name", Value::str(&d.name));
    put_str(&m, "version", &d.version);
    m.insert("repository", Value::str(&d.repository));
    put_str(&m, "condition", &d.condition);
    put_list(&m, "tags", &d.tags);
    if d.enabled {
        m.insert("enabled", Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        m.insert("import-values", Value::list(d.import_values.clone()));
    }
    put_str(&m, "alias", &d.alias);
    Value::Map(m)
}

/// `Chart.yaml` as a JSON-shaped value (Helm's `chart.Metadata` tags).
pub fn metadata_value(md: &Metadata) -> Value {
    metadata_value_with(md, true)
}

/// [`metadata_value`], optionally without the dependencies of a v1 chart.
fn metadata_value_with(md: &Metadata, v1_dependencies: bool) -> Value {
    let m = Map::with_kind(MapKind::Any);
    put_str(&m, "name", &md.name);
    put_str(&m, "home", &md.home);
    put_list(&m, "sources", &md.sources);
    put_str(&m, "version", &md.version);
    put_str(&m, "description", &md.description);
    put_list(&m, "keywords", &md.keywords);
    if !md.maintainers.is_empty() {
        let list = md
            .maintainers
            .iter()
            .map(|x| {
                let e = Map::with_kind(MapKind::Any);
                put_str(&e, "name", &x.name);
                put_str(&e, "email", &x.email);
                put_str(&e, "url", &x.url);
                Value::Map(e)
            })
            .collect();
        m.insert("maintainers", Value::list(list));
    }
    put_str(&m, "icon", &md.icon);
    put_str(&m, "apiVersion", &md.api_version);
    put_str(&m, "condition", &md.condition);
    put_str(&m, "tags", &md.tags);
    put_str(&m, "appVersion", &md.app_version);
    if md.deprecated {
        m.insert("deprecated", Value::Bool(true));
    }
    if let Some(a) = md.annotations.as_ref().filter(|a| !a.is_empty()) {
        let am = Map::with_kind(MapKind::String);
        for (k, v) in a {
            am.insert(k.as_str(), Value::str(v));
        }
        m.insert("annotations", Value::Map(am));
    }
    put_str(&m, "kubeVersion", &md.kube_version);
    if (v1_dependencies || md.api_version != API_VERSION_V1)
        && let Some(deps) = md.dependencies.as_ref().filter(|d| !d.is_empty())
    {
        m.insert(
            "dependencies",
            Value::list(deps.iter().map(dependency_value).collect()),
        );
    }
    put_str(&m, "type", &md.chart_type);
    Value::Map(m)
}

/// `yaml.Marshal(chart.Metadata)`: what `helm show chart` prints and what
/// a provenance file signs.
pub fn chart_yaml(md: &Metadata) -> Result<String, AuthoringError> {
    rudder_yaml::to_yaml(&metadata_value(md)).map_err(|e| AuthoringError::Serialize(e.to_string()))
}

/// The `Chart.yaml` Helm writes into archives and saved directories: like
/// [`chart_yaml`], but a v1 chart's dependencies are left out (they live
/// in its `requirements.yaml`).
pub fn saved_chart_yaml(md: &Metadata) -> Result<String, AuthoringError> {
    rudder_yaml::to_yaml(&metadata_value_with(md, false))
        .map_err(|e| AuthoringError::Serialize(e.to_string()))
}

/// `yaml.Marshal(chart.Lock)` and the lock's `generated` time.
pub fn lock_yaml(lock: &Lock) -> Result<(String, Option<ModTime>), AuthoringError> {
    // Go's zero time when the field is absent.
    let (generated, time) = if lock.generated.is_empty() {
        ("0001-01-01T00:00:00Z".to_owned(), None)
    } else {
        let t = Rfc3339::parse(&lock.generated).ok_or_else(|| {
            AuthoringError::Serialize(format!(
                "cannot load Chart.lock: parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse",
                rudder_value::fmt::quote(&lock.generated)
            ))
        })?;
        (t.format_nano(), Some(t.mod_time()))
    };
    let m = Map::with_kind(MapKind::Any);
    m.insert(
        "dependencies",
        Value::list(lock.dependencies.iter().map(dependency_value).collect()),
    );
    m.insert("digest", Value::str(&lock.digest));
    m.insert("generated", Value::str(&generated));
    let text = rudder_yaml::to_yaml(&Value::Map(m))
        .map_err(|e| AuthoringError::Serialize(e.to_string()))?;
    Ok((text, time))
}

/// The modification times of a loaded chart's files (Helm's `ModTime`
/// fields), by path relative to the chart, and its subcharts' in the
/// order of [`Chart::dependencies`].
#[derive(Debug, Clone, Default)]
pub struct ChartTimes {
    files: HashMap<String, ModTime>,
    deps: Vec<ChartTimes>,
}

impl ChartTimes {
    /// Times for a chart loaded from the directory `dir`: each file's
    /// modification time (symbolic links followed, as Helm's walk does).
    pub fn from_dir(dir: &Path, chart: &Chart) -> ChartTimes {
        let lookup = |name: &str| {
            fs::metadata(dir.join(name))
                .and_then(|m| m.modified())
                .ok()
                .map(ModTime::from_system)
        };
        collect(chart, &lookup)
    }

    /// Times for a chart loaded from archive bytes: each entry's header
    /// time.
    pub fn from_archive(bytes: &[u8], chart: &Chart) -> ChartTimes {
        let map = archive_times(bytes);
        collect(chart, &|n| map.get(n).copied())
    }

    /// No recorded times: every entry gets the time of writing (Helm's
    /// behaviour for zero `ModTime`s).
    pub fn none() -> ChartTimes {
        ChartTimes::default()
    }

    fn get(&self, name: &str) -> Option<ModTime> {
        self.files.get(name).copied()
    }

    fn dep(&self, i: usize) -> ChartTimes {
        self.deps.get(i).cloned().unwrap_or_default()
    }
}

/// Entry times of a `.tgz`, keyed like Helm's archive loader names files
/// (the first path element removed).
fn archive_times(bytes: &[u8]) -> HashMap<String, ModTime> {
    let mut out = HashMap::new();
    let mut data = Vec::new();
    if flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut data)
        .is_err()
    {
        return out;
    }
    let mut ar = tar::Archive::new(&data[..]);
    let Ok(entries) = ar.entries() else {
        return out;
    };
    for entry in entries.flatten() {
        let Ok(path) = entry.path() else { continue };
        let name = path.to_string_lossy().replace('\\', "/");
        let Some((_, rest)) = name.split_once('/') else {
            continue;
        };
        let secs = entry.header().mtime().unwrap_or(0);
        out.insert(
            rest.to_owned(),
            ModTime {
                secs: i64::try_from(secs).unwrap_or(0),
                nanos: 0,
            },
        );
    }
    out
}

/// The `charts/` entries the loader turned into subcharts, in the order
/// rudder's loader keeps them (sorted by directory or archive name).
fn subchart_keys(chart: &Chart) -> Vec<String> {
    let mut keys = BTreeMap::new();
    for f in &chart.raw {
        let Some(rest) = f.name.strip_prefix("charts/") else {
            continue;
        };
        if util::ext(&f.name) == ".prov" {
            continue;
        }
        let key = rest.split('/').next().unwrap_or("");
        if key.starts_with('_') || key.starts_with('.') {
            continue;
        }
        keys.insert(key.to_owned(), ());
    }
    keys.into_keys().collect()
}

fn collect(chart: &Chart, lookup: &dyn Fn(&str) -> Option<ModTime>) -> ChartTimes {
    let mut files = HashMap::new();
    for f in &chart.raw {
        if let Some(t) = lookup(&f.name) {
            files.insert(f.name.clone(), t);
        }
    }
    let keys = subchart_keys(chart);
    let mut deps = Vec::new();
    for (key, dep) in keys.iter().zip(&chart.dependencies) {
        let t = if util::ext(key) == ".tgz" {
            let name = format!("charts/{key}");
            match chart.raw.iter().find(|f| f.name == name) {
                Some(f) => ChartTimes::from_archive(&f.data, dep),
                None => ChartTimes::default(),
            }
        } else {
            let prefix = format!("charts/{key}/");
            collect(dep, &|n| lookup(&format!("{prefix}{n}")))
        };
        deps.push(t);
    }
    ChartTimes { files, deps }
}

/// Helm's `validateName`: a chart name must be a single path element.
fn validate_name(name: &str) -> Result<(), AuthoringError> {
    if util::base(name) != name {
        return Err(AuthoringError::InvalidChartName(name.to_owned()));
    }
    Ok(())
}

fn entry_time(t: Option<ModTime>, now: ModTime) -> i64 {
    t.unwrap_or(now).rounded_secs()
}

/// Helm's `writeTarContents`: one chart (and its subcharts, recursively)
/// under `prefix`.
fn write_tar_contents(
    out: &mut TarWriter,
    chart: &Chart,
    times: &ChartTimes,
    prefix: &str,
    now: ModTime,
) -> Result<(), AuthoringError> {
    validate_name(chart.name())?;
    let base = util::join(prefix, chart.name());
    let md = &chart.metadata;
    out.add_file(
        &format!("{base}/Chart.yaml"),
        saved_chart_yaml(md)?.as_bytes(),
        entry_time(times.get("Chart.yaml"), now),
    );
    if md.api_version == API_VERSION_V2
        && let Some(lock) = &chart.lock
    {
        let (text, t) = lock_yaml(lock)?;
        out.add_file(
            &format!("{base}/Chart.lock"),
            text.as_bytes(),
            entry_time(t, now),
        );
    }
    for f in chart.raw.iter().filter(|f| f.name == "values.yaml") {
        out.add_file(
            &format!("{base}/values.yaml"),
            &f.data,
            entry_time(times.get(&f.name), now),
        );
    }
    if let Some(schema) = &chart.schema {
        let text = String::from_utf8_lossy(schema);
        if rudder_yaml::from_json(&text).is_err() {
            return Err(AuthoringError::InvalidSchemaJson);
        }
        out.add_file(
            &format!("{base}/values.schema.json"),
            schema,
            entry_time(times.get("values.schema.json"), now),
        );
    }
    for f in chart.templates.iter().chain(&chart.files) {
        out.add_file(
            &util::join(&base, &f.name),
            &f.data,
            entry_time(times.get(&f.name), now),
        );
    }
    let charts = format!("{base}/charts");
    for (i, dep) in chart.dependencies.iter().enumerate() {
        write_tar_contents(out, dep, &times.dep(i), &charts, now)?;
    }
    Ok(())
}

/// The `.tgz` bytes of a chart, exactly as Helm's `Save` lays them out.
pub fn archive_bytes(chart: &Chart, times: &ChartTimes) -> Result<Vec<u8>, AuthoringError> {
    let mut tw = TarWriter::new();
    write_tar_contents(&mut tw, chart, times, "", ModTime::now())?;
    gzip(&tw.finish()).map_err(|e| AuthoringError::Io(e.to_string()))
}

/// Helm's `Save`: writes `<out_dir>/<name>-<version>.tgz` (creating
/// `out_dir` if needed) and returns its path. Nothing is written when the
/// chart is rejected.
pub fn save(chart: &Chart, times: &ChartTimes, out_dir: &Path) -> Result<PathBuf, AuthoringError> {
    let file_name = format!("{}-{}.tgz", chart.name(), chart.metadata.version);
    let joined = util::join(&out_dir.to_string_lossy(), &file_name);
    let path = PathBuf::from(&joined);
    let dir = PathBuf::from(util::dir(&joined));
    let bytes = archive_bytes(chart, times)?;
    match fs::metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => mkdir_all(&dir)?,
        Err(e) => return Err(AuthoringError::Io(util::path_error("stat", &dir, &e))),
        Ok(m) if !m.is_dir() => {
            return Err(AuthoringError::DestinationNotDirectory(
                dir.display().to_string(),
            ));
        }
        Ok(_) => {}
    }
    fs::write(&path, bytes).map_err(|e| AuthoringError::Io(util::path_error("open", &path, &e)))?;
    Ok(path)
}

/// Go's `os.MkdirAll(dir, 0755)`.
pub(crate) fn mkdir_all(dir: &Path) -> Result<(), AuthoringError> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
        .map_err(|e| AuthoringError::Io(util::path_error("mkdir", dir, &e)))
}

/// Helm's `writeFile`: parent directories 0755, the file 0644 (an existing
/// file keeps its mode and is truncated).
pub(crate) fn write_file(path: &Path, data: &[u8]) -> Result<(), AuthoringError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent() {
        mkdir_all(parent)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .open(path)
        .map_err(|e| AuthoringError::Io(util::path_error("open", path, &e)))?;
    f.write_all(data)
        .map_err(|e| AuthoringError::Io(util::path_error("write", path, &e)))
}

/// Helm's `SaveDir`: writes the chart as files under `dest/<name>/`,
/// subcharts as archives in its `charts/`.
pub fn save_dir(chart: &Chart, times: &ChartTimes, dest: &Path) -> Result<(), AuthoringError> {
    validate_name(chart.name())?;
    let outdir = dest.join(chart.name());
    if let Ok(m) = fs::metadata(&outdir)
        && !m.is_dir()
    {
        return Err(AuthoringError::NotADirectory(outdir.display().to_string()));
    }
    mkdir_all(&outdir)?;
    write_file(
        &outdir.join("Chart.yaml"),
        saved_chart_yaml(&chart.metadata)?.as_bytes(),
    )?;
    for f in chart.raw.iter().filter(|f| f.name == "values.yaml") {
        write_file(&outdir.join("values.yaml"), &f.data)?;
    }
    if let Some(schema) = &chart.schema {
        write_file(&outdir.join("values.schema.json"), schema)?;
    }
    for f in chart.templates.iter().chain(&chart.files) {
        write_file(&outdir.join(&f.name), &f.data)?;
    }
    let charts = outdir.join("charts");
    for (i, dep) in chart.dependencies.iter().enumerate() {
        save(dep, &times.dep(i), &charts).map_err(|e| {
            AuthoringError::Other(format!(
                "saving {}/charts/{}: {e}",
                chart.name(),
                dep.name()
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_yaml_is_sorted_and_omits_empty_fields() {
        let md = Metadata {
            name: "c".into(),
            version: "0.1.0".into(),
            api_version: "v2".into(),
            app_version: "1.16.0".into(),
            description: "A Helm chart for Kubernetes".into(),
            chart_type: "application".into(),
            ..Metadata::default()
        };
        assert_eq!(
            chart_yaml(&md).unwrap_or_default(),
            "apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: c\ntype: application\nversion: 0.1.0\n"
        );
    }
}
