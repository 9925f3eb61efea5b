#!/bin/sh
# Records which platform entry was chosen and every argument it got.
echo "chosen=$*" > "$OUT_FILE"
