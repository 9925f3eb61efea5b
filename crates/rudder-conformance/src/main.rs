//! `rudder-conformance CORPUS [--known-failures FILE] [--filter S] [--jobs N] [--time N]`
//!
//! Renders every case of a Helm conformance corpus (the layout of
//! `../shared/corpus`: `cases.tsv`, `charts/`, `values/`, `golden/`) with
//! rudder and compares with the goldens Helm 4.2.3 produced:
//!
//! * the engine output (`<case>.json`: every template's text, NOTES and
//!   blank files included) must match exactly;
//! * the release manifest (`<case>.manifest.yaml`: what `helm template`
//!   prints, without hooks) must match byte for byte;
//! * a case Helm fails (`<case>.error.txt`) must fail with the same message.
//!
//! Lines the corpus marks nondeterministic (`<case>.nondet.json`: random
//! passwords, generated certificates) are masked, as `compare.py` does.
//!
//! The known-failures file makes this a ratchet: the run fails when a case
//! outside the list fails, and when a listed case passes (so the list only
//! shrinks). The last line printed is always `N passed, N failed`.
//!
//! `--time N` also renders each case N more times, and writes
//! `chart<TAB>case<TAB>render_ms<TAB>load_template_ms<TAB>warm_render_ms`
//! lines (medians) to the file given with `--timings` (default: stdout):
//! `render` is the engine stage with the chart already loaded, as Helm's
//! in-process `Chart.render` is measured (templates parsed every time, as
//! Helm does); `load_template` is chart loading plus the whole `template`
//! action, as a user's `rudder template` runs; `warm_render` is `render`
//! with a warm parse cache (parse once, execute many).

#![allow(clippy::print_stdout, reason = "a report tool: stdout is its output")]
#![allow(clippy::print_stderr, reason = "usage errors go to stderr")]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use rudder_action::TemplateOptions;

struct Case {
    chart: String,
    name: String,
    values_file: Option<String>,
}

impl Case {
    fn id(&self) -> String {
        format!("{}/{}", self.chart, self.name)
    }
}

struct Args {
    corpus: PathBuf,
    known_failures: Option<PathBuf>,
    filter: Option<String>,
    jobs: usize,
    time: usize,
    timings: Option<PathBuf>,
    verbose: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut args = Args {
        corpus: PathBuf::new(),
        known_failures: None,
        filter: None,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        time: 0,
        timings: None,
        verbose: false,
    };
    let mut corpus = None;
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--known-failures" => args.known_failures = Some(val(&a)?.into()),
            "--filter" => args.filter = Some(val(&a)?),
            "--jobs" | "-j" => {
                args.jobs = val(&a)?.parse().map_err(|_| "bad --jobs".to_owned())?;
            }
            "--time" => args.time = val(&a)?.parse().map_err(|_| "bad --time".to_owned())?,
            "--timings" => args.timings = Some(val(&a)?.into()),
            "-v" | "--verbose" => args.verbose = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown flag {s}")),
            s => corpus = Some(PathBuf::from(s)),
        }
    }
    args.corpus = corpus.ok_or("missing CORPUS directory")?;
    args.jobs = args.jobs.max(1);
    Ok(args)
}

fn read_cases(corpus: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(corpus.join("cases.tsv"))
        .map_err(|e| format!("{}: {e}", corpus.join("cases.tsv").display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(c_chart), Some(c_case), Some(c_values)) =
        (col("chart"), col("case"), col("values_file"))
    else {
        return Err("cases.tsv lacks chart/case/values_file columns".to_owned());
    };
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("").to_owned();
            let v = get(c_values);
            Case {
                chart: get(c_chart),
                name: get(c_case),
                values_file: (v != "-" && !v.is_empty()).then_some(v),
            }
        })
        .collect())
}

/// What rudder produced for a case.
enum Outcome {
    Rendered {
        files: BTreeMap<String, String>,
        manifest: String,
    },
    Failed(String),
}

/// Load a case's chart and user values.
fn load_case(
    corpus: &Path,
    case: &Case,
) -> Result<(rudder_chart::Chart, rudder_value::Map), String> {
    let mut opts = rudder_values::ValueOptions::default();
    if let Some(v) = &case.values_file {
        opts.value_files
            .push(corpus.join(v).to_string_lossy().into_owned());
    }
    let read = |p: &str| std::fs::read(p).map_err(|e| format!("open {p}: {e}"));
    let values = opts.merge_values(&read).map_err(|e| e.to_string())?;
    let chart =
        rudder_chart::load(&corpus.join("charts").join(&case.chart)).map_err(|e| e.to_string())?;
    Ok((chart, values))
}

fn run_case(corpus: &Path, case: &Case) -> Outcome {
    match load_case(corpus, case) {
        Ok((chart, values)) => render_loaded(chart, &values),
        Err(e) => Outcome::Failed(e),
    }
}

/// Render a loaded chart as the corpus goldens were made (release `rel` in
/// namespace `ns`, an install).
fn render_loaded(chart: rudder_chart::Chart, values: &rudder_value::Map) -> Outcome {
    match rudder_action::template(chart, values, &corpus_options()) {
        Ok(out) => Outcome::Rendered {
            files: out.files,
            manifest: out.manifest,
        },
        Err(e) => Outcome::Failed(e.message),
    }
}

/// `{template: [1-based line numbers]}` or `{template: "*"}`.
enum Mask {
    Lines(BTreeSet<usize>),
    All,
}

fn read_nondet(path: &Path) -> HashMap<String, Mask> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(&text) else {
        return HashMap::new();
    };
    m.into_iter()
        .map(|(k, v)| {
            let mask = match v {
                serde_json::Value::Array(a) => Mask::Lines(
                    a.iter()
                        .filter_map(|n| n.as_u64().map(|n| n as usize))
                        .collect(),
                ),
                _ => Mask::All,
            };
            (k, mask)
        })
        .collect()
}

/// The first difference between two texts, as a short report.
fn first_diff(golden: &str, actual: &str) -> String {
    let g: Vec<&str> = golden.split('\n').collect();
    let a: Vec<&str> = actual.split('\n').collect();
    let n = g.len().max(a.len());
    for i in 0..n {
        let (x, y) = (g.get(i), a.get(i));
        if x != y {
            let show =
                |v: Option<&&str>| v.map_or("<end of text>".to_owned(), |s| format!("{s:?}"));
            return format!(
                "line {}:\n      golden: {}\n      actual: {}",
                i + 1,
                show(x),
                show(y)
            );
        }
    }
    "texts differ".to_owned()
}

fn lines_match(golden: &str, actual: &str, masked: &BTreeSet<usize>) -> bool {
    let g: Vec<&str> = golden.split('\n').collect();
    let a: Vec<&str> = actual.split('\n').collect();
    g.len() == a.len()
        && g.iter()
            .zip(a.iter())
            .enumerate()
            .all(|(i, (x, y))| masked.contains(&(i + 1)) || x == y)
}

/// Compare one case; `Err` is the reason it fails.
fn check_case(corpus: &Path, case: &Case, outcome: &Outcome) -> Result<(), String> {
    let golden_dir = corpus.join("golden").join(&case.chart);
    let stem = golden_dir.join(&case.name);
    let err_path = stem.with_file_name(format!("{}.error.txt", case.name));
    if err_path.exists() {
        let want = std::fs::read_to_string(&err_path).map_err(|e| e.to_string())?;
        return match outcome {
            Outcome::Failed(got) if got.trim_end_matches('\n') == want.trim_end_matches('\n') => {
                Ok(())
            }
            Outcome::Failed(got) => Err(format!("error text differs: {}", first_diff(&want, got))),
            Outcome::Rendered { .. } => Err(format!(
                "Helm fails but rudder rendered; Helm's error: {}",
                want.lines().next().unwrap_or("")
            )),
        };
    }
    let (files, manifest) = match outcome {
        Outcome::Failed(e) => return Err(format!("rudder failed: {e}")),
        Outcome::Rendered { files, manifest } => (files, manifest),
    };
    let nondet = read_nondet(&stem.with_file_name(format!("{}.nondet.json", case.name)));
    let json_text = std::fs::read_to_string(stem.with_file_name(format!("{}.json", case.name)))
        .map_err(|e| format!("golden json: {e}"))?;
    let golden: BTreeMap<String, String> =
        serde_json::from_str(&json_text).map_err(|e| format!("golden json: {e}"))?;

    // Engine output, template by template.
    for (name, want) in &golden {
        let Some(got) = files.get(name) else {
            return Err(format!("{name}: missing in rudder's output"));
        };
        match nondet.get(name) {
            Some(Mask::All) => {}
            Some(Mask::Lines(lines)) => {
                if !lines_match(want, got, lines) {
                    return Err(format!("{name}: {}", first_diff(want, got)));
                }
            }
            None => {
                if want != got {
                    return Err(format!("{name}: {}", first_diff(want, got)));
                }
            }
        }
    }
    if let Some(extra) = files.keys().find(|k| !golden.contains_key(*k)) {
        return Err(format!("{extra}: rendered by rudder but not by Helm"));
    }

    // The release manifest, byte for byte, except that a document of a
    // template with nondeterministic lines may differ on exactly those
    // lines (located through the masked golden template, as compare.py
    // does: the golden manifest and golden JSON are separate renders).
    let manifest_path = stem.with_file_name(format!("{}.manifest.yaml", case.name));
    if let Ok(want) = std::fs::read_to_string(&manifest_path)
        && want != *manifest
    {
        compare_masked_manifest(&want, manifest, &golden, &nondet)
            .map_err(|e| format!("release manifest: {e}"))?;
    }
    Ok(())
}

/// The options the corpus goldens were made with.
fn corpus_options() -> TemplateOptions {
    TemplateOptions {
        release_name: "rel".to_owned(),
        namespace: "ns".to_owned(),
        ..TemplateOptions::default()
    }
}

/// A copy of a chart that shares no values map with the original, so a
/// render (which may mutate values through `set`/`merge`) leaves the
/// original intact.
fn deep_clone_chart(c: &rudder_chart::Chart) -> rudder_chart::Chart {
    let mut copy = c.clone();
    copy.values = c.values.deep_copy();
    copy.dependencies = c.dependencies.iter().map(deep_clone_chart).collect();
    copy
}

/// Split a `helm template`-style stream into `(source, document)` blocks.
fn stream_blocks(text: &str) -> Vec<(&str, &str)> {
    let mut starts = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line == "---\n" && text[pos + 4..].starts_with("# Source: ") {
            starts.push(pos);
        }
        pos += line.len();
    }
    let mut out = Vec::new();
    for (i, &st) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let block = &text[st + 4..end];
        let (header, body) = block.split_once('\n').unwrap_or((block, ""));
        let source = header.trim_start_matches("# Source: ");
        out.push((source, body.strip_suffix('\n').unwrap_or(body)));
    }
    out
}

/// Helm's document split (for masked golden templates).
fn split_docs(text: &str) -> Vec<String> {
    // The same rule as rudder_render::split_manifests, re-stated here so
    // the checker does not trust the code it checks.
    let sep = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let t = text.trim_start();
    let bytes = t.as_bytes();
    let mut pieces = Vec::new();
    let (mut piece_start, mut search) = (0usize, 0usize);
    if t.starts_with("---") {
        let mut e = 3;
        while e < bytes.len() && sep(bytes[e]) {
            e += 1;
        }
        piece_start = e;
        search = e;
    }
    while let Some(off) = t[search..].find("\n---") {
        let nl = search + off;
        let mut st = nl;
        while st > search && sep(bytes[st - 1]) {
            st -= 1;
        }
        let mut e = nl + 4;
        while e < bytes.len() && sep(bytes[e]) {
            e += 1;
        }
        pieces.push(&t[piece_start..st]);
        piece_start = e;
        search = e;
    }
    pieces.push(&t[piece_start..]);
    pieces
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim_start().to_owned())
        .collect()
}

const MASKED: &str = "\u{0}<nondeterministic line>\u{0}";

fn masked_equal(pattern: &str, text: &str) -> bool {
    let p: Vec<&str> = pattern.split('\n').collect();
    let t: Vec<&str> = text.split('\n').collect();
    p.len() == t.len() && p.iter().zip(t.iter()).all(|(x, y)| *x == MASKED || x == y)
}

fn compare_masked_manifest(
    want: &str,
    got: &str,
    golden: &BTreeMap<String, String>,
    nondet: &HashMap<String, Mask>,
) -> Result<(), String> {
    let (g, a) = (stream_blocks(want), stream_blocks(got));
    if g.len() != a.len() {
        return Err(format!(
            "{} documents in Helm's manifest, {} in rudder's; {}",
            g.len(),
            a.len(),
            first_diff(want, got)
        ));
    }
    for ((gs, gd), (as_, ad)) in g.iter().zip(a.iter()) {
        if gs != as_ {
            return Err(format!("document order: Helm has {gs}, rudder has {as_}"));
        }
        if gd == ad {
            continue;
        }
        let masked_docs: Vec<String> = match (nondet.get(*gs), golden.get(*gs)) {
            (Some(Mask::All), _) => continue,
            (Some(Mask::Lines(lines)), Some(text)) => {
                let masked: Vec<&str> = text
                    .split('\n')
                    .enumerate()
                    .map(|(i, l)| if lines.contains(&(i + 1)) { MASKED } else { l })
                    .collect();
                split_docs(&masked.join("\n"))
            }
            _ => return Err(format!("{gs}: {}", first_diff(gd, ad))),
        };
        let pattern = masked_docs
            .iter()
            .find(|m| masked_equal(m.trim_end(), gd.trim_end()));
        let ok = pattern.is_some_and(|m| {
            masked_equal(m.trim_end(), ad.trim_end())
                && gd.len() - gd.trim_end().len() == ad.len() - ad.trim_end().len()
        });
        if !ok {
            return Err(format!("{gs}: {}", first_diff(gd, ad)));
        }
    }
    Ok(())
}

/// A case's index, verdict, and median timings (load + template, engine
/// render, engine render with a warm parse cache).
type CaseResult = (usize, Result<(), String>, (f64, f64, f64));

fn read_known_failures(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

fn median_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("rudder-conformance: {e}");
            }
            eprintln!(
                "usage: rudder-conformance CORPUS [--known-failures FILE] [--filter S] [--jobs N] [--time N [--timings FILE]] [-v]"
            );
            return ExitCode::from(2);
        }
    };
    let cases = match read_cases(&args.corpus) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("rudder-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| {
            args.filter
                .as_ref()
                .is_none_or(|f| c.id().contains(f.as_str()))
        })
        .collect();
    let known = match &args.known_failures {
        Some(p) => match read_known_failures(p) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("rudder-conformance: {e}");
                return ExitCode::from(2);
            }
        },
        None => BTreeSet::new(),
    };

    // Each worker takes every `jobs`-th case; values are per-thread (`Rc`).
    let corpus = &args.corpus;
    let mut results: Vec<CaseResult> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..args.jobs)
            .map(|w| {
                let cases = &cases;
                let time = args.time;
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, case) in cases.iter().enumerate().skip(w).step_by(args.jobs) {
                        let outcome = run_case(corpus, case);
                        let verdict = check_case(corpus, case, &outcome);
                        let mut full = Vec::new();
                        let mut render_only = Vec::new();
                        let mut warm = Vec::new();
                        for _ in 0..time {
                            let t = Instant::now();
                            let _ = run_case(corpus, case);
                            full.push(t.elapsed().as_secs_f64() * 1000.0);
                        }
                        if time > 0
                            && let Ok((chart, values)) = load_case(corpus, case)
                        {
                            // The engine stage with the chart already
                            // loaded, as Helm's in-process `Chart.render`
                            // is measured; each run works on a deep copy.
                            // Cold parses every template, as Helm does;
                            // warm reuses a parse cache.
                            let cache = Arc::new(rudder_render::ParseCache::new());
                            for (samples, cache) in
                                [(&mut render_only, None), (&mut warm, Some(cache))]
                            {
                                let opts = TemplateOptions {
                                    cache,
                                    ..corpus_options()
                                };
                                // One unmeasured run fills the cache.
                                let _ = rudder_action::render_files(
                                    &mut deep_clone_chart(&chart),
                                    &values,
                                    &opts,
                                );
                                for _ in 0..time {
                                    let mut c = deep_clone_chart(&chart);
                                    let v = values.deep_copy();
                                    let t = Instant::now();
                                    let _ = rudder_action::render_files(&mut c, &v, &opts);
                                    samples.push(t.elapsed().as_secs_f64() * 1000.0);
                                }
                            }
                        }
                        out.push((
                            i,
                            verdict,
                            (median_ms(full), median_ms(render_only), median_ms(warm)),
                        ));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|r| r.0);

    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut timings = String::new();
    for (i, verdict, (full_ms, render_ms, warm_ms)) in &results {
        let case = &cases[*i];
        let id = case.id();
        match verdict {
            Ok(()) => {
                passed += 1;
                if args.verbose {
                    println!("PASS {id}");
                }
                if known.contains(&id) {
                    fixed.push(id.clone());
                }
            }
            Err(why) => {
                failed += 1;
                let tag = if known.contains(&id) { " (known)" } else { "" };
                println!("FAIL {id}{tag}: {why}");
                if !known.contains(&id) {
                    unexpected.push(id.clone());
                }
            }
        }
        if args.time > 0 {
            timings.push_str(&format!(
                "{}\t{}\t{render_ms:.3}\t{full_ms:.3}\t{warm_ms:.3}\n",
                case.chart, case.name
            ));
        }
    }
    if args.time > 0 {
        match &args.timings {
            Some(p) => {
                if let Err(e) = std::fs::write(p, &timings) {
                    eprintln!("rudder-conformance: {}: {e}", p.display());
                }
            }
            None => print!("{timings}"),
        }
    }
    let mut ok = true;
    if args.known_failures.is_some() {
        if !unexpected.is_empty() {
            ok = false;
            println!(
                "unexpected failures (not in the known-failures list): {}",
                unexpected.join(", ")
            );
        }
        if !fixed.is_empty() {
            ok = false;
            println!(
                "known failures that now pass (remove them from the list): {}",
                fixed.join(", ")
            );
        }
    } else if failed > 0 {
        ok = false;
    }
    println!("{passed} passed, {failed} failed");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
