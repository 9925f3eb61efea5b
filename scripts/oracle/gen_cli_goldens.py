#!/usr/bin/env python3
"""Golden outputs for the `rudder` CLI integration tests (crates/rudder/tests).

For each case, from real Helm 4.2.3 via helm-python-sdk:
  engine.json    the engine output map (Chart.render)
  manifest.yaml  the release manifest of a client-side dry-run install
                 (what `helm template` prints, without hooks and CRDs)
  stdout.txt     what `helm template` prints: pkg/cmd/template.go's rule
                 applied to the two above: TrimSpace(CRDs + manifest) + "\\n",
                 then each hook document as "---\\n# Source: PATH\\nDOC\\n",
                 hooks ordered by Helm's InstallOrder (a stable sort by kind,
                 pkg/release/v1/util/kind_sorter.go) over file order.
The oracle's SDK has no `helm template` entry point, so stdout.txt is that
rule applied to oracle output; every byte of manifests and hooks is Helm's.

Values: -f files and --set/--set-string as oracle.load_values does them
(Helm's own parsers and mergeMaps). Note: the SDK passes values as JSON, so
--set integers reach templates as float64 (real `helm template` gives
int64); the cases avoid templates where that matters.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "/work/shared/corpus")
import oracle  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder", "tests", "data")
SHOP = "crates/rudder/tests/data/charts/shop"

# (directory, chart, release, namespace, -f files, --set, --set-string, include CRDs)
CASES = [
    ("hello", "examples/hello", "demo", "default", [], [], [], False),
    ("hello-set", "examples/hello", "web", "prod", [],
     ["replicaCount=5,greeting=Hi there,ingress.enabled=true", "podLabels.tier=frontend"], [], False),
    ("shop", SHOP, "shop", "store", [], [], [], False),
    ("shop-crds", SHOP, "shop", "store", [], [], [], True),
    ("shop-values", SHOP, "shop", "store", ["crates/rudder/tests/data/charts/shop-override.yaml"],
     ["database.enabled=false"], ["image=shop:2.0"], False),
]

INSTALL_ORDER = [
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
    "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
    "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
    "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
]
SEP = re.compile(r"(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")


def kind_key(doc):
    m = re.search(r"^kind: *(\S+)", doc, re.M)
    kind = m.group(1) if m else ""
    if kind in INSTALL_ORDER:
        return (0, INSTALL_ORDER.index(kind), "")
    return (1, 0, kind)


def hooks_of(engine):
    """Hook documents (those with a helm.sh/hook annotation), in Helm's order."""
    hooks = []
    for path in sorted(engine):
        if path.endswith("NOTES.txt") or not engine[path].strip():
            continue
        for doc in SEP.split(engine[path].lstrip()):
            if not doc.strip():
                continue
            doc = doc.lstrip()
            if re.search(r"^\s*[\"']?helm\.sh/hook[\"']?\s*:", doc, re.M):
                hooks.append((path, doc))
    return sorted(hooks, key=lambda h: kind_key(h[1]))


def crds_of(chart_dir, chart_name):
    out = ""
    crd_dir = os.path.join(chart_dir, "crds")
    if os.path.isdir(crd_dir):
        for fn in sorted(os.listdir(crd_dir)):
            data = open(os.path.join(crd_dir, fn)).read()
            out += "---\n# Source: %s/crds/%s\n%s\n" % (chart_name, fn, data)
    return out


def main():
    for name, chart, release, ns, files, sets, set_strings, crds in CASES:
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        chart_dir = os.path.join(ROOT, chart)
        values = oracle.load_values([os.path.join(ROOT, f) for f in files], sets, set_strings)
        status, engine = oracle.render(chart_dir, values, name=release, namespace=ns)
        assert status == "ok", engine
        status, manifest = oracle.manifest(chart_dir, values, name=release, namespace=ns)
        assert status == "ok", manifest
        chart_name = os.path.basename(chart_dir)
        stdout = ((crds_of(chart_dir, chart_name) if crds else "") + manifest).strip() + "\n"
        for path, doc in hooks_of(engine):
            stdout += "---\n# Source: %s\n%s\n" % (path, doc)
        with open(os.path.join(d, "engine.json"), "w") as f:
            json.dump(engine, f, indent=1, sort_keys=True)
            f.write("\n")
        with open(os.path.join(d, "manifest.yaml"), "w") as f:
            f.write(manifest)
        with open(os.path.join(d, "stdout.txt"), "w") as f:
            f.write(stdout)
        args = ["template", release, chart, "--namespace", ns]
        for f_ in files:
            args += ["-f", f_]
        for s in sets:
            args += ["--set", s]
        for s in set_strings:
            args += ["--set-string", s]
        if crds:
            args.append("--include-crds")
        with open(os.path.join(d, "args.json"), "w") as f:
            json.dump(args, f, indent=1)
            f.write("\n")
    with open(os.path.join(OUT, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")


if __name__ == "__main__":
    main()
