// A fake cluster for running the cluster recipes for real with `just`: fakes of kind, kubectl,
// docker, helm and of the other areas' recipes (a fake `just` on PATH: only the outer `just` is
// real). The fakes keep state (clusters created, overlay applied), so idempotency and failure
// paths show in the calls.
import { fakeBin, projectCopy, realJust, run, toolAt } from './fake-tools.ts'

const realKubectl = Bun.which('kubectl')

const kind = `case "$1" in
  version) echo "kind v0.24.0 go1.22.6 linux/amd64" ;;
  get) cat "$fake_dir/clusters" 2>/dev/null || echo "No kind clusters found." >&2 ;;
  create) echo dev-cluster >> "$fake_dir/clusters" ;;
esac`

export const kubectl = (job = 'Complete', rollout = 'exit 0') => `case "$1" in
  version) echo "Client Version: v1.32.2" ;;
  rollout) ${rollout} ;;
  get) case "$2" in
      job) echo "${job} " ;;
      namespace) [ -f "$fake_dir/deployed" ] || exit 1 ;;
      pods) echo "ErrImageNeverPull " ;;
      *) echo "NAME READY STATUS" ;;
    esac ;;
  apply) touch "$fake_dir/deployed" ;;
  logs) echo "health-check: 3 checks ok" ;;
  config) [ "$2" = current-context ] && echo kind-dev-cluster ;;
  kustomize | patch) exec '${realKubectl}' "$@" ;;
  run) for a in "$@"; do case $a in --overrides=*) printf '%s' "\${a#--overrides=}" > "$fake_dir/overrides.json" ;; esac; done ;;
esac
exit 0`

export const otherRecipes = (render = 'echo "kind: Namespace"') => `case "$1" in
  secrets) cp "k8s/overlays/$2/integration-keys.env.example" "k8s/overlays/$2/integration-keys.env" ;;
  render) ${render} ;;
esac
exit 0`

export async function cluster(fakes: { kubectl?: string; just?: string } = {}) {
  const project = await projectCopy()
  const bin = await fakeBin({
    docker: toolAt('docker', '27.3.1'),
    helm: toolAt('helm', '3.16.2'),
    bun: toolAt('bun', '1.4.5'),
    kind,
    kubectl: fakes.kubectl ?? kubectl(),
    just: fakes.just ?? otherRecipes(),
  })
  const just = async (...args: string[]) => {
    const before = (await bin.calls()).length
    const result = await run([await realJust(), ...args], {
      cwd: project,
      env: { PATH: bin.shadowPath, WAIT_JOB_POLL_SECONDS: '0.1' },
    })
    const calls = (await bin.calls()).slice(before)
    return { ...result, calls, work: calls.filter((c) => !/ (--version|version|info)\b/.test(c)) }
  }
  return { project, bin, just }
}
