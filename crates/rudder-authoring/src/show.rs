//! `helm show chart|values|readme|crds|all` (`pkg/action/show.go`) for a
//! local chart: `Chart.yaml` re-serialised, the raw `values.yaml`, the top
//! level README, and every CRD of the chart tree, with Helm's separators.

use rudder_chart::Chart;

use crate::error::AuthoringError;
use crate::save::chart_yaml;

/// What to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowFormat {
    /// Everything, separated by `---` lines.
    All,
    /// `Chart.yaml`.
    Chart,
    /// `values.yaml` as written.
    Values,
    /// The README.
    Readme,
    /// The CRDs.
    Crds,
}

/// Helm's README names, matched case-insensitively at the chart root.
const README_NAMES: &[&str] = &["readme.md", "readme.txt", "readme"];

/// The text `helm show` prints for `chart`.
pub fn show(chart: &Chart, format: ShowFormat) -> Result<String, AuthoringError> {
    use ShowFormat::{All, Chart as ChartOnly, Crds, Readme, Values};
    let mut out = String::new();
    if matches!(format, ChartOnly | All) {
        out.push_str(&chart_yaml(&chart.metadata)?);
        out.push('\n');
    }
    // Helm's values are nil (and nothing is printed) only when the chart
    // has no values.yaml at all.
    let has_values = chart.raw.iter().any(|f| f.name == "values.yaml");
    if matches!(format, Values | All) && has_values {
        if format == All {
            out.push_str("---\n");
        }
        for f in chart.raw.iter().filter(|f| f.name == "values.yaml") {
            out.push_str(&String::from_utf8_lossy(&f.data));
            out.push('\n');
        }
    }
    if matches!(format, Readme | All) {
        let readme = chart
            .files
            .iter()
            .find(|f| README_NAMES.iter().any(|n| f.name.eq_ignore_ascii_case(n)));
        if let Some(f) = readme {
            if format == All {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&f.data));
            out.push('\n');
        }
    }
    if matches!(format, Crds | All) {
        for crd in chart.crd_objects() {
            if !crd.file.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&crd.file.data));
            out.push('\n');
        }
    }
    Ok(out)
}
