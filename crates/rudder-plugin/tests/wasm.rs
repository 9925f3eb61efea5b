//! Wasm plugins: see below.
