// The justfile parses and the cluster recipes show their command sequence with `just --dry-run`
// (which prints every line, `@` ones included, to stderr, runs nothing and does not expand a
// nested `just X`: hence the commands sit on the recipe lines themselves).
import { describe, expect, test } from 'bun:test'
import { fakeBin, realJust, run } from './fake-tools.ts'

const clusterRecipes = [
  'preflight',
  'up',
  'cluster',
  'load',
  'deploy',
  'down',
  'status',
  'port-forward',
  'health-logs',
  'health-now',
  'top',
  'logs',
]

async function dryRun(...args: string[]) {
  const bin = await fakeBin({ kind: '', kubectl: '', docker: '', helm: '', just: '' })
  const result = await run([await realJust(), '--dry-run', ...args], {
    env: { PATH: bin.shadowPath },
  })
  expect(await bin.calls()).toEqual([])
  return { ...result, lines: result.stderr.trimEnd().split('\n') }
}

/** The summary's last argument is the time `just` started: replaced by a placeholder. */
const withoutStart = (lines: string[]) =>
  lines.map((l, i) => (i === lines.length - 1 ? l.replace(/ \d+$/, ' <started>') : l))

const upSequence = (env: string) => [
  'scripts/cluster/preflight.sh',
  `missing=$(scripts/cluster/overlay-env.sh ${env}); if [ -n "$missing" ]; then echo "$missing is missing: creating it from its example with just secrets ${env}"; scripts/cluster/step.sh secrets just secrets ${env}; fi`,
  `scripts/cluster/step.sh check-secrets just check-secrets ${env}`,
  'if kind get clusters 2>/dev/null | grep -x dev-cluster >/dev/null; then echo "kind cluster dev-cluster exists: kept as it is"; else scripts/cluster/step.sh cluster kind create cluster --name dev-cluster --config k8s/kind/cluster.yaml --wait 120s; fi',
  'scripts/cluster/step.sh context kubectl config use-context kind-dev-cluster',
  'scripts/cluster/step.sh reach kubectl cluster-info --request-timeout=10s',
  `tag=$(scripts/cluster/overlay-tag.sh ${env}); PREFLIGHT_PASSED=1 scripts/cluster/step.sh images just images "$tag"; just load "$tag"`,
  'PREFLIGHT_PASSED=1 scripts/cluster/step.sh monitoring just monitoring',
  `scripts/cluster/step.sh apply kubectl apply -k k8s/overlays/${env}`,
  'scripts/cluster/step.sh rollout kubectl rollout status deployment/backend-api -n backend-namespace --timeout=180s',
  'scripts/cluster/step.sh rollout kubectl rollout status deployment/data-api -n data-namespace --timeout=180s',
  'job=health-check-manual-$(date -u +%Y%m%d-%H%M%S); scripts/cluster/step.sh health-job kubectl create job --from=cronjob/health-check -n health-namespace "$job"; scripts/cluster/step.sh health-wait scripts/cluster/wait-job.sh health-namespace "$job" 180',
  `scripts/cluster/summary.sh ${env} <started>`,
]

describe('justfile', () => {
  test('parses, and `just --summary` lists every cluster recipe', async () => {
    const result = await run([await realJust(), '--summary'], {
      env: { PATH: process.env.PATH ?? '' },
    })
    expect(result.code).toBe(0)
    const names = result.stdout.trim().split(/\s+/)
    for (const recipe of clusterRecipes) expect(names).toContain(recipe)
    expect(names.some((n) => n.startsWith('_'))).toBe(false)
  })

  test('`just --list` describes each cluster recipe with its parameters', async () => {
    const { stdout } = await run([await realJust(), '--list'], {
      env: { PATH: process.env.PATH ?? '' },
    })
    expect(stdout).toMatch(/^ {4}up ENV="dev" +# \S/m)
    expect(stdout).toMatch(/^ {4}deploy ENV +# \S/m)
    expect(stdout).toMatch(/^ {4}health-logs N="50" +# \S/m)
    expect(stdout).toMatch(/^ {4}logs SERVICE +# \S/m)
    for (const recipe of clusterRecipes)
      expect(stdout).toMatch(new RegExp(`^ {4}${recipe}\\b.*# \\S`, 'm'))
  })
})

describe('just --dry-run', () => {
  test('up: preflight, env file, cluster, images and load with the overlay tag, monitoring, apply, rollouts, health run, summary', async () => {
    const { lines, code } = await dryRun('up')
    expect(code).toBe(0)
    const started = lines.at(-1)?.match(/^scripts\/cluster\/summary\.sh dev (\d+)$/)?.[1]
    expect(Math.abs(Number(started) - Date.now() / 1000)).toBeLessThan(60)
    expect(withoutStart(lines)).toEqual(upSequence('dev'))
  })

  test('up staging uses the staging overlay and its env file', async () => {
    const { lines } = await dryRun('up', 'staging')
    expect(withoutStart(lines)).toEqual(upSequence('staging'))
  })

  test('deploy staging: render check, context and its confirmation, diff when deployed, apply', async () => {
    const { lines, code } = await dryRun('deploy', 'staging')
    expect(code).toBe(0)
    expect(lines).toEqual([
      'scripts/cluster/step.sh render just render staging >/dev/null',
      'context=$(scripts/cluster/step.sh context kubectl config current-context); scripts/cluster/step.sh confirm scripts/cluster/confirm-context.sh "$context" k8s/overlays/staging; echo "deploying k8s/overlays/staging to kubectl context $context"; if kubectl get namespace backend-namespace data-namespace health-namespace >/dev/null 2>&1; then scripts/cluster/step.sh diff kubectl diff -k k8s/overlays/staging; else echo "first deploy to this cluster: nothing to diff"; fi',
      'scripts/cluster/step.sh apply kubectl apply -k k8s/overlays/staging',
    ])
  })

  test('deploy needs its ENV argument', async () => {
    const { code, stderr } = await dryRun('deploy')
    expect(code).not.toBe(0)
    expect(stderr).toContain('deploy')
  })

  test.each([
    [
      'load',
      'scripts/cluster/load-images.sh dev-cluster backend-api:v1 data-api:v1 health-check:v1',
    ],
    [
      'load 1.0.0',
      'scripts/cluster/load-images.sh dev-cluster backend-api:1.0.0 data-api:1.0.0 health-check:1.0.0',
    ],
    ['down', 'kind delete cluster --name dev-cluster'],
    ['status', 'kubectl get pods,services,jobs,cronjobs,pvc -n "$namespace"'],
    ['port-forward', 'scripts/cluster/port-forward.sh'],
    ['health-now', 'kubectl create job --from=cronjob/health-check -n health-namespace "$job"'],
    ['top', 'kubectl top pods -n backend-namespace -l app=backend-api --containers'],
    ['logs', 'kubectl logs -f -n "$namespace" -l "app=$app"'],
  ])('%s shows its command', async (recipe, command) => {
    const args = recipe === 'logs' ? ['logs', 'backend-api'] : recipe.split(' ')
    const { stderr, code } = await dryRun(...args)
    expect(code).toBe(0)
    expect(stderr).toContain(command)
  })

  test('health-logs 20 patches the log reader to 20 lines and runs it with the claim', async () => {
    const { stderr } = await dryRun('health-logs', '20')
    expect(stderr).toContain(
      "kubectl get cronjob health-check -n health-namespace -o 'jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].image}'",
    )
    expect(stderr).toContain('kubectl kustomize k8s/base/log-reader')
    expect(stderr).toContain('--image="$image"')
    expect(stderr).toContain('"value":["show","--lines","20"]')
    expect(stderr).toContain('kubectl run health-log-reader -n health-namespace --rm -i')
  })
})
