#!/usr/bin/env python3
"""Golden outputs for the `rudder` CLI integration tests (crates/rudder/tests).

For each case: the engine output map (Chart.render) and the release manifest
of a client-side dry-run install (what `helm template` prints without hooks),
both from real Helm via helm-python-sdk. The CLI test adds the hook section
itself from the engine output, following pkg/cmd/template.go's rule
("---\\n# Source: PATH\\nDOC\\n" after TrimSpace(manifest)+"\\n").
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "/work/shared/corpus")
import helm_python as helm  # noqa: E402
import oracle  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder", "tests", "data")

CASES = [
    # (directory, chart, release, namespace, --set expressions)
    ("hello", "examples/hello", "demo", "default", []),
    ("hello-set", "examples/hello", "web", "prod",
     ["replicaCount=5,greeting=Hi there,ingress.enabled=true", "podLabels.tier=frontend"]),
]


def main():
    for name, chart, release, ns, sets in CASES:
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        values = {}
        for s in sets:
            values = oracle.merge_maps(values, helm.parse_set_string(s))
        status, files = oracle.render(os.path.join(ROOT, chart), values, name=release, namespace=ns)
        assert status == "ok", files
        with open(os.path.join(d, "engine.json"), "w") as f:
            json.dump(files, f, indent=1, sort_keys=True)
            f.write("\n")
        status, manifest = oracle.manifest(os.path.join(ROOT, chart), values, name=release, namespace=ns)
        assert status == "ok", manifest
        with open(os.path.join(d, "manifest.yaml"), "w") as f:
            f.write(manifest)
        with open(os.path.join(d, "args.json"), "w") as f:
            json.dump({"chart": chart, "release": release, "namespace": ns, "set": sets}, f, indent=1)
            f.write("\n")
    with open(os.path.join(OUT, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")


if __name__ == "__main__":
    main()
