#!/usr/bin/env bash
# `build.sh`: everything the e2e node runs, built or fetched into the caches and reused while its
# inputs are unchanged: the Go tools pinned under tools/ (Kubernetes, etcd, CoreDNS, kube-router,
# metrics-server, local-path-provisioner) and pause/ (tools/go-tool.sh), containerd from Debian
# trixie, busybox from bookworm (cache_dir), and the node's images in docker. Prints how long each
# part took.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"

command -v go >/dev/null || die "go is not installed; next: install Go 1.24 or newer (https://go.dev/dl/)"
docker info >/dev/null 2>&1 ||
  die "no docker engine answers; next: start it (on CI: dockerd --bridge=none --iptables=false &)"

timed() {
  local started=$SECONDS
  "$@"
  say "${*:1:2}: $((SECONDS - started))s"
}

# A Debian package's files under DIR: `deb PACKAGE=VERSION SUITE DIR`, through a private apt
# configuration (the machine's sources and state stay as they are).
deb() {
  local package=$1 suite=$2 dir=$3 apt
  [ -f "$dir/.done" ] && return 0
  apt=$cache_dir/apt-$suite
  mkdir -p "$apt/lists/partial" "$apt/archives" "$dir.tmp"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $debian_mirror $suite main" >"$apt/sources.list"
  local -a options=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt" -o APT::Sandbox::User=root)
  apt-get "${options[@]}" update -qq >/dev/null ||
    die "apt-get update for $suite from $debian_mirror failed; next: check that the mirror is reachable"
  (cd "$apt/archives" && apt-get "${options[@]}" download -qq "$package" >/dev/null) ||
    die "apt-get download $package ($suite) failed: the version may have left the mirror; next: pick the current one (apt-cache policy) in e2e-node/lib.sh"
  local file=${package%%=*}_${package#*=}
  file=$apt/archives/${file/:/%3a}_amd64.deb
  dpkg -x "$file" "$dir.tmp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  touch "$dir/.done"
}

# The node's images, from images/Dockerfile with the binaries as the build context.
images() {
  local context target image
  context=$(mktemp -d)
  cp "$(bin_dir pause)/pause" "$(bin_dir coredns)/coredns" "$(bin_dir metrics-server)/metrics-server" \
    "$(bin_dir local-path-provisioner)/local-path-provisioner" "$(busybox_dir)/bin/busybox" \
    "$(bin_dir prometheus-operator)/operator" "$(bin_dir prometheus-operator)/prometheus-config-reloader" \
    "$(bin_dir prometheus)/prometheus" "$context/"
  cp "$e2e_dir/images/Dockerfile" "$context/"
  for image in "${node_images[@]}"; do
    docker image inspect "$image" >/dev/null 2>&1 && continue
    target=${image#"$image_prefix"/}
    target=${target%%:*}
    DOCKER_BUILDKIT=0 docker build -q --target "$target" -t "$image" "$context" >/dev/null 2>&1 ||
      die "docker build of $image failed; next: DOCKER_BUILDKIT=0 docker build --target $target e2e-node/images shows why"
    say "built image $image"
  done
  rm -rf "$context"
}

started=$SECONDS
for tool in kubernetes coredns kube-router metrics-server local-path-provisioner prometheus-operator prometheus pause; do
  timed build_tool "$tool"
done
timed deb "$containerd_deb" "$containerd_suite" "$(containerd_dir)"
timed deb "$busybox_deb" bookworm "$(busybox_dir)"
timed images
say "build ready in $((SECONDS - started))s (caches: $tools_cache, $cache_dir)"
