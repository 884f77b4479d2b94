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

forward() {
  kubectl port-forward -n "$1" "service/$2" "$3:80" &
  pids="$pids $!"
}
forward backend-namespace backend-api-service-unique 5000
forward data-namespace data-api-service-unique 5001
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
