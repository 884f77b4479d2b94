#!/usr/bin/env bash
# `build-tag.sh TAG`: tags backend-api:TAG, data-api:TAG and health-check:TAG (just built by
# `just images TAG`) once more as TAG-<12 hex digits of their image IDs> and prints that tag. The
# IDs are digests of the images' content: a rebuild of unchanged sources gets the same tag (the
# pods are kept), any edit, committed or not, a new one (the pods roll, and the CronJob's next Job
# runs the same build as the services).
set -euo pipefail

tag=${1:?usage: build-tag.sh TAG}
images=(backend-api:"$tag" data-api:"$tag" health-check:"$tag")
ids=$(docker image inspect --format '{{.Id}}' "${images[@]}") || {
  echo "error: ${images[*]} are not all in docker; next: just images $tag" >&2
  exit 1
}
digest() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
build=$tag-$(printf '%s\n' "$ids" | digest | cut -c1-12)
for image in "${images[@]}"; do docker tag "$image" "${image%%:*}:$build"; done
echo "$build"
