#!/usr/bin/env bash
# One step of a cluster recipe: `step.sh KEY COMMAND [ARG...]` runs COMMAND as is.
# Long steps print their name, a heartbeat while they run and their elapsed time. When COMMAND fails
# the step, the exact command and the next action are printed, and its exit code is returned.
# Progress goes to stderr so that a step's stdout can be redirected (`just render dev > file`).
# Written for bash 3.2 as well (macOS), hence no associative arrays or `wait -n`.
# Backticks in the messages quote commands for the reader; nothing is meant to expand there.
# shellcheck disable=SC2016
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: step.sh KEY COMMAND [ARG...]" >&2
  exit 2
fi
key=$1
shift
# The cluster the recipes run on (scripts/cluster/provider.sh), named in the messages.
cluster=$("$(dirname "$0")/provider.sh" name 2>/dev/null) || cluster='the cluster'

long=no
case $key in
  cluster)
    label="create $cluster" long=yes
    next='read the kind error above; "port is already allocated" means another program holds 30000, 31000, 32000 or 32001 (README, Troubleshooting); `just down` then `just up` starts clean' ;;
  context)
    label='select the kubectl context'
    next='`kind get clusters` must list dev-cluster: `just cluster` creates it; for another cluster run `kubectl config use-context NAME`' ;;
  reach)
    label='reach the cluster API'
    next='the kind node may be stopped (Docker restarted): `docker start dev-cluster-control-plane`, or `just down` then `just up` for a fresh cluster' ;;
  images)
    label='build the images' long=yes
    next='fix the build error above, then run `just images` (and `just up` again)' ;;
  tag)
    label='tag the images by their content'
    next='`docker images` must list backend-api, data-api and health-check with the overlay'"'"'s tag: `just images TAG` builds them' ;;
  load)
    label="load the images into $cluster" long=yes
    next='`docker images` must list backend-api, data-api and health-check with that tag: run `just images TAG`, then `just load TAG` (dev: v1); "content digest ... not found" even from the archive: README, Troubleshooting' ;;
  secrets)
    label='create the overlay env file from its example'
    next='read the message above, create the env file with `just secrets ENV` and run `just up ENV` again' ;;
  check-secrets)
    label='check the overlay integration keys'
    next='edit the file named above (staging and prod need real keys, not the example'"'"'s placeholders), check it with `just check-secrets ENV`, then run `just up ENV` again' ;;
  confirm)
    label='confirm the kubectl context'
    next='the message above says how to confirm (a typed `yes`, or YES=1) or to select kind-dev-cluster' ;;
  health-image)
    label='read the health-check image from the deployed CronJob'
    next='`kubectl get cronjob health-check -n health-namespace` must find the CronJob: `just up` (or `just deploy ENV`) deploys it' ;;
  monitoring)
    label='install monitoring (kube-prometheus-stack)' long=yes
    next='`helm status kind-prometheus -n monitoring` and `kubectl get pods -n monitoring` show what is missing; then run `just monitoring`' ;;
  render)
    label='render the overlay'
    next='`just render ENV` shows the kustomize error; `just check-manifests` checks every overlay' ;;
  diff)
    label='diff against the cluster'
    next='kubectl diff could not compare: check `kubectl auth can-i patch deployments -n backend-namespace` and the error above' ;;
  apply)
    label='apply the overlay' long=yes
    next='`just render ENV` shows what would be applied; "unknown flag: --prune-allowlist" means kubectl older than 1.27: upgrade it' ;;
  rollout)
    label='wait for the rollout' long=yes
    next='' ;; # read from the pods when it fails (rollout_next)
  health-job)
    label='start a health-check run'
    next='`kubectl get cronjob health-check -n health-namespace` must find the CronJob: run `just deploy ENV` (or `just up`)' ;;
  health-wait)
    label='wait for the health-check run' long=yes
    next='the run log is above; `just health-logs` shows the health log, `kubectl describe jobs -n health-namespace` the events' ;;
  health-logs)
    label='read the health log'
    next='ErrImageNeverPull: `just load`; claim not found: `just deploy ENV`; a leftover pod: `kubectl delete pod health-log-reader -n health-namespace`' ;;
  status | logs)
    label="show $key"
    next='is the cluster up and selected? `kubectl config current-context` should say kind-dev-cluster: `just up`' ;;
  top)
    label='show resource usage'
    next='"Metrics API not available" means metrics-server is missing or cannot reach the kubelets (README, Troubleshooting: metrics-server TLS)' ;;
  down)
    label="delete $cluster" long=yes
    next='`docker ps -a --filter label=io.x-k8s.kind.cluster=dev-cluster` lists what is left: remove it with `docker rm -f`' ;;
  *)
    echo "step.sh: unknown step key '$key'" >&2
    exit 2 ;;
esac

started=$SECONDS
heartbeat_pid=''

# Sleeps one second at a time with its output closed: killed at any moment it leaves nothing that
# holds the recipe's stdout/stderr open. It also ends on its own once this shell is gone (Ctrl-C).
heartbeat() {
  local parent=$1 every=${STEP_HEARTBEAT_SECONDS:-30} waited=0
  while kill -0 "$parent" 2>/dev/null; do
    sleep 1 >/dev/null 2>&1
    waited=$((waited + 1))
    if [ "$waited" -ge "$every" ] && kill -0 "$parent" 2>/dev/null; then
      waited=0
      echo "... still running: $label ($((SECONDS - started))s)" >&2
    fi
  done
}

stop_heartbeat() {
  if [ -n "$heartbeat_pid" ]; then
    kill "$heartbeat_pid" 2>/dev/null
    wait "$heartbeat_pid" 2>/dev/null
    heartbeat_pid=''
  fi
}
trap stop_heartbeat EXIT

# The namespace and deployment named in `kubectl rollout status deployment/NAME -n NS`.
rollout_target() {
  namespace='' deployment=''
  while [ $# -gt 0 ]; do
    case $1 in
      -n | --namespace) namespace=${2:-} ;;
      --namespace=*) namespace=${1#*=} ;;
      deployment/*) deployment=${1#deployment/} ;;
    esac
    shift
  done
}

# Turns the pods' waiting reasons into the one action that fixes them.
rollout_next() {
  rollout_target "$@"
  local reasons
  reasons=$(kubectl get pods -n "$namespace" -o \
    jsonpath='{range .items[*].status.containerStatuses[*]}{.state.waiting.reason}{" "}{end}' 2>/dev/null)
  case " $reasons " in
    *' ErrImageNeverPull '* | *' ErrImagePull '* | *' ImagePullBackOff '*)
      echo "image not found in the cluster: run \`just load\` (after \`just images\`), then \`just up\` again" ;;
    *' CrashLoopBackOff '*)
      echo "the container keeps crashing: \`just logs $deployment\` shows why" ;;
    *' CreateContainerConfigError '*)
      echo "a Secret or ConfigMap the pod needs is missing: \`just check-secrets ENV\`, then \`just deploy ENV\`" ;;
    *)
      echo "\`just status\`, then \`kubectl describe pods -n $namespace\` and \`kubectl get events -n $namespace --sort-by=.lastTimestamp\`" ;;
  esac
}

if [ "$long" = yes ]; then
  echo "==> $label" >&2
  echo "    \$ $*" >&2
  heartbeat "$$" &
  heartbeat_pid=$!
fi

"$@"
code=$?
stop_heartbeat
elapsed=$((SECONDS - started))

if [ "$key" = diff ] && [ "$code" -eq 1 ]; then
  echo "    (the changes above will be applied)" >&2
  exit 0
fi
if [ "$code" -eq 0 ]; then
  [ "$long" = yes ] && echo "<== $label: done in ${elapsed}s" >&2
  exit 0
fi

[ "$key" = rollout ] && next=$(rollout_next "$@")
[ "$code" -eq 127 ] && next="\`$1\` is not installed: \`just preflight\` lists what is missing and how to install it"
{
  echo "error: step \"$label\" failed (exit $code after ${elapsed}s)"
  echo "  command: $*"
  echo "  next: $next"
} >&2
exit "$code"
