#!/usr/bin/env python3
"""The `helm create` scaffold, from real Helm 4.2.3 (helm-python-sdk).

Writes crates/rudder-authoring/src/scaffold/<path> for every file Helm's
`chartutil.Create` writes, with the chart name replaced by the placeholder
`<CHARTNAME>` (Helm substitutes the name the same way into every file), and
scaffold/MANIFEST listing the files in Helm's write order followed by the
oracle version. rudder embeds these files; it never generates them itself.

The name used for the oracle run is a token that cannot occur in the
scaffold text, so the reverse substitution is exact.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-authoring", "src", "scaffold")
TOKEN = "zzrudderchartnamezz"

# Helm's write order in pkg/chart/v2/util/create.go (Create).
ORDER = [
    "Chart.yaml",
    "values.yaml",
    ".helmignore",
    "templates/ingress.yaml",
    "templates/httproute.yaml",
    "templates/deployment.yaml",
    "templates/service.yaml",
    "templates/serviceaccount.yaml",
    "templates/hpa.yaml",
    "templates/NOTES.txt",
    "templates/_helpers.tpl",
    "templates/tests/test-connection.yaml",
]


def main():
    d = tempfile.mkdtemp(prefix="oracle-create-")
    try:
        helm.Chart.create(TOKEN, d).close()
        root = os.path.join(d, TOKEN)
        found = []
        for dirpath, _dirs, files in os.walk(root):
            for f in files:
                found.append(os.path.relpath(os.path.join(dirpath, f), root))
        if sorted(found) != sorted(ORDER):
            sys.exit("scaffold file set changed: %s" % sorted(found))
        if not os.path.isdir(os.path.join(root, "charts")):
            sys.exit("scaffold has no charts/ directory")
        if os.path.exists(OUT):
            shutil.rmtree(OUT)
        for rel in ORDER:
            with open(os.path.join(root, rel), "rb") as f:
                data = f.read()
            if b"<CHARTNAME>" in data:
                sys.exit("placeholder already present in %s" % rel)
            data = data.replace(TOKEN.encode(), b"<CHARTNAME>")
            # Stored flat: a leading dot or nested directories would make
            # include_str! paths awkward.
            dst = os.path.join(OUT, rel.replace("/", "__"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(data)
        with open(os.path.join(OUT, "MANIFEST"), "w") as f:
            for rel in ORDER:
                f.write(rel + "\n")
            f.write("# " + ORACLE_VERSION + "\n")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
