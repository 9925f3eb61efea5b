//! The loaded chart tree: [`Chart`], its files, CRDs and dependency check.

use std::sync::Arc;

use rudder_value::Map;
use rudder_value::path::{clean, ext};

use crate::metadata::{Lock, Metadata};

/// A file of a chart: its path relative to the chart root (`/`-separated)
/// and its bytes (a leading UTF-8 BOM already stripped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// Path relative to the chart root, e.g. `templates/svc.yaml`.
    pub name: String,
    /// The contents.
    pub data: Arc<[u8]>,
}

/// A CRD file of a chart or of one of its dependencies (Helm's `chart.CRD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crd {
    /// The file's name within its own chart (`crds/x.yaml`).
    pub name: String,
    /// The name prefixed with the chart's full path
    /// (`root/charts/sub/crds/x.yaml`).
    pub filename: String,
    /// The file.
    pub file: ChartFile,
}

/// A loaded chart (Helm's `chart.Chart`, API v1/v2).
///
/// `values` is a [`Map`] of `rudder_value::Value`s, which are reference
/// counted with `Rc`: a `Chart` is therefore neither `Send` nor `Sync`.
/// Load a chart on the thread that renders it (loading is cheap compared
/// with rendering); the file contents are `Arc`s and cheap to clone.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The parsed and validated `Chart.yaml` (with `requirements.yaml`
    /// merged in for v1 charts).
    pub metadata: Metadata,
    /// `Chart.lock` (or `requirements.lock`), if present.
    pub lock: Option<Lock>,
    /// Every file under `templates/`, in load order.
    pub templates: Vec<ChartFile>,
    /// The files `.Files` sees (everything that is not Chart.yaml,
    /// values.yaml, the schema, a lock, a template or a subchart), in load
    /// order.
    pub files: Vec<ChartFile>,
    /// Every file as loaded, in load order (Helm's `Raw`; for `helm show`).
    pub raw: Vec<ChartFile>,
    /// The default values: `values.yaml` parsed with `LoadValues` (an empty
    /// map when there is none). Dependency processing replaces them with
    /// the merged import-values result, as Helm does.
    pub values: Map,
    /// `values.schema.json`, raw.
    pub schema: Option<Arc<[u8]>>,
    /// The subcharts. After loading: those under `charts/`, sorted by
    /// directory or archive name (Helm's order is Go map order, i.e.
    /// random). After dependency processing: Helm's processed order.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    /// The chart's name (the alias, for a processed aliased dependency).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Whether the chart's type is `library`.
    pub fn is_library(&self) -> bool {
        self.metadata.is_library()
    }

    /// Helm's `CRDObjects()` for this chart taken as the root: its own
    /// CRD files in `files` order, then each dependency's, recursively.
    pub fn crd_objects(&self) -> Vec<Crd> {
        let mut out = Vec::new();
        self.collect_crds(self.name(), &mut out);
        out
    }

    /// Like [`Chart::crd_objects`], for a chart whose full path
    /// (`ChartFullPath`) is `full_path`.
    pub fn crd_objects_at(&self, full_path: &str) -> Vec<Crd> {
        let mut out = Vec::new();
        self.collect_crds(full_path, &mut out);
        out
    }

    fn collect_crds(&self, full_path: &str, out: &mut Vec<Crd>) {
        for f in &self.files {
            if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
                out.push(Crd {
                    name: f.name.clone(),
                    filename: clean_join(full_path, &f.name),
                    file: f.clone(),
                });
            }
        }
        for dep in &self.dependencies {
            dep.collect_crds(&format!("{full_path}/charts/{}", dep.name()), out);
        }
    }
}

/// Helm's `hasManifestExtension`: `.yaml`, `.yml` or `.json`, any case.
fn has_manifest_extension(name: &str) -> bool {
    let ext = ext(name);
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// Go's `filepath.Join(a, b)`: join, then `Clean`.
fn clean_join(a: &str, b: &str) -> String {
    let joined = match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_owned(),
        (_, true) => a.to_owned(),
        _ => format!("{a}/{b}"),
    };
    clean(&joined)
}

/// `helm template`'s `CheckDependencies` found Chart.yaml dependencies with
/// no loaded subchart of that name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("found in Chart.yaml, but missing in charts/ directory: {}", missing.join(", "))]
pub struct DependencyError {
    /// The missing dependency names, in Chart.yaml order.
    pub missing: Vec<String>,
}

/// Helm's `action.CheckDependencies` for the root chart: every declared
/// dependency name must match the name of some loaded subchart (aliases
/// play no part). Charts without a `dependencies` list always pass.
pub fn check_dependencies(chart: &Chart) -> Result<(), DependencyError> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .flatten()
        .filter(|d| !chart.dependencies.iter().any(|c| c.name() == d.name))
        .map(|d| d.name.clone())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DependencyError { missing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(ext("crds/a.YAML"), ".YAML");
        assert_eq!(ext("a.d/b"), "");
        assert!(has_manifest_extension("crds/x.Json"));
        assert!(!has_manifest_extension("crds/x.txt"));
    }
}
