#!/usr/bin/env bash
# `apply-overlay.sh apply|diff ENV [TAG]`: applies k8s/overlays/ENV to the current kubectl context
# (or shows what that would change: kubectl diff, exit 1 when there are differences) and prunes
# what an earlier apply of any of our overlays created and this one does not contain (prod's HPAs
# and PDBs after a switch to dev, generated ConfigMaps and Secrets of an earlier hash). With TAG,
# backend-api, data-api and health-check run that tag (the one `just up` just built and loaded)
# instead of the overlay's own, set in a throw-away kustomization on top of the overlay, so no
# committed file is edited.
# Pruning is kubectl's label-selected prune: objects labelled app.kubernetes.io/part-of=small-services
# that kubectl apply created, of the kinds listed below only, in the namespaces the overlay applies
# to (never the log claim, a Namespace, or anything made by `kubectl create`/`run`, such as the
# health Jobs and the log reader). An ApplySet would be the newer mechanism, but kubectl gives one
# spanning several namespaces only a cluster-scoped parent of a custom resource type, which
# kubectl cannot create itself.
set -euo pipefail

usage='usage: apply-overlay.sh apply|diff ENV [TAG]'
verb=${1:?$usage}
env=${2:?$usage}
tag=${3:-}
case $verb in apply | diff) ;; *) echo "$usage" >&2; exit 2 ;; esac
overlay=k8s/overlays/$env
[ -d "$overlay" ] || { echo "error: no overlay $overlay; next: use dev, staging or prod" >&2; exit 2; }

target=$overlay
if [ -n "$tag" ]; then
  target=$(mktemp -d "${TMPDIR:-/tmp}/small-services-apply-XXXXXX")
  trap 'rm -rf "$target"' EXIT
  # kustomize takes resources by relative path only: up to / from the temporary directory (each
  # of its components becomes ..), then down to the overlay (no realpath --relative-to on macOS).
  up=$(cd "$target" && pwd -P | sed 's|[^/][^/]*|..|g')
  {
    echo 'apiVersion: kustomize.config.k8s.io/v1beta1'
    echo 'kind: Kustomization'
    echo "resources: [${up#/}$(pwd -P)/$overlay]"
    echo 'images:'
    for image in backend-api data-api health-check; do
      echo "  - { name: $image, newTag: \"$tag\" }"
    done
  } >"$target/kustomization.yaml"
fi

if [ "$verb" = diff ]; then
  status=0
  kubectl diff -k "$target" || status=$?
  exit "$status"
fi
# An overlay without autoscaling (dev, staging) after one with it (prod): the HPAs go first. Pruned
# only after the apply, as kubectl does, an HPA would have the seconds between the apply setting
# the Deployments' replicas and the prune to scale them back to its minimum.
rendered=$(kubectl kustomize "$target")
if ! grep -q '^kind: HorizontalPodAutoscaler$' <<<"$rendered"; then
  kubectl delete horizontalpodautoscalers --all-namespaces --ignore-not-found \
    -l app.kubernetes.io/part-of=small-services
fi
prunable=(
  core/v1/ConfigMap core/v1/Secret core/v1/Service apps/v1/Deployment batch/v1/CronJob
  networking.k8s.io/v1/NetworkPolicy autoscaling/v2/HorizontalPodAutoscaler policy/v1/PodDisruptionBudget
)
kubectl apply -k "$target" --prune -l app.kubernetes.io/part-of=small-services \
  "${prunable[@]/#/--prune-allowlist=}"
