#!/usr/bin/env bash
# `summary.sh ENV STARTED_EPOCH`: the end of `just up`: what runs, where to look, what to try next.
# Prints how to read the Grafana password, never the password itself.
set -uo pipefail

env=${1:?usage: summary.sh ENV STARTED_EPOCH}
started=${2:?usage: summary.sh ENV STARTED_EPOCH}
elapsed=$(($(date +%s) - started))

for namespace in backend-namespace data-namespace health-namespace; do
  echo "== $namespace"
  kubectl get pods,pvc -n "$namespace" 2>&1
done

context=$(kubectl config current-context 2>/dev/null)
echo
echo "Stack ready: overlay $env on ${context:-the current context} in $((elapsed / 60))m$((elapsed % 60))s."
# The monitoring NodePorts exist on kind only (the e2e node has no chart repository).
[ "${CLUSTER_PROVIDER:-kind}" = kind ] && cat <<TEXT

  Prometheus     http://127.0.0.1:30000
  Grafana        http://127.0.0.1:31000  (user admin; password:
                 kubectl get secret -n monitoring kind-prometheus-grafana -o jsonpath='{.data.admin-password}' | base64 -d)
  Alertmanager   http://127.0.0.1:32000
  node-exporter  http://127.0.0.1:32001/metrics
TEXT
cat <<TEXT

Next:
  just port-forward     backend on http://localhost:5000, data on http://localhost:5001 (/swagger)
  just health-now       run the health check again; just health-logs 20 reads its log
  just status           pods, services, jobs;  just top  CPU and memory;  just logs backend-api
  just down             delete the cluster
TEXT
