//! rudder-plugin's integration tests: plugin.yaml parsing and validation
//! (spec §9 cases 1-7 and every error text), discovery, and the subprocess
//! runtime with real shell-script plugins from `tests/data/plugins`.

mod util;

mod discovery;
mod metadata;
mod subprocess;
mod wasm;
