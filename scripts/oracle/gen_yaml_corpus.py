#!/usr/bin/env python3
"""Copy the corpus values files into rudder-yaml's fixtures, with Helm's
`toYaml .Values` (full text) and `toJson .Values` (FNV-1a 64 hash and length,
to keep the fixtures small) for each, rendered by real Helm with the file as
a chart's values.yaml (so Helm's LoadValues path reads it).

Sources: /work/shared/corpus (charts/*/values.yaml, subchart directories'
values.yaml, values/**/*.yaml); see tests/data/corpus/SOURCES.tsv.

Run: python3 scripts/oracle/gen_yaml_corpus.py [CORPUS_DIR]
"""
import hashlib
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from helmcase import ORACLE_VERSION, render_case  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "rudder-yaml", "tests", "data", "corpus")


def fnv1a64(b):
    h = 0xcbf29ce484222325
    for x in b:
        h ^= x
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/corpus"
    files = []
    for base in ("charts", "values"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(corpus, base)):
            dirnames.sort()
            if "/templates" in dirpath:
                continue
            for fn in sorted(filenames):
                if not fn.endswith(".yaml"):
                    continue
                if base == "charts" and fn != "values.yaml":
                    continue
                files.append(os.path.relpath(os.path.join(dirpath, fn), corpus))
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "files"))
    seen = {}
    cases = []
    for rel in files:
        with open(os.path.join(corpus, rel), "rb") as f:
            data = f.read()
        digest = hashlib.sha256(data).hexdigest()[:16]
        if digest in seen:
            continue
        seen[digest] = rel
        name = rel.replace("/", "__")
        with open(os.path.join(OUT, "files", name), "wb") as f:
            f.write(data)
        text = data.decode("utf-8")
        case = {"file": name, "source": rel}
        y = render_case("{{ toYaml .Values }}", values_yaml=text)
        if "output" in y:
            case["toYaml"] = y["output"]
        else:
            case["error"] = y["error"]
        j = render_case("{{ toJson .Values }}", values_yaml=text)
        if "output" in j:
            jb = j["output"].encode("utf-8")
            case["toJson_fnv"] = fnv1a64(jb)
            case["toJson_len"] = len(jb)
        cases.append(case)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(OUT, "ORACLE_VERSION"), "w") as f:
        f.write(ORACLE_VERSION + "\n")
    shutil.copy(os.path.join(corpus, "SOURCES.tsv"), os.path.join(OUT, "SOURCES.tsv"))
    print("%d files, %d unique" % (len(files), len(cases)))


if __name__ == "__main__":
    main()
