#!/usr/bin/env python3
"""Generate rudder-yaml's fixtures for Helm's decoding functions from real
Helm: `fromJson`, `fromJsonArray`, `fromYaml`, `fromYamlArray` (each piped
to `toJson`, so errors show up as Helm's `{"Error": msg}` map or `[msg]`
list). The input text is read from a chart file so that it reaches the
function byte for byte.

Writes crates/rudder-yaml/tests/data/decode/cases.json.
Run: python3 scripts/oracle/gen_yaml_json.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from helmcase import ORACLE_VERSION, render_case  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "rudder-yaml", "tests", "data", "decode")

JSON = [
    '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}',
    '{"n": [0, -0, 1.5, -1.5e3, 1E-7, 12345678901234567890, 0.1, 1e21]}',
    '{"s": "esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\ud800 x \\udc00"}',
    '{"dup": 1, "dup": 2}',
    '  {"ws" : 1 }  \n',
    '{}',
    '[]',
    '[1, 2]',
    'null',
    '3',
    '"str"',
    'true',
    '',
    '   ',
    '{',
    '{"a"',
    '{"a":',
    '{"a":1',
    '{"a":1,',
    '{"a" 1}',
    '{"a":1 "b":2}',
    '{a:1}',
    '{"a":1,}',
    '[1,]',
    '[1 2]',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":fals}',
    '{"a":troo}',
    '{"a":-}',
    '{"a":01}',
    '{"a":1.}',
    '{"a":1.e5}',
    '{"a":1e}',
    '{"a":1e+}',
    '{"a":.5}',
    '{"a":+1}',
    '{"a":"\\x"}',
    '{"a":"\\u12"}',
    '{"a":"\\u12g4"}',
    '{"a":"tab\there"}',
    '{"a":"unterminated',
    '{"a":1}}',
    '{"a":1} x',
    '{"a":1e400}',
    '{"a":1e400, "b": }',
    "{'a':1}",
    '{"a":\u00e9}',
    '{"a":[1,{"b":[2,{"c":3}]}]}',
    '{"<>&": "\u2028\u2029"}',
    '{"big": 9007199254740993}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '[1, "a", null]',
    '{"a":1}\n{"b":2}',
]

YAML = [
    "a: 1\nb: [x, y]\n",
    "a: [",
    "- a\n- b\n",
    "",
    "x",
    "a: .inf\n",
    "~: 1\n",
    "a: b: c\n",
    "a: &x 1\nb: *x\n",
    "a: 1\n---\nb: 2\n",
    "null",
    "3",
]


def case(fn, text, ext):
    tpl = '{{ %s (.Files.Get "in.%s") | toJson }}' % (fn, ext)
    r = render_case(tpl, files={"in." + ext: text})
    c = {"fn": fn, "text": text}
    if "output" in r:
        c["output"] = r["output"]
    else:
        c["error"] = r["error"]
    return c


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for t in JSON:
        cases.append(case("fromJson", t, "json"))
        cases.append(case("fromJsonArray", t, "json"))
    for t in YAML:
        cases.append(case("fromYaml", t, "yaml"))
        cases.append(case("fromYamlArray", t, "yaml"))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(OUT, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")


if __name__ == "__main__":
    main()
