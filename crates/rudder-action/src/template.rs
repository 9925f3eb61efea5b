//! The `template` action: a client-side, dry-run install, as `helm template`
//! runs it (`pkg/cmd/install.go` `runInstall`, `pkg/action/install.go`
//! `RunWithContext`, `pkg/action/action.go` `renderResources`).
//!
//! The steps and their error texts follow Helm's order, because which error
//! a broken chart reports first is observable: installability, dependency
//! presence, release name, dependency processing, values coalescing and
//! schema, `kubeVersion`, rendering, and manifest parsing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rudder_chart::Chart;
use rudder_render::{
    Capabilities, EngineOptions, Hook, KubeVersion, ReleaseInfo, RenderChart, sort_manifests,
};
use rudder_value::{Map, Value};

use crate::ActionError;
use crate::output::write_to_file;

/// Options of a `template` run (the install flags that matter offline).
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    /// The release name (`.Release.Name`).
    pub release_name: String,
    /// The release namespace (`.Release.Namespace`).
    pub namespace: String,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// `--api-versions`, added to the default set.
    pub api_versions: Vec<String>,
    /// `--include-crds`.
    pub include_crds: bool,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
    /// `--enable-dns`.
    pub enable_dns: bool,
    /// `--output-dir`: write manifests there instead of the buffer.
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: put output-dir files under the release name.
    pub use_release_name: bool,
    /// `--post-renderer`: rewrites the rendered files (hooks included)
    /// after NOTES.txt is dropped and before sorting, as Helm does.
    pub post_renderer: Option<std::sync::Arc<dyn crate::PostRenderer>>,
    /// Parsed templates to reuse across renders of the same chart (see
    /// [`rudder_render::ParseCache`]); `None` parses every time.
    pub cache: Option<Arc<rudder_render::ParseCache>>,
}

/// What a `template` run produced.
#[derive(Clone, Debug, Default)]
pub struct TemplateOutput {
    /// The release manifest: CRDs (with `--include-crds`) and the sorted
    /// non-hook documents, each as `---\n# Source: PATH\nDOC\n`.
    pub manifest: String,
    /// Hooks, sorted by kind.
    pub hooks: Vec<Hook>,
    /// The root chart's rendered NOTES.txt.
    pub notes: String,
    /// `wrote PATH` lines for files written to `--output-dir`.
    pub wrote: Vec<String>,
    /// Warnings Helm logs (values coalescing, dependency processing).
    pub warnings: Vec<String>,
    /// The engine's output: every executed template file (NOTES.txt and
    /// blank files included) and its text.
    pub files: BTreeMap<String, String>,
}

/// The checks `helm install`/`helm template` make on the command line
/// before running the install action (`runInstall`): only application
/// charts are installable, and every declared dependency must be present in
/// `charts/`.
pub fn check_chart(chart: &Chart) -> Result<(), ActionError> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        other => {
            return Err(ActionError::plain(format!(
                "{other} charts are not installable"
            )));
        }
    }
    if chart
        .metadata
        .dependencies
        .as_ref()
        .is_some_and(|d| !d.is_empty())
    {
        rudder_chart::check_dependencies(chart).map_err(|e| {
            ActionError::plain(format!(
                "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: {e}"
            ))
        })?;
    }
    Ok(())
}

/// Helm's `ValidateReleaseName`.
pub fn validate_release_name(name: &str) -> Result<(), String> {
    const INVALID: &str = "invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53";
    if name.is_empty() {
        return Err("no name provided".to_owned());
    }
    let label_ok = |l: &str| {
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    };
    if name.len() > 53 || !name.split('.').all(label_ok) {
        return Err(INVALID.to_owned());
    }
    Ok(())
}

/// The engine's view of a (processed) chart tree.
pub fn render_chart(chart: &Chart) -> RenderChart {
    RenderChart {
        name: chart.name().to_owned(),
        metadata: chart.metadata.to_value(),
        is_library: chart.is_library(),
        templates: chart
            .templates
            .iter()
            .map(|f| (f.name.clone(), f.data.clone()))
            .collect(),
        files: chart
            .files
            .iter()
            .map(|f| (f.name.clone(), f.data.clone()))
            .collect(),
        dependencies: chart.dependencies.iter().map(render_chart).collect(),
    }
}

/// The engine stage of [`template`]: dependency processing, values
/// coalescing and schema validation, the `kubeVersion` check and the
/// template engine, returning every executed file (NOTES.txt and blank
/// files included) and the warnings Helm logs. This is what Helm's SDK
/// `Chart.render` measures; [`template`] adds post-rendering, sorting and
/// output assembly.
pub fn render_files(
    chart: &mut Chart,
    user_values: &Map,
    opts: &TemplateOptions,
) -> Result<(BTreeMap<String, String>, Vec<String>), ActionError> {
    let caps = capabilities(opts)?;
    validate_release_name(&opts.release_name).map_err(|e| {
        ActionError::plain(format!(
            "release name check failed: release name {:?}: {e}",
            opts.release_name
        ))
    })?;
    let mut warnings = rudder_values::process_dependencies(chart, user_values)
        .map_err(|e| ActionError::plain(format!("chart dependencies processing failed: {e}")))?;
    let (values, coalesce_warnings) = rudder_values::coalesce_values(chart, user_values)
        .map_err(|e| ActionError::plain(e.to_string()))?;
    warnings.extend(coalesce_warnings);
    if !opts.skip_schema_validation {
        rudder_values::validate_schema(chart, &values)
            .map_err(|e| ActionError::plain(e.to_string()))?;
    }

    // From here on Helm has created the release, so errors ask for --debug.
    if !chart.metadata.kube_version.is_empty()
        && !kube_version_compatible(&chart.metadata.kube_version, caps.kube_version.normalized())
    {
        return Err(ActionError::render(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
            chart.metadata.kube_version, caps.kube_version.version
        )));
    }
    let release = ReleaseInfo {
        name: opts.release_name.clone(),
        namespace: opts.namespace.clone(),
        revision: 1,
        is_install: !opts.is_upgrade,
        is_upgrade: opts.is_upgrade,
    };
    let tree = render_chart(chart);
    let caps = Arc::new(caps);
    let files = rudder_render::render(
        &tree,
        &values,
        &release,
        &caps,
        &EngineOptions {
            enable_dns: opts.enable_dns,
            cache: opts.cache.clone(),
            ..EngineOptions::default()
        },
    )
    .map_err(|e| ActionError::render(e.message))?;
    Ok((files, warnings))
}

/// Run `template` on a loaded chart with the user's merged values: Helm's
/// `Install.RunWithContext` in client-side dry-run mode. Call
/// [`check_chart`] first to get the command line's checks too.
///
/// On a render-stage failure the error asks for `--debug` (as Helm's does)
/// and carries whatever manifest text Helm would print with `--debug`.
pub fn template(
    mut chart: Chart,
    user_values: &Map,
    opts: &TemplateOptions,
) -> Result<TemplateOutput, ActionError> {
    let (mut files, warnings) = render_files(&mut chart, user_values, opts)?;
    let root_notes = format!("{}/templates/NOTES.txt", chart.name());
    let notes = files.get(&root_notes).cloned().unwrap_or_default();
    let all_files = files.clone();
    files.retain(|k, _| !k.ends_with("NOTES.txt"));
    if let Some(pr) = &opts.post_renderer {
        files = crate::postrender::post_render(&files, pr.as_ref())?;
    }

    let sorted = sort_manifests(&files).map_err(|e| {
        let mut dump = String::new();
        for (name, content) in &files {
            if !content.trim().is_empty() {
                dump.push_str(&format!("---\n# Source: {name}\n{content}\n"));
            }
        }
        ActionError::render(e.to_string()).with_manifest(dump)
    })?;

    let mut out = TemplateOutput {
        hooks: sorted.hooks,
        notes,
        warnings,
        files: all_files,
        ..TemplateOutput::default()
    };
    let mut written: BTreeMap<String, bool> = BTreeMap::new();
    if opts.include_crds {
        for crd in chart.crd_objects() {
            let (filename, data) = (crd.filename, crd.file.data);
            match &opts.output_dir {
                None => {
                    out.manifest.push_str("---\n# Source: ");
                    out.manifest.push_str(&filename);
                    out.manifest.push('\n');
                    out.manifest.push_str(&String::from_utf8_lossy(&data));
                    out.manifest.push('\n');
                }
                Some(dir) => {
                    let append = written.contains_key(&filename);
                    out.wrote.push(
                        write_to_file(dir, &filename, &String::from_utf8_lossy(&data), append)
                            .map_err(|e| ActionError::render(e.message))?,
                    );
                    written.insert(filename, true);
                }
            }
        }
    }
    for m in &sorted.manifests {
        match &opts.output_dir {
            None => {
                out.manifest.push_str("---\n# Source: ");
                out.manifest.push_str(&m.name);
                out.manifest.push('\n');
                out.manifest.push_str(&m.content);
                out.manifest.push('\n');
            }
            Some(dir) => {
                let dir: PathBuf = if opts.use_release_name {
                    dir.join(&opts.release_name)
                } else {
                    dir.clone()
                };
                let append = written.contains_key(&m.name);
                out.wrote.push(
                    write_to_file(&dir, &m.name, &m.content, append)
                        .map_err(|e| ActionError::render(e.message))?,
                );
                written.insert(m.name.clone(), true);
            }
        }
    }
    Ok(out)
}

/// Helm's `chartutil.IsCompatibleRange`: an unparsable version or
/// constraint is incompatible.
fn kube_version_compatible(constraint: &str, version: &str) -> bool {
    use rudder_chart::semver::{Constraints, Version};
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

fn capabilities(opts: &TemplateOptions) -> Result<Capabilities, ActionError> {
    let mut caps = Capabilities::default();
    if let Some(kv) = &opts.kube_version {
        caps.kube_version = KubeVersion::parse(kv)
            .map_err(|e| ActionError::plain(format!("invalid kube version '{kv}': {e}")))?;
    }
    caps.api_versions.extend(opts.api_versions.iter().cloned());
    Ok(caps)
}

/// Helm's `Install.NameAndChart`: the release name and chart reference
/// from the positional arguments and the naming flags. `now_unix` is used
/// by `--generate-name`.
pub fn name_and_chart(
    args: &[String],
    generate_name: bool,
    name_template: Option<&str>,
    default_name: Option<&str>,
    now_unix: i64,
) -> Result<(String, String), ActionError> {
    let flags_not_set = || -> Result<(), ActionError> {
        if generate_name {
            return Err(ActionError::plain(
                "cannot set --generate-name and also specify a name",
            ));
        }
        if name_template.is_some_and(|t| !t.is_empty()) {
            return Err(ActionError::plain(
                "cannot set --name-template and also specify a name",
            ));
        }
        Ok(())
    };
    match args {
        [] => Err(ActionError::plain(
            "requires at least 1 arg(s), only received 0",
        )),
        [_, _, rest @ ..] if !rest.is_empty() => Err(ActionError::plain(format!(
            "expected at most two arguments, unexpected arguments: {}",
            rest.join(", ")
        ))),
        [name, chart] => {
            flags_not_set()?;
            Ok((name.clone(), chart.clone()))
        }
        [chart] => {
            if let Some(t) = name_template.filter(|t| !t.is_empty()) {
                return Ok((template_name(t)?, chart.clone()));
            }
            if let Some(n) = default_name {
                return Ok((n.to_owned(), chart.clone()));
            }
            if !generate_name {
                return Err(ActionError::plain(
                    "must either provide a name or specify --generate-name",
                ));
            }
            let mut base = Path::new(chart)
                .file_name()
                .map(|b| b.to_string_lossy().into_owned())
                .unwrap_or_default();
            if base.is_empty() || base == "." {
                base = "chart".to_owned();
            }
            if let Some(i) = base.find('.') {
                base.truncate(i);
            }
            Ok((format!("{base}-{now_unix}"), chart.clone()))
        }
        _ => Err(ActionError::plain("unexpected arguments")),
    }
}

/// Helm's `TemplateName`: render `--name-template` with the Sprig
/// functions and nil data.
pub fn template_name(text: &str) -> Result<String, ActionError> {
    let mut set = rudder_template::Templates::new(Arc::new(rudder_funcs::sprig()));
    set.parse("name-template", text)
        .map_err(|e| ActionError::plain(e.to_string()))?;
    let mut state = ();
    set.execute(
        "name-template",
        Value::Nil,
        &rudder_template::ExecOptions::default(),
        &mut state,
    )
    .map_err(|e| ActionError::plain(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        assert!(validate_release_name("rel").is_ok());
        assert!(validate_release_name("a.b-c").is_ok());
        assert!(validate_release_name("Rel").is_err());
        assert!(validate_release_name("-a").is_err());
        assert!(validate_release_name(&"a".repeat(54)).is_err());
        assert_eq!(
            validate_release_name(""),
            Err("no name provided".to_owned())
        );
    }

    #[test]
    fn naming_rules() {
        let a = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            name_and_chart(&a(&["./c"]), false, None, Some("release-name"), 0).ok(),
            Some(("release-name".to_owned(), "./c".to_owned()))
        );
        assert_eq!(
            name_and_chart(&a(&["charts/nginx-1.2.tgz"]), true, None, None, 42).ok(),
            Some(("nginx-1-42".to_owned(), "charts/nginx-1.2.tgz".to_owned()))
        );
        assert!(name_and_chart(&a(&["r", "c"]), true, None, None, 0).is_err());
        assert!(name_and_chart(&a(&["r", "c", "x"]), false, None, None, 0).is_err());
    }
}
