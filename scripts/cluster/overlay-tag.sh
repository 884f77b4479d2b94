#!/usr/bin/env bash
# `overlay-tag.sh ENV`: the tag the overlay gives backend-api, data-api and health-check (dev: v1,
# staging and prod: 1.0.0), read from the rendered overlay, so that `just up ENV` builds and loads
# exactly the images the pods will ask for (kind nodes cannot pull them from anywhere).
set -uo pipefail

env=${1:?usage: overlay-tag.sh ENV}
rendered=$(kubectl kustomize "k8s/overlays/$env") || {
  echo "error: k8s/overlays/$env does not render; next: \`just render $env\` shows why" >&2
  exit 1
}

tags=''
pattern='image: *"?(backend-api|data-api|health-check):([^"@ ]+)'
while IFS= read -r line; do
  if [[ $line =~ $pattern ]]; then
    case " $tags " in
      *" ${BASH_REMATCH[2]} "*) ;;
      *) tags="$tags ${BASH_REMATCH[2]}" ;;
    esac
  fi
done <<<"$rendered"
tags=${tags# }

case $tags in
  '')
    echo "error: k8s/overlays/$env names no backend-api, data-api or health-check image with a tag; next: give them one (images: newTag) in its kustomization.yaml" >&2
    exit 1 ;;
  *' '*)
    echo "error: k8s/overlays/$env uses several tags ($tags); next: \`just up\` builds one tag for the three images: use one newTag" >&2
    exit 1 ;;
esac
echo "$tags"
