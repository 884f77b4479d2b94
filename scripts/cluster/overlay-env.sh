#!/usr/bin/env bash
# `overlay-env.sh ENV`: fails with the list of overlays when k8s/overlays/ENV does not exist;
# otherwise prints the overlay's env files that are still missing (each `X.env.example` stands
# for an `X.env` that kustomize reads and git ignores). Prints nothing when all are there.
set -uo pipefail

env=${1:?usage: overlay-env.sh ENV}
overlays=k8s/overlays

if [ ! -f "$overlays/$env/kustomization.yaml" ]; then
  known=''
  for kustomization in "$overlays"/*/kustomization.yaml; do
    [ -f "$kustomization" ] || continue
    name=${kustomization%/kustomization.yaml}
    known="$known ${name##*/}"
  done
  echo "error: no overlay $overlays/$env; next: use one of:${known:- (none found: run from the repository root)}" >&2
  exit 2
fi

for example in "$overlays/$env"/*.env.example; do
  [ -f "$example" ] || continue
  [ -f "${example%.example}" ] || echo "${example%.example}"
done
exit 0
