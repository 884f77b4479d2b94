#!/usr/bin/env bash
# `just port-forward`: backend on localhost:5000 and data on localhost:5001 until Ctrl-C.
# If either forward stops (port taken, service gone) the other is stopped too, with the reason.
# Background jobs ignore SIGINT in a non-interactive shell, hence the explicit trap.
set -uo pipefail

pids=''
stop_forwards() {
  local pid
  for pid in $pids; do kill "$pid" 2>/dev/null; done
  pids=''
}
trap 'stop_forwards; exit 130' INT TERM
trap stop_forwards EXIT

# A Ready pod of the app that is not being deleted. `kubectl port-forward service/...` takes the pod
# that has been Ready longest: right after a rollout that is the old one, shutting down, and the
# forward dies with it seconds later (seen on the e2e cluster).
live_pod() {
  kubectl get pods -n "$1" -l "app=$2" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{range .status.conditions[?(@.type=="Ready")]}{.status}{end}{" "}{.metadata.deletionTimestamp}{"\n"}{end}' |
    while read -r name ready deleting; do
      if [ "$ready" = True ] && [ -z "$deleting" ]; then echo "$name"; break; fi
    done
}

# forward NAMESPACE APP LOCAL_PORT: to the pod's port 5000 (the Services' targetPort `http`).
forward() {
  local pod
  pod=$(live_pod "$1" "$2")
  if [ -z "$pod" ]; then
    echo "error: no Ready pod of $2 in $1; next: \`just status\` shows why (not deployed yet? \`just up\`)" >&2
    exit 1
  fi
  kubectl port-forward -n "$1" "pod/$pod" "$3:5000" &
  pids="$pids $!"
}
forward backend-namespace backend-api 5000
forward data-namespace data-api 5001
echo "backend: http://localhost:5000 (Swagger UI at /swagger), data: http://localhost:5001; Ctrl-C stops both"

while :; do
  for pid in $pids; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      echo "error: a port-forward stopped (exit $?); next: \"address already in use\" means something holds 5000 or 5001 (\`just dev\`? \`lsof -i :5000\`); \"not found\" means the stack is not deployed: \`just up\`" >&2
      exit 1
    fi
  done
  sleep 1
done
