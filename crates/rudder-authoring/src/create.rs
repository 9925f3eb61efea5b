//! `helm create`: the chart scaffold (`chartutil.Create`) and scaffolding
//! from a starter chart (`chartutil.CreateFrom`).
//!
//! The scaffold files are Helm 4.2.3's own, captured from the oracle by
//! `scripts/oracle/gen_authoring_scaffold.py` with the chart name replaced
//! by `<CHARTNAME>`; rudder substitutes the name back, as Helm does.

use std::fs;
use std::path::{Path, PathBuf};

use rudder_chart::{Chart, Metadata};

use crate::error::AuthoringError;
use crate::save::{self, ChartTimes};
use crate::util;

/// The placeholder Helm replaces with the chart name.
pub const PLACEHOLDER: &str = "<CHARTNAME>";

/// Helm's longest accepted chart name.
pub const MAX_CHART_NAME_LENGTH: usize = 250;

/// The scaffold, in Helm's write order: path and text with placeholders.
pub const SCAFFOLD: &[(&str, &str)] = &[
    ("Chart.yaml", include_str!("scaffold/Chart.yaml")),
    ("values.yaml", include_str!("scaffold/values.yaml")),
    (".helmignore", include_str!("scaffold/.helmignore")),
    (
        "templates/ingress.yaml",
        include_str!("scaffold/templates__ingress.yaml"),
    ),
    (
        "templates/httproute.yaml",
        include_str!("scaffold/templates__httproute.yaml"),
    ),
    (
        "templates/deployment.yaml",
        include_str!("scaffold/templates__deployment.yaml"),
    ),
    (
        "templates/service.yaml",
        include_str!("scaffold/templates__service.yaml"),
    ),
    (
        "templates/serviceaccount.yaml",
        include_str!("scaffold/templates__serviceaccount.yaml"),
    ),
    (
        "templates/hpa.yaml",
        include_str!("scaffold/templates__hpa.yaml"),
    ),
    (
        "templates/NOTES.txt",
        include_str!("scaffold/templates__NOTES.txt"),
    ),
    (
        "templates/_helpers.tpl",
        include_str!("scaffold/templates___helpers.tpl"),
    ),
    (
        "templates/tests/test-connection.yaml",
        include_str!("scaffold/templates__tests__test-connection.yaml"),
    ),
];

/// What `create` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    /// The chart directory.
    pub dir: PathBuf,
    /// Files that existed and were overwritten, in write order (Helm warns
    /// about each: `WARNING: File "…" already exists. Overwriting.`).
    pub overwritten: Vec<PathBuf>,
}

/// Helm's `validateChartName`.
pub fn validate_chart_name(name: &str) -> Result<(), AuthoringError> {
    if name.is_empty() || name.len() > MAX_CHART_NAME_LENGTH {
        return Err(AuthoringError::NameLength {
            max: MAX_CHART_NAME_LENGTH,
        });
    }
    let ok = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if !ok {
        return Err(AuthoringError::NamePattern);
    }
    Ok(())
}

/// The scaffold's files for `name`: path relative to the chart and bytes.
pub fn scaffold_files(name: &str) -> Vec<(&'static str, String)> {
    SCAFFOLD
        .iter()
        .map(|(path, text)| (*path, text.replace(PLACEHOLDER, name)))
        .collect()
}

/// `helm create NAME`: `arg` is the command-line argument (a path whose
/// last element is the chart name; its parent must exist).
pub fn create(arg: &str) -> Result<Created, AuthoringError> {
    let name = util::base(arg);
    validate_chart_name(name)?;
    let parent = util::abs(Path::new(&util::dir(arg)));
    match fs::metadata(&parent) {
        Err(e) => return Err(AuthoringError::Io(util::path_error("stat", &parent, &e))),
        Ok(m) if !m.is_dir() => {
            return Err(AuthoringError::NoSuchDirectory(
                parent.display().to_string(),
            ));
        }
        Ok(_) => {}
    }
    let cdir = parent.join(name);
    if let Ok(m) = fs::metadata(&cdir)
        && !m.is_dir()
    {
        return Err(AuthoringError::NotADirectory(cdir.display().to_string()));
    }
    let mut created = Created {
        dir: cdir.clone(),
        overwritten: Vec::new(),
    };
    for (rel, text) in scaffold_files(name) {
        let path = cdir.join(rel);
        if fs::metadata(&path).is_ok() {
            created.overwritten.push(path.clone());
        }
        save::write_file(&path, text.as_bytes())?;
    }
    save::mkdir_all(&cdir.join("charts"))?;
    Ok(created)
}

/// The metadata `helm create --starter` gives the new chart.
pub fn starter_metadata(name: &str) -> Metadata {
    Metadata {
        name: name.to_owned(),
        description: "A Helm chart for Kubernetes".to_owned(),
        chart_type: "application".to_owned(),
        version: "0.1.0".to_owned(),
        app_version: "0.1.0".to_owned(),
        api_version: rudder_chart::API_VERSION_V2.to_owned(),
        ..Metadata::default()
    }
}

/// Where `--starter` looks: an absolute path as given, anything else
/// under Helm's starters directory (`$HELM_DATA_HOME/starters`).
pub fn starter_path(starter: &str, starters_dir: &Path) -> PathBuf {
    let p = Path::new(starter);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        PathBuf::from(util::join(&starters_dir.to_string_lossy(), starter))
    }
}

/// `helm create NAME --starter STARTER` (Helm's `CreateFrom`): the
/// starter chart, renamed, with `<CHARTNAME>` replaced in its templates
/// and values.yaml, saved under the argument's parent directory.
pub fn create_from_starter(arg: &str, starter: &Path) -> Result<PathBuf, AuthoringError> {
    let name = util::base(arg);
    let dest = PathBuf::from(util::dir(arg));
    let shown = starter.display().to_string();
    let wrap = |e: AuthoringError| AuthoringError::Starter {
        path: shown.clone(),
        source: Box::new(e),
    };
    let mut chart: Chart = rudder_chart::load(starter).map_err(|e| wrap(e.into()))?;
    let times = if starter.is_dir() {
        ChartTimes::from_dir(&util::abs(starter), &chart)
    } else {
        fs::read(starter)
            .map(|b| ChartTimes::from_archive(&b, &chart))
            .unwrap_or_default()
    };
    chart.metadata = starter_metadata(name);
    for t in &mut chart.templates {
        t.data = replace_bytes(&t.data, PLACEHOLDER.as_bytes(), name.as_bytes()).into();
    }
    // Helm round-trips the values through YAML with the name substituted
    // and fails when that no longer parses.
    let yaml = rudder_yaml::to_yaml(&rudder_value::Value::Map(chart.values.clone()))
        .map_err(|e| AuthoringError::Other(format!("reading values file: {e}")))?;
    rudder_yaml::from_yaml_map(&yaml.replace(PLACEHOLDER, name), "map[string]interface {}")
        .map_err(|e| AuthoringError::Other(format!("transforming values file: {e}")))?;
    for f in &mut chart.raw {
        if f.name == "values.yaml" {
            f.data = replace_bytes(&f.data, PLACEHOLDER.as_bytes(), name.as_bytes()).into();
        }
    }
    save::save_dir(&chart, &times, &dest)?;
    Ok(dest.join(name))
}

/// `strings.ReplaceAll` on bytes (templates need not be UTF-8).
fn replace_bytes(data: &[u8], pat: &[u8], rep: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(pat) {
            out.extend_from_slice(rep);
            i += pat.len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}
