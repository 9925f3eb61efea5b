//! The environment Helm gives plugins: `settings.EnvVars()` (also what
//! `helm env` prints) and the merge rules per invocation kind.

use std::collections::BTreeMap;

use rudder_env::Settings;

/// Helm's `EnvSettings.EnvVars()`: the `HELM_*` variables describing the
/// current settings. `helm_bin` is `argv[0]` as the user invoked rudder;
/// `namespace` the resolved namespace (flag, kubeconfig, or `default`).
pub fn helm_env_vars(
    settings: &Settings,
    helm_bin: &str,
    namespace: &str,
) -> BTreeMap<String, String> {
    let base = |p: std::path::PathBuf| {
        let s = p.to_string_lossy().into_owned();
        // HelmPaths joins "" with a trailing separator; Go's Join cleans it.
        match s.strip_suffix(std::path::MAIN_SEPARATOR) {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => s,
        }
    };
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let mut m = BTreeMap::new();
    let mut set = |k: &str, v: String| {
        m.insert(k.to_owned(), v);
    };
    set("HELM_BIN", helm_bin.to_owned());
    set("HELM_CACHE_HOME", base(settings.paths.cache_path("")));
    set("HELM_CONFIG_HOME", base(settings.paths.config_path("")));
    set("HELM_DATA_HOME", base(settings.paths.data_path("")));
    set("HELM_DEBUG", settings.debug.to_string());
    set("HELM_PLUGINS", settings.plugins_directory.clone());
    set("HELM_REGISTRY_CONFIG", path(&settings.registry_config));
    set("HELM_REPOSITORY_CACHE", path(&settings.repository_cache));
    set("HELM_CONTENT_CACHE", path(&settings.content_cache));
    set("HELM_REPOSITORY_CONFIG", path(&settings.repository_config));
    set("HELM_NAMESPACE", namespace.to_owned());
    set("HELM_MAX_HISTORY", settings.max_history.to_string());
    set("HELM_BURST_LIMIT", settings.burst_limit.to_string());
    set("HELM_QPS", format!("{:.2}", settings.qps));
    set("HELM_KUBECONTEXT", settings.kube_context.clone());
    set("HELM_KUBETOKEN", settings.kube_token.clone());
    set("HELM_KUBEASUSER", settings.kube_as_user.clone());
    set("HELM_KUBEASGROUPS", settings.kube_as_groups.join(","));
    set("HELM_KUBEAPISERVER", settings.kube_api_server.clone());
    set("HELM_KUBECAFILE", settings.kube_ca_file.clone());
    set(
        "HELM_KUBEINSECURE_SKIP_TLS_VERIFY",
        settings.kube_insecure_skip_tls_verify.to_string(),
    );
    set(
        "HELM_KUBETLS_SERVER_NAME",
        settings.kube_tls_server_name.clone(),
    );
    if !settings.kube_config.is_empty() {
        set("KUBECONFIG", settings.kube_config.clone());
    }
    m
}

/// The process environment as a map (Helm's `ParseEnv(os.Environ())`):
/// entries with an empty name are dropped.
pub fn process_env_map() -> BTreeMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| {
            let k = k.to_string_lossy().into_owned();
            (!k.is_empty()).then(|| (k, v.to_string_lossy().into_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_vars_follow_settings() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_owned()),
            "HELM_PLUGINS" => Some("/a:/b".to_owned()),
            "HELM_KUBEASGROUPS" => Some("g1,g2".to_owned()),
            _ => None,
        };
        let s = Settings::from_env(&env);
        let m = helm_env_vars(&s, "rudder", "ns");
        assert_eq!(m["HELM_PLUGINS"], "/a:/b");
        assert_eq!(m["HELM_CACHE_HOME"], "/home/u/.cache/helm");
        assert_eq!(m["HELM_QPS"], "0.00");
        assert_eq!(m["HELM_KUBEASGROUPS"], "g1,g2");
        assert_eq!(m["HELM_NAMESPACE"], "ns");
        assert_eq!(m["HELM_DEBUG"], "false");
        assert!(!m.contains_key("KUBECONFIG"));
    }
}
