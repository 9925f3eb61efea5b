#!/bin/sh
# postrender-labels, subprocess edition: the same transform as the Wasm
# plugin in ../postrender-labels, for comparing the two runtimes.
# Manifests on stdin, result on stdout, labels as key=value arguments
# (default: rudder.sh/postrendered=true).
set -eu
if [ "$#" -eq 0 ]; then
  set -- "rudder.sh/postrendered=true"
fi
labels=""
for kv in "$@"; do
  case "$kv" in
    ?*=*) ;;
    *) echo "postrender-labels: argument \"$kv\" is not key=value" >&2; exit 1 ;;
  esac
  labels="${labels}${kv}
"
done
exec awk -v labels="$labels" '
BEGIN { n = split(labels, L, "\n") - 1 }
function emit(   i, p) {
  for (i = 1; i <= n; i++) {
    p = index(L[i], "=")
    printf "    %s: \"%s\"\n", substr(L[i], 1, p - 1), substr(L[i], p + 1)
  }
}
function flush(   i, at, t) {
  at = 0
  for (i = 1; i <= m; i++) { t = B[i]; sub(/[ \r]+$/, "", t); if (t == "  labels:") { at = i; break } }
  if (at == 0) { print "  labels:"; emit() }
  for (i = 1; i <= m; i++) { print B[i]; if (i == at) emit() }
  inblock = 0; m = 0
}
{
  if (inblock) {
    if ($0 == "" || $0 ~ /^[ \t]/) { B[++m] = $0; next }
    flush()
  }
  t = $0; sub(/[ \r]+$/, "", t)
  print
  if (t == "metadata:") { inblock = 1; m = 0 }
}
END { if (inblock) flush() }
'
