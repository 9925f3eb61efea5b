#!/bin/sh
# A post-renderer: replace "REPLACE_ME" with the last argument, add a
# comment listing the arguments, and chatter on stderr (Helm discards it).
echo "post-renderer noise" >&2
last=""
for a in "$@"; do last="$a"; done
echo "# args: $*"
if [ -n "$FAIL_WITH" ]; then exit "$FAIL_WITH"; fi
if [ -n "$PRINT_NOTHING" ]; then echo "  "; exit 0; fi
sed "s/REPLACE_ME/${last}/g"
