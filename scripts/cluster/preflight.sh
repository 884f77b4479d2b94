#!/usr/bin/env bash
# `just preflight`: are the tools `just up` needs installed, recent enough, and is the docker engine
# reachable? Changes nothing. One line per problem with how to fix it; exit 1 when there is any.
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

# check NAME MINIMUM HOW-TO-INSTALL VERSION-COMMAND...
check() {
  local name=$1 minimum=$2 install=$3
  shift 3
  if ! command -v "$name" >/dev/null 2>&1; then
    problem "$name not found (need >= $minimum): $install"
    return 1
  fi
  local version
  version=$(version_in "$("$@" 2>&1)")
  if [ -z "$version" ]; then
    problem "$name: could not read its version from \`$*\` (need >= $minimum): $install"
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

if check docker 20.10.0 'install Docker Desktop (macOS: `brew install --cask docker`) or Docker Engine on Linux (`sudo apt-get install docker.io`, or https://docs.docker.com/engine/install/)' \
  docker --version; then
  check_engine
fi
check kind 0.20.0 '`brew install kind`, or `go install sigs.k8s.io/kind@latest`, or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation' \
  kind version
check kubectl 1.27.0 '`brew install kubectl`, or https://kubernetes.io/docs/tasks/tools/ (not Debian'"'"'s kubernetes-client: it is 1.20)' \
  kubectl version --client
check helm 3.8.0 '`brew install helm`, or https://helm.sh/docs/intro/install/' \
  helm version --short
check bun 1.4.0 '`npm i -g bun`, or `brew install oven-sh/bun/bun`, or https://bun.sh/docs/installation' \
  bun --version

if [ "$problems" -gt 0 ]; then
  echo "preflight: $problems problem(s), nothing was changed: fix them and run \`just preflight\` again" >&2
  exit 1
fi
echo "preflight: ok: ${found#, }"
