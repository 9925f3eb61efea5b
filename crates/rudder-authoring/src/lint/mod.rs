//! `helm lint` (`pkg/action/lint.go`, `pkg/chart/v2/lint`): Helm's rules,
//! in Helm's order, with Helm's messages.
//!
//! 1. `Chart.yaml`: parses, strictly parses (warning), name, apiVersion,
//!    version and appVersion written as strings, SemVer, maintainers,
//!    source and icon URLs, `type`/`dependencies` only in v2, SemVer 2
//!    (warning), icon (info);
//! 2. `values.yaml`: exists (info), parses, and with the user's values
//!    coalesced on top passes `values.schema.json`;
//! 3. `templates/`: exists (warning), the chart loads, values pass the
//!    schema(s), the templates render in lint mode (`required` and `fail`
//!    do not fail), and each rendered `.yaml`/`.yml` of the top chart has
//!    no leading indent (warning), parses document by document, has valid
//!    object names (warning), no deprecated API for the Kubernetes version
//!    (warning), selectors on workloads, and no `helm.sh/resource-policy`
//!    inside a `List`;
//! 4. dependencies: Chart.yaml and `charts/` agree;
//! 5. `crds/`: every document is a `CustomResourceDefinition` of
//!    `apiextensions.k8s.io`.
//!
//! Known gap: Helm's `slog` lines on stderr for `required`/`fail` in lint
//! mode (`level=WARN msg="missing required value"`) are not printed.

mod deprecations;
mod deprecations_table;
mod govalidator;
mod k8s;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rudder_chart::{Chart, ChartFile};
use rudder_render::{Capabilities, EngineOptions, KubeVersion, ReleaseInfo};
use rudder_value::{Map, Value};

use crate::semver_strict;
use crate::util;

/// Severity of a lint message (Helm's `support.*Sev`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Unknown (never produced by the rules).
    Unknown = 0,
    /// Information (`[INFO]`).
    Info = 1,
    /// A convention is broken (`[WARNING]`).
    Warning = 2,
    /// The chart will likely not work (`[ERROR]`).
    Error = 3,
}

impl Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::Unknown => "UNKNOWN",
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        }
    }
}

/// One finding (Helm's `support.Message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// How bad.
    pub severity: Severity,
    /// The file or directory concerned, relative to the chart (the chart's
    /// absolute directory for dependency findings, empty when the chart
    /// does not load).
    pub path: String,
    /// The text.
    pub err: String,
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.severity.label(), self.path, self.err)
    }
}

/// The rules' accumulator (Helm's `support.Linter`).
#[derive(Debug, Clone, Default)]
struct Linter {
    messages: Vec<Message>,
    chart_dir: PathBuf,
}

impl Linter {
    /// Records `err` (if any) and says whether the rule passed.
    fn rule(&mut self, severity: Severity, path: &str, err: Option<String>) -> bool {
        match err {
            None => true,
            Some(e) => {
                self.messages.push(Message {
                    severity,
                    path: path.to_owned(),
                    err: e,
                });
                false
            }
        }
    }
}

/// Options of a lint run.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// `--strict`: warnings fail the chart too.
    pub strict: bool,
    /// The release namespace (`-n`).
    pub namespace: String,
    /// `--kube-version`, already checked.
    pub kube_version: Option<KubeVersion>,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
}

/// The result of linting one path (Helm's `LintResult` for one chart).
#[derive(Debug, Clone, Default)]
pub struct LintResult {
    /// Charts actually linted (0 when the path could not be linted).
    pub total_charts_linted: usize,
    /// Every finding.
    pub messages: Vec<Message>,
    /// The findings at or above the failure threshold, and errors that
    /// stopped the lint, as texts.
    pub errors: Vec<String>,
}

impl LintResult {
    /// Helm's `HasWarningsOrErrors`.
    pub fn has_warnings_or_errors(&self) -> bool {
        self.messages.iter().any(|m| m.severity > Severity::Info) || !self.errors.is_empty()
    }
}

/// Lints the chart at `path` (a directory, or a `.tgz`/`.tar.gz` that is
/// unpacked to a temporary directory first) with the user's `values`.
pub fn lint(path: &str, values: &Map, opts: &LintOptions) -> LintResult {
    let threshold = if opts.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    let mut result = LintResult::default();
    match lint_path(path, values, opts) {
        Err(e) => result.errors.push(e),
        Ok(messages) => {
            result.total_charts_linted = 1;
            for m in &messages {
                if m.severity >= threshold {
                    result.errors.push(m.err.clone());
                }
            }
            result.messages = messages;
        }
    }
    result
}

fn lint_path(path: &str, values: &Map, opts: &LintOptions) -> Result<Vec<Message>, String> {
    let _tmp;
    let chart_path = if path.ends_with(".tgz") || path.ends_with(".tar.gz") {
        let dir = tempfile::Builder::new()
            .prefix("helm-lint")
            .tempdir()
            .map_err(|e| format!("unable to create temp dir to extract tarball: {e}"))?;
        let bytes = fs::read(path).map_err(|e| {
            format!(
                "unable to open tarball: {}",
                util::path_error("open", Path::new(path), &e)
            )
        })?;
        let name =
            expand(dir.path(), &bytes).map_err(|e| format!("unable to extract tarball: {e}"))?;
        let p = dir.path().join(name);
        _tmp = dir;
        p
    } else {
        PathBuf::from(path)
    };
    let chart_yaml = chart_path.join("Chart.yaml");
    if let Err(e) = fs::metadata(&chart_yaml) {
        return Err(format!(
            "unable to check Chart.yaml file in chart: {}",
            util::path_error("stat", &chart_yaml, &e)
        ));
    }
    Ok(run_all(&chart_path, values, opts))
}

/// Helm's `chartutil.Expand`: writes an archive's files under
/// `dir/<chart name>/` and returns the name.
fn expand(dir: &Path, bytes: &[u8]) -> Result<String, String> {
    let files = rudder_chart::archive::load_archive_files(bytes).map_err(|e| e.to_string())?;
    let mut name = String::new();
    for f in &files {
        if f.name == "Chart.yaml" {
            let chart = rudder_chart::load_files(vec![ChartFile {
                name: "Chart.yaml".to_owned(),
                data: Arc::from(f.data.clone()),
            }]);
            name = match chart {
                Ok(c) => c.metadata.name,
                Err(rudder_chart::LoadError::Validation(_)) => {
                    chart_name_unvalidated(&f.data).unwrap_or_default()
                }
                Err(e) => return Err(e.to_string()),
            };
        }
    }
    if name.is_empty() {
        return Err("chart name not specified".to_owned());
    }
    let chart_dir = dir.join(util::base(&util::clean(&format!("/{name}"))));
    for f in &files {
        let rel = util::clean(&format!("/{}", f.name));
        let out = chart_dir.join(rel.trim_start_matches('/'));
        crate::save::write_file(&out, &f.data).map_err(|e| e.to_string())?;
    }
    Ok(util::base(&util::clean(&format!("/{name}"))).to_owned())
}

fn chart_name_unvalidated(data: &[u8]) -> Option<String> {
    let v = rudder_yaml::from_yaml(std::str::from_utf8(data).ok()?).ok()?;
    let m = v.as_map()?.clone();
    m.get("name").and_then(|v| v.as_str().map(str::to_owned))
}

/// Helm's `lint.RunAll` over a chart directory.
pub fn run_all(base_dir: &Path, values: &Map, opts: &LintOptions) -> Vec<Message> {
    let mut linter = Linter {
        messages: Vec::new(),
        chart_dir: util::abs(base_dir),
    };
    chartfile_rules(&mut linter);
    values_rules(&mut linter, values, opts.skip_schema_validation);
    template_rules(&mut linter, values, opts);
    dependency_rules(&mut linter);
    crd_rules(&mut linter);
    linter.messages
}

// ---------------------------------------------------------------------------
// Chart.yaml

/// `Chart.yaml` as `LoadChartfile` decodes it (no defaults, no
/// sanitising), for the rules.
#[derive(Debug, Default)]
struct Chartfile {
    name: String,
    version: String,
    api_version: String,
    icon: String,
    sources: Vec<String>,
    /// `None` for a null entry.
    maintainers: Vec<Option<(String, String, String)>>,
    dependencies: usize,
    chart_type: String,
}

/// `sigs.k8s.io/yaml`'s scalar-to-string conversion for string fields.
fn scalar_string(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i, _) => i.to_string(),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 {
                format!("{}", *f as i64)
            } else {
                rudder_value::float::format_float(*f, 'g', -1, 32)
            }
        }
        _ => String::new(),
    }
}

/// `encoding/json`'s field lookup: exact name first, then
/// case-insensitive.
fn field(m: &Map, name: &str) -> Option<Value> {
    let keys = m.keys();
    let key = keys
        .iter()
        .find(|k| &***k == name)
        .or_else(|| keys.iter().find(|k| k.eq_ignore_ascii_case(name)))?;
    m.get(key)
}

fn str_field(m: &Map, name: &str) -> String {
    field(m, name)
        .map(|v| scalar_string(&v))
        .unwrap_or_default()
}

impl Chartfile {
    fn from_map(m: &Map) -> Chartfile {
        let list = |name: &str| -> Vec<Value> {
            match field(m, name) {
                Some(Value::List(l)) => l.iter().cloned().collect(),
                _ => Vec::new(),
            }
        };
        Chartfile {
            name: str_field(m, "name"),
            version: str_field(m, "version"),
            api_version: str_field(m, "apiVersion"),
            icon: str_field(m, "icon"),
            sources: list("sources").iter().map(scalar_string).collect(),
            maintainers: list("maintainers")
                .iter()
                .map(|v| match v {
                    Value::Map(mm) => Some((
                        str_field(mm, "name"),
                        str_field(mm, "email"),
                        str_field(mm, "url"),
                    )),
                    _ => None,
                })
                .collect(),
            dependencies: list("dependencies").len(),
            chart_type: str_field(m, "type"),
        }
    }
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

/// The first key `DisallowUnknownFields` rejects, walking keys in JSON
/// (sorted) order as the decoder meets them.
fn unknown_field(m: &Map) -> Option<String> {
    let known = |fields: &[&str], k: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(k));
    let mut keys: Vec<String> = m.keys().iter().map(|k| k.to_string()).collect();
    keys.sort();
    for k in keys {
        if !known(METADATA_FIELDS, &k) {
            return Some(k);
        }
        let (sub_fields, v) = if k.eq_ignore_ascii_case("maintainers") {
            (MAINTAINER_FIELDS, m.get(&k))
        } else if k.eq_ignore_ascii_case("dependencies") {
            (DEPENDENCY_FIELDS, m.get(&k))
        } else {
            continue;
        };
        if let Some(Value::List(items)) = v {
            for item in items.iter() {
                if let Value::Map(im) = item {
                    let mut ikeys: Vec<String> = im.keys().iter().map(|k| k.to_string()).collect();
                    ikeys.sort();
                    if let Some(bad) = ikeys.into_iter().find(|ik| !known(sub_fields, ik)) {
                        return Some(bad);
                    }
                }
            }
        }
    }
    None
}

/// How yaml.v2 prints a map key with `%#v`, and the identity it compares
/// keys by (the resolved type and value).
fn key_identity(n: &rudder_yaml::node::Node) -> (String, String) {
    use rudder_yaml::node::Kind;
    use rudder_yaml::node::Style;
    if n.kind != Kind::Scalar {
        return (n.tag.clone(), format!("{:?}", n.line));
    }
    let quoted = n
        .style
        .intersects(Style::DOUBLE_QUOTED.with(Style::SINGLE_QUOTED))
        || n.style.intersects(Style::LITERAL.with(Style::FOLDED));
    if quoted || n.style.contains(Style::TAGGED) {
        return ("str".into(), rudder_value::fmt::quote(&n.value));
    }
    // A plain scalar resolves with YAML 1.1's rules, as yaml.v2 does
    // (`on` is `true`).
    match rudder_yaml::from_yaml(&n.value) {
        Ok(Value::Bool(b)) => ("bool".into(), b.to_string()),
        Ok(Value::Nil) => ("null".into(), "<nil>".into()),
        Ok(v @ (Value::Int(..) | Value::Float(_))) => {
            ("num".into(), rudder_value::fmt::format_v(&v))
        }
        _ => ("str".into(), rudder_value::fmt::quote(&n.value)),
    }
}

/// yaml.v2's strict-mode complaints about repeated mapping keys, in the
/// order its decoder meets them (a value's own problems before its key's).
fn duplicate_keys(n: &rudder_yaml::node::Node, out: &mut Vec<String>) {
    use rudder_yaml::node::Kind;
    match n.kind {
        Kind::Document | Kind::Sequence => {
            for c in &n.content {
                duplicate_keys(c, out);
            }
        }
        Kind::Mapping => {
            let mut seen: Vec<(String, String)> = Vec::new();
            for pair in n.content.chunks(2) {
                let [k, v] = pair else { continue };
                duplicate_keys(v, out);
                if k.kind == Kind::Scalar && k.value == "<<" && k.tag == "!!merge" {
                    continue;
                }
                let id = key_identity(k);
                if seen.contains(&id) {
                    out.push(format!("line {}: key {} already set in map", v.line, id.1));
                } else {
                    seen.push(id);
                }
            }
        }
        Kind::Scalar | Kind::Alias => {}
    }
}

/// Go's `%T` of a `sigs.k8s.io/yaml` value.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Float(_) => "float64",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "<nil>",
    }
}

fn is_string_value(m: &Map, key: &str) -> Option<String> {
    let v = m.get(key)?;
    match v {
        Value::Str(_) => None,
        other => Some(format!(
            "{key} should be of type string but it's of type {}",
            go_type(&other)
        )),
    }
}

fn chartfile_rules(linter: &mut Linter) {
    const FILE: &str = "Chart.yaml";
    let path = linter.chart_dir.join(FILE);
    let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
    linter.rule(
        Severity::Error,
        FILE,
        is_dir.then(|| "should be a file, not a directory".to_owned()),
    );
    let data = match fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            let text = if is_dir {
                format!("read {}: is a directory", path.display())
            } else {
                util::path_error("open", &path, &e)
            };
            linter.rule(
                Severity::Error,
                FILE,
                Some(format!("unable to parse YAML\n\t{text}")),
            );
            return;
        }
    };
    // Decoding errors (syntax, types) with Helm's texts come from the
    // loader; validation is not part of LoadChartfile.
    let loaded = rudder_chart::load_files(vec![ChartFile {
        name: FILE.to_owned(),
        data: Arc::from(data.clone()),
    }]);
    if let Err(rudder_chart::LoadError::ChartYaml(msg)) = &loaded {
        linter.rule(
            Severity::Error,
            FILE,
            Some(format!("unable to parse YAML\n\t{msg}")),
        );
        return;
    }
    let doc = std::str::from_utf8(&data)
        .ok()
        .and_then(|t| rudder_yaml::from_yaml(t).ok())
        .unwrap_or(Value::Nil);
    let map = doc.as_map().cloned().unwrap_or_default();
    let mut dups = Vec::new();
    if let Some(root) = std::str::from_utf8(&data)
        .ok()
        .and_then(|t| rudder_yaml::node::parse_first_document(t).ok().flatten())
    {
        duplicate_keys(&root, &mut dups);
    }
    if !dups.is_empty() {
        linter.rule(
            Severity::Warning,
            FILE,
            Some(format!(
                "failed to strictly parse chart metadata file\n\terror converting YAML to JSON: yaml: unmarshal errors:\n  {}",
                dups.join("\n  ")
            )),
        );
    } else if let Some(k) = unknown_field(&map) {
        linter.rule(
            Severity::Warning,
            FILE,
            Some(format!(
                "failed to strictly parse chart metadata file\n\terror unmarshaling JSON: while decoding JSON: json: unknown field {}",
                rudder_value::fmt::quote(&k)
            )),
        );
    }
    let cf = Chartfile::from_map(&map);

    let name_err = if cf.name.is_empty() {
        Some("name is required".to_owned())
    } else if util::base(&cf.name) != cf.name {
        Some(format!(
            "chart name {} is invalid",
            rudder_value::fmt::quote(&cf.name)
        ))
    } else {
        None
    };
    linter.rule(Severity::Error, FILE, name_err);

    let api_err = if cf.api_version.is_empty() {
        Some("apiVersion is required. The value must be either \"v1\" or \"v2\"".to_owned())
    } else if cf.api_version != "v1" && cf.api_version != "v2" {
        Some(format!(
            "apiVersion '{}' is not valid. The value must be either \"v1\" or \"v2\"",
            cf.api_version
        ))
    } else {
        None
    };
    linter.rule(Severity::Error, FILE, api_err);
    linter.rule(Severity::Error, FILE, is_string_value(&map, "version"));
    linter.rule(Severity::Error, FILE, validate_version(&cf.version));
    linter.rule(Severity::Error, FILE, is_string_value(&map, "appVersion"));
    linter.rule(Severity::Error, FILE, validate_maintainers(&cf));
    let bad_source = cf
        .sources
        .iter()
        .find(|s| s.is_empty() || !govalidator::is_request_url(s))
        .map(|s| format!("invalid source URL '{s}'"));
    linter.rule(Severity::Error, FILE, bad_source);
    linter.rule(
        Severity::Info,
        FILE,
        cf.icon.is_empty().then(|| "icon is recommended".to_owned()),
    );
    let bad_icon = (!cf.icon.is_empty() && !govalidator::is_request_url(&cf.icon))
        .then(|| format!("invalid icon URL '{}'", cf.icon));
    linter.rule(Severity::Error, FILE, bad_icon);
    let type_err = (!cf.chart_type.is_empty() && cf.api_version != "v2").then(|| {
        format!(
            "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
            cf.api_version
        )
    });
    linter.rule(Severity::Error, FILE, type_err);
    let deps_err = (cf.dependencies > 0 && cf.api_version != "v2").then(|| {
        format!(
            "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
            cf.api_version
        )
    });
    linter.rule(Severity::Error, FILE, deps_err);
    let strict = semver_strict::parse(&cf.version)
        .err()
        .map(|_| format!("version '{}' is not a valid SemVerV2", cf.version));
    linter.rule(Severity::Warning, FILE, strict);
}

fn validate_version(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("version is required".to_owned());
    }
    let parsed = match rudder_chart::semver::Version::parse(v) {
        Ok(p) => p,
        Err(_) => return Some(format!("version '{v}' is not a valid SemVer")),
    };
    // `>0.0.0-0` rejects only 0.0.0-0 itself (build metadata ignored).
    let zero = rudder_chart::semver::Version::parse("0.0.0-0").ok()?;
    if parsed.compare(&zero) != std::cmp::Ordering::Greater {
        return Some(format!(
            "version {} is less than or equal to \"0.0.0-0\"",
            rudder_value::fmt::quote(parsed.original())
        ));
    }
    None
}

fn validate_maintainers(cf: &Chartfile) -> Option<String> {
    for m in &cf.maintainers {
        let Some((name, email, url)) = m else {
            return Some("a maintainer entry is empty".to_owned());
        };
        if name.is_empty() {
            return Some("each maintainer requires a name".to_owned());
        } else if !email.is_empty() && !govalidator::is_email(email) {
            return Some(format!("invalid email '{email}' for maintainer '{name}'"));
        } else if !url.is_empty() && !govalidator::is_url(url) {
            return Some(format!("invalid url '{url}' for maintainer '{name}'"));
        }
    }
    None
}

// ---------------------------------------------------------------------------
// values.yaml

/// Helm's `CoalesceTables(dst, src)` for the values rule (top level only):
/// `dst` wins, nulls in `dst` delete.
fn coalesce_tables(dst: &Map, src: &Map) {
    for k in dst.keys() {
        if matches!(dst.get(&k), Some(Value::Nil)) {
            src.insert(k.clone(), Value::Nil);
        }
    }
    for k in src.keys() {
        let Some(sv) = src.get(&k) else { continue };
        match dst.get(&k) {
            Some(Value::Nil) => {
                dst.remove(&k);
            }
            None => {
                dst.insert(k.clone(), sv);
            }
            Some(Value::Map(dm)) => {
                if let Value::Map(sm) = &sv {
                    coalesce_tables(&dm, sm);
                }
            }
            Some(_) => {}
        }
    }
}

fn values_rules(linter: &mut Linter, overrides: &Map, skip_schema: bool) {
    const FILE: &str = "values.yaml";
    let path = linter.chart_dir.join(FILE);
    if !linter.rule(
        Severity::Info,
        FILE,
        fs::metadata(&path)
            .err()
            .map(|_| "file does not exist".to_owned()),
    ) {
        return;
    }
    let err = validate_values_file(&path, overrides, skip_schema);
    linter.rule(Severity::Error, FILE, err);
}

fn validate_values_file(path: &Path, overrides: &Map, skip_schema: bool) -> Option<String> {
    let data = match fs::read(path) {
        Ok(d) => d,
        Err(e) => {
            return Some(format!(
                "unable to parse YAML: {}",
                util::path_error("read", path, &e)
            ));
        }
    };
    let text = match std::str::from_utf8(&data) {
        Ok(t) => t,
        Err(_) => {
            return Some(
                "unable to parse YAML: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"
                    .to_owned(),
            );
        }
    };
    let values = match rudder_yaml::from_yaml_map(text, "common.Values") {
        Ok(v) => v,
        Err(e) => return Some(format!("unable to parse YAML: {e}")),
    };
    let coalesced = overrides.deep_copy();
    coalesce_tables(&coalesced, &values);
    let schema_path = path.with_file_name("values.schema.json");
    let schema = fs::read(&schema_path).unwrap_or_default();
    if schema.is_empty() || skip_schema {
        return None;
    }
    single_schema_error(&schema, &coalesced)
}

/// `ValidateAgainstSingleSchema` through rudder-values' tree validator,
/// run on a chart holding only this schema.
fn single_schema_error(schema: &[u8], values: &Map) -> Option<String> {
    let chart = Chart {
        metadata: rudder_chart::Metadata {
            name: "lint".to_owned(),
            ..rudder_chart::Metadata::default()
        },
        lock: None,
        templates: Vec::new(),
        files: Vec::new(),
        raw: Vec::new(),
        values: Map::new(),
        schema: Some(Arc::from(schema)),
        dependencies: Vec::new(),
    };
    match rudder_values::validate_schema(&chart, values) {
        Ok(()) => None,
        Err(e) => {
            let text = e.to_string();
            let prefix = "values don't meet the specifications of the schema(s) in the following chart(s):\nlint:\n";
            Some(text.strip_prefix(prefix).unwrap_or(&text).to_owned())
        }
    }
}

// ---------------------------------------------------------------------------
// templates/

fn is_yaml_ext(name: &str) -> bool {
    let e = util::ext(name).to_lowercase();
    e == ".yaml" || e == ".yml"
}

fn top_indent(content: &str) -> Option<String> {
    for line in content.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            return Some(format!(
                "document starts with an illegal indent: {}, which may cause parsing problems",
                rudder_value::fmt::quote(line)
            ));
        }
        return None;
    }
    None
}

fn template_rules(linter: &mut Linter, values: &Map, opts: &LintOptions) {
    const DIR: &str = "templates/";
    let tpath = linter.chart_dir.join("templates");
    let exists = match fs::metadata(&tpath) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Some("directory does not exist".to_owned())
        }
        _ => None,
    };
    if !linter.rule(Severity::Warning, DIR, exists) {
        return;
    }
    let dir_err = match fs::metadata(&tpath) {
        Err(e) => Some(util::path_error("stat", &tpath, &e)),
        Ok(m) if !m.is_dir() => Some("not a directory".to_owned()),
        Ok(_) => None,
    };
    if !linter.rule(Severity::Error, DIR, dir_err) {
        return;
    }
    let mut chart = match rudder_chart::load(&linter.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Some(e.to_string()));
            return;
        }
    };
    let mut caps = Capabilities::default();
    if let Some(kv) = &opts.kube_version {
        caps.kube_version = kv.clone();
    }
    if rudder_values::process_dependencies(&mut chart, values).is_err() {
        return;
    }
    let Ok((cvals, _)) = rudder_values::coalesce_values(&chart, values) else {
        return;
    };
    let vals = match rudder_values::coalesce_values(&chart, &cvals) {
        Ok((v, _)) => v,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Some(e.to_string()));
            return;
        }
    };
    if !opts.skip_schema_validation
        && let Err(e) = rudder_values::validate_schema(&chart, &vals)
    {
        linter.rule(Severity::Error, DIR, Some(e.to_string()));
        return;
    }
    let release = ReleaseInfo {
        name: "test-release".to_owned(),
        namespace: opts.namespace.clone(),
        revision: 0,
        is_install: false,
        is_upgrade: false,
    };
    let tree = rudder_action::render_chart(&chart);
    let rendered = match rudder_render::render(
        &tree,
        &vals,
        &release,
        &Arc::new(caps.clone()),
        &EngineOptions {
            lint_mode: true,
            ..EngineOptions::default()
        },
    ) {
        Ok(r) => r,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Some(e.message));
            return;
        }
    };
    let (major, minor) = kube_major_minor(&caps.kube_version);
    for t in &chart.templates {
        let name = t.name.as_str();
        let ext = util::ext(name);
        let ext_err = (![".yaml", ".yml", ".tpl", ".txt"].contains(&ext)).then(|| {
            format!(
                "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
            )
        });
        linter.rule(Severity::Error, name, ext_err);
        if !is_yaml_ext(name) {
            continue;
        }
        let content = rendered
            .get(&format!("{}/{name}", chart.name()))
            .cloned()
            .unwrap_or_default();
        if content.trim().is_empty() {
            continue;
        }
        linter.rule(Severity::Warning, name, top_indent(&content));
        for doc in k8s::decode_stream(&content) {
            let obj = match doc {
                Err(e) => {
                    linter.rule(
                        Severity::Error,
                        name,
                        Some(format!("unable to parse YAML: {e}")),
                    );
                    return;
                }
                Ok(None) => continue,
                Ok(Some(o)) => o,
            };
            linter.rule(
                Severity::Warning,
                name,
                k8s::validate_metadata_name(&obj).err(),
            );
            linter.rule(
                Severity::Warning,
                name,
                deprecations::deprecation_warning(&obj.api_version, &obj.kind, major, minor),
            );
            let selector_err = matches!(
                obj.kind.as_str(),
                "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            )
            .then_some(())
            .filter(|()| !content.contains("matchLabels") && !content.contains("matchExpressions"))
            .map(|()| {
                format!(
                    "a {} must contain matchLabels or matchExpressions, and {} does not",
                    obj.kind,
                    rudder_value::fmt::quote(&obj.name)
                )
            });
            linter.rule(Severity::Error, name, selector_err);
            linter.rule(Severity::Error, name, list_annotations(&obj, &content));
        }
    }
}

/// The numeric major and minor of the target Kubernetes version.
fn kube_major_minor(kv: &KubeVersion) -> (u32, u32) {
    let digits = |s: &str| s.trim_end_matches('+').parse::<u32>().unwrap_or_default();
    (digits(&kv.major), digits(&kv.minor))
}

/// Helm's `validateListAnnotations`: a `List` whose items carry
/// `helm.sh/resource-policy`.
fn list_annotations(obj: &k8s::K8sObject, manifest: &str) -> Option<String> {
    if obj.kind != "List" {
        return None;
    }
    let doc = match rudder_yaml::from_yaml(manifest) {
        Ok(d) => d,
        Err(e) => return Some(format!("unable to parse YAML: {e}")),
    };
    let items = doc.as_map().and_then(|m| field(m, "Items"));
    let Some(Value::List(items)) = items else {
        return None;
    };
    for item in items.iter() {
        let ann = item
            .as_map()
            .and_then(|m| field(m, "Metadata"))
            .and_then(|md| md.as_map().and_then(|m| field(m, "Annotations")));
        if let Some(Value::Map(a)) = ann
            && a.get("helm.sh/resource-policy").is_some()
        {
            return Some(
                "annotation 'helm.sh/resource-policy' within List objects are ignored".to_owned(),
            );
        }
    }
    None
}

// ---------------------------------------------------------------------------
// dependencies and crds/

fn dependency_rules(linter: &mut Linter) {
    let chart = match rudder_chart::load_dir(&linter.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(
                Severity::Error,
                "",
                Some(format!("unable to load chart\n\t{e}")),
            );
            return;
        }
    };
    let dir = linter.chart_dir.display().to_string();
    let declared: Vec<&rudder_chart::Dependency> =
        chart.metadata.dependencies.iter().flatten().collect();
    let missing_in_metadata: Vec<&str> = chart
        .dependencies
        .iter()
        .map(Chart::name)
        .filter(|n| !declared.iter().any(|d| d.name == *n))
        .collect();
    linter.rule(
        Severity::Error,
        &dir,
        (!missing_in_metadata.is_empty()).then(|| {
            format!(
                "chart metadata is missing these dependencies: {}",
                missing_in_metadata.join(",")
            )
        }),
    );
    let mut seen: Vec<&str> = Vec::new();
    let mut shadowing: Vec<&str> = Vec::new();
    for d in &declared {
        let key = if d.alias.is_empty() {
            &d.name
        } else {
            &d.alias
        };
        if seen.contains(&key.as_str()) {
            shadowing.push(key);
        }
        seen.push(key);
    }
    linter.rule(
        Severity::Error,
        &dir,
        (!shadowing.is_empty()).then(|| {
            format!(
                "multiple dependencies with name or alias: {}",
                shadowing.join(",")
            )
        }),
    );
    let missing_in_dir: Vec<&str> = declared
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !chart.dependencies.iter().any(|c| c.name() == *n))
        .collect();
    linter.rule(
        Severity::Warning,
        &dir,
        (!missing_in_dir.is_empty()).then(|| {
            format!(
                "chart directory is missing these dependencies: {}",
                missing_in_dir.join(",")
            )
        }),
    );
}

fn crd_rules(linter: &mut Linter) {
    const DIR: &str = "crds/";
    let path = linter.chart_dir.join("crds");
    if let Err(e) = fs::metadata(&path)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return;
    }
    let dir_err = match fs::metadata(&path) {
        Err(e) => Some(util::path_error("stat", &path, &e)),
        Ok(m) if !m.is_dir() => Some("not a directory".to_owned()),
        Ok(_) => None,
    };
    if !linter.rule(Severity::Error, DIR, dir_err) {
        return;
    }
    let chart = match rudder_chart::load(&linter.chart_dir) {
        Ok(c) => c,
        Err(e) => {
            linter.rule(Severity::Error, DIR, Some(e.to_string()));
            return;
        }
    };
    for crd in chart.crd_objects() {
        let text = String::from_utf8_lossy(&crd.file.data);
        for doc in k8s::decode_stream(&text) {
            let obj = match doc {
                Err(e) => {
                    linter.rule(
                        Severity::Error,
                        &crd.name,
                        Some(format!("unable to parse YAML: {e}")),
                    );
                    return;
                }
                Ok(None) => continue,
                Ok(Some(o)) => o,
            };
            linter.rule(
                Severity::Error,
                &crd.name,
                (!obj.api_version.starts_with("apiextensions.k8s.io"))
                    .then(|| "apiVersion is not in 'apiextensions.k8s.io'".to_owned()),
            );
            linter.rule(
                Severity::Error,
                &crd.name,
                (obj.kind != "CustomResourceDefinition")
                    .then(|| "object kind is not 'CustomResourceDefinition'".to_owned()),
            );
        }
    }
}

/// The paths `helm lint --with-subcharts` adds for `path`: every
/// directory under `path/charts` holding a `Chart.yaml`, and every
/// `.tgz`/`.tar.gz`, in walk order.
pub fn subchart_paths(path: &str) -> Vec<String> {
    fn walk(p: &Path, shown: &str, out: &mut Vec<String>) {
        let Ok(meta) = fs::symlink_metadata(p) else {
            return;
        };
        if util::base(shown) == "Chart.yaml" {
            out.push(util::dir(shown));
        } else if shown.ends_with(".tgz") || shown.ends_with(".tar.gz") {
            out.push(shown.to_owned());
        }
        if meta.is_dir() {
            let mut names: Vec<String> = fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            for n in names {
                walk(&p.join(&n), &util::join(shown, &n), out);
            }
        }
    }
    let mut out = Vec::new();
    let charts = util::join(path, "charts");
    walk(Path::new(&charts), &charts, &mut out);
    out
}

/// What `helm lint` prints for a set of results, and whether it fails
/// (`Err` holds the summary Helm returns as its error).
pub fn report(results: &[(String, LintResult)], quiet: bool) -> (String, Result<String, String>) {
    let mut out = String::new();
    let mut failed = 0;
    let mut errors_or_warnings = 0;
    for (path, result) in results {
        let has = result.has_warnings_or_errors();
        if has {
            errors_or_warnings += 1;
        }
        if quiet && !has {
            continue;
        }
        out.push_str(&format!("==> Linting {path}\n"));
        if result.messages.is_empty() {
            for e in &result.errors {
                out.push_str(&format!("Error {e}\n"));
            }
        }
        for m in &result.messages {
            if !quiet || m.severity > Severity::Info {
                out.push_str(&format!("{m}\n"));
            }
        }
        if !result.errors.is_empty() {
            failed += 1;
        }
        out.push('\n');
    }
    let summary = format!(
        "{} chart(s) linted, {failed} chart(s) failed",
        results.len()
    );
    if failed > 0 {
        return (out, Err(summary));
    }
    if !quiet || errors_or_warnings > 0 {
        out.push_str(&summary);
        out.push('\n');
    }
    (out, Ok(String::new()))
}
