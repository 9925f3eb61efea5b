//! `helm dependency list` (`pkg/action/dependency.go`): every dependency
//! declared in Chart.yaml with its status against `charts/` (`ok`,
//! `missing`, `unpacked`, `wrong version`, `invalid version`, `corrupt`,
//! `misnamed`, `too many matches`, `bad pattern`), printed as Helm's
//! `uitable`, then warnings about charts in `charts/` that Chart.yaml does
//! not declare.

use std::fs;
use std::path::Path;

use rudder_chart::semver::{Constraints, Version};
use rudder_chart::{Chart, Dependency};

use crate::error::AuthoringError;
use crate::semver_strict;
use crate::util;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DependencyStatus {
    /// `name`.
    pub name: String,
    /// `version` (a constraint).
    pub version: String,
    /// `repository`.
    pub repository: String,
    /// Helm's status word.
    pub status: String,
}

/// Sorted names in `dir` matching a Go `filepath.Match` pattern, as
/// `filepath.Glob` gives them; `Err` for a malformed pattern.
fn glob_dir(dir: &Path, pattern: &str) -> Result<Vec<String>, ()> {
    rudder_chart::ignore::fnmatch(pattern, "").map_err(|_| ())?;
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    names.sort();
    Ok(names
        .into_iter()
        .filter(|n| rudder_chart::ignore::fnmatch(pattern, n).unwrap_or(false))
        .collect())
}

/// Whether `version` is acceptable for `dep`: equal strings, or a
/// satisfied constraint; `Err(status)` otherwise.
fn version_status(dep: &Dependency, version: &str) -> Result<(), &'static str> {
    if version == dep.version {
        return Ok(());
    }
    let c = Constraints::parse(&dep.version).map_err(|_| "invalid version")?;
    let v = Version::parse(version).map_err(|_| "invalid version")?;
    if c.check(&v) {
        Ok(())
    } else {
        Err("wrong version")
    }
}

fn archive_status(archive: &Path, dep: &Dependency) -> Option<String> {
    fs::metadata(archive).ok()?;
    let status = match rudder_chart::load(archive) {
        Err(_) => "corrupt",
        Ok(c) if c.name() != dep.name => "misnamed",
        Ok(c) => match version_status(dep, &c.metadata.version) {
            Ok(()) => "ok",
            Err(s) => s,
        },
    };
    Some(status.to_owned())
}

fn status(chart_path: &str, dep: &Dependency, parent: &Chart) -> String {
    let charts = Path::new(chart_path).join("charts");
    match glob_dir(&charts, &format!("{}-*.tgz", dep.name)) {
        Err(()) => return "bad pattern".to_owned(),
        Ok(archives) if archives.len() > 1 => {
            let prefix = format!("{}-", dep.name);
            let found: Vec<&String> = archives
                .iter()
                .filter(|a| {
                    let stem = a.strip_suffix(".tgz").unwrap_or(a);
                    let v = stem.strip_prefix(&prefix).unwrap_or(stem);
                    semver_strict::parse(v).is_ok()
                })
                .collect();
            match found.as_slice() {
                [one] => {
                    if let Some(s) = archive_status(&charts.join(one), dep) {
                        return s;
                    }
                }
                [] => {}
                _ => return "too many matches".to_owned(),
            }
        }
        Ok(archives) => {
            if let Some(one) = archives.first()
                && let Some(s) = archive_status(&charts.join(one), dep)
            {
                return s;
            }
        }
    }
    let Some(found) = parent
        .dependencies
        .iter()
        .rev()
        .find(|c| c.name() == dep.name)
    else {
        return "missing".to_owned();
    };
    match version_status(dep, &found.metadata.version) {
        Ok(()) => "unpacked".to_owned(),
        Err(s) => s.to_owned(),
    }
}

/// The statuses of `chart`'s declared dependencies (`None` when Chart.yaml
/// declares none: Helm then only warns).
pub fn statuses(chart_path: &str, chart: &Chart) -> Option<Vec<DependencyStatus>> {
    let deps = chart.metadata.dependencies.as_ref()?;
    Some(
        deps.iter()
            .map(|d| DependencyStatus {
                name: d.name.clone(),
                version: d.version.clone(),
                repository: d.repository.clone(),
                status: status(chart_path, d, chart),
            })
            .collect(),
    )
}

/// `uitable`'s cell fitting: pad to the column width, or cut to it with
/// `...` (widths counted in characters).
fn fit(s: &str, width: usize) -> String {
    let len = s.chars().count();
    if len == width {
        return s.to_owned();
    }
    if len < width {
        return format!("{s}{}", " ".repeat(width - len));
    }
    // uitable keeps characters until the next one would reach the width
    // minus the three dots (the one that reaches it is kept too).
    let mut out = String::new();
    for (w, c) in s.chars().enumerate() {
        out.push(c);
        if w + 1 + 3 >= width {
            break;
        }
    }
    out.push_str("...");
    out
}

/// Helm's table: tab-separated, every cell padded to its column's width
/// (capped at `max_width`).
pub fn table(rows: &[Vec<String>], max_width: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let mut w = cell.chars().count();
            if max_width != 0 && w > max_width {
                w = max_width;
            }
            widths[i] = widths[i].max(w);
        }
    }
    rows.iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, c)| {
                    if widths[i] > 0 {
                        fit(c, widths[i])
                    } else {
                        c.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `helm dependency list CHART` prints (`chart_path` is the argument,
/// cleaned as Helm cleans it).
pub fn list(chart_arg: &str, max_col_width: usize) -> Result<String, AuthoringError> {
    let chart_path = util::clean(chart_arg);
    let chart = rudder_chart::load(Path::new(&chart_path))?;
    let Some(rows) = statuses(&chart_path, &chart) else {
        return Ok(format!(
            "WARNING: no dependencies at {}\n",
            util::join(&chart_path, "charts")
        ));
    };
    let mut table_rows = vec![vec![
        "NAME".to_owned(),
        "VERSION".to_owned(),
        "REPOSITORY".to_owned(),
        "STATUS".to_owned(),
    ]];
    for r in rows {
        table_rows.push(vec![r.name, r.version, r.repository, r.status]);
    }
    let mut out = table(&table_rows, max_col_width);
    out.push_str("\n\n");
    let declared: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .flatten()
        .map(|d| d.name.as_str())
        .collect();
    let charts = util::join(&chart_path, "charts");
    if let Ok(names) = glob_dir(Path::new(&charts), "*") {
        for n in names {
            let f = util::join(&charts, &n);
            let Ok(meta) = fs::metadata(&f) else {
                continue;
            };
            if !meta.is_dir() && util::ext(&f) != ".tgz" {
                continue;
            }
            match rudder_chart::load(Path::new(&f)) {
                Err(_) => out.push_str(&format!(
                    "WARNING: {} is not a chart.\n",
                    rudder_value::fmt::quote(&f)
                )),
                Ok(c) if !declared.contains(&c.name()) => out.push_str(&format!(
                    "WARNING: {} is not in Chart.yaml.\n",
                    rudder_value::fmt::quote(&f)
                )),
                Ok(_) => {}
            }
        }
    }
    Ok(out)
}
