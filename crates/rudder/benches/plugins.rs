//! Wasm plugins against processes, side by side (issue: "Wasm plugins
//! faster than processes"). One run measures the same post-render transform
//! (`plugins/examples/labels-transform`) done four ways, through rudder's
//! real plugin host (`rudder_plugin::PluginHost::post_render`, JSON envelope
//! and all):
//!
//! * `wasm`: the example plugin `plugins/examples/postrender-labels` (~80 KB);
//! * `wasm-large`: the same transform in a ~3.7 MB module with ~2.6 MB of
//!   code and 1 MiB of data (`plugins/bench/postrender-labels-large`), the
//!   size of a Go-built plugin;
//! * `native`: a native subprocess plugin (`plugins/bench/postrender-labels-native`);
//! * `shell`: the awk subprocess plugin (`plugins/examples/postrender-labels-subprocess`);
//!
//! at 1 KiB, 100 KiB and 5 MiB of manifests, in two situations:
//!
//! * first call in a fresh process: this binary re-runs itself as a child
//!   that creates a `PluginHost` and makes one call, timed inside the child
//!   from before the host exists to the result. Wasm is measured cold (empty
//!   code cache: compile) and with a warm disk cache (`$HELM_CACHE_HOME/rudder/wasm`);
//! * warm, in one process: repeated calls on one host (Wasm: compiled
//!   once, a new instance per call; subprocess: a spawn per call).
//!
//! It also times `rudder version` as a whole process. Outputs of the four
//! plugins are checked to be identical before anything is timed. Medians
//! are printed as a Markdown table with ratios against the native
//! subprocess; `--out FILE` writes the table to a file too.
//!
//! Run: `cargo bench -p rudder --bench plugins [-- --runs N --out FILE]`.
//! Needs the wasm32-wasip1 target (it builds the plugins it uses).

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark reports on stdout and stderr"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use rudder_extism::test_support;
use rudder_plugin::{Plugin, PluginHost};

const CHILD_ENV: &str = "RUDDER_PLUGIN_BENCH_CHILD";

const SIZES: &[(&str, usize)] = &[
    ("1 KiB", 1 << 10),
    ("100 KiB", 100 << 10),
    ("5 MiB", 5 << 20),
];

/// The plugins, by the directory name the bench gives them.
const WASM: &str = "labels-wasm";
const WASM_LARGE: &str = "labels-wasm-large";
const NATIVE: &str = "labels-native";
const SHELL: &str = "labels-shell";

fn main() -> ExitCode {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        return child(&spec);
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plugin benchmark: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Child mode: `PLUGIN_DIR|INPUT_FILE|CACHE_DIR[|N]` (empty cache: none).
/// One call, its time in nanoseconds on stdout (then N untimed calls).
fn child(spec: &str) -> ExitCode {
    let mut parts = spec.split('|');
    let (Some(dir), Some(input), Some(cache)) = (parts.next(), parts.next(), parts.next()) else {
        eprintln!("bad {CHILD_ENV}");
        return ExitCode::FAILURE;
    };
    let Ok(manifests) = std::fs::read_to_string(input) else {
        eprintln!("cannot read {input}");
        return ExitCode::FAILURE;
    };
    let start = Instant::now();
    let cache = (!cache.is_empty()).then(|| PathBuf::from(cache));
    let host = PluginHost::new(BTreeMap::new(), cache);
    let result = Plugin::load(Path::new(dir))
        .map_err(|e| e.to_string())
        .and_then(|p| {
            host.post_render(&p, &manifests, &[])
                .map_err(|e| e.to_string())
        });
    let elapsed = start.elapsed();
    // `|N`: N more calls on the same host, for profiling warm calls
    // (`perf record` on a child started by hand).
    if let (Ok(p), Some(n)) = (
        Plugin::load(Path::new(dir)),
        parts.next().and_then(|n| n.parse::<u32>().ok()),
    ) {
        for _ in 0..n {
            let _ = std::hint::black_box(host.post_render(&p, &manifests, &[]));
        }
    }
    match result {
        Ok(out) => {
            std::hint::black_box(out);
            println!("{}", elapsed.as_nanos());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    runs: usize,
    out: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        runs: 15,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => {
                o.runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            "--out" => o.out = Some(args.next().ok_or("--out needs a file")?.into()),
            // What cargo passes to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

fn run() -> Result<(), String> {
    let opts = options()?;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let plugins = setup_plugins(work.path())?;
    let inputs: Vec<(&str, PathBuf, String)> = SIZES
        .iter()
        .map(|&(label, size)| {
            let text = manifests(size);
            let path = work.path().join(format!("input-{size}.yaml"));
            std::fs::write(&path, &text).map(|()| (label, path, text))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;

    // Same output from every plugin, or the comparison means nothing.
    let host = PluginHost::new(BTreeMap::new(), None);
    for (label, _, text) in &inputs {
        let mut outs = Vec::new();
        for name in [WASM, WASM_LARGE, NATIVE, SHELL] {
            let out = host
                .post_render(&plugins[name], text, &[])
                .map_err(|e| format!("{name} at {label}: {e}"))?;
            outs.push((name, out));
        }
        if let Some((name, _)) = outs.iter().find(|(_, o)| *o != outs[0].1) {
            return Err(format!("{name} output differs from {WASM} at {label}"));
        }
    }
    eprintln!("outputs identical; measuring ({} runs per cell)", opts.runs);

    let mut table = String::new();
    let _ = writeln!(
        table,
        "Medians of {} runs; ratio = time / native subprocess time at the same size (lower is faster).\n",
        opts.runs
    );
    let _ = writeln!(
        table,
        "| case | 1 KiB | 100 KiB | 5 MiB |\n|---|---|---|---|"
    );

    let warm_cache = work.path().join("warm-cache");
    // First calls in fresh processes.
    let mut rows: Vec<(String, Vec<Duration>)> = Vec::new();
    let fresh_cases: [(&str, &str, CacheMode); 6] = [
        ("fresh process: native subprocess", NATIVE, CacheMode::None),
        ("fresh process: shell subprocess", SHELL, CacheMode::None),
        (
            "fresh process: Wasm, no code cache (compile)",
            WASM,
            CacheMode::Empty,
        ),
        ("fresh process: Wasm, disk cache", WASM, CacheMode::Warm),
        (
            "fresh process: large Wasm (3.7 MB), no code cache",
            WASM_LARGE,
            CacheMode::Empty,
        ),
        (
            "fresh process: large Wasm (3.7 MB), disk cache",
            WASM_LARGE,
            CacheMode::Warm,
        ),
    ];
    let mut cold_dirs = 0;
    for (title, name, mode) in fresh_cases {
        let mut cells = Vec::new();
        for (label, input, _) in &inputs {
            let runs = if label.starts_with('5') {
                opts.runs.min(7)
            } else {
                opts.runs
            };
            let mut times = Vec::new();
            for i in 0..runs + 1 {
                let cache = match mode {
                    CacheMode::None => String::new(),
                    CacheMode::Warm => warm_cache.display().to_string(),
                    CacheMode::Empty => {
                        cold_dirs += 1;
                        let d = work.path().join(format!("cold-{cold_dirs}"));
                        let _ = std::fs::remove_dir_all(&d);
                        d.display().to_string()
                    }
                };
                let t = fresh_call(&plugins[name], input, &cache)?;
                // The first run warms the disk cache and the page cache.
                if i > 0 {
                    times.push(t);
                }
            }
            cells.push(median(&mut times));
            eprintln!(
                "  {title} @ {label}: {:?}",
                cells.last().copied().unwrap_or_default()
            );
        }
        rows.push((title.to_owned(), cells));
    }

    // Warm calls in one process: the host `rudder` uses, and one with
    // pooled instance slots (`PluginHost::with_pooled_instances`).
    let pooled = PluginHost::new(BTreeMap::new(), None).with_pooled_instances(16);
    for (title, name, host) in [
        (
            "warm in-process: native subprocess (spawn per call)",
            NATIVE,
            &host,
        ),
        (
            "warm in-process: shell subprocess (spawn per call)",
            SHELL,
            &host,
        ),
        ("warm in-process: Wasm (new instance per call)", WASM, &host),
        (
            "warm in-process: large Wasm (new instance per call)",
            WASM_LARGE,
            &host,
        ),
        ("warm in-process: Wasm, pooled instances", WASM, &pooled),
        (
            "warm in-process: large Wasm, pooled instances",
            WASM_LARGE,
            &pooled,
        ),
    ] {
        let mut cells = Vec::new();
        for (label, _, text) in &inputs {
            let n = match *label {
                "1 KiB" => opts.runs * 10,
                "100 KiB" => opts.runs * 3,
                _ => opts.runs,
            };
            let plugin = &plugins[name];
            host.post_render(plugin, text, &[])
                .map_err(|e| e.to_string())?;
            let mut times = Vec::new();
            for _ in 0..n {
                let start = Instant::now();
                let out = host
                    .post_render(plugin, text, &[])
                    .map_err(|e| e.to_string())?;
                times.push(start.elapsed());
                std::hint::black_box(out);
            }
            cells.push(median(&mut times));
            eprintln!(
                "  {title} @ {label}: {:?}",
                cells.last().copied().unwrap_or_default()
            );
        }
        rows.push((title.to_owned(), cells));
    }

    let native_fresh = rows[0].1.clone();
    let native_warm = rows[6].1.clone();
    for (i, (title, cells)) in rows.iter().enumerate() {
        let base = if i < 6 { &native_fresh } else { &native_warm };
        let mut line = format!("| {title} |");
        for (c, b) in cells.iter().zip(base) {
            let _ = write!(line, " {} ({:.2}x) |", ms(*c), ratio(*c, *b));
        }
        let _ = writeln!(table, "{line}");
    }

    let version = rudder_version_median(opts.runs * 2)?;
    let _ = writeln!(
        table,
        "\n`rudder version` (whole process, spawn to exit): median {} over {} runs.",
        ms(version),
        opts.runs * 2
    );
    println!("{table}");
    if let Some(out) = opts.out {
        std::fs::write(&out, &table).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum CacheMode {
    /// Subprocess plugins: no Wasm engine at all.
    None,
    /// A new, empty cache directory per run: every call compiles.
    Empty,
    /// One cache directory shared by all runs (warmed by the first).
    Warm,
}

fn fresh_call(plugin: &Plugin, input: &Path, cache: &str) -> Result<Duration, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let spec = format!("{}|{}|{cache}", plugin.dir().display(), input.display());
    let out = Command::new(exe)
        .env(CHILD_ENV, spec)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "child for {} failed: {}",
            plugin.name(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let ns: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("child output: {e}"))?;
    Ok(Duration::from_nanos(ns))
}

fn rudder_version_median(runs: usize) -> Result<Duration, String> {
    let exe = env!("CARGO_BIN_EXE_rudder");
    let mut times = Vec::new();
    for i in 0..=runs {
        let start = Instant::now();
        let out = Command::new(exe)
            .arg("version")
            .output()
            .map_err(|e| e.to_string())?;
        let t = start.elapsed();
        if !out.status.success() {
            return Err("rudder version failed".to_owned());
        }
        if i > 0 {
            times.push(t);
        }
    }
    Ok(median(&mut times))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// ConfigMap documents until the stream reaches `bytes`, half of them with
/// a labels block already (so both branches of the transform run).
fn manifests(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut i = 0;
    while out.len() < bytes {
        let labels = if i % 2 == 0 {
            "  labels:\n    app: demo\n"
        } else {
            ""
        };
        let _ = write!(
            out,
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n{labels}data:\n  key: \"value {i}\"\n"
        );
        i += 1;
    }
    out
}

/// Build what is needed and lay the four plugins out under `work/plugins`.
fn setup_plugins(work: &Path) -> Result<BTreeMap<&'static str, Plugin>, String> {
    test_support::build_plugins()?;
    let guest = test_support::plugins_dir();
    let target = test_support::target_dir();
    test_support::cargo_build(&["--target", "wasm32-wasip1", "-p", "postrender-labels-large"])?;
    test_support::cargo_build(&["-p", "postrender-labels-native"])?;

    let root = work.join("plugins");
    let copy = |from: PathBuf, name: &str, file: &str| -> Result<(), String> {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::copy(&from, dir.join(file))
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", from.display()))
    };
    let example = test_support::example_dir("postrender-labels");
    copy(example.join("plugin.yaml"), WASM, "plugin.yaml")?;
    copy(
        test_support::wasm_path("postrender-labels"),
        WASM,
        "plugin.wasm",
    )?;
    let bench = guest.join("bench");
    copy(
        bench.join("postrender-labels-large/plugin.yaml"),
        WASM_LARGE,
        "plugin.yaml",
    )?;
    copy(
        test_support::wasm_path("postrender-labels-large"),
        WASM_LARGE,
        "plugin.wasm",
    )?;
    copy(
        bench.join("postrender-labels-native/plugin.yaml"),
        NATIVE,
        "plugin.yaml",
    )?;
    copy(
        target.join("release/postrender-labels-native"),
        NATIVE,
        "postrender-labels-native",
    )?;
    let shell = test_support::example_dir("postrender-labels-subprocess");
    copy(shell.join("plugin.yaml"), SHELL, "plugin.yaml")?;
    copy(
        shell.join("postrender-labels.sh"),
        SHELL,
        "postrender-labels.sh",
    )?;

    let mut out = BTreeMap::new();
    for name in [WASM, WASM_LARGE, NATIVE, SHELL] {
        let p = Plugin::load(&root.join(name)).map_err(|e| format!("{name}: {e}"))?;
        out.insert(name, p);
    }
    Ok(out)
}
