//! `postrender-labels`, native edition: a `postrenderer/v1` subprocess
//! plugin (manifests on stdin, result on stdout, labels as `key=value`
//! arguments) doing exactly what the Wasm plugin does, so the plugin
//! benchmark compares runtimes and not transforms. Built for the host, not
//! for wasm32.

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let labels = match labels_transform::parse_labels(&args) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        return fail(&format!("postrender-labels: reading stdin: {e}"));
    }
    let out = labels_transform::transform(&input, &labels);
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        return fail(&format!("postrender-labels: writing stdout: {e}"));
    }
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "{message}");
    ExitCode::FAILURE
}
