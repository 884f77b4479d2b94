#!/usr/bin/env bash
# `just preflight`: are the tools `just up` needs installed, recent enough, and is the docker engine
# reachable? Changes nothing. One line per problem with how to fix it; exit 1 when there is any.
# The one place that holds the minimum versions and the install advice: other recipes name what
# they need, e.g. `preflight.sh docker` (`just images`); `--installed` checks only that the tools
# are on PATH, and `cluster` that kubectl reaches a cluster (`just monitoring`). PREFLIGHT_PASSED=1
# (set by `just up`, which ran the whole check) skips such a named check.
# Uses only bash builtins besides the tools it checks (and `timeout` when present), so it works
# with a bare PATH and on macOS's bash 3.2.
# Backticks in the messages quote commands for the reader; nothing is meant to expand there.
# shellcheck disable=SC2016
set -uo pipefail

problems=0
found=''

problem() {
  echo "preflight: $*" >&2
  problems=$((problems + 1))
}

# First dotted version in a tool's output: "kind v0.24.0 go1.22.6" -> 0.24.0.
version_in() {
  if [[ $1 =~ ([0-9]+\.[0-9]+(\.[0-9]+)?) ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# Succeeds when version $1 >= version $2, comparing major, minor, patch as numbers.
at_least() {
  local IFS=.
  local -a have want
  read -r -a have <<<"$1"
  read -r -a want <<<"$2"
  local i a b
  for i in 0 1 2; do
    a=${have[i]:-0} b=${want[i]:-0}
    ((10#$a > 10#$b)) && return 0
    ((10#$a < 10#$b)) && return 1
  done
  return 0
}

# Sets minimum, install and version_command for a tool; fails for a name it does not know.
tool_spec() {
  case $1 in
    docker)
      minimum=20.10.0 version_command=(docker --version)
      install='install Docker Desktop (macOS: `brew install --cask docker`) or Docker Engine on Linux (`sudo apt-get install docker.io`, or https://docs.docker.com/engine/install/)' ;;
    kind)
      # 0.30.0 ships the node image pinned in k8s/kind/cluster.yaml (Kubernetes 1.34); kindnet
      # enforces NetworkPolicies from 0.24 and without its DNS race from 0.25.
      minimum=0.30.0 version_command=(kind version)
      install='`brew install kind`, or `go install sigs.k8s.io/kind@latest`, or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation' ;;
    kubectl)
      minimum=1.27.0 version_command=(kubectl version --client)
      install='`brew install kubectl`, or https://kubernetes.io/docs/tasks/tools/ (not Debian'"'"'s kubernetes-client: it is 1.20)' ;;
    helm)
      minimum=3.8.0 version_command=(helm version --short)
      install='`brew install helm`, or https://helm.sh/docs/intro/install/' ;;
    bun)
      minimum=1.4.0 version_command=(bun --version)
      install='`npm i -g bun`, or `brew install oven-sh/bun/bun`, or https://bun.sh/docs/installation' ;;
    *) return 1 ;;
  esac
}

# check NAME: installed and, unless --installed, at least its minimum version.
check() {
  local name=$1 minimum install
  local -a version_command
  tool_spec "$name"
  if ! command -v "$name" >/dev/null 2>&1; then
    problem "$name is not installed (need >= $minimum): $install"
    return 1
  fi
  if [ "$installed_only" = true ]; then
    found="$found, $name"
    return 0
  fi
  local version
  version=$(version_in "$("${version_command[@]}" 2>&1)")
  if [ -z "$version" ]; then
    problem "$name: could not read its version from \`${version_command[*]}\` (need >= $minimum): $install"
    return 1
  fi
  if ! at_least "$version" "$minimum"; then
    problem "$name $version is too old (need >= $minimum): $install"
    return 1
  fi
  found="$found, $name $version"
}

check_engine() {
  local output
  if command -v timeout >/dev/null 2>&1; then
    output=$(timeout "${PREFLIGHT_DOCKER_TIMEOUT:-20}" docker info 2>&1)
  else
    output=$(docker info 2>&1)
  fi
  local code=$?
  if [ "$code" -eq 0 ]; then
    found="$found (engine reachable)"
    return 0
  fi
  case $output in
    *'permission denied'*)
      problem "docker engine refuses this user (\`docker info\`: permission denied): \`sudo usermod -aG docker \$USER\`, log in again, then \`just preflight\`" ;;
    *)
      [ "$code" -eq 124 ] && output="no answer in ${PREFLIGHT_DOCKER_TIMEOUT:-20}s"
      problem "docker engine not reachable (\`docker info\` failed: ${output%%$'\n'*}): start Docker Desktop, or \`sudo systemctl start docker\` on Linux; then \`just preflight\`" ;;
  esac
}

check_cluster() {
  if kubectl cluster-info >/dev/null 2>&1; then
    found="$found (cluster reachable)"
  else
    problem "kubectl reaches no cluster (\`kubectl cluster-info\` failed): create it with \`just cluster\`, or pick its context with \`kubectl config use-context\`; then rerun"
  fi
}

installed_only=false
if [ "${1:-}" = --installed ]; then
  installed_only=true
  shift
fi
if [ $# -gt 0 ] && [ "${PREFLIGHT_PASSED:-}" = 1 ]; then
  exit 0
fi
# The e2e node (CLUSTER_PROVIDER=e2e-node, scripts/cluster/provider.sh) needs neither kind nor helm.
if [ $# -eq 0 ]; then
  if [ "${CLUSTER_PROVIDER:-kind}" = e2e-node ]; then set -- docker kubectl bun; else set -- docker kind kubectl helm bun; fi
fi
for what in "$@"; do
  if [ "$what" != cluster ] && ! tool_spec "$what"; then
    echo "preflight: unknown check '$what'; next: use docker, kind, kubectl, helm, bun or cluster" >&2
    exit 2
  fi
done
for what in "$@"; do
  case $what in
    # Only when nothing failed before it: kubectl must be there to answer.
    cluster) [ "$problems" -eq 0 ] && check_cluster ;;
    docker) check docker && [ "$installed_only" = false ] && check_engine ;;
    *) check "$what" ;;
  esac
done

if [ "$problems" -gt 0 ]; then
  echo "preflight: $problems problem(s), nothing was changed: fix them and run \`just preflight\` again" >&2
  exit 1
fi
echo "preflight: ok: ${found#, }"
