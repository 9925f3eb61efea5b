#!/usr/bin/env python3
"""Oracle cases for Helm's `fromToml` (crates/rudder-funcs/tests/data/funcs_toml.json).

The TOML text reaches the template through .Values.t (a JSON-encoded values
file), so any document can be tested without Go string escaping. Only
decodable documents are recorded: rudder's error texts have BurntSushi's
shape (`toml: line N: ...`) but not its wording (see src/toml_de.rs).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helmcase import ORACLE_VERSION, render_case  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-funcs", "tests", "data", "funcs_toml.json")

DOCS = [
    'a = 1\nb = 1.5\nc = "x"\nd = true\ne = [1, "two"]\n[f]\ng = 2\n',
    'd = 1979-05-27T07:32:00Z\nl = 1979-05-27T07:32:00\nld = 1979-05-27\nlt = 07:32:00\n',
    'frac = 1979-05-27T00:32:00.999999-07:00\nplus = 2020-01-02T03:04:05+05:30\n',
    '[[x]]\ny=1\n[[x]]\ny=2\n',
    '[[fruit]]\nname = "apple"\n[[fruit.variety]]\nname = "red"\n',
    'a = 0x1F\nb = 1_000\ne = 1e3\nf = 0o17\ng = 0b101\nh = -17\n',
    'a = 9223372036854775807\nb = -9223372036854775808\n',
    's = """\nx\ny"""\nlit = \'C:\\path\'\nml = \'\'\'\nraw\\n\'\'\'\n',
    'p = { x = 1, y = { z = "w" } }\n',
    'a = [{x=1},{x=2}]\nb = []\nc = [[1,2],["a"]]\n',
    'a.b.c = 1\n"q k" = 2\n[t.u]\nv = "w"\n',
    '# only a comment\n',
    '',
    'u = "\\u00e9\\t\\"q\\""\n',
]
TEMPLATES = [
    '{{ $t := fromToml .Values.t }}{{ $t }}|{{ range $k, $v := $t }}{{ $k }}={{ typeOf $v }};{{ end }}',
    '{{ fromToml .Values.t | toJson }}',
    '{{ fromToml .Values.t | toYaml }}',
]


def main():
    cases = []
    for doc in DOCS:
        values = {"t": doc}
        for t in TEMPLATES:
            r = render_case(t, values_yaml=json.dumps(values))
            assert "output" in r, (doc, t, r)
            if "Error" in r["output"]:
                continue
            # The stand-in evaluator of tests/golden.rs has no `range`.
            cases.append({"template": t, "values": values, "output": r["output"], "engine": True})
    with open(OUT, "w") as f:
        json.dump({"oracle": ORACLE_VERSION, "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(len(cases), "cases ->", OUT)


if __name__ == "__main__":
    main()
