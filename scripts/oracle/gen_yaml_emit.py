#!/usr/bin/env python3
"""Generate rudder-yaml's serialiser fixtures from real Helm (the oracle).

Two kinds of case, both rendered through a throwaway chart:

* values cases (tests/data/emit/values.json): a values.yaml text; the
  expected outputs of `toYaml`, `toJson`, `toPrettyJson`, `toRawJson`,
  `toYamlPretty` and `toToml` of `.Values`. The Rust runner loads the same
  text with `load_values` (dropping null map entries, as Helm's coalescing
  does) and compares.
* typed cases (tests/data/emit/typed.json): a template expression built with
  Sprig (`dict`, `list`, `int64 3`, …) and a tagged description of the Go
  value it builds (see tests/util.rs `from_tagged`); the expected outputs of
  the same functions applied to it.

Run: python3 scripts/oracle/gen_yaml_emit.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from helmcase import ORACLE_VERSION, render_case  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "rudder-yaml", "tests", "data", "emit")

FUNCS = ["toYaml", "toJson", "toPrettyJson", "toRawJson", "toYamlPretty", "toToml"]

LONG = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"

VALUES = [
    "a: 1\nb: two\nc: true\nd: 1.5\n",
    "list:\n- a\n- b\nnested:\n  x: [1, 2]\n  y: {}\n  z: []\n",
    "lm:\n- name: a\n  value: 1\n- name: b\n  items: [x, y]\n- - nested\n  - list\n- []\n- {}\n",
    "s1: 'yes'\ns2: 'no'\ns3: 'on'\ns4: 'off'\ns5: 'y'\ns6: 'n'\ns7: 'true'\ns8: 'null'\ns9: '~'\ns10: ''\n",
    "n1: '1'\nn2: '-1'\nn3: '0x1F'\nn4: '017'\nn5: '1_000'\nn6: '1e3'\nn7: '.5'\nn8: '0b1'\nn9: '+1'\nn10: '1.0'\nn11: '08'\nn12: '0o17'\n",
    "t1: '2024-01-02'\nt2: '2024-01-02T10:00:00Z'\nt3: '2024-1-2 3:4:5'\nt4: '1:20'\nt5: '2024-13-01'\nt6: '12:30:45'\nt7: '190:20:30.15'\n",
    "f1: '.inf'\nf2: '-.Inf'\nf3: '.NaN'\nf4: '<<'\nf5: '1e400'\nf6: '1.2.3'\nf7: 'Yes please'\n",
    "q1: 'foo: bar'\nq2: 'a #b'\nq3: 'a#b'\nq4: 'a:b'\nq5: 'ends:'\nq6: '- item'\nq7: '-item'\nq8: '? x'\nq9: ':x'\nq10: '---x'\nq11: '...'\nq12: ' lead'\nq13: 'trail '\n",
    "i1: '#x'\ni2: ',x'\ni3: '[x'\ni4: ']x'\ni5: '{x'\ni6: '}x'\ni7: '&x'\ni8: '*x'\ni9: '!x'\ni10: '|x'\ni11: '>x'\ni12: \"'x\"\ni13: '\"x'\ni14: '%x'\ni15: '@x'\ni16: '`x'\n",
    "m1: \"a\\nb\"\nm2: \"a\\nb\\n\"\nm3: \"a\\nb\\n\\n\"\nm4: \"\\na\"\nm5: \" a\\nb\"\nm6: \"a \\nb\"\nm7: \"a\\nb \"\nm8: \"a\\n b\"\nm9: \"a\\tb\\nc\"\nm10: \"\\n\"\nm11: \"\\n\\n\"\n",
    "c1: \"tab\\there\"\nc2: \"cr\\rhere\"\nc3: \"bell\\a\"\nc4: \"nul\\0\"\nc5: \"esc\\e\"\nc6: \"nel\\Nx\"\nc7: \"nbsp\\_x\"\nc8: \"ls\\Lx\"\nc9: \"ps\\Px\"\nc10: \"bom\\uFEFFx\"\nc11: \"del\\x7Fx\"\nc12: \"c1\\x80x\"\nc13: \"\\u00e9t\\u00e9 \\u2603 \\U0001F600\"\n",
    "h1: '<b>&amp;</b>'\nh2: \"quote\\\" and \\\\ backslash\"\nh3: \"it's\"\n",
    "long: " + LONG + "\n",
    "long2: " + LONG + " " + LONG + "\n",
    "longq: '" + LONG + ": colon'\n",
    "longd: \"" + LONG + "\\ttab\"\n",
    "longs: \"" + "x" * 90 + " y  z " + "w" * 20 + "  v\"\n",
    "longnospace: " + "x" * 200 + "\n",
    "nest:\n  deeper:\n    deepest:\n      long: " + LONG + "\n",
    "seq:\n- " + LONG + "\n- - " + LONG + "\n",
    "multi: \"" + LONG + "\\n" + LONG + "\\n\"\n",
    "multitrail: \"line one  \\nline two\\n\"\n",
    "\"key: colon\": 1\n\"#hash\": 2\n\"yes\": 3\n\"1\": 4\n\"\": 5\n\"with space\": 6\n\"-dash\": 7\n\"null\": 8\n\"1.5\": 9\n",
    "\"" + "k" * 130 + "\": long key\n\"" + "k" * 128 + "\": exactly 128\n",
    "\"multi\\nline key\": v\n",
    "b: 1\nB: 2\na10: 3\na2: 4\n_x: 5\n\"123\": 6\nZ: 7\na-b: 8\na.b: 9\na: 10\n\u00e9: 11\n\"a01\": 12\n\"a1\": 13\n\"a001\": 14\n\"x9y\": 15\n\"x10y\": 16\n",
    "n:\n  i: 42\n  neg: -7\n  f: 0.5\n  e: 1e6\n  big: 123456789.5\n  small: 0.000001\n  tiny: 1e-7\n  huge: 1e21\n  h20: 1e20\n  negz: -0.0\n  u: 12345678901234567890\n  maxi: 9223372036854775807\n  p: 3.0\n",
    "x: 1.0e+3\ny: 6.02e23\nz: -1.5e-10\n",
    "emptys: ''\nspace: ' '\nnulls: ~\n",
    "deep:\n  a:\n  - b:\n    - c: [d, {e: f}]\n",
    "anch: &a {x: 1, y: [1, 2]}\nref: *a\nmerged:\n  <<: *a\n  z: 3\n",
    "bin: !!binary aGVsbG8gd29ybGQ=\n",
    "uni: \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 " + "\u3042" * 50 + " " + "\u3044" * 50 + "\n",
    "mixedlist: [1, 'a', true, 2.5, [], {}, {k: v}]\n",
    "blockfolded: >\n  folded text\n  continues\n\n  new para\nliteral: |\n  keep\n    indented\n  lines\n",
    "ws: \"a  b\"\nws2: \"a   \"\nws3: \"  \"\n",
    "colons: 'http://example.com:8080/path'\nurl: https://x.y/z?a=b&c=d\nemail: a@b.c\n",
    "semver: 1.2.3\nver: v1\nimg: nginx:1.19\nport: '8080'\nmode: '0644'\n",
    "annotations:\n  kubernetes.io/ingress.class: nginx\n  nginx.ingress.kubernetes.io/rewrite-target: /\n",
    "percent: '50%'\nexpr: '{{ .Values.x }}'\nshell: 'echo $HOME && ls -la | grep x'\n",
    "trailingdoc: \"...\"\ndashdash: \"--\"\ndash: \"-\"\nq: \"?\"\ncolon: \":\"\n",
    "env:\n- name: A\n  value: '1'\n- name: B\n  valueFrom:\n    secretKeyRef: {name: s, key: k}\n",
    "tabsinlit: \"a\\n\\tb\\n\"\nspaceslit: \"a\\n  b\\n\"\n",
    "crlf: \"a\\r\\nb\"\n",
    "lsonly: \"a\\u2028b\"\nnelonly: \"a\\u0085b\"\n",
    "k:\n  \"on\": 1\n  \"y\": 2\n  \"~\": 3\n",
]

# (template expression, tagged Go value)
TYPED = [
    ('(int64 3)', {"i": "3", "k": "int64"}),
    ('3', {"i": "3", "k": "int"}),
    ('3.0', {"f": "3.0"}),
    ('1e6', {"f": "1000000.0"}),
    ('1.5', {"f": "1.5"}),
    ('(float64 0.1)', {"f": "0.1"}),
    ('(divf 1.0 3.0)', {"f": repr(1.0 / 3.0)}),
    ('(mulf 1e300 1e10)', {"f": "inf"}),
    ('(float64 "-0")', {"f": "-0.0"}),
    ('(int64 "9223372036854775807")', {"i": "9223372036854775807", "k": "int64"}),
    ('(float64 123456789.5)', {"f": "123456789.5"}),
    ('(float64 0.000001)', {"f": "0.000001"}),
    ('(float64 0.0000001)', {"f": "1e-7"}),
    ('(float64 1e21)', {"f": "1e21"}),
    ('(float64 1e20)', {"f": "1e20"}),
    ('(float64 "12345678901234567890")', {"f": "12345678901234567890.0"}),
    ('(float64 1.5e300)', {"f": "1.5e300"}),
    ('"yes"', "yes"),
    ('""', ""),
    ('"foo: bar"', "foo: bar"),
    ('"a\\nb"', "a\nb"),
    ('"a\\nb\\n"', "a\nb\n"),
    ('" a\\nb"', " a\nb"),
    ('nil', None),
    ('true', True),
    ('(list)', []),
    ('(dict)', {"m": {}}),
    ('(list 1 "a" (int64 2) 2.5 nil true)', [{"i": "1", "k": "int"}, "a", {"i": "2", "k": "int64"}, {"f": "2.5"}, None, True]),
    ('(dict "a" nil "b" (list))', {"m": {"a": None, "b": []}}),
    ('(dict "z" 1 "a" (dict "y" 2 "b" (list (dict "k" "v"))))',
     {"m": {"z": {"i": "1"}, "a": {"m": {"y": {"i": "2"}, "b": [{"m": {"k": "v"}}]}}}}),
    ('(list (list 1 2) (list) (list (list "x")))', [[{"i": "1"}, {"i": "2"}], [], [["x"]]]),
    ('(dict "<b>" "&")', {"m": {"<b>": "&"}}),
    ('"\\u2028\\u2029"', "\u2028\u2029"),
    ('(splitList "," "a,b,c")', ["a", "b", "c"]),
    ('(b64dec "aGk=" | toString)', "hi"),
    ('(dict "k" (dict))', {"m": {"k": {"m": {}}}}),
    ('"' + LONG + '"', LONG),
    ('(list "' + LONG + '")', [LONG]),
    ('(dict "a" (dict "b" (dict "c" "' + LONG + '")))', {"m": {"a": {"m": {"b": {"m": {"c": LONG}}}}}}),
    ('"trail \\nspace"', "trail \nspace"),
    ('"x\\ty"', "x\ty"),
    ('(dict "1" "a" "2" "b" "10" "c")', {"m": {"1": "a", "2": "b", "10": "c"}}),
    ('(dict "on" true "off" false)', {"m": {"on": True, "off": False}}),
    ('(dict "a.b" 1 "a-b" 2 "a_b" 3 "aB" 4 "ab" 5)', {"m": {"a.b": {"i": "1"}, "a-b": {"i": "2"}, "a_b": {"i": "3"}, "aB": {"i": "4"}, "ab": {"i": "5"}}}),
    ('(list 0.5 100000.0 1000000.0 1e-5 0.0001)', [{"f": "0.5"}, {"f": "100000.0"}, {"f": "1000000.0"}, {"f": "1e-05"}, {"f": "0.0001"}]),
    ('(int64 -1)', {"i": "-1", "k": "int64"}),
    ('(list (int64 0) 0 0.0)', [{"i": "0", "k": "int64"}, {"i": "0"}, {"f": "0.0"}]),
    ('"a\\rb"', "a\rb"),
    ('"\\u00e9\\u00e8"', "\u00e9\u00e8"),
    ('(dict "a" "")', {"m": {"a": ""}}),
    ('"|"', "|"),
    ('"-"', "-"),
    ('(dict "key" "value\\n")', {"m": {"key": "value\n"}}),
    ('(dict "key" (list "a\\nb" "c"))', {"m": {"key": ["a\nb", "c"]}}),
    ('(dict "a" (list (dict "b" (list (dict "c" 1)))))', {"m": {"a": [{"m": {"b": [{"m": {"c": {"i": "1"}}}]}}]}}),
    ('(dict "x" (float64 3))', {"m": {"x": {"f": "3.0"}}}),
    ('(dict "x" (float64 1e6))', {"m": {"x": {"f": "1000000.0"}}}),
    ('(dict "x" (list (float64 1e6)))', {"m": {"x": [{"f": "1000000.0"}]}}),
]


def render_all(expr, values_yaml=None):
    out = {}
    for fn in FUNCS:
        r = render_case("{{ %s %s }}" % (fn, expr), values_yaml=values_yaml)
        out[fn] = r.get("output") if "output" in r else {"error": r["error"]}
    return out


def main():
    os.makedirs(ROOT, exist_ok=True)
    vals = []
    for i, text in enumerate(VALUES):
        vals.append({"name": "values-%03d" % i, "yaml": text, "out": render_all(".Values", text)})
    with open(os.path.join(ROOT, "values.json"), "w") as f:
        json.dump(vals, f, indent=1, ensure_ascii=False)
        f.write("\n")
    typed = []
    for i, (expr, val) in enumerate(TYPED):
        typed.append({"name": "typed-%03d" % i, "expr": expr, "value": val, "out": render_all(expr)})
    with open(os.path.join(ROOT, "typed.json"), "w") as f:
        json.dump(typed, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(ROOT, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")


if __name__ == "__main__":
    main()
