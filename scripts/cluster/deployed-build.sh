#!/usr/bin/env bash
# `deployed-build.sh`: the tag of the build `just up` / `just redeploy` deployed last (TAG-<12 hex
# digits>, scripts/cluster/build-tag.sh), read off backend-api's Deployment; prints nothing when
# none is deployed or the running image has another tag (an overlay's own, from a registry).
set -uo pipefail

image=$(kubectl get deployment backend-api -n backend-namespace \
  -o 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null) || exit 0
tag=${image##*:}
[[ $image == backend-api:* && $tag =~ -[0-9a-f]{12}$ ]] && echo "$tag"
exit 0
