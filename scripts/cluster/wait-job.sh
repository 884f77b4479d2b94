#!/usr/bin/env bash
# `wait-job.sh NAMESPACE JOB [TIMEOUT_SECONDS]`: wait until a Job completes or fails, then print its
# log. `kubectl wait --for=condition=complete` alone would sit out the whole timeout on a failed Job.
# The health log's PVC binds when this Job's pod starts (WaitForFirstConsumer), so nothing waits
# for Bound before it.
set -uo pipefail

namespace=${1:?usage: wait-job.sh NAMESPACE JOB [TIMEOUT_SECONDS]}
job=${2:?usage: wait-job.sh NAMESPACE JOB [TIMEOUT_SECONDS]}
timeout=${3:-180}
poll=${WAIT_JOB_POLL_SECONDS:-2}
started=$SECONDS

show_log() {
  echo "--- log of job/$job"
  kubectl logs -n "$namespace" "job/$job" --tail=50 || true
  echo "---"
}

while :; do
  conditions=$(kubectl get job "$job" -n "$namespace" \
    -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}') || {
    echo "cannot read job/$job in $namespace: is the cluster reachable? \`just status\`" >&2
    exit 1
  }
  case " $conditions " in
    *' Complete '*)
      show_log
      echo "job/$job completed in $((SECONDS - started))s"
      exit 0 ;;
    *' Failed '*)
      show_log
      echo "job/$job failed: the log above says why; \`kubectl describe job $job -n $namespace\` shows the events" >&2
      exit 1 ;;
  esac
  if [ $((SECONDS - started)) -ge "$timeout" ]; then
    echo "job/$job still running after ${timeout}s: \`kubectl describe job $job -n $namespace\` and \`kubectl get pods -n $namespace\` show why (ErrImageNeverPull: \`just load\`)" >&2
    exit 1
  fi
  sleep "$poll"
done
