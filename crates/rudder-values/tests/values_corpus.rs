//! Corpus charts: rudder's coalesced `.Values` against the root `.Values`
//! Helm printed for each corpus case (`tests/data/values_corpus/`, from
//! `scripts/oracle/gen_values_corpus.py`). The plain test covers the corpus
//! charts copied into rudder-chart's test data; the ignored one covers
//! every case and reads `/work/shared/corpus`.

use std::io::Read;
use std::path::Path;

use rudder_value::Value;
use rudder_values::{coalesce_values, process_dependencies};

use crate::common::{data, diff};

fn expected() -> serde_json::Value {
    let file = std::fs::File::open(data("values_corpus/expected.json.gz"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// Compares one case; `None` when it matches.
fn check(chart_dir: &Path, values_file: Option<&Path>, want: &serde_json::Value) -> Option<String> {
    let mut chart = match rudder_chart::load(chart_dir) {
        Ok(c) => c,
        Err(e) => return Some(format!("load: {e}")),
    };
    let user = match values_file {
        None => rudder_value::Map::new(),
        Some(p) => {
            match rudder_yaml::load_values(&std::fs::read_to_string(p).unwrap_or_default()) {
                Ok(m) => m,
                Err(e) => return Some(format!("values: {e}")),
            }
        }
    };
    if let Err(e) = process_dependencies(&mut chart, &user) {
        return Some(format!("dependencies: {e}"));
    }
    match coalesce_values(&chart, &user) {
        Ok((values, _)) => diff("", &Value::Map(values), want),
        Err(e) => Some(format!("coalesce: {e}")),
    }
}

#[test]
fn corpus_copies_default_values_match_helm() {
    let expected = expected();
    let copies = data("../../../rudder-chart/tests/data/corpus");
    let mut checked = 0;
    let mut failures = Vec::new();
    for name in [
        "fluent-bit",
        "spin-operator",
        "rollout-operator",
        "prometheus-kafka-exporter",
    ] {
        let want = &expected[format!("{name}/default")];
        assert!(want.is_object(), "no oracle record for {name}/default");
        checked += 1;
        if let Some(d) = check(&copies.join(name), None, want) {
            failures.push(format!("{name}: {d}"));
        }
    }
    assert_eq!(checked, 4);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs /work/shared/corpus"]
#[expect(
    clippy::print_stderr,
    reason = "the corpus run reports its counts and timing"
)]
fn every_corpus_case_matches_helm() {
    let corpus = Path::new("/work/shared/corpus");
    let cases = std::fs::read_to_string(corpus.join("cases.tsv")).unwrap_or_else(|e| panic!("{e}"));
    let expected = expected();
    let (mut matched, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for row in cases.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (chart, case, values) = (cols[0], cols[1], cols[2]);
        let want = &expected[format!("{chart}/{case}")];
        // Helm failed rendering (or rendered nothing): no .Values to compare.
        if want.get("error").is_some() || want.get("skip").is_some() {
            skipped += 1;
            continue;
        }
        let values_path = (values != "-").then(|| corpus.join(values));
        match check(
            &corpus.join("charts").join(chart),
            values_path.as_deref(),
            want,
        ) {
            None => matched += 1,
            Some(d) => failures.push(format!("{chart}/{case}: {d}")),
        }
    }
    eprintln!(
        "corpus values: {matched} match, {} differ, {skipped} without Helm output",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
