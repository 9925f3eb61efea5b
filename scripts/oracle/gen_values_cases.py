#!/usr/bin/env python3
"""Generate values fixtures (coalescing, dependencies, globals, import-values,
schema) from real Helm (the oracle).

Each case is a small chart tree written to
crates/rudder-values/tests/data/values/<case>/chart/ plus the user values in
user.yaml. Every chart and subchart gets two templates, values.json
(`{{ toJson .Values }}`) and chart.json (`{{ toJson .Chart }}`), so Helm's
render shows the final .Values and .Chart each chart sees. The renders (or
Helm's error) go to expected.json.

    python3 scripts/oracle/gen_values_cases.py
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-values", "tests", "data", "values")

PROBES = {
    "templates/values.json": "{{ toJson .Values }}",
    "templates/chart.json": "{{ toJson .Chart }}",
}


def chart_yaml(name, version="0.1.0", extra=""):
    return "apiVersion: v2\nname: %s\nversion: %s\n%s" % (name, version, extra)


def sub(name, values="", version="0.1.0", extra="", charts=None):
    files = {"Chart.yaml": chart_yaml(name, version, extra), "values.yaml": values}
    files.update(PROBES)
    for cname, cfiles in (charts or {}).items():
        for p, d in cfiles.items():
            files["charts/%s/%s" % (cname, p)] = d
    return files


CASES = {
    "basic-nulls": dict(
        chart=sub("c", "a: 1\nb: {x: 1, y: null, z: {deep: 1}}\nc: null\nlist: [1, 2]\nkeep: k\n"),
        user="a: 2\nb: {x: null, w: 3}\nc: 5\nlist: {m: 1}\nkeep: null\nnew: {n: null}\n",
    ),
    "subchart-globals": dict(
        chart=sub(
            "c",
            "global: {g: parent, m: {a: 1}}\nsub: {x: fromparent, n: null}\n",
            extra="dependencies:\n- name: sub\n  version: 0.1.0\n  repository: file://sub\n",
            charts={"sub": sub("sub", "x: default\ny: default\nn: subdef\nglobal: {g: sub, own: 1, m: {b: 2}}\n")},
        ),
        user="global: {u: user, m: {c: 3}}\nsub: {y: user}\n",
    ),
    "alias-twice": dict(
        chart=sub(
            "c",
            "a1: {x: one}\n",
            extra="dependencies:\n- name: sub\n  version: '>=0.1.0'\n  alias: a1\n- name: sub\n  version: 0.1.0\n  alias: a2\n",
            charts={"sub": sub("sub", "x: default\n")},
        ),
        user="a2: {x: two}\n",
    ),
    "tags-and-conditions": dict(
        chart=sub(
            "c",
            "tags: {front: false, back: true}\nopt: {enabled: true}\n",
            extra=(
                "dependencies:\n"
                "- name: fe\n  version: 0.1.0\n  tags: [front]\n"
                "- name: be\n  version: 0.1.0\n  tags: [back, front]\n"
                "- name: opt\n  version: 0.1.0\n  condition: opt.enabled\n  tags: [front]\n"
                "- name: off\n  version: 0.1.0\n  condition: nothing.here,off.enabled\n"
            ),
            charts={
                "fe": sub("fe", "v: fe\n"),
                "be": sub("be", "v: be\n"),
                "opt": sub("opt", "v: opt\n"),
                "off": sub("off", "v: off\nenabled: true\n"),
            },
        ),
        user="off: {enabled: false}\n",
    ),
    "condition-non-bool": dict(
        chart=sub(
            "c",
            "s: {enabled: 'yes'}\n",
            extra="dependencies:\n- name: s\n  version: 0.1.0\n  condition: s.enabled,s.other\n",
            charts={"s": sub("s", "other: false\n")},
        ),
        user="",
    ),
    "import-values": dict(
        chart=sub(
            "c",
            "own: parent\nimported: {b: parentwins}\n",
            extra=(
                "dependencies:\n- name: sub\n  version: 0.1.0\n  import-values:\n  - data\n"
                "  - child: deep.table\n    parent: imported\n  - child: missing\n    parent: x\n  - 42\n"
            ),
            charts={"sub": sub("sub", "exports: {data: {fromexport: 1}}\ndeep: {table: {a: 1, b: 2, n: null}}\n")},
        ),
        user="imported: {a: user}\n",
    ),
    "nulls-everywhere": dict(
        chart=sub(
            "c",
            "sub: {pnull: null, pval: 1, gone: parentset}\ntop: null\n",
            extra="dependencies:\n- name: sub\n  version: 0.1.0\n",
            charts={"sub": sub("sub", "pnull: subdef\npval: 0\ngone: subdef\nsnull: null\nnested: {a: null, b: 1}\n")},
        ),
        user="sub: {gone: null, nested: {b: null}}\ntop: 1\n",
    ),
    "type-mismatch": dict(
        chart=sub(
            "c",
            "",
            extra="dependencies:\n- name: sub\n  version: 0.1.0\n",
            charts={"sub": sub("sub", "x: 1\n")},
        ),
        user="sub: text\n",
    ),
    "user-null-subchart": dict(
        chart=sub(
            "c",
            "",
            extra="dependencies:\n- name: sub\n  version: 0.1.0\n",
            charts={"sub": sub("sub", "x: 1\n")},
        ),
        user="sub: null\n",
    ),
    "table-warnings": dict(
        chart=sub(
            "c",
            "t: {a: 1}\ns: scalar\nl: [1]\n",
            extra="dependencies:\n- name: sub\n  version: 0.1.0\n",
            charts={"sub": sub("sub", "rules: {a: 1}\nflag: true\n")},
        ),
        user="t: notatable\ns: {now: table}\nl: {a: 1}\nsub: {rules: [], flag: {x: 1}}\n",
    ),
    "undeclared-subcharts": dict(
        chart=sub(
            "c",
            "inner: {x: parent}\n",
            charts={"inner": sub(
                "inner", "x: inner\ndeep: {y: 1}\n",
                extra="dependencies:\n- name: deep\n  version: 0.1.0\n  condition: nope\n  alias: renamed\n",
                charts={"deep": sub("deep", "y: deep\n")},
            )},
        ),
        user="",
    ),
    "nested-globals": dict(
        chart=sub(
            "c",
            "global: {level: root}\nmid: {global: {midset: 1}}\n",
            extra="dependencies:\n- name: mid\n  version: 0.1.0\n",
            charts={"mid": sub(
                "mid", "global: {level: mid, midown: 1}\nleaf: {v: frommid}\n",
                extra="dependencies:\n- name: leaf\n  version: 0.1.0\n",
                charts={"leaf": sub("leaf", "global: {level: leaf, leafown: 1}\nv: leaf\n")},
            )},
        ),
        user="global: {user: 1}\n",
    ),
    "version-mismatch": dict(
        chart=sub(
            "c",
            "",
            extra="dependencies:\n- name: sub\n  version: ^2.0.0\n- name: other\n  version: 1.x\n",
            charts={"sub": sub("sub", "x: 1\n", version="1.0.0"), "other": sub("other", "y: 1\n", version="1.2.0-rc.1")},
        ),
        user="",
    ),
    "v1-requirements": dict(
        chart={
            "Chart.yaml": "apiVersion: v1\nname: c\nversion: 1.0.0\nappVersion: 1.10\ndescription: 'multi\n  line'\n",
            "requirements.yaml": "dependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n",
            "values.yaml": "sub: {enabled: true, x: parent}\n",
            **PROBES,
            **{"charts/sub/" + k: v for k, v in sub("sub", "x: sub\n").items()},
        },
        user="",
    ),
    "chart-metadata": dict(
        chart=sub(
            "c", "",
            extra=(
                "appVersion: 1.10\nkubeVersion: '>=1.20.0-0'\ndescription: \"tab\\there\"\n"
                "keywords: [a, 1]\nmaintainers:\n- name: m\n  email: e@x\nannotations: {a: 1, b: x}\n"
                "home: h\nsources: [s1]\nicon: i\ndeprecated: true\ntype: application\n"
                "dependencies:\n- name: sub\n  version: 0.1.0\n  repository: https://x\n  tags: [t]\n  alias: s\n"
            ),
            charts={"sub": sub("sub", "")},
        ),
        user="",
    ),
    "schema-errors": dict(
        chart={
            **sub("c", "image: {tag: 1}\nport: 80\nname: ok\n",
                  extra="dependencies:\n- name: sub\n  version: 0.1.0\n",
                  charts={"sub": sub("sub", "size: 3\n")}),
            "values.schema.json": json.dumps({
                "type": "object",
                "required": ["image", "missing"],
                "additionalProperties": False,
                "properties": {
                    "image": {"type": "object", "properties": {"tag": {"type": "string"}}},
                    "port": {"type": "integer", "maximum": 10},
                    "name": {"type": "string", "enum": ["a", "b"]},
                    "sub": {"type": "object"},
                    "global": {"type": "object"},
                },
            }),
            "charts/sub/values.schema.json": json.dumps({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "properties": {"size": {"type": "integer", "minimum": 5}},
            }),
        },
        user="",
    ),
    "schema-ok": dict(
        chart={
            **sub("c", "port: 8\nurl: 'not a uri'\n"),
            "values.schema.json": json.dumps({
                "type": "object",
                "properties": {"port": {"type": "integer", "maximum": 10},
                               "url": {"type": "string", "format": "uri"},
                               "ext": {"$ref": "urn:example:thing"}},
            }),
        },
        user="",
    ),
}


def write_tree(base, files):
    for path, data in files.items():
        p = os.path.join(base, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(data)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for name, case in CASES.items():
        d = os.path.join(OUT, name)
        write_tree(os.path.join(d, "chart"), case["chart"])
        with open(os.path.join(d, "user.yaml"), "w") as f:
            f.write(case["user"])
        user = helm.values_from_yaml(case["user"]) if case["user"].strip() else {}
        chart = helm.Chart.load(os.path.join(d, "chart"))
        try:
            out = chart.render(user, name="rel", namespace="ns")
            result = {"renders": {k: v for k, v in sorted(out.items()) if k.endswith(".json")}}
        except helm.HelmError as e:
            result = {"error": getattr(e, "detail", None) or str(e)}
        finally:
            chart.close()
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
        print(name, "error" if "error" in result else len(result["renders"]))
    with open(os.path.join(OUT, "SOURCE"), "w") as f:
        f.write("Generated by scripts/oracle/gen_values_cases.py from %s.\n" % ORACLE_VERSION)


if __name__ == "__main__":
    main()
