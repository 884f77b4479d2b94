#!/usr/bin/env bash
# `tools/go-tool.sh NAME...`: builds the Go tools pinned under tools/NAME (one module each, its
# `tool` lines in go.mod, locked by go.sum) into the cache, one directory per hash of what they are
# built from (go.mod, go.sum, sources, flags, Go version), reused while that is unchanged, and
# prints each tool's binary directory. Sourced (e2e-node/lib.sh) it only defines the functions.
#   tools/go-tool.sh kube-score    # -> ~/.cache/small-services/tools/kube-score-<hash>
# shellcheck disable=SC2034

tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tools_cache=${TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/small-services/tools}

# Our own small Go programs live beside what they serve; the rest are tools/NAME.
module_dir() {
  case $1 in
    pause) echo "$tools_dir/../e2e-node/pause" ;;
    *) echo "$tools_dir/$1" ;;
  esac
}

# The version a tool module requires: `module_version kubernetes k8s.io/kubernetes` -> v1.34.4.
module_version() {
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' \
    "$(module_dir "$1")/go.mod"
}

# Prometheus's Go module numbers its release 3.X.Y as v0.3XX.Y: v0.305.0 is Prometheus v3.5.0.
prometheus_release() {
  local v minor
  v=$(module_version prometheus github.com/prometheus/prometheus)
  minor=${v#v0.}
  minor=${minor%%.*}
  echo "v${minor:0:1}.$((10#${minor:1})).${v##*.}"
}

# Kubernetes binaries report their version from these variables (a plain `go build` says v0.0.0).
ldflags() {
  local flags='-s -w'
  if [ "$1" = kubernetes ]; then
    local v minor
    v=$(module_version kubernetes k8s.io/kubernetes)
    minor=${v#v*.}
    minor=${minor%%.*}
    flags="$flags -X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1"
    flags="$flags -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitVersion=$v"
    flags="$flags -X k8s.io/component-base/version.gitTreeState=clean"
  elif [ "$1" = prometheus ]; then
    flags="$flags -X github.com/prometheus/common/version.Version=$(prometheus_release | cut -c2-)"
  fi
  echo "$flags"
}

bin_key() {
  local module
  module=$(module_dir "$1")
  cat "$module"/go.* "$module"/*.go 2>/dev/null | cat - <(go version) <(ldflags "$1") | sha256sum | cut -c1-16
}
bin_dir() { echo "$tools_cache/$1-$(bin_key "$1")"; }

# Builds one tool module unless its directory is complete; older builds of it are removed.
build_tool() {
  local name=$1 out module target=tool
  module=$(module_dir "$name")
  [ -f "$module/go.mod" ] || { echo "go-tool: no module tools/$name" >&2; return 2; }
  out=$(bin_dir "$name")
  [ -f "$out/.done" ] && return 0
  echo "go-tool: building $name (cold: minutes; Kubernetes about 5 on 2 cores)" >&2
  rm -rf "$out" && mkdir -p "$out"
  [ -f "$module/main.go" ] && target=.
  (cd "$module" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "$(ldflags "$name")" -o "$out/" "$target") || return 1
  # etcd's main package is go.etcd.io/etcd/server/v3: go names its binary after "server".
  [ -f "$out/server" ] && mv "$out/server" "$out/etcd"
  touch "$out/.done"
  # (exactly NAME-<hash>: prometheus must not take prometheus-operator's builds with it)
  local old
  for old in "$tools_cache/$name"-*; do
    if [[ $old =~ /$name-[0-9a-f]{16}$ && $old != "$out" ]]; then rm -rf "$old"; fi
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  command -v go >/dev/null || { echo "go-tool: Go is not installed: install Go 1.24 or newer (https://go.dev/dl/)" >&2; exit 1; }
  if [ $# -eq 0 ]; then
    known=("$tools_dir"/*/go.mod)
    known=("${known[@]%/go.mod}")
    echo "usage: tools/go-tool.sh NAME... (one of: ${known[*]##*/})" >&2
    exit 2
  fi
  for name in "$@"; do
    build_tool "$name"
    bin_dir "$name"
  done
fi
