#!/usr/bin/env bash
# `confirm-context.sh CONTEXT OVERLAY`: `just deploy` applies to whatever kubectl's current context is.
# The local kind cluster needs no confirmation; any other context does: typed `yes` at a terminal,
# or YES=1 in the environment (CI, scripts). Without a terminal and without YES=1 it refuses.
set -uo pipefail

context=${1:?usage: confirm-context.sh CONTEXT OVERLAY}
overlay=${2:?usage: confirm-context.sh CONTEXT OVERLAY}

[ "$context" = kind-dev-cluster ] && exit 0
[ "${YES:-}" = 1 ] && { echo "YES=1: applying $overlay to kubectl context $context without asking" >&2; exit 0; }

if [ ! -t 0 ]; then
  echo "error: kubectl context $context is not the local kind-dev-cluster and there is no terminal to confirm; next: run \`YES=1 just deploy ...\` to apply $overlay there, or \`kubectl config use-context kind-dev-cluster\`" >&2
  exit 1
fi
printf 'kubectl context %s is not the local kind-dev-cluster. Apply %s there? Type yes: ' "$context" "$overlay" >&2
read -r answer
if [ "$answer" != yes ]; then
  echo "not confirmed: nothing applied; next: \`kubectl config use-context NAME\` selects another cluster" >&2
  exit 1
fi
