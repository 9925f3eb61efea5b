#!/usr/bin/env python3
"""Golden `helm lint` findings from real Helm 4.2.3 (helm-python-sdk).

Writes, under crates/rudder-authoring/tests/data/lint/:
  cases/<name>/...    small charts, most of them broken on purpose (the
                      files are written by this script, see CASES)
  expected.json       {case: {"options": ..., "messages": [...], "failed": bool}}
  corpus.json         the same for every chart of ../shared/corpus/charts
                      (the test runs those only when ../shared exists)
  scaffold.json       the same for the `helm create` scaffold

Messages are "[SEVERITY] path: text" as `helm lint` prints them; a path
that is the chart's absolute directory (dependency findings) is written
as <DIR>. Namespace "default", as the CLI's default. "failed" is whether
the chart has errors at the options' threshold (Helm's result.Errors).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-authoring", "tests", "data", "lint")
CORPUS = os.path.abspath(os.path.join(ROOT, "..", "shared", "corpus", "charts"))
SEV = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}

V2 = "apiVersion: v2\nname: %s\nversion: 0.1.0\n"

CASES = {
    "good": {"files": {
        "Chart.yaml": V2 % "good" + "icon: https://example.com/i.png\n",
        "values.yaml": "replicas: 1\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n",
    }},
    "chartfile-fields": {"files": {
        "Chart.yaml": "apiVersion: v1\nname: fields\nversion: 1.0\nappVersion: 2\ntype: application\n"
                      "icon: not a url\nsources:\n- notaurl\nmaintainers:\n- name: m\n  email: nope\n"
                      "home: https://example.com\nextra: field\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    }},
    "chartfile-duplicate-keys": {"files": {
        "Chart.yaml": "apiVersion: v2\nname: dup\nversion: 0.1.0\nname: dup\nmaintainers:\n- name: a\n  name: b\n"
                      "annotations:\n  1: x\n  \"1\": y\n  on: z\n  true: w\n",
    }},
    "chartfile-missing": {"files": {
        "Chart.yaml": "description: nothing else\n",
    }},
    "chartfile-bad-name": {"files": {
        "Chart.yaml": "apiVersion: v3\nname: a/b\nversion: 0.0.0-0\nmaintainers:\n- email: x@example.com\n",
    }},
    "chartfile-syntax": {"files": {
        "Chart.yaml": "apiVersion: v2\nname: syntax\nversion: [\n",
    }},
    "chartfile-type-error": {"files": {
        "Chart.yaml": "apiVersion: v2\nname: typeerr\nversion: 0.1.0\nkeywords: nope\n",
    }},
    "chartfile-maintainer-url": {"files": {
        "Chart.yaml": V2 % "murl" + "maintainers:\n- name: a\n  url: 'http://exa mple'\n"
                      "sources:\n- https://github.com/x/y\n- ''\n",
    }},
    "chartfile-version-prerelease": {"files": {
        "Chart.yaml": "apiVersion: v2\nname: pre\nversion: v1.2\n",
    }},
    "values-syntax": {"files": {
        "Chart.yaml": V2 % "valsyntax",
        "values.yaml": "a: [\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    }},
    "values-list": {"files": {
        "Chart.yaml": V2 % "vallist",
        "values.yaml": "- a\n- b\n",
    }},
    "values-schema": {"files": {
        "Chart.yaml": V2 % "valschema",
        "values.yaml": "port: 80\nname: web\n",
        "values.schema.json": '{"type": "object", "properties": {"port": {"type": "integer"}, '
                              '"name": {"type": "string"}}, "required": ["port", "name"]}',
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  p: {{ .Values.port | quote }}\n",
    }, "values": {"port": "eighty"}},
    "templates-kinds": {"files": {
        "Chart.yaml": V2 % "kinds",
        "templates/notes.md": "hello",
        "templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\n",
        "templates/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a.b\n",
        "templates/role.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a/b%c\n",
        "templates/pdb.yaml": "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n",
        "templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
        "templates/list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                               "  metadata:\n    name: x\n    annotations:\n      helm.sh/resource-policy: keep\n",
        "templates/long.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + "A" * 260 + "\n",
        "templates/csr.yaml": "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: ANY_NAME\n",
    }},
    "templates-indent": {"files": {
        "Chart.yaml": V2 % "indent",
        "templates/a.yaml": "\n  \n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm\n",
    }},
    "templates-bad-yaml": {"files": {
        "Chart.yaml": V2 % "badyaml",
        "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  x: : y\n",
        "templates/b.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad\n",
    }},
    "templates-type-error": {"files": {
        "Chart.yaml": V2 % "typeerror",
        "templates/a.yaml": "apiVersion: v1\nkind: [ConfigMap]\nmetadata:\n  name: cm\n",
    }},
    "templates-scalar-doc": {"files": {
        "Chart.yaml": V2 % "scalardoc",
        "templates/a.yaml": "---\n# just a comment\n---\nhello\n",
    }},
    "templates-separator": {"files": {
        "Chart.yaml": V2 % "separator",
        "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---x\nkind: Pod\n",
    }},
    "templates-metadata-string": {"files": {
        "Chart.yaml": V2 % "mdstring",
        "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: oops\n",
    }},
    "templates-render-error": {"files": {
        "Chart.yaml": V2 % "rendererr",
        "templates/a.yaml": "{{ .Values.x.y.z }}\n",
    }},
    "templates-required-fail": {"files": {
        "Chart.yaml": V2 % "reqfail",
        "templates/a.yaml": "{{ required \"need x\" .Values.x }}{{ fail \"boom\" }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    }},
    "templates-parse-error": {"files": {
        "Chart.yaml": V2 % "parseerr",
        "templates/a.yaml": "{{ if }}\n",
    }},
    "templates-missing": {"files": {
        "Chart.yaml": V2 % "notemplates",
    }},
    "templates-library": {"files": {
        "Chart.yaml": V2 % "library" + "type: library\n",
        "templates/_helpers.tpl": "{{ define \"x\" }}y{{ end }}\n",
    }},
    "deps-mismatch": {"files": {
        "Chart.yaml": V2 % "depsmm" + "dependencies:\n- name: absent\n  version: 1.0.0\n  repository: https://example.com\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        "charts/extra/Chart.yaml": V2 % "extra",
        "charts/extra/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n",
    }},
    "deps-bad-subchart": {"files": {
        "Chart.yaml": V2 % "badsub",
        "charts/bad/Chart.yaml": "description: no name\n",
    }},
    "crds": {"files": {
        "Chart.yaml": V2 % "crds",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        "crds/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notacrd\n",
        "crds/b.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ok.example.com\n",
        "crds/c.txt": "not looked at",
    }},
    "crds-bad-yaml": {"files": {
        "Chart.yaml": V2 % "crdyaml",
        "crds/a.yaml": "a: : b\n",
    }},
    "strict-old-kube": {"files": {
        "Chart.yaml": V2 % "oldkube",
        "templates/pdb.yaml": "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n",
        "templates/hpa.yaml": "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa\n",
    }, "kube_version": "v1.20.0", "strict": True},
    "strict-new-kube": {"files": {
        "Chart.yaml": V2 % "newkube",
        "templates/pdb.yaml": "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n",
        "templates/ing.yaml": "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: ing\n",
        "templates/fs.yaml": "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: fs\n",
    }, "strict": True},
    "skip-schema": {"files": {
        "Chart.yaml": V2 % "skipschema",
        "values.yaml": "port: x\n",
        "values.schema.json": '{"properties": {"port": {"type": "integer"}}}',
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    }, "skip_schema_validation": True},
}


def write_case(root, files):
    if os.path.exists(root):
        shutil.rmtree(root)
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)


def run(path, options):
    kw = {"namespace": "default"}
    for k in ("strict", "kube_version", "skip_schema_validation"):
        if k in options:
            kw[k] = options[k]
    r = helm.lint(path, options.get("values"), **kw)
    absdir = os.path.abspath(path)
    msgs = []
    for m in r["messages"]:
        p = "<DIR>" if m["path"] == absdir else m["path"]
        msgs.append("[%s] %s: %s" % (SEV[m["severity"]], p, m["error"]))
    return {"options": options, "messages": msgs, "failed": bool(r["errors"])}


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"_oracle": ORACLE_VERSION}
    for name, case in sorted(CASES.items()):
        root = os.path.join(OUT, "cases", name)
        write_case(root, case["files"])
        opts = {k: v for k, v in case.items() if k != "files"}
        expected[name] = run(root, opts)
    # A packaged chart is unpacked to a temporary directory and linted.
    tgz_dir = tempfile.mkdtemp()
    try:
        tgz = helm.package(os.path.join(OUT, "cases", "templates-kinds"), destination=tgz_dir)
        shutil.copy(tgz, os.path.join(OUT, "cases", "kinds-0.1.0.tgz"))
        expected["kinds-0.1.0.tgz"] = run(os.path.join(OUT, "cases", "kinds-0.1.0.tgz"), {})
    finally:
        shutil.rmtree(tgz_dir, ignore_errors=True)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")

    d = tempfile.mkdtemp()
    try:
        helm.Chart.create("mychart", d).close()
        with open(os.path.join(OUT, "scaffold.json"), "w") as f:
            json.dump({"_oracle": ORACLE_VERSION, "mychart": run(os.path.join(d, "mychart"), {})},
                      f, indent=1, sort_keys=True)
            f.write("\n")
    finally:
        shutil.rmtree(d, ignore_errors=True)

    if os.path.isdir(CORPUS):
        corpus = {"_oracle": ORACLE_VERSION}
        for name in sorted(os.listdir(CORPUS)):
            p = os.path.join(CORPUS, name)
            if os.path.isfile(os.path.join(p, "Chart.yaml")):
                corpus[name] = run(p, {})
        # Every corpus case with a values file: the values as Helm's own
        # parser reads the file (the test passes the file like -f).
        import csv
        base = os.path.dirname(CORPUS)
        with open(os.path.join(base, "cases.tsv")) as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row["values_file"] == "-":
                    continue
                with open(os.path.join(base, row["values_file"])) as vf:
                    values = helm.values_from_yaml(vf.read())
                r = run(os.path.join(CORPUS, row["chart"]), {"values": values})
                r["options"] = {"values_file": row["values_file"]}
                corpus["%s/%s" % (row["chart"], row["case"])] = r
        with open(os.path.join(OUT, "corpus.json"), "w") as f:
            json.dump(corpus, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
