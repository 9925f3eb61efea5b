//! Helm lint's deprecated-API check (`rules/deprecations.go`): a kind that
//! client-go's scheme knows and whose generated lifecycle says it is
//! deprecated at the target Kubernetes version gets the apiserver's
//! warning text (`deprecation.WarningMessage`).

use super::deprecations_table::TABLE;

/// One kind's lifecycle (Kubernetes' `APILifecycle*` methods).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifecycle {
    pub(crate) group: &'static str,
    pub(crate) version: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) deprecated: (u32, u32),
    pub(crate) removed: (u32, u32),
    pub(crate) replacement: Option<(&'static str, &'static str, &'static str)>,
}

/// `schema.ParseGroupVersion` then `FromAPIVersionAndKind`: an
/// unparsable apiVersion leaves group and version empty.
fn group_version(api_version: &str) -> (&str, &str) {
    if api_version.is_empty() || api_version == "/" {
        return ("", "");
    }
    match api_version.split_once('/') {
        None => ("", api_version),
        Some((g, v)) if !v.contains('/') => (g, v),
        Some(_) => ("", ""),
    }
}

fn gv_string(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    }
}

/// The warning for `api_version`/`kind` at Kubernetes `major.minor`, or
/// `None` when the kind is not deprecated there (or not a built-in kind).
pub(crate) fn deprecation_warning(
    api_version: &str,
    kind: &str,
    major: u32,
    minor: u32,
) -> Option<String> {
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let (group, version) = group_version(api_version);
    let l = TABLE
        .iter()
        .find(|l| l.group == group && l.version == version && l.kind == kind)?;
    let (dmaj, dmin) = l.deprecated;
    if (dmaj, dmin) == (0, 0) {
        return None;
    }
    let deprecated_now =
        (major, minor) == (0, 0) || dmaj < major || (dmaj == major && dmin <= minor);
    if !deprecated_now {
        return None;
    }
    let mut msg = format!(
        "{} {} is deprecated in v{dmaj}.{dmin}+",
        gv_string(group, version),
        kind
    );
    if l.removed != (0, 0) {
        msg.push_str(&format!(
            ", unavailable in v{}.{}+",
            l.removed.0, l.removed.1
        ));
    }
    if let Some((g, v, k)) = l.replacement {
        msg.push_str(&format!("; use {} {k}", gv_string(g, v)));
    }
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdb_v1beta1() {
        assert_eq!(
            deprecation_warning("policy/v1beta1", "PodDisruptionBudget", 1, 36).as_deref(),
            Some(
                "policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget"
            )
        );
        assert_eq!(
            deprecation_warning("policy/v1beta1", "PodDisruptionBudget", 1, 20),
            None
        );
        assert_eq!(deprecation_warning("apps/v1", "Deployment", 1, 36), None);
        assert_eq!(deprecation_warning("example.com/v1", "Foo", 1, 36), None);
    }
}
