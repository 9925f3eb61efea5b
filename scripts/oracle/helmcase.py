"""Render small template cases with real Helm (the oracle) for golden fixtures.

Every golden file in this repository comes from here (or from the corpus),
never from rudder's own output. Requires `pip install helm-python-sdk`
(Helm 4.2.3 in-process).

    from helmcase import render_case, ORACLE_VERSION
    render_case("{{ upper .Values.x }}", values_yaml="x: hi")
    # -> {"output": "HI"}  or  {"error": <Helm's text>, "go_error": <Go's text or None>}

Each case is rendered in its own throwaway chart named `c`, whose template
is `c/templates/t.yaml` unless `name` says otherwise. Release `rel`, namespace
`ns`, as in the corpus.
"""
import os
import re
import shutil
import tempfile

import helm_python as helm

ORACLE_VERSION = "Helm %s (helm-python-sdk %s)" % (helm.helm_sdk_version(), helm.__version__)

CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"


def render_case(template, values_yaml=None, files=None, helpers=None, name="t.yaml",
                chart_yaml=CHART_YAML, release="rel", namespace="ns"):
    """Render one template. `files` maps extra chart paths to contents
    (e.g. {"data/a.txt": "x"}); `helpers` is the text of templates/_helpers.tpl."""
    d = tempfile.mkdtemp(prefix="oracle-")
    try:
        c = os.path.join(d, "c")
        os.makedirs(os.path.join(c, "templates"))
        with open(os.path.join(c, "Chart.yaml"), "w") as f:
            f.write(chart_yaml)
        if values_yaml is not None:
            with open(os.path.join(c, "values.yaml"), "w") as f:
                f.write(values_yaml)
        for path, content in (files or {}).items():
            p = os.path.join(c, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(content.encode() if isinstance(content, str) else content)
        if helpers is not None:
            with open(os.path.join(c, "templates", "_helpers.tpl"), "w") as f:
                f.write(helpers)
        with open(os.path.join(c, "templates", name), "w") as f:
            f.write(template)
        try:
            chart = helm.Chart.load(c)
        except helm.HelmError as e:
            msg = getattr(e, "detail", None) or str(e)
            return {"error": msg, "go_error": None, "stage": "load"}
        try:
            out = chart.render({}, name=release, namespace=namespace)
            return {"output": out["c/templates/" + name]}
        except helm.HelmError as e:
            msg = getattr(e, "detail", None) or str(e)
            return {"error": msg, "go_error": go_error_from_helm(msg)}
        finally:
            chart.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


_EXEC_BLOCK = re.compile(r'^(\S+)\n  (executing "[^"]*" at <.*>:)\n    (.*)$', re.S)
_SIMPLE_BLOCK = re.compile(r'^(\S+)\n  (.*)$', re.S)


def go_error_from_helm(msg):
    """Undo Helm's reformatting (pkg/engine/engine.go) to recover Go's
    text/template error text, where that is lossless. Returns None when it is
    not (several chained blocks, Helm's own `execution error at` wrapping)."""
    if msg.startswith("template: "):
        return msg  # Helm returned Go's error unchanged
    m = re.match(r"^parse error at \(([^)]*)\): (.*)$", msg, re.S)
    if m:
        return "template: %s: %s" % (m.group(1), m.group(2))
    if msg.startswith("execution error at ("):
        return None
    m = _EXEC_BLOCK.match(msg)
    if m and "\n" not in m.group(3):
        return "template: %s: %s %s" % (m.group(1), m.group(2)[:-1] + ":", m.group(3))
    m = _SIMPLE_BLOCK.match(msg)
    if m and "\n" not in m.group(2):
        return "template: %s: %s" % (m.group(1), m.group(2))
    return None
