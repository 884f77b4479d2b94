// A fake cluster for running the cluster recipes for real with `just`: fakes of kind, kubectl,
// docker, helm and of the other areas' recipes (a fake `just` on PATH). The fakes keep state
// (clusters created, overlay applied), so idempotency and failure paths show in the calls.
// The fake `just` first asks the real justfile whether the call is valid (`just --dry-run` checks
// the recipe exists and takes those arguments), so `up` cannot drift from the recipes it calls.
// The k8s area's recipes (secrets, check-secrets, render) then run for real, and
// `load` (which `up` calls) with the fakes; the rest need docker or helm and only succeed.
import { fakeBin, projectCopy, realJust, run, toolAt } from './fake-tools.ts'

const realKubectl = Bun.which('kubectl')

const kind = `case "$1" in
  version) echo "kind v0.30.1 go1.24.6 linux/amd64" ;;
  get) cat "$fake_dir/clusters" 2>/dev/null || echo "No kind clusters found." >&2 ;;
  create) echo dev-cluster >> "$fake_dir/clusters" ;;
esac`

/** The CronJob's image follows the overlay last applied (dev: v1, else 1.0.0). */
export const kubectl = (job = 'Complete', rollout = 'exit 0') => `case "$1" in
  version) echo "Client Version: v1.32.2" ;;
  rollout) ${rollout} ;;
  get) case "$2" in
      job) echo "${job} " ;;
      namespace) [ -f "$fake_dir/deployed" ] || exit 1 ;;
      cronjob) case $(cat "$fake_dir/deployed" 2>/dev/null) in
          '') echo 'Error from server (NotFound): cronjobs.batch "health-check" not found' >&2; exit 1 ;;
          k8s/overlays/dev) printf health-check:v1 ;;
          *) printf health-check:1.0.0 ;;
        esac ;;
      pods) echo "ErrImageNeverPull " ;;
      *) echo "NAME READY STATUS" ;;
    esac ;;
  apply) echo "$3" > "$fake_dir/deployed" ;;
  logs) echo "health-check: 3 checks ok" ;;
  config) [ "$2" = current-context ] && echo "\${FAKE_CONTEXT:-kind-dev-cluster}" ;;
  kustomize | patch) exec '${realKubectl}' "$@" ;;
  run) for a in "$@"; do case $a in --overrides=*) printf '%s' "\${a#--overrides=}" > "$fake_dir/overrides.json" ;; esac; done ;;
esac
exit 0`

/** REAL_JUST and REAL_PATH come from the test (see `cluster`). */
export const otherRecipes = `if ! "$REAL_JUST" --dry-run "$@" >/dev/null 2>"$fake_dir/just-dry-run.err"; then
  echo "fake just: the justfile does not accept \\\`just $*\\\`:" >&2
  cat "$fake_dir/just-dry-run.err" >&2
  exit 97
fi
case "$1" in
  load) exec "$REAL_JUST" "$@" ;;
  secrets | check-secrets | render) PATH="$REAL_PATH" exec "$REAL_JUST" "$@" ;;
esac
exit 0`

export async function cluster(fakes: { kubectl?: string } = {}) {
  const project = await projectCopy()
  const bin = await fakeBin({
    docker: toolAt('docker', '27.3.1'),
    helm: toolAt('helm', '3.16.2'),
    bun: toolAt('bun', '1.4.5'),
    kind,
    kubectl: fakes.kubectl ?? kubectl(),
    just: otherRecipes,
  })
  const env = async (extra: Record<string, string>) => ({
    PATH: bin.shadowPath,
    REAL_JUST: await realJust(),
    REAL_PATH: process.env.PATH ?? '',
    WAIT_JOB_POLL_SECONDS: '0.1',
    ...extra,
  })
  /** Runs the real `just` with these arguments, and `extra` in its environment. */
  const justWith = async (extra: Record<string, string>, ...args: string[]) => {
    const before = (await bin.calls()).length
    const result = await run([await realJust(), ...args], { cwd: project, env: await env(extra) })
    const calls = (await bin.calls()).slice(before)
    return { ...result, calls, work: calls.filter((c) => !/ (--version|version|info)\b/.test(c)) }
  }
  const just = (...args: string[]) => justWith({}, ...args)
  /** The fake `just` alone, as a recipe would call it. */
  const innerJust = async (...args: string[]) =>
    run([`${bin.dir}/just`, ...args], { cwd: project, env: await env({}) })
  return { project, bin, just, justWith, innerJust }
}
