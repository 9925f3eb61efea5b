#!/usr/bin/env bash
# Build the guest plugins under plugins/ for wasm32-wasip1 and copy each
# example's .wasm next to its plugin.yaml as plugin.wasm.
#
#   scripts/build-plugins.sh            # release build, --locked
#
# Output: plugins/target/wasm32-wasip1/release/<crate_name>.wasm
# (the tests in crates/rudder-extism do the same through
# rudder_extism::test_support, so running this first is optional).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustc --print target-libdir --target wasm32-wasip1 >/dev/null 2>&1 \
   || ! ls "$(rustc --print target-libdir --target wasm32-wasip1)"/libstd-* >/dev/null 2>&1; then
  echo "error: the Rust target wasm32-wasip1 is not installed; run: rustup target add wasm32-wasip1" >&2
  exit 1
fi

cargo build --release --locked --target wasm32-wasip1 \
  --manifest-path plugins/Cargo.toml --target-dir plugins/target

out=plugins/target/wasm32-wasip1/release
for example in postrender-labels getter-echo cli-hello; do
  wasm="$out/${example//-/_}.wasm"
  if [ ! -f "$wasm" ]; then
    echo "error: $wasm was not built" >&2
    exit 1
  fi
  cp "$wasm" "plugins/examples/$example/plugin.wasm"
done

echo "built:"
ls -l "$out"/*.wasm
