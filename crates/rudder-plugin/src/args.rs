//! Helm's `manuallyProcessArgs` for CLI plugins: the arguments after the
//! plugin name are split into Helm's own global flags (applied to the
//! settings, so the plugin's `HELM_*` variables reflect them) and
//! everything else (forwarded to the plugin, in order).

/// Global flags that take a value (`--flag value` or `--flag=value`).
/// `--kube-insecure-skip-tls-verify` is a boolean in Helm but is listed
/// here too, so it swallows the next argument (Helm's quirk, kept).
const VALUE_FLAGS: [&str; 14] = [
    "--kube-context",
    "--namespace",
    "-n",
    "--kubeconfig",
    "--kube-apiserver",
    "--kube-token",
    "--kube-as-user",
    "--kube-as-group",
    "--kube-ca-file",
    "--registry-config",
    "--repository-cache",
    "--repository-config",
    "--kube-insecure-skip-tls-verify",
    "--kube-tls-server-name",
];

/// Split `args` into (known global flags, forwarded arguments). Only the
/// exact `--debug` token counts (`--debug=true` is forwarded); flags such
/// as `--qps`, `--burst-limit`, `--content-cache` and `--color` are
/// forwarded, as in Helm.
pub fn split_global_flags(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--debug" {
            known.push(a.clone());
        } else if VALUE_FLAGS.contains(&a.as_str()) {
            known.push(a.clone());
            i += 1;
            if let Some(v) = args.get(i) {
                known.push(v.clone());
            }
        } else if VALUE_FLAGS
            .iter()
            .any(|f| a.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
        {
            known.push(a.clone());
        } else {
            unknown.push(a.clone());
        }
        i += 1;
    }
    (known, unknown)
}

/// The known flags of [`split_global_flags`] rewritten as `--flag=value`
/// tokens, which any flag parser reads unambiguously (a value may start
/// with `-`, as pflag allows). `-n` becomes `--namespace`; a bare
/// `--kube-insecure-skip-tls-verify` means true and drops the argument it
/// swallowed, as pflag's boolean flag does.
pub fn known_flags_as_assignments(known: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < known.len() {
        let a = known[i].as_str();
        let long = |f: &str| {
            if f == "-n" {
                "--namespace".to_owned()
            } else {
                f.to_owned()
            }
        };
        if a == "--debug" {
            out.push(a.to_owned());
        } else if a == "--kube-insecure-skip-tls-verify" {
            out.push(a.to_owned());
            i += 1;
        } else if VALUE_FLAGS.contains(&a) {
            i += 1;
            let v = known.get(i).map(String::as_str).unwrap_or("");
            out.push(format!("{}={v}", long(a)));
        } else if let Some((f, v)) = a.split_once('=') {
            out.push(format!("{}={v}", long(f)));
        } else {
            out.push(a.to_owned());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn spec_case_9() {
        let (k, u) = split_global_flags(&s(&[
            "--namespace",
            "ns",
            "-n=x",
            "--debug",
            "bar",
            "--kube-as-group",
            "g",
            "--qps",
            "5",
        ]));
        assert_eq!(
            k,
            s(&[
                "--namespace",
                "ns",
                "-n=x",
                "--debug",
                "--kube-as-group",
                "g"
            ])
        );
        assert_eq!(u, s(&["bar", "--qps", "5"]));
    }

    #[test]
    fn assignments() {
        let (k, _) = split_global_flags(&s(&[
            "--namespace",
            "-dash",
            "-n=x",
            "--kube-insecure-skip-tls-verify",
            "swallowed",
            "--debug",
            "--kube-context=c",
        ]));
        assert_eq!(
            known_flags_as_assignments(&k),
            s(&[
                "--namespace=-dash",
                "--namespace=x",
                "--kube-insecure-skip-tls-verify",
                "--debug",
                "--kube-context=c"
            ])
        );
    }

    #[test]
    fn quirks() {
        let (k, u) = split_global_flags(&s(&[
            "--debug=true",
            "--kube-insecure-skip-tls-verify",
            "x",
            "-n",
        ]));
        assert_eq!(k, s(&["--kube-insecure-skip-tls-verify", "x", "-n"]));
        assert_eq!(u, s(&["--debug=true"]));
        let (k, u) = split_global_flags(&s(&["--namespacex", "--help"]));
        assert!(k.is_empty());
        assert_eq!(u, s(&["--namespacex", "--help"]));
    }
}
