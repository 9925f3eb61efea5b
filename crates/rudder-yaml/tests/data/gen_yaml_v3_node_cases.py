#!/usr/bin/env python3
"""Extract yaml.v3's node round-trip table (`nodeTests` in node_test.go of
go.yaml.in/yaml/v3 v3.0.4, the version Helm 4.2.3 builds with) into
yaml_v3_node_cases.json, for rudder-yaml's node parser/emitter tests.

Each case: {"yaml": text, "decode": bool, "encode": bool, "node": tree}.
Upstream's test decodes `yaml` and compares the tree (decode), and encodes
the tree with SetIndent(2) and compares with `yaml` (encode). A "[decode]"
or "[encode]" prefix limits a case to one direction.

Usage: gen_yaml_v3_node_cases.py <node_test.go> > yaml_v3_node_cases.json
(obtain the file with `git show v3.0.4:node_test.go` in a yaml/go-yaml clone).
Only the test data is extracted; no upstream code is reproduced.
"""
import json
import re
import sys

src = open(sys.argv[1]).read()
start = src.index("var nodeTests = []struct {")
start = src.index("}{", start) + 1
end = src.index("\nfunc (s *S) TestNodeRoundtrip", start)
src = src[:end]
# Tokenizer for the Go composite-literal subset the table uses.
tok_re = re.compile(r'''
    (?P<ws>\s+|//[^\n]*)
  | (?P<str>"(?:\\.|[^"\\])*")
  | (?P<raw>`[^`]*`)
  | (?P<num>-?0x[0-9a-fA-F]+|-?\d+)
  | (?P<id>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<p>[{}\[\](),:|&*+])
''', re.X)

def tokens(s, pos):
    while pos < len(s):
        m = tok_re.match(s, pos)
        if not m:
            raise SystemExit("cannot tokenize at %r" % s[pos:pos+40])
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        yield kind, m.group(kind), m.start()

class NotUtf8(Exception):
    """A Go string holding bytes that are not UTF-8 (the case is skipped)."""

def go_unquote(s):
    body = s[1:-1]
    out = bytearray()
    i = 0
    simple = {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "\\": b"\\", "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v", "'": b"'"}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        n = body[i + 1]
        if n in simple:
            out += simple[n]; i += 2
        elif n == "x":
            out.append(int(body[i+2:i+4], 16)); i += 4
        elif n == "u":
            out += chr(int(body[i+2:i+6], 16)).encode("utf-8"); i += 6
        elif n == "U":
            out += chr(int(body[i+2:i+10], 16)).encode("utf-8"); i += 10
        else:
            raise SystemExit("escape %r" % n)
    try:
        return bytes(out).decode("utf-8")
    except UnicodeDecodeError:
        raise NotUtf8()

class P:
    def __init__(self, toks):
        self.t = list(toks)
        self.i = 0
    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None, None)
    def next(self):
        v = self.t[self.i]; self.i += 1; return v
    def expect(self, val):
        k, v, _ = self.next()
        if v != val:
            raise SystemExit("expected %r got %r near token %d" % (val, v, self.i))
    def string(self):
        parts = []
        while True:
            k, v, _ = self.next()
            parts.append(go_unquote(v) if k == "str" else v[1:-1])
            if self.peek()[1] == "+":
                self.next(); continue
            return "".join(parts)
    def value(self):
        k, v, _ = self.peek()
        if k in ("str", "raw"):
            return self.string()
        if k == "num":
            self.next(); return int(v, 0)
        if v == "&":
            self.next(); return self.value()
        if v == "{":
            return self.struct()
        if k == "id":
            self.next()
            if self.peek()[1] == "(":
                self.next()
                args = []
                while self.peek()[1] != ")":
                    args.append(self.value())
                    if self.peek()[1] == ",":
                        self.next()
                self.expect(")")
                if v in ("saveNode",):
                    node = args[1]; node["$save"] = args[0]; return node
                if v in ("peekNode", "dropNode"):
                    return {"$ref": args[0]}
                raise SystemExit("call %s" % v)
            if v in ("yaml.Node",):
                return self.struct()
            if v == "[]":
                pass
            val = v
            while self.peek()[1] == "|":
                self.next(); val = val + "|" + self.next()[1]
            return val
        if v == "[":
            self.next(); self.expect("]"); self.expect("*"); self.next()  # []*yaml.Node
            return self.list()
        raise SystemExit("value at %r" % (v,))
    def list(self):
        self.expect("{")
        items = []
        while self.peek()[1] != "}":
            items.append(self.value())
            if self.peek()[1] == ",":
                self.next()
        self.expect("}")
        return items
    def struct(self):
        self.expect("{")
        out = {}
        while self.peek()[1] != "}":
            k, key, _ = self.next()
            self.expect(":")
            out[key] = self.value()
            if self.peek()[1] == ",":
                self.next()
        self.expect("}")
        return out

p = P(tokens(src, start))
p.expect("{")
# Case spans by brace matching, so a skipped case can be jumped over.
spans = []
depth = 0
for idx in range(p.i, len(p.t)):
    v = p.t[idx][1]
    if v == "{":
        if depth == 0:
            begin = idx
        depth += 1
    elif v == "}":
        depth -= 1
        if depth == 0:
            spans.append((begin, idx))
        if depth < 0:
            break
cases = []
skipped = 0
for begin, end in spans:
    p.i = begin
    p.expect("{")
    try:
        text = p.string()
        p.expect(",")
        node = p.value()
    except NotUtf8:
        skipped += 1
        continue
    decode = encode = True
    if text.startswith("[decode]"):
        encode = False; text = text[len("[decode]"):]
    elif text.startswith("[encode]"):
        decode = False; text = text[len("[encode]"):]
    cases.append({"yaml": text, "decode": decode, "encode": encode, "node": node})
json.dump({"source": "go.yaml.in/yaml/v3 v3.0.4 node_test.go nodeTests", "skipped_non_utf8": skipped, "cases": cases}, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
