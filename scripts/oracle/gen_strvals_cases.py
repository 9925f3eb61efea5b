#!/usr/bin/env python3
"""Generate strvals (--set family) fixtures from real Helm (the oracle).

Writes crates/rudder-values/tests/data/strvals/cases.json: a list of
{"kind", "input", "ok": <parsed map as JSON>} or {"kind", "input", "error": <Helm's text>}
for --set (helm.parse_set_string), --set-string (parse_set_string_values),
--set-json (parse_set_json) and --set-literal (parse_set_literal).

Inputs are hand-picked edge cases plus random ones drawn from a grammar of
keys, dots, escapes, indexes (huge, negative, malformed), lists, commas,
equals and typed scalars. The seed is fixed so the output is reproducible.

    python3 scripts/oracle/gen_strvals_cases.py
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helm_python as helm  # noqa: E402
from helmcase import ORACLE_VERSION  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "crates", "rudder-values", "tests", "data", "strvals")

PARSERS = {
    "set": helm.parse_set_string,
    "set-string": helm.parse_set_string_values,
    "set-json": helm.parse_set_json,
    "set-literal": helm.parse_set_literal,
}

HAND = [
    "a=1", "a=b,c=d", "a.b.c=1", "a.b=1,a.c=2", "a[0]=x", "a[1]=x", "a[0][1]=x",
    "a[0].b=1", "a[1].b=1,a[0].c=2", "a=", "a", "a,b=1", "=1", "=", ",", "", " ",
    "a=1,", "a=1,,b=2", "a\\.b=1", "a\\=b=1", "a=b\\,c", "a=\\", "a\\", "a={}",
    "a={x}", "a={x,y}", "a={x,y", "a={x,{y}}", "a={1,2},b=3", "a={1,2}x", "a={1}}",
    "a[-1]=1", "a[65536]=1", "a[65537]=1", "a[99999999999999999999]=1", "a[x]=1",
    "a[ 1]=1", "a[+1]=1", "a[]=1", "a[1", "a[1]", "a[1]x=2", "a[0][", "a.b[",
    "a=1,a.b=2", "a.b=1,a=2", "a=1,a[0]=2", "a[0]=1,a.b=2", "a[0]=1,a[0][0]=2",
    "a[0]=x,a[0].b=1", "a[0][0]=x,a[0][0].b[", "a=null,a.b=1", "a=null,a[0]=1",
    "a=true", "a=TRUE", "a=tRuE", "a=false", "a=FALSE", "a=null", "a=NULL", "a=Null",
    "a=0", "a=00", "a=007", "a=-0", "a=+0", "a=-007", "a=1e3", "a=1.5", "a=0x10",
    "a=9223372036854775807", "a=9223372036854775808", "a=-9223372036854775808",
    "a=+5", "a=-5", "a= 5", "a=5 ", "a=1_000", "a=falſe", "a=ſ", "a=é", "é=1",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.ab.ac.ad=1",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.aa.ab.ac.ad.ae=1",
    "a..b=1", ".a=1", "a.=1", "a[0].=1", "a[0]..b=1",
    'a={"b":1}', 'a=[1,2]', 'a="x"', "a=x", "a=tru", "a=[1,]", "a=1e400",
    'a="\\u00e9"', "a= 1 ,b=2", "a=1 x", "a={\"b\":", "a=[1,2],b=3", "a=nul",
    "a=1,b=", "a=,b=1", "a[0]=,a[1]=1", "a={}x", "a=\"x\"y", "a=-", "a=01",
    "a=1.", "a=.5", "a=1e", "a=\"\\x\"", "a=\"\t\"", "a[0]={\"x\":[1]}",
    "name=value,list={a,b,c},nested.key=v",
]

SEGMENTS = ["a", "b", "c", "name", "x1", "é", "", "a\\.b", "a\\,b", "a\\=b", "k\\[0\\]", "ſ", " a"]
INDEXES = ["[0]", "[1]", "[2]", "[3]", "[-1]", "[65536]", "[65537]", "[99999999999999999999]",
           "[x]", "[]", "[ 1]", "[+1]", "[0][0]", "[1][0]", "[0", "[01]"]
SCALARS = ["0", "1", "007", "-3", "+4", "1e3", "1.5", "true", "FALSE", "null", "NULL", "Null",
           "", "x", "hello world", "a\\,b", "\\", "{a,b}", "{}", "{1,{2}}", "{x", "1}", "0x1F",
           "9223372036854775808", "falſe", "é", "=", "a=b", " 5", "5 "]
JSONS = ["1", "1.5", "-0", "1e400", "\"s\"", "\"\\u00e9\"", "[1,2]", "[]", "{}", "{\"a\":{\"b\":null}}",
         "null", "true", "fals", "tru", "[1,", "{\"a\"", "x", "'q'", " 2 ", "[1,]", "\"a,b\"",
         "01", "1.", "-", "\"\\q\"", "[[[]]]", "{\"a\":1}x", "2 3"]


def rand_key(r):
    parts = []
    for i in range(r.randint(1, 4)):
        seg = r.choice(SEGMENTS)
        if r.random() < 0.3:
            seg += r.choice(INDEXES)
        parts.append(seg)
    key = ".".join(parts)
    if r.random() < 0.05:
        key += "."
    return key


def rand_pair(r, kind):
    key = rand_key(r)
    roll = r.random()
    if roll < 0.07:
        return key  # no value
    if kind == "set-json":
        return key + "=" + r.choice(JSONS)
    return key + "=" + r.choice(SCALARS)


def rand_input(r, kind):
    n = r.randint(1, 4)
    text = ",".join(rand_pair(r, kind) for _ in range(n))
    if r.random() < 0.05:
        text += ","
    return text


def run(kind, text):
    try:
        return {"kind": kind, "input": text, "ok": PARSERS[kind](text)}
    except helm.HelmError as e:
        return {"kind": kind, "input": text, "error": getattr(e, "detail", None) or str(e)}


def main():
    r = random.Random(20260601)
    cases = []
    for kind in PARSERS:
        for text in HAND:
            cases.append(run(kind, text))
    counts = {"set": 450, "set-string": 200, "set-json": 300, "set-literal": 150}
    for kind, n in counts.items():
        for _ in range(n):
            cases.append(run(kind, rand_input(r, kind)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=0, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    with open(os.path.join(OUT, "SOURCE"), "w") as f:
        f.write("Generated by scripts/oracle/gen_strvals_cases.py from %s.\n" % ORACLE_VERSION)
    print("%d cases (%d errors)" % (len(cases), sum(1 for c in cases if "error" in c)))


if __name__ == "__main__":
    main()
