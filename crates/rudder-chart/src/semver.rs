//! Versions in charts: Masterminds semver (re-exported from
//! `rudder-semver`, so `rudder_chart::semver::Version` keeps working) and
//! Helm's `kubeVersion` check.

pub use rudder_semver::{Constraints, SemverError, Version, is_compatible_range};

/// A root chart's `kubeVersion` does not admit the cluster version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube_version}"
)]
pub struct KubeVersionError {
    /// The chart's `kubeVersion` constraint.
    pub constraint: String,
    /// The Kubernetes version as Helm prints it (`Capabilities.KubeVersion.Version`).
    pub kube_version: String,
}

/// Helm's `kubeVersion` check (`action.renderResources`): an empty
/// constraint always passes; otherwise the normalised version
/// (`KubeVersion.String()`, e.g. `v1.36.0`) must satisfy it. `display` is
/// the version text used in the error (`KubeVersion.Version`).
pub fn check_kube_version(
    constraint: &str,
    normalised: &str,
    display: &str,
) -> Result<(), KubeVersionError> {
    if constraint.is_empty() || is_compatible_range(constraint, normalised) {
        return Ok(());
    }
    Err(KubeVersionError {
        constraint: constraint.to_owned(),
        kube_version: display.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_messages() {
        let err = check_kube_version("<1.20.0", "v1.36.0", "v1.36.0").err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some(
                "chart requires kubeVersion: <1.20.0 which is incompatible with Kubernetes v1.36.0"
            )
        );
        assert!(check_kube_version(">=1.20.0-0", "v1.36.0", "v1.36.0").is_ok());
        assert!(check_kube_version("", "v1.36.0", "v1.36.0").is_ok());
    }
}
