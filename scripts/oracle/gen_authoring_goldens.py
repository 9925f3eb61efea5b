#!/usr/bin/env python3
"""Golden outputs for `create --starter`, `package`, `show` and
`dependency list`, from real Helm 4.2.3 (helm-python-sdk).

Writes under crates/rudder-authoring/tests/data/:
  charts/<name>/...         small charts written by this script (CHARTS)
  create/<case>/...         the oracle's `Chart.create` / `create_from` output
  package.json              {case: {"args": ..., "file": NAME, "entries": [...]}}:
                            every tar entry of the oracle's archive with its
                            512-byte header (hex) except mtime and checksum
                            (those depend on the checkout's file times and
                            are checked against the files by the test) and
                            the SHA-256 of its contents
  helm-archives/<name>.tgz  archives the oracle wrote, with
  helm-archives.json        what the oracle loads from them (metadata, files)
  show.json                 {chart: {format: text}}
  deps.json                 {chart: [{name, version, repository, status}]}
"""
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import gzip
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-authoring", "tests", "data")

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-%s\n"
SUB = "apiVersion: v2\nname: sub\nversion: 1.2.3\n"

CHARTS = {
    # A v2 chart with everything the archive writer handles.
    "full": {
        "Chart.yaml": "# comments are dropped\napiVersion: v2\nname: full\nversion: 0.3.0\nappVersion: \"1.0\"\n"
                      "description: A chart\nkeywords: [a, b]\nhome: https://example.com\n"
                      "sources:\n- https://example.com/src\nmaintainers:\n- name: Ann\n  email: ann@example.com\n"
                      "annotations:\n  z: last\n  a: first\nkubeVersion: '>=1.20.0-0'\ndeprecated: true\n"
                      "icon: https://example.com/icon.png\ntype: application\n"
                      "dependencies:\n- name: sub\n  version: '>=1.0.0 <2'\n  repository: file://../sub\n"
                      "  condition: sub.enabled\n  tags: [t1]\n  import-values:\n  - child: a\n    parent: b\n  - data\n"
                      "- name: packed\n  version: 0.1.0\n  repository: https://example.com/charts\n  alias: pk\n",
        "Chart.lock": "dependencies:\n- name: sub\n  repository: file://../sub\n  version: 1.2.3\n"
                      "- name: packed\n  repository: https://example.com/charts\n  version: 0.1.0\n"
                      "digest: sha256:0000\ngenerated: \"2024-01-02T03:04:05.120+02:00\"\n",
        "values.yaml": "\ufeff# values with a BOM\nsub:\n  enabled: true\n",
        "values.schema.json": "{\"type\": \"object\"}\n",
        ".helmignore": "*.bak\nignored/\n",
        "README.md": "# Full\n",
        "LICENSE": "Apache\n",
        "x.bak": "ignored\n",
        "ignored/file.txt": "ignored\n",
        "crds/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: a.example.com\n",
        "templates/cm.yaml": CM % "cm",
        "templates/_helpers.tpl": "{{ define \"x\" }}x{{ end }}\n",
        "templates/NOTES.txt": "notes\n",
        "templates/deep/" + "d" * 60 + "/" + "e" * 60 + "/long.yaml": CM % "long",
        "charts/sub/Chart.yaml": SUB,
        "charts/sub/values.yaml": "enabled: true\n",
        "charts/sub/templates/cm.yaml": CM % "sub",
        "charts/sub/crds/sub-crd.yaml": "kind: CustomResourceDefinition\n",
    },
    # A Helm 2 style chart: dependencies live in requirements.yaml.
    "legacy": {
        "Chart.yaml": "apiVersion: v1\nname: legacy\nversion: 1.0.0\ndescription: old\n",
        "requirements.yaml": "dependencies:\n- name: sub\n  version: 1.2.3\n  repository: ''\n",
        "requirements.lock": "dependencies:\n- name: sub\n  repository: ''\n  version: 1.2.3\ndigest: sha256:1\ngenerated: \"2020-01-01T00:00:00Z\"\n",
        "values.yaml": "a: 1\n",
        "templates/cm.yaml": CM % "cm",
        "charts/sub/Chart.yaml": SUB,
        "charts/sub/templates/cm.yaml": CM % "sub",
    },
    "plain": {
        "Chart.yaml": "apiVersion: v2\nname: plain\nversion: 0.1.0\n",
        "templates/cm.yaml": CM % "cm",
        "readme": "lower-case readme\n",
    },
    # dependency list statuses.
    "deps": {
        "Chart.yaml": "apiVersion: v2\nname: deps\nversion: 0.1.0\ndependencies:\n"
                      "- name: sub\n  version: 1.2.3\n  repository: ''\n"
                      "- name: ranged\n  version: '~1.2.0'\n  repository: https://example.com\n"
                      "- name: wrong\n  version: '>=2.0.0'\n  repository: https://example.com\n"
                      "- name: missing\n  version: 1.0.0\n  repository: https://example.com/charts\n"
                      "- name: badver\n  version: 'not a constraint'\n  repository: https://example.com\n",
        "charts/sub/Chart.yaml": SUB,
        "charts/ranged/Chart.yaml": "apiVersion: v2\nname: ranged\nversion: 1.2.9\n",
        "charts/wrong/Chart.yaml": "apiVersion: v2\nname: wrong\nversion: 1.0.0\n",
        "charts/badver/Chart.yaml": "apiVersion: v2\nname: badver\nversion: 1.0.0\n",
        "charts/undeclared/Chart.yaml": "apiVersion: v2\nname: undeclared\nversion: 1.0.0\n",
    },
    "nodeps": {
        "Chart.yaml": "apiVersion: v2\nname: nodeps\nversion: 0.1.0\n",
    },
    # A starter for `create --starter`.
    "starter": {
        "Chart.yaml": "apiVersion: v2\nname: starter\nversion: 9.9.9\ndescription: a starter\n",
        "values.yaml": "# values for <CHARTNAME>\nname: <CHARTNAME>\n",
        "templates/cm.yaml": "metadata:\n  name: {{ include \"<CHARTNAME>.fullname\" . }}\n",
        "README.md": "<CHARTNAME> is not replaced here\n",
        "charts/sub/Chart.yaml": SUB,
    },
}

# Archives rudder must write like Helm: (case, chart, version, app_version).
PACKAGE_CASES = [
    ("full", "full", None, None),
    ("legacy", "legacy", None, None),
    ("plain-overrides", "plain", "2.0.0-rc.1+build", "v9"),
]

# (chart, packed subchart name) pairs: "full" needs a .tgz subchart in charts/.
PACKED = {"full": ("packed", "apiVersion: v2\nname: packed\nversion: 0.1.0\n",
                   {"templates/cm.yaml": CM % "packed"}),
          "deps": ("sub2", "apiVersion: v2\nname: sub\nversion: 1.2.4\n", {})}


def write_chart(root, files):
    if os.path.exists(root):
        shutil.rmtree(root)
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)


def tar_entries(tgz_path):
    raw = gzip.decompress(open(tgz_path, "rb").read())
    entries = []
    off = 0
    while off + 512 <= len(raw):
        hdr = bytearray(raw[off:off + 512])
        if not any(hdr):
            break
        size = int(hdr[124:136].rstrip(b"\0 ") or b"0", 8)
        data = raw[off + 512:off + 512 + size]
        name = hdr[0:100].rstrip(b"\0").decode()
        prefix = hdr[345:500].rstrip(b"\0").decode()
        mtime = int(hdr[136:148].rstrip(b"\0 ") or b"0", 8)
        hdr[136:148] = b"\0" * 12
        hdr[148:156] = b"\0" * 8
        entries.append({
            "name": (prefix + "/" + name) if prefix else name,
            "header": hdr.hex(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "mtime": mtime,
        })
        off += 512 + ((size + 511) // 512) * 512
    trailer = raw[off:]
    return entries, len(trailer)


def main():
    charts = os.path.join(OUT, "charts")
    for name, files in CHARTS.items():
        write_chart(os.path.join(charts, name), files)
    tmp = tempfile.mkdtemp()
    try:
        # Packed subcharts, made by the oracle itself.
        for parent, (sub, chart_yaml, extra) in PACKED.items():
            src = os.path.join(tmp, sub)
            write_chart(src, dict({"Chart.yaml": chart_yaml}, **extra))
            tgz = helm.package(src, destination=tmp)
            shutil.copy(tgz, os.path.join(charts, parent, "charts", os.path.basename(tgz)))

        package = {"_oracle": ORACLE_VERSION}
        for case, chart, version, app_version in PACKAGE_CASES:
            dest = os.path.join(tmp, "pkg-" + case)
            os.makedirs(dest)
            out = helm.package(os.path.join(charts, chart), destination=dest,
                               version=version, app_version=app_version)
            entries, trailer = tar_entries(out)
            for e in entries:
                if not e["name"].endswith("/Chart.lock"):
                    del e["mtime"]
            package[case] = {"chart": chart, "version": version, "app_version": app_version,
                             "file": os.path.basename(out), "entries": entries, "trailer": trailer}
            # The archive itself, for the load-interop test.
            os.makedirs(os.path.join(OUT, "helm-archives"), exist_ok=True)
            shutil.copy(out, os.path.join(OUT, "helm-archives", case + ".tgz"))
        with open(os.path.join(OUT, "package.json"), "w") as f:
            json.dump(package, f, indent=1, sort_keys=True)
            f.write("\n")

        loaded = {"_oracle": ORACLE_VERSION}
        for case, *_ in PACKAGE_CASES:
            with helm.Chart.load(os.path.join(OUT, "helm-archives", case + ".tgz")) as c:
                loaded[case] = {
                    "metadata": c.metadata,
                    "files": sorted(f["name"] for f in c.files),
                    "templates": sorted(t["name"] for t in c.templates),
                    "dependencies": sorted(d["name"] for d in c.dependencies),
                    "values": c.values,
                }
        with open(os.path.join(OUT, "helm-archives.json"), "w") as f:
            json.dump(loaded, f, indent=1, sort_keys=True)
            f.write("\n")

        show = {"_oracle": ORACLE_VERSION}
        for chart in ("full", "legacy", "plain", "nodeps"):
            show[chart] = {fmt: helm.show(os.path.join(charts, chart), output_format=fmt)
                           for fmt in ("all", "chart", "values", "readme", "crds")}
        show["full.tgz"] = {fmt: helm.show(os.path.join(OUT, "helm-archives", "full.tgz"),
                                           output_format=fmt)
                            for fmt in ("all", "chart", "values", "readme", "crds")}
        with open(os.path.join(OUT, "show.json"), "w") as f:
            json.dump(show, f, indent=1, sort_keys=True)
            f.write("\n")

        deps = {"_oracle": ORACLE_VERSION}
        for chart in ("deps", "full", "legacy", "nodeps"):
            deps[chart] = helm.dependency_list(os.path.join(charts, chart))
        with open(os.path.join(OUT, "deps.json"), "w") as f:
            json.dump(deps, f, indent=1, sort_keys=True)
            f.write("\n")

        create = os.path.join(OUT, "create")
        if os.path.exists(create):
            shutil.rmtree(create)
        os.makedirs(os.path.join(create, "scaffold"))
        helm.Chart.create("my-app", os.path.join(create, "scaffold")).close()
        os.makedirs(os.path.join(create, "starter"))
        helm.Chart.create_from("from-starter", os.path.join(create, "starter"),
                               os.path.join(charts, "starter")).close()
        with open(os.path.join(create, "ORACLE"), "w") as f:
            f.write(ORACLE_VERSION + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
