#!/usr/bin/env bash
# `just e2e [FILE...]`: the end-to-end suite (test/cluster-e2e/*.e2e.ts, in name order) on a real
# cluster, through our own recipes.
#   CLUSTER_PROVIDER=e2e-node (the default; root on a Linux host with cgroup v1, what CI runs):
#     builds the e2e node (e2e-node/build.sh, cached), starts it, runs the suite inside its network
#     namespace, and removes it afterwards, checking that nothing is left behind. No registry is
#     reachable there, so the images are built on local stand-ins of their base images.
#   CLUSTER_PROVIDER=kind: your docker and kind; the suite's `just up` creates dev-cluster.
# KEEP_CLUSTER=1 leaves the e2e node running for `just e2e-kubectl ...`; `just e2e-down` removes it.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

provider=${CLUSTER_PROVIDER:-e2e-node}
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(test/cluster-e2e/*.e2e.ts)
# bun test runs a file not named *.test.ts only when given as a path.
files=("${files[@]/#/./}")
started=$SECONDS
phase() { echo "==> e2e [$((SECONDS - started))s] $*" >&2; }
export CLUSTER_PROVIDER=$provider E2E_CLUSTER=1

runner=()
case $provider in
  e2e-node)
    phase "build the e2e node (cached after the first run)"
    e2e-node/build.sh || exit 1
    phase "stand-in base images for the services' Dockerfile (no registry here)"
    bases=$(test/containers/fixture/stand-in-bases.sh) || exit 1
    export "${bases%%$'\n'*}" "${bases##*$'\n'}"
    phase "start the e2e node"
    e2e-node/node.sh up || { e2e-node/node.sh down; exit 1; }
    runner=(e2e-node/node.sh exec) ;;
  kind) ;;
  *)
    echo "error: unknown CLUSTER_PROVIDER '$provider'; next: use e2e-node (the default) or kind" >&2
    exit 2 ;;
esac

phase "suite: ${files[*]}"
status=0
"${runner[@]}" bun test --timeout 900000 "${files[@]}" || status=$?
phase "suite finished (exit $status)"

if [ "$provider" = e2e-node ]; then
  if [ "${KEEP_CLUSTER:-}" = 1 ]; then
    echo "KEEP_CLUSTER=1: the e2e node stays up: just e2e-kubectl get pods -A; just e2e-down removes it" >&2
  else
    phase "remove the e2e node"
    e2e-node/node.sh down || status=1
  fi
fi
phase "done"
exit "$status"
