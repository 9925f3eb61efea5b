#!/usr/bin/env python3
"""Generate rudder-yaml's parsing fixtures from real Helm (the oracle).

Writes crates/rudder-yaml/tests/data/parse/cases.json: for each YAML text,
either the value Helm's `ReadValues` (sigs.k8s.io/yaml) gives, or Helm's
error text. Values are written in a tagged form so that float64 numbers are
exact: null, true/false, {"f": "<repr>"} for numbers (every YAML number is a
float64 in Helm), strings, lists, and {"m": {...}} for maps.

Also writes tests/data/parse/load_values.json: whole values files rendered
through a chart (Helm's LoadValues path, multi-document) with `toJson`.

Run: python3 scripts/oracle/gen_yaml_cases.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION, render_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "rudder-yaml", "tests", "data")

CASES = [
    # --- YAML 1.1 scalars
    "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: Y\nh: N\ni: YES\nj: No\nk: ON\nl: Off\n",
    "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: tRue\nh: yEs\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n",
    "a: 1\nb: -1\nc: +1\nd: 0\ne: -0\nf: 007\ng: 017\nh: 08\ni: 09.5\n",
    "a: 0x1F\nb: 0X1f\nc: -0x1F\nd: 0o17\ne: 0O17\nf: 0b101\ng: -0b101\nh: 0B11\ni: 0x\n",
    "a: 1_000\nb: 1_0_0\nc: 0x_1F\nd: 1__0\ne: _1\nf: 1_\ng: 1_000.5\n",
    "a: 1.5\nb: -1.5\nc: .5\nd: -.5\ne: +.5\nf: 1.\ng: 1e3\nh: 1E3\ni: 1e-3\nj: 1.5e+3\nk: 6.02e23\n",
    "a: 1e400\nb: -1e400\nc: 1e-400\nd: 0.1\ne: 3.0\nf: 100000000000000000000\ng: 12345678901234567890\n",
    "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\nd: -9223372036854775809\ne: 18446744073709551616\n",
    "a: 2024-01-02\nb: 2024-01-02T10:00:00Z\nc: 2024-1-2 3:4:5\nd: 2001-12-14t21:59:43.10-05:00\ne: 2024-13-01\nf: 2024-02-30\n",
    "a: 1:20\nb: 190:20:30\nc: 12:30:45.5\nd: 1.2.3\ne: 1-2\nf: 0.0.0.0\ng: v1.2\n",
    "a: .nan_x\nb: .Inf_x\nc: .\nd: ...x\ne: -\nf: +\ng: '.inf'\n",
    "a: <<x\nb: '<<'\nc: \"<<\"\n",
    "a: 'yes'\nb: \"no\"\nc: '1'\nd: \"0x1F\"\ne: ''\nf: \"\"\n",
    "a: !!str 123\nb: !!str yes\nc: !!int \"12\"\nd: !!float 1\ne: !!bool \"true\"\nf: !!null ''\n",
    "a: !custom foo\nb: ! 12\nc: !!binary aGVsbG8=\nd: !<tag:yaml.org,2002:str> 5\ne: !!timestamp 2001-01-01\n",
    "a: !!binary |\n  aGVs\n  bG8=\n",
    "a: !!binary //79\n",
    # --- keys
    "1: a\n2.5: b\ntrue: c\nno: d\n0x10: e\n1_000: f\n1e3: g\n.inf: h\n-.inf: i\n.nan: j\n",
    "0.1: a\n1.0: b\n3.14159265358979: c\n-0.0: d\n100000000: e\n",
    "2024-01-02: a\n'yes': b\n\"\": c\n? complex\n: d\n",
    "a: 1\na: 2\nb: {x: 1, x: 2}\n",
    "on: 1\ny: 2\n",
    # --- styles
    "a: |\n  line1\n  line2\nb: |-\n  x\n  y\nc: |+\n  keep\n\nd: end\n",
    "a: >\n  folded\n  text\n\n  para\nb: >-\n  x\n   more indented\n  y\n",
    "a: |2\n    indented\n  less\nb: >1\n  x\n",
    "a: |\n\n  leading blank\n",
    "a: |\n  trailing\n\n\n",
    "a: |-\n\n\n",
    "a: |\n  tab\there\n",
    "a: multi\n  line\n  plain\nb: x\n\n  y\n",
    "a: 'single\n  quoted\n\n  para'\nb: \"double\n  quoted\\\n  joined\"\n",
    "a: \"esc \\t \\n \\\\ \\\" \\x41 \\u00e9 \\U0001F600 \\0 \\a \\b \\e \\f \\r \\v \\N \\_ \\L \\P \\/ \\ \"\n",
    "a: 'it''s'\nb: \"it's\"\n",
    "a: plain # comment\nb: 'q' # c\n# full\nc: x#y\n",
    "a: x: y\n",
    "a: b:c\nd: :e\nf: g:\n",
    "- a\n- b\n",
    "a:\n- 1\n- 2\nb:\n  - 3\n  - - 4\n    - 5\n",
    "a:\n  - b: 1\n    c: 2\n  - d\n",
    "a: [1, 'two', \"three\", [4], {five: 5}]\nb: {x: 1, y: [2, 3], z: {}}\nc: []\nd: {}\n",
    "a: [a, b,]\nb: {a: 1,}\n",
    "a: [a: 1, b]\n",
    "a: {? x : 1, ? y}\n",
    "a: [\n  1,\n  2\n]\n",
    "{a: 1, b: 2}\n",
    "a: &x 1\nb: *x\n",
    "base: &b\n  x: 1\n  y: 2\nd:\n  <<: *b\n  y: 3\n",
    "base: &b\n  x: 1\n  y: 2\nd:\n  y: 3\n  <<: *b\n",
    "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n",
    "a: &a {x: 1}\nc:\n  <<: {y: 2}\n  z: 3\n",
    "a: &a {x: 1}\nc:\n  !!merge <<: *a\n",
    "a: &a {x: 1}\nc:\n  '<<': *a\n",
    "a: &anchor\n  - 1\n  - 2\nb: *anchor\n",
    "a: &x\nb: *x\n",
    "%YAML 1.1\n---\na: 1\n",
    "---\na: 1\n...\n",
    "--- \na: 1\n",
    "# only a comment\n",
    "",
    "\n\n",
    "null\n",
    "---\n",
    "a: 1\n---\nb: 2\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a:\tb\n",
    "a: b\t\n",
    "a:  \t  spaced\n",
    "k: \u00e9t\u00e9 \u2603 \U0001F600\n",
    "a: \"\\u2028 \\u2029\"\n",
    "a: 'a\u00a0b'\n",
    "a:\n  b:\n    c:\n      d: deep\n",
    "a: -1\nb: - 1\n",
    "a: ---\nb: ...\n",
    "? a\n? b\n: c\n",
    "a: b\n  # indented comment\nc: d\n",
    "key with spaces: v\n\"quoted key\": v\n'single': v\n",
    "a: 'x' \nb: \"y\"  \n",
    "a: |\n  x\n b: 1\n",
    "x" * 1100 + ": 1\n",
    "a: " + "y" * 2000 + "\n",
    # --- errors
    "a: [",
    "a: {",
    "a: b: c\n",
    "a:\n  b\n c: d\n",
    "a: \"x",
    "a: 'x",
    "a: 1\n\tb: 2\n",
    "a: *x\n",
    "a: &x [*x]\n",
    "<<: 1\n",
    "a:\n  <<: [1]\n",
    "a: !!int abc\n",
    "a: !!float yes\n",
    "a: !!bool 1\n",
    "a: !!null x\n",
    "a: !!timestamp foo\n",
    "a: !!binary '@@'\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "%FOO\n---\na: 1\n",
    "%TAG ! !foo\n%TAG ! !bar\n---\na: 1\n",
    "a: 1\nb",
    "a: .inf\n",
    "a: -.inf\n",
    "a: .nan\n",
    "~: 1\n",
    "null: x\n",
    "[a]: 1\n",
    "{a: 1}: 2\n",
    "@foo",
    "`foo",
    "a: @foo\n",
    "a: %x\n",
    "- a\nb: c\n",
    "a: b\n- c\n",
    "a:\n  - b\n  c: d\n",
    "a: [b, c\n",
    "a: {b: c\n",
    "a: [b}\n",
    "a: {b]\n",
    "]\n",
    "a: 'x'y\n",
    "a: \"\\q\"\n",
    "a: \"\\x4\"\n",
    "a: \"\\ud800\"\n",
    "a: |0\n  x\n",
    "a: |x\n  x\n",
    "a: &\n",
    "a: *\n",
    "a: !<tag\n",
    "a: !!\n",
    "a: !foo!bar x\n",
    "a: \"x\n---\ny\"\n",
    "? a\n? b\n  c: d\n",
    "a: 1\n b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "- - a\n  - b\n - c\n",
    "a: |\n\t x\n",
    "a\n",
    "'a'\n",
    "[1, 2]\n",
    "3\n",
    "true\n",
    "a: \x01\n",
    "a: b\n\x7f\n",
    "key: value\n" + "  x" * 3,
    "a: [" * 5 + "]" * 5 + "\n",
    "a: {b: [c: {d: e}]}\n",
    "a: ! \n",
    "? - a\n  - b\n: c\n",
    "a: b # c\n  d: e\n",
    "a:\n- b\n  - c\n",
]


def tag(v):
    """Python value (from Helm's JSON) -> tagged fixture form."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return {"f": repr(float(v))}
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, dict):
        return {"m": {k: tag(x) for k, x in v.items()}}
    raise TypeError(type(v))


def parse_cases():
    out = []
    for i, text in enumerate(CASES):
        case = {"name": "parse-%03d" % i, "yaml": text}
        try:
            case["value"] = tag(helm.values_from_yaml(text))
        except helm.HelmError as e:
            case["error"] = getattr(e, "detail", None) or str(e)
        out.append(case)
    return out


LOAD_VALUES = [
    "a: 1\n---\nb: 2\n",
    "a: {x: 1, y: 2}\n---\na: {y: 3, z: 4}\n",
    "a: {x: 1}\n---\na: null\n",
    "a: {x: 1}\n---\na: 5\n",
    "a: 1\n---\n",
    "---\n---\na: 1\n---\n",
    "a: 1\n--- # comment\nb: 2\n",
    "a: 1\n---\n# only comment\n",
    "a: 1\n---\n- x\n",
    "a: 1\n---x\nb: 2\n",
    "a: 1\n----\nb: 2\n",
    "a: |\n  ---x\n",
    "a: 1\r\n---\r\nb: 2\r\n",
    "a: 1\n...\n---\nb: 2\n",
    "a: 1\n---\nb: [\n",
    "x" * 4090 + ": 1",
    "x" * 4094 + ": 1",
    "a: b\n" + "y" * 4093 + ": 1",
    "",
    "# just a comment",
    "---",
    "a: 1\n--- \t\nb: 2\n",
]


def load_values_cases():
    out = []
    for i, text in enumerate(LOAD_VALUES):
        r = render_case("{{ toJson .Values }}", values_yaml=text)
        case = {"name": "load-%03d" % i, "yaml": text}
        if "output" in r:
            case["json"] = r["output"]
        else:
            case["error"] = r["error"]
        out.append(case)
    return out


def main():
    d = os.path.join(ROOT, "parse")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "cases.json"), "w") as f:
        json.dump(parse_cases(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(d, "load_values.json"), "w") as f:
        json.dump(load_values_cases(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(d, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")


if __name__ == "__main__":
    main()
