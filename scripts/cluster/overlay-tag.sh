#!/usr/bin/env bash
# `overlay-tag.sh ENV`: the tag the overlay gives backend-api, data-api and health-check (dev: v1,
# staging and prod: 1.0.0), read from the rendered overlay: `just up ENV` builds the images with it,
# and build-tag.sh adds their content hash for the tag the pods then run.
# The images come out of the parsed objects (`kubectl patch --local` with an empty patch prints
# each one through a jsonpath, offline), not out of the YAML text.
set -uo pipefail

env=${1:?usage: overlay-tag.sh ENV}
images='{range .spec.template.spec.containers[*]}{.image}{"\n"}{end}'
images="$images"'{range .spec.jobTemplate.spec.template.spec.containers[*]}{.image}{"\n"}{end}'
rendered=$(kubectl kustomize "k8s/overlays/$env" | kubectl patch --local -f - --type=json -p '[]' -o "jsonpath=$images") || {
  echo "error: k8s/overlays/$env does not render; next: \`just render $env\` shows why" >&2
  exit 1
}

tags=''
while IFS= read -r image; do
  case $image in
    backend-api:* | data-api:* | health-check:*)
      tag=${image#*:}
      case " $tags " in
        *" $tag "*) ;;
        *) tags="$tags $tag" ;;
      esac ;;
  esac
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
