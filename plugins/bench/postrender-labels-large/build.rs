//! Generates the ballast that makes this plugin as large as a Go-built
//! plugin: `FUNCTIONS` distinct functions (about 2.6 MB of Wasm code) and
//! `DATA_BYTES` of initialised data (a data segment, like Go's runtime
//! tables). Deterministic: the same source always gives the same module.

use std::fmt::Write as _;
use std::path::PathBuf;

const FUNCTIONS: usize = 4400;
const ROUNDS: usize = 12;
const DATA_BYTES: usize = 1 << 20;

/// SplitMix64: reproducible constants without a dependency.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut mix = Mix(0x5EED);
    let mut code = String::new();
    for i in 0..FUNCTIONS {
        let _ = writeln!(
            code,
            "#[inline(never)]\nfn b{i}(x: u64) -> u64 {{\n    let mut h = x;"
        );
        for _ in 0..ROUNDS {
            let (a, b, c) = (mix.next() | 1, mix.next(), mix.next() % 63 + 1);
            let _ = writeln!(
                code,
                "    h = h.wrapping_mul({a:#x}).rotate_left({c});\n    if h & 1 == 0 {{ h ^= {b:#x}; }} else {{ h = h.wrapping_add({b:#x} >> 7); }}"
            );
        }
        code.push_str("    h\n}\n");
    }
    code.push_str(&format!(
        "pub static BALLAST: [fn(u64) -> u64; {FUNCTIONS}] = ["
    ));
    for i in 0..FUNCTIONS {
        let _ = write!(code, "b{i},");
    }
    code.push_str("];\n");
    std::fs::write(out.join("ballast.rs"), code).expect("write ballast.rs");

    let mut data = Vec::with_capacity(DATA_BYTES);
    while data.len() < DATA_BYTES {
        data.extend_from_slice(&mix.next().to_le_bytes());
    }
    std::fs::write(out.join("data.bin"), data).expect("write data.bin");
    println!("cargo::rerun-if-changed=build.rs");
}
