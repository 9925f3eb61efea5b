#!/bin/sh
# Record argv and the plugin environment for the tests to inspect.
out="${OUT_FILE:-/dev/stdout}"
{
  echo "argv0=$0"
  for a in "$@"; do echo "arg=$a"; done
  for v in HELM_PLUGIN_NAME HELM_PLUGIN_DIR HELM_PLUGINS HELM_BIN HELM_NAMESPACE HELM_DEBUG HELM_KUBECONTEXT HELM_KUBEASGROUPS HELM_KUBEINSECURE_SKIP_TLS_VERIFY; do
    eval "val=\${$v-<unset>}"
    echo "$v=$val"
  done
} > "$out"
