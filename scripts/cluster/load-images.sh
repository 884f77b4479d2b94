#!/usr/bin/env bash
# `load-images.sh CLUSTER IMAGE...`: copies local docker images into the kind cluster's nodes.
# `kind load docker-image` fails under Docker's containerd image store (the default of Docker
# Desktop and of Docker Engine 29) with "ctr: content digest ... not found": the export names
# platforms whose layers are not stored locally. The fallback saves one platform, the engine's (the
# nodes run on it), to an archive and loads that with `kind load image-archive`.
# Backticks in the messages quote commands for the reader; nothing is meant to expand there.
# shellcheck disable=SC2016
set -uo pipefail

cluster=${1:?usage: load-images.sh CLUSTER IMAGE...}
shift
[ $# -gt 0 ] || { echo 'usage: load-images.sh CLUSTER IMAGE...' >&2; exit 2; }

kind load docker-image "$@" --name "$cluster" && exit 0

echo "kind load docker-image failed (under Docker's containerd image store it says \"content digest ... not found\"): loading through an image archive instead" >&2
archive=$(mktemp "${TMPDIR:-/tmp}/kind-images-XXXXXX") || exit 1
trap 'rm -f "$archive"' EXIT
platform=$(docker version --format '{{.Server.Os}}/{{.Server.Arch}}' 2>/dev/null)
# --platform needs Docker 28; older engines have no containerd store and save one platform anyway.
if ! docker save --platform "$platform" -o "$archive" "$@" 2>/dev/null && ! docker save -o "$archive" "$@"; then
  echo "error: docker save $* failed; next: \`docker images\` must list each of them: \`just images TAG\` builds them" >&2
  exit 1
fi
kind load image-archive "$archive" --name "$cluster"
