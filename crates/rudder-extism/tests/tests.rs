//! rudder-extism's integration tests: one binary (ripgrep/wasmtime style).
//!
//! Guest plugins are built from source under `plugins/` by
//! `rudder_extism::test_support` (once per process, behind a file lock); a
//! missing wasm32-wasip1 target fails the tests that need it, loudly.

mod util;

mod abi;
mod cache;
mod examples;
mod pool;
mod sandbox;
mod server;
