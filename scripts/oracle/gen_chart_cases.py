#!/usr/bin/env python3
"""Generate chart-loading fixtures from real Helm (the oracle).

Writes under crates/rudder-chart/tests/data/:
  crafted/<case>/chart/...   small charts for .helmignore, Chart.yaml quirks,
                             v1 requirements, subchart layout and errors
  archives/<case>.tgz        archives built here, safe and malicious
  corpus/<chart>/            copies of a few small corpus charts
  expected.json              what helm.Chart.load / load_archive returned for
                             each of those: a summary (metadata, file and
                             template names in order with CRC-32s of their
                             data, CRDs, loaded dependency names, values) or
                             Helm's error text
  corpus_expected.json       the same summary for every chart of
                             /work/shared/corpus/charts (for the corpus test,
                             which reads the charts from /work/shared)

    python3 scripts/oracle/gen_chart_cases.py
"""
import io
import json
import os
import shutil
import sys
import tarfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-chart", "tests", "data")
CORPUS = "/work/shared/corpus/charts"
CORPUS_COPIES = ["fluent-bit", "spin-operator", "rollout-operator", "prometheus-kafka-exporter"]

CY = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
T = {"templates/a.yaml": "a: 1\n"}

CRAFTED = {
    "helmignore-basic": {
        "Chart.yaml": CY, **T,
        ".helmignore": "# comment\n*.txt\ndocs/\n/top.md\nsub/x.yaml\n  spaced.md  \n",
        "a.txt": "x", "keep.md": "k", "top.md": "t", "n/top.md": "nested", "docs/d.md": "d",
        "n/docs/e.md": "e", "sub/x.yaml": "s", "n/sub/x.yaml": "ns", "spaced.md": "s",
        "templates/.hidden": "h", "templates/sub/.hidden": "h2", "n/.dot": "d",
    },
    "helmignore-negation": {
        "Chart.yaml": CY, **T, ".helmignore": "*.txt\n!keep.txt\n", "keep.txt": "k", "other.md": "o",
    },
    "helmignore-only-negation": {
        "Chart.yaml": CY, **T, ".helmignore": "!*.yaml\n", "x.yaml": "x", "y.md": "y",
    },
    "helmignore-doublestar": {"Chart.yaml": CY, **T, ".helmignore": "a/**/b\n"},
    "helmignore-badpattern": {"Chart.yaml": CY, **T, ".helmignore": "[\n"},
    "helmignore-bom": {"Chart.yaml": CY, **T, ".helmignore": "\ufeffignored.md\n", "ignored.md": "i"},
    "chartyaml-quirks": {
        "Chart.yaml": ("apiVersion: v2\nNAME: quirky\nversion: 1.0\nappVersion: 1.10\n"
                       "kubeversion: 3.14159265\ndescription: \"line1\\nline2\\u0007\"\n"
                       "keywords: [1, true, x]\nannotations: {n: 1, b: false}\nunknown: field\n"
                       "Home: h\ndeprecated: true\n"),
        **T,
    },
    "chartyaml-int-version": {"Chart.yaml": "apiVersion: v2\nname: c\nversion: 20230101\nappVersion: 7\n", **T},
    "chartyaml-no-apiversion": {"Chart.yaml": "name: c\nversion: 0.1.0\n", **T},
    "chartyaml-missing-name": {"Chart.yaml": "apiVersion: v2\nversion: 0.1.0\n"},
    "chartyaml-bad-version": {"Chart.yaml": "apiVersion: v2\nname: c\nversion: one\n"},
    "chartyaml-bad-type": {"Chart.yaml": CY + "type: Library\n"},
    "chartyaml-bad-name": {"Chart.yaml": "apiVersion: v2\nname: a/b\nversion: 1\n"},
    "chartyaml-type-error": {"Chart.yaml": CY + "deprecated: 'yes'\n"},
    "chartyaml-bad-alias": {"Chart.yaml": CY + "dependencies:\n- name: x\n  alias: 'a.b'\n"},
    "chartyaml-dup-dep": {"Chart.yaml": CY + "dependencies:\n- name: x\n- name: y\n  alias: x\n"},
    "chartyaml-null-maintainer": {"Chart.yaml": CY + "maintainers:\n- null\n"},
    "chartyaml-syntax": {"Chart.yaml": "apiVersion: v2\nname: [\n"},
    "chartyaml-unsupported": {"Chart.yaml": "apiVersion: v9\nname: c\nversion: 1.0.0\n"},
    "values-bad": {"Chart.yaml": CY, "values.yaml": "a: [\n"},
    "values-multidoc": {"Chart.yaml": CY, "values.yaml": "a: {x: 1}\n---\na: {y: 2}\nb: 1\n"},
    "bom-stripped": {"Chart.yaml": "\ufeff" + CY, "values.yaml": "\ufeffa: 1\n", "templates/t.yaml": "\ufeffx"},
    "v1-requirements": {
        "Chart.yaml": "apiVersion: v1\nname: c\nversion: 1.0.0\n",
        "requirements.yaml": "dependencies:\n- name: sub\n  version: 0.1.0\n",
        "requirements.lock": "digest: abc\ndependencies:\n- name: sub\n  version: 0.1.0\n",
        "charts/sub/Chart.yaml": "apiVersion: v1\nname: sub\nversion: 0.1.0\n",
    },
    "v2-requirements": {
        "Chart.yaml": CY,
        "requirements.yaml": "dependencies:\n- name: sub\n  version: 0.1.0\n",
    },
    "subchart-layout": {
        "Chart.yaml": CY, **T, "Chart.lock": "digest: d\ndependencies: []\n",
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
        "charts/sub/crds/c.yaml": "kind: CRD\n", "charts/sub/crds/c.txt": "no",
        "charts/_skip/Chart.yaml": "broken", "charts/.hidden/Chart.yaml": "broken",
        "charts/sub.prov": "sig", "crds/root.YML": "kind: CRD\n", "crds/nested/x.json": "{}",
        "values.schema.json": "{}",
    },
    "stray-file-in-charts": {"Chart.yaml": CY, "charts/README.md": "x"},
    "subchart-error": {"Chart.yaml": CY, "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\n"},
}


def tgz(entries):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w:gz", format=tarfile.USTAR_FORMAT) as tf:
        for name, data, typ in entries:
            data = data.encode() if isinstance(data, str) else data
            ti = tarfile.TarInfo(name)
            ti.size = len(data) if typ in (None, tarfile.REGTYPE) else 0
            ti.mtime = 0
            if typ:
                ti.type = typ
            if typ == tarfile.SYMTYPE:
                ti.linkname = "/etc/passwd"
            tf.addfile(ti, io.BytesIO(data))
    return bio.getvalue()


def sub_tgz():
    return tgz([("sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n", None),
                ("sub/templates/s.yaml", "s: 1\n", None)])


ARCHIVES = {
    "ok": [("c/Chart.yaml", CY, None), ("c/values.yaml", "a: 1\n", None), ("c/templates/", "", tarfile.DIRTYPE),
           ("c/templates/z.yaml", "z", None), ("c/templates/a.yaml", "a", None), ("c/.helmignore", "*.yaml\n", None),
           ("c/templates/.hidden", "h", None), ("c/charts/sub.tgz", sub_tgz(), None)],
    "any-top-dir": [("whatever/Chart.yaml", CY, None)],
    "absolute": [("c/Chart.yaml", CY, None), ("c//etc/passwd", "x", None)],
    "dotdot": [("c/Chart.yaml", CY, None), ("c/../evil", "x", None)],
    "dot": [("c/Chart.yaml", CY, None), ("c/.", "x", None)],
    "drive": [("c/Chart.yaml", CY, None), ("c/c:/evil", "x", None)],
    "backslash": [("c\\Chart.yaml", CY, None), ("c\\templates\\w.yaml", "w", None)],
    "toplevel-chartyaml": [("Chart.yaml", CY, None)],
    "symlink": [("c/Chart.yaml", CY, None), ("c/templates/link", "", tarfile.SYMTYPE)],
    "oversize-file": [("c/Chart.yaml", CY, None), ("c/big", b"a" * (5 * 1024 * 1024 + 1), None)],
    "no-chartyaml": [("c/values.yaml", "a: 1\n", None)],
    "only-dirs": [("c/", "", tarfile.DIRTYPE)],
    "subchart-tgz-bad": [("c/Chart.yaml", CY, None), ("c/charts/sub.tgz", "not gzip at all....", None)],
}


def crc(s):
    return zlib.crc32(s.encode("utf-8")) & 0xffffffff


def summary(ch):
    deps = sorted(d.get("name", "") for d in ch.dependencies)
    return {
        "metadata": ch.metadata,
        "files": [[f["name"], crc(f["data"])] for f in ch.files],
        "templates": [[f["name"], crc(f["data"])] for f in ch.templates],
        "crds": [[c["name"], c["filename"]] for c in ch.crds],
        "dependencies": deps,
        "values": ch.values,
        "has_schema": ch.schema is not None,
    }


def load(fn):
    try:
        ch = fn()
    except helm.HelmError as e:
        return {"error": getattr(e, "detail", None) or str(e)}
    try:
        return summary(ch)
    finally:
        ch.close()


def write_tree(base, files):
    for path, data in files.items():
        p = os.path.join(base, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)


def main():
    for sub in ("crafted", "archives", "corpus"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
    expected = {"crafted": {}, "archives": {}, "corpus": {}}
    for name, files in CRAFTED.items():
        d = os.path.join(OUT, "crafted", name, "chart")
        write_tree(d, files)
        expected["crafted"][name] = load(lambda: helm.Chart.load(d))
    os.makedirs(os.path.join(OUT, "archives"), exist_ok=True)
    for name, entries in ARCHIVES.items():
        data = tgz(entries)
        with open(os.path.join(OUT, "archives", name + ".tgz"), "wb") as f:
            f.write(data)
        expected["archives"][name] = load(lambda: helm.Chart.load_archive(data))
    for name in CORPUS_COPIES:
        dst = os.path.join(OUT, "corpus", name)
        shutil.copytree(os.path.join(CORPUS, name), dst, symlinks=False)
        expected["corpus"][name] = load(lambda: helm.Chart.load(dst))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    corpus = {}
    for name in sorted(os.listdir(CORPUS)):
        corpus[name] = load(lambda: helm.Chart.load(os.path.join(CORPUS, name)))
    with open(os.path.join(OUT, "corpus_expected.json"), "w") as f:
        json.dump(corpus, f, indent=0, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(OUT, "SOURCE"), "w") as f:
        f.write("Generated by scripts/oracle/gen_chart_cases.py from %s.\n"
                "corpus/ holds verbatim copies of /work/shared/corpus/charts/{%s}.\n"
                % (ORACLE_VERSION, ",".join(CORPUS_COPIES)))
    for k, v in expected.items():
        print(k, sum(1 for x in v.values() if "error" in x), "errors of", len(v))


if __name__ == "__main__":
    main()
