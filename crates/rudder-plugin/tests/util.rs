//! Shared helpers: paths to the test plugins and a host with a controlled
//! environment.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rudder_plugin::{Plugin, PluginHost};

/// `tests/data/plugins`.
pub(crate) fn plugins_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/plugins")
}

/// Load one of the test plugins.
pub(crate) fn plugin(name: &str) -> Plugin {
    match Plugin::load(&plugins_dir().join(name)) {
        Ok(p) => p,
        Err(e) => panic!("loading {name}: {e}"),
    }
}

/// A host whose plugins see exactly `PATH` plus `extra` from the process
/// environment, and the given `HELM_*` variables.
pub(crate) fn host(helm: &[(&str, &str)], extra: &[(&str, &str)]) -> PluginHost {
    let helm: BTreeMap<String, String> = helm
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut process: BTreeMap<String, String> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    process.insert("PATH".to_owned(), std::env::var("PATH").unwrap_or_default());
    PluginHost::new(helm, None).with_process_env(process)
}

/// A key=value line list as a map (the test scripts' output format).
pub(crate) fn kv(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            m.entry(k.to_owned()).or_default().push(v.to_owned());
        }
    }
    m
}
