#!/usr/bin/env bash
# `confirm-context.sh CONTEXT OVERLAY`: `just deploy` applies to whatever kubectl's current context is.
# The local cluster of the provider (provider.sh context: kind-dev-cluster, or e2e-node under
# `just e2e`) needs no confirmation; any other context does: typed `yes` at a terminal, or YES=1
# in the environment (CI, scripts). Without a terminal and without YES=1 it refuses.
set -uo pipefail

context=${1:?usage: confirm-context.sh CONTEXT OVERLAY}
overlay=${2:?usage: confirm-context.sh CONTEXT OVERLAY}

local_context=$("$(dirname "$0")/provider.sh" context) || exit 2
[ "$context" = "$local_context" ] && exit 0
[ "${YES:-}" = 1 ] && { echo "YES=1: applying $overlay to kubectl context $context without asking" >&2; exit 0; }

if [ ! -t 0 ]; then
  echo "error: kubectl context $context is not the local $local_context and there is no terminal to confirm; next: run \`YES=1 just deploy ...\` to apply $overlay there, or \`kubectl config use-context $local_context\`" >&2
  exit 1
fi
printf 'kubectl context %s is not the local %s. Apply %s there? Type yes: ' "$context" "$local_context" "$overlay" >&2
read -r answer
if [ "$answer" != yes ]; then
  echo "not confirmed: nothing applied; next: \`kubectl config use-context NAME\` selects another cluster" >&2
  exit 1
fi
