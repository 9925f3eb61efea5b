#!/usr/bin/env python3
"""Side-by-side render timings: rudder vs Helm 4.2.3 (in-process), per corpus case.

    scripts/bench-vs-helm.py [CORPUS] [--runs N] [--filter S] [--out docs/bench/render.tsv]

Both are measured in this one run, on this machine:
  * Helm: helm-python-sdk (Helm 4.2.3 in-process via libhelm_c), median of N
    renders with the chart already loaded, and median of N load+render
    (the corpus's oracle.time_case, one warm-up render first).
  * rudder: `rudder-conformance --time N` (release build), the same two
    measures with the same inputs (release `rel`, namespace `ns`, the case's
    values file).
Prints one line per case with both medians and the speed-up (Helm / rudder),
then the median speed-up over the corpus for each measure.
Requires `pip install helm-python-sdk`.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--filter", default="")
    ap.add_argument("--out", help="also write the table as TSV here")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    sys.path.insert(0, corpus)
    import oracle  # noqa: E402  (the corpus's own Helm driver)
    import helm_python as helm  # noqa: E402

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "rudder-conformance"], cwd=ROOT, check=True)
    with tempfile.NamedTemporaryFile(suffix=".tsv", delete=False) as tf:
        tpath = tf.name
    cmd = [os.path.join(ROOT, "target", "release", "rudder-conformance"), corpus, "-j", "1",
           "--time", str(a.runs), "--timings", tpath]
    if a.filter:
        cmd += ["--filter", a.filter]
    subprocess.run(cmd, stdout=subprocess.DEVNULL)
    rudder = {}
    for line in open(tpath):
        chart, case, render_ms, full_ms, warm_ms = line.rstrip("\n").split("\t")
        rudder[(chart, case)] = (float(render_ms), float(full_ms), float(warm_ms))
    os.unlink(tpath)

    rows = []
    for line in list(open(os.path.join(corpus, "cases.tsv")))[1:]:
        f = line.rstrip("\n").split("\t")
        chart, case, vfile = f[0], f[1], f[2]
        if (chart, case) not in rudder:
            continue
        values = {}
        if vfile != "-":
            values = oracle.load_values([os.path.join(corpus, vfile)])
        h_render, h_full = oracle.time_case(os.path.join(corpus, "charts", chart), values, n=a.runs)
        r_render, r_full, r_warm = rudder[(chart, case)]
        rows.append((chart, case, h_render * 1000, r_render, h_full * 1000, r_full, r_warm))
        print("%-45s helm %8.2f ms  rudder %7.2f ms  x%6.1f  warm %7.2f ms  x%6.1f | load+render helm %8.2f  rudder %7.2f  x%6.1f"
              % (chart + "/" + case, h_render * 1000, r_render, h_render * 1000 / max(r_render, 1e-6),
                 r_warm, h_render * 1000 / max(r_warm, 1e-6),
                 h_full * 1000, r_full, h_full * 1000 / max(r_full, 1e-6)), flush=True)
    if not rows:
        print("no cases")
        return 1
    sr = [r[2] / max(r[3], 1e-6) for r in rows]
    sf = [r[4] / max(r[5], 1e-6) for r in rows]
    sw = [r[2] / max(r[6], 1e-6) for r in rows]
    print("%d cases, Helm %s" % (len(rows), helm.helm_sdk_version()))
    print("median speed-up, render (chart loaded): x%.1f  (min x%.1f, max x%.1f)"
          % (statistics.median(sr), min(sr), max(sr)))
    print("median speed-up, render, parse cache warm: x%.1f  (min x%.1f, max x%.1f)"
          % (statistics.median(sw), min(sw), max(sw)))
    print("median speed-up, load+render:           x%.1f  (min x%.1f, max x%.1f)"
          % (statistics.median(sf), min(sf), max(sf)))
    if a.out:
        with open(a.out, "w") as f:
            f.write("chart\tcase\thelm_render_ms\trudder_render_ms\thelm_load_render_ms\trudder_load_render_ms\trudder_warm_render_ms\n")
            for r in rows:
                f.write("%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n" % r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
