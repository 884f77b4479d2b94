#!/usr/bin/env bash
# `provider.sh create|load IMAGE...|delete|context|name`: the one seam between our recipes and the
# cluster they run on. Everything else (`just deploy`, `just health-now`, `just status`, ...) is
# plain kubectl against the current context and does not know which cluster it is.
#   CLUSTER_PROVIDER=kind (the default): the local kind cluster dev-cluster (k8s/kind/cluster.yaml).
#   CLUSTER_PROVIDER=e2e-node: the single-node Kubernetes that `just e2e` runs in CI
#     (e2e-node/node.sh); it is created by `just e2e`, never by `just up`.
# `context` prints the kubectl context of that cluster: `just deploy` applies there without asking.
# Backticks in the messages quote commands for the reader; nothing is meant to expand there.
# shellcheck disable=SC2016
set -uo pipefail

cluster=dev-cluster
provider=${CLUSTER_PROVIDER:-kind}
verb=${1:-}
[ $# -gt 0 ] && shift
here=$(dirname "$0")

case $provider:$verb in
  kind:name) echo "the kind cluster $cluster" ;;
  kind:context) echo "kind-$cluster" ;;
  kind:create)
    if kind get clusters 2>/dev/null | grep -x "$cluster" >/dev/null; then
      echo "kind cluster $cluster exists: kept as it is"
    else
      kind create cluster --name "$cluster" --config k8s/kind/cluster.yaml --wait 120s
    fi ;;
  kind:load) "$here/load-images.sh" "$cluster" "$@" ;;
  kind:delete) kind delete cluster --name "$cluster" ;;

  e2e-node:name) echo "the e2e node" ;;
  e2e-node:context) echo e2e-node ;;
  e2e-node:create)
    if "$here/../../e2e-node/node.sh" status >/dev/null 2>&1; then
      echo "the e2e node is up: kept as it is"
    else
      echo 'error: the e2e node is not up; next: `just e2e` starts it (or `e2e-node/node.sh up` as root)' >&2
      exit 1
    fi ;;
  e2e-node:load) "$here/../../e2e-node/node.sh" load "$@" ;;
  e2e-node:delete) "$here/../../e2e-node/node.sh" down ;;

  kind:* | e2e-node:*)
    echo "usage: provider.sh create|load IMAGE...|delete|context|name" >&2
    exit 2 ;;
  *)
    echo "error: unknown CLUSTER_PROVIDER '$provider'; next: use kind (the default) or e2e-node" >&2
    exit 2 ;;
esac
