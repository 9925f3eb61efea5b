//! Helm's environment settings, so users keep their Helm setup.
//!
//! rudder reads the same `HELM_*` variables and uses the same directories
//! as Helm 4 (`pkg/cli/environment.go`, `pkg/helmpath`): a `HELM_CACHE_HOME`
//! / `HELM_CONFIG_HOME` / `HELM_DATA_HOME` variable wins, then the XDG
//! variable plus `helm/`, then the platform default (`~/.cache/helm`,
//! `~/.config/helm`, `~/.local/share/helm`; `~/Library/...` on macOS).
//! Plugins, repositories and registry credentials are therefore shared with
//! an installed Helm.
//!
//! Settings are built from an environment lookup function rather than the
//! process environment directly, so embedders and tests can supply their own.

use std::path::{Path, PathBuf};

/// The default `HELM_MAX_HISTORY`.
pub const DEFAULT_MAX_HISTORY: i64 = 10;
/// The default `HELM_BURST_LIMIT`.
pub const DEFAULT_BURST_LIMIT: i64 = 100;

/// An environment lookup: `name` → value, `None` when unset.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment as an [`EnvLookup`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
}

/// Helm's base directories (`helmpath`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmPaths {
    cache: PathBuf,
    config: PathBuf,
    data: PathBuf,
}

fn home_dir(env: EnvLookup<'_>) -> PathBuf {
    env("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}

fn base(env: EnvLookup<'_>, helm_var: &str, xdg_var: &str, default: PathBuf) -> PathBuf {
    if let Some(b) = env(helm_var).filter(|b| !b.is_empty()) {
        return PathBuf::from(b);
    }
    let xdg = env(xdg_var)
        .filter(|b| !b.is_empty())
        .map(PathBuf::from)
        .unwrap_or(default);
    xdg.join("helm")
}

impl HelmPaths {
    /// Resolve the directories from the environment.
    pub fn from_env(env: EnvLookup<'_>) -> HelmPaths {
        let home = home_dir(env);
        let (cache, config, data) = if cfg!(target_os = "macos") {
            (
                home.join("Library").join("Caches"),
                home.join("Library").join("Preferences"),
                home.join("Library"),
            )
        } else {
            (
                home.join(".cache"),
                home.join(".config"),
                home.join(".local").join("share"),
            )
        };
        HelmPaths {
            cache: base(env, "HELM_CACHE_HOME", "XDG_CACHE_HOME", cache),
            config: base(env, "HELM_CONFIG_HOME", "XDG_CONFIG_HOME", config),
            data: base(env, "HELM_DATA_HOME", "XDG_DATA_HOME", data),
        }
    }

    /// A path under the cache home (`helmpath.CachePath`).
    pub fn cache_path(&self, elem: impl AsRef<Path>) -> PathBuf {
        self.cache.join(elem)
    }

    /// A path under the config home (`helmpath.ConfigPath`).
    pub fn config_path(&self, elem: impl AsRef<Path>) -> PathBuf {
        self.config.join(elem)
    }

    /// A path under the data home (`helmpath.DataPath`).
    pub fn data_path(&self, elem: impl AsRef<Path>) -> PathBuf {
        self.data.join(elem)
    }
}

/// Helm's `EnvSettings`: what the `HELM_*` variables (and later the global
/// flags) configure.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The resolved directories.
    pub paths: HelmPaths,
    /// `-n/--namespace` or `HELM_NAMESPACE` (empty when neither is set).
    pub namespace_override: String,
    /// `--kubeconfig` or `KUBECONFIG` (a path list).
    pub kube_config: String,
    /// `--kube-context` or `HELM_KUBECONTEXT`.
    pub kube_context: String,
    /// `--kube-token` or `HELM_KUBETOKEN`.
    pub kube_token: String,
    /// `--kube-as-user` or `HELM_KUBEASUSER`.
    pub kube_as_user: String,
    /// `--kube-as-group` or `HELM_KUBEASGROUPS` (comma-separated).
    pub kube_as_groups: Vec<String>,
    /// `--kube-apiserver` or `HELM_KUBEAPISERVER`.
    pub kube_api_server: String,
    /// `--kube-ca-file` or `HELM_KUBECAFILE`.
    pub kube_ca_file: String,
    /// `--kube-tls-server-name` or `HELM_KUBETLS_SERVER_NAME`.
    pub kube_tls_server_name: String,
    /// `--kube-insecure-skip-tls-verify` or `HELM_KUBEINSECURE_SKIP_TLS_VERIFY`.
    pub kube_insecure_skip_tls_verify: bool,
    /// `--debug` or `HELM_DEBUG`.
    pub debug: bool,
    /// `HELM_PLUGINS`: a path list of plugin directories.
    pub plugins_directory: String,
    /// `--registry-config` or `HELM_REGISTRY_CONFIG`.
    pub registry_config: PathBuf,
    /// `--repository-config` or `HELM_REPOSITORY_CONFIG`.
    pub repository_config: PathBuf,
    /// `--repository-cache` or `HELM_REPOSITORY_CACHE`.
    pub repository_cache: PathBuf,
    /// `--content-cache` or `HELM_CONTENT_CACHE`.
    pub content_cache: PathBuf,
    /// `HELM_MAX_HISTORY`.
    pub max_history: i64,
    /// `--burst-limit` or `HELM_BURST_LIMIT`.
    pub burst_limit: i64,
    /// `--qps` or `HELM_QPS`.
    pub qps: f32,
    /// `--color` or `HELM_COLOR` / `NO_COLOR`: `never`, `auto` or `always`.
    pub color_mode: String,
}

fn go_parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

impl Settings {
    /// Settings from the environment, as Helm's `cli.New()`.
    pub fn from_env(env: EnvLookup<'_>) -> Settings {
        let paths = HelmPaths::from_env(env);
        let or = |name: &str, def: PathBuf| env(name).map(PathBuf::from).unwrap_or(def);
        let int_or =
            |name: &str, def: i64| env(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(def);
        let color_mode = if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            "never".to_owned()
        } else {
            match env("HELM_COLOR").map(|v| v.to_lowercase()) {
                Some(v) if matches!(v.as_str(), "never" | "auto" | "always") => v,
                _ => "auto".to_owned(),
            }
        };
        Settings {
            namespace_override: env("HELM_NAMESPACE").unwrap_or_default(),
            kube_config: env("KUBECONFIG").unwrap_or_default(),
            kube_context: env("HELM_KUBECONTEXT").unwrap_or_default(),
            kube_token: env("HELM_KUBETOKEN").unwrap_or_default(),
            kube_as_user: env("HELM_KUBEASUSER").unwrap_or_default(),
            kube_as_groups: env("HELM_KUBEASGROUPS")
                .map(|v| {
                    let t = v.trim_matches(|c| c == ',' || c == ' ');
                    if t.is_empty() {
                        Vec::new()
                    } else {
                        t.split(',').map(str::to_owned).collect()
                    }
                })
                .unwrap_or_default(),
            kube_api_server: env("HELM_KUBEAPISERVER").unwrap_or_default(),
            kube_ca_file: env("HELM_KUBECAFILE").unwrap_or_default(),
            kube_tls_server_name: env("HELM_KUBETLS_SERVER_NAME").unwrap_or_default(),
            kube_insecure_skip_tls_verify: env("HELM_KUBEINSECURE_SKIP_TLS_VERIFY")
                .and_then(|v| go_parse_bool(&v))
                .unwrap_or(false),
            debug: env("HELM_DEBUG")
                .and_then(|v| go_parse_bool(&v))
                .unwrap_or(false),
            plugins_directory: env("HELM_PLUGINS")
                .unwrap_or_else(|| paths.data_path("plugins").to_string_lossy().into_owned()),
            registry_config: or(
                "HELM_REGISTRY_CONFIG",
                paths.config_path("registry/config.json"),
            ),
            repository_config: or(
                "HELM_REPOSITORY_CONFIG",
                paths.config_path("repositories.yaml"),
            ),
            repository_cache: or("HELM_REPOSITORY_CACHE", paths.cache_path("repository")),
            content_cache: or("HELM_CONTENT_CACHE", paths.cache_path("content")),
            max_history: int_or("HELM_MAX_HISTORY", DEFAULT_MAX_HISTORY),
            burst_limit: int_or("HELM_BURST_LIMIT", DEFAULT_BURST_LIMIT),
            qps: env("HELM_QPS")
                .and_then(|v| v.parse::<f32>().ok())
                .unwrap_or(0.0),
            color_mode,
            paths,
        }
    }

    /// The kubeconfig files to read: `--kubeconfig`/`KUBECONFIG` (a
    /// `:`-separated list), else `~/.kube/config`.
    pub fn kubeconfig_paths(&self, env: EnvLookup<'_>) -> Vec<PathBuf> {
        if !self.kube_config.is_empty() {
            return std::env::split_paths(&self.kube_config)
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
        }
        vec![home_dir(env).join(".kube").join("config")]
    }

    /// The release namespace (Helm's `EnvSettings.Namespace`): the
    /// `-n`/`HELM_NAMESPACE` override, else the namespace of the kubeconfig
    /// context (`--kube-context` or the current context), else `default`.
    pub fn namespace(&self, env: EnvLookup<'_>) -> String {
        if !self.namespace_override.is_empty() {
            return self.namespace_override.clone();
        }
        kubeconfig_namespace(&self.kubeconfig_paths(env), &self.kube_context)
            .unwrap_or_else(|| "default".to_owned())
    }
}

/// The namespace of a kubeconfig context. Files are merged as client-go
/// does: the first file that sets `current-context` wins, and the first
/// file that defines a context name wins.
fn kubeconfig_namespace(paths: &[PathBuf], context_override: &str) -> Option<String> {
    let docs: Vec<rudder_value::Map> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|text| match rudder_yaml::from_yaml(&text) {
            Ok(rudder_value::Value::Map(m)) => Some(m),
            _ => None,
        })
        .collect();
    let current = if context_override.is_empty() {
        docs.iter().find_map(|d| {
            d.get("current-context")
                .and_then(|v| v.as_str().map(str::to_owned))
                .filter(|s| !s.is_empty())
        })?
    } else {
        context_override.to_owned()
    };
    for d in &docs {
        let Some(rudder_value::Value::List(contexts)) = d.get("contexts") else {
            continue;
        };
        for c in contexts.iter() {
            let Some(cm) = c.as_map() else { continue };
            if cm.get("name").as_ref().and_then(|n| n.as_str()) != Some(current.as_str()) {
                continue;
            }
            let ns = cm
                .get("context")
                .and_then(|ctx| ctx.as_map().and_then(|m| m.get("namespace")))
                .and_then(|n| n.as_str().map(str::to_owned))
                .filter(|n| !n.is_empty());
            return ns;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn helm_vars_win_over_xdg() {
        let env = env_of(&[
            ("HOME", "/home/u"),
            ("XDG_CACHE_HOME", "/xdg/cache"),
            ("HELM_CONFIG_HOME", "/helm/config"),
        ]);
        let p = HelmPaths::from_env(&env);
        assert_eq!(
            p.cache_path("repository"),
            PathBuf::from("/xdg/cache/helm/repository")
        );
        assert_eq!(
            p.config_path("repositories.yaml"),
            PathBuf::from("/helm/config/repositories.yaml")
        );
        if !cfg!(target_os = "macos") {
            assert_eq!(
                p.data_path("plugins"),
                PathBuf::from("/home/u/.local/share/helm/plugins")
            );
        }
    }

    #[test]
    fn settings_defaults_and_overrides() {
        let env = env_of(&[
            ("HOME", "/h"),
            ("HELM_PLUGINS", "/a:/b"),
            ("HELM_DEBUG", "1"),
            ("HELM_MAX_HISTORY", "x"),
        ]);
        let s = Settings::from_env(&env);
        assert_eq!(s.plugins_directory, "/a:/b");
        assert!(s.debug);
        assert_eq!(s.max_history, DEFAULT_MAX_HISTORY);
        assert_eq!(s.color_mode, "auto");
    }

    #[test]
    fn namespace_falls_back_to_default() {
        let env = env_of(&[
            ("HOME", "/nonexistent-home"),
            ("KUBECONFIG", "/nonexistent/config"),
        ]);
        let s = Settings::from_env(&env);
        assert_eq!(s.namespace(&env), "default");
        let env = env_of(&[("HELM_NAMESPACE", "ns1")]);
        assert_eq!(Settings::from_env(&env).namespace(&env), "ns1");
    }
}
