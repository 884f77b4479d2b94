// `just up` run for real against the fake cluster: the calls it makes, in order, and its failures.
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cluster, kubectl } from './fake-cluster.ts'
import { testWithKubectl } from './fake-tools.ts'

const jobName =
  /^kubectl create job --from=cronjob\/health-check -n health-namespace (health-check-manual-\d{8}-\d{6})$/

/** The jsonpath overlay-tag.sh reads the images of the rendered objects with. */
const overlayImages = [
  '{range .spec.template.spec.containers[*]}{.image}{"\\n"}{end}',
  '{range .spec.jobTemplate.spec.template.spec.containers[*]}{.image}{"\\n"}{end}',
].join('')

describe('just up (fake cluster)', () => {
  testWithKubectl(
    'from nothing: env file, cluster, images, load, monitoring, apply, rollouts, one health run, summary',
    async () => {
      const { project, just } = await cluster()
      const up = await just('up')
      expect(up.stderr).not.toContain('error:')
      expect(up.code).toBe(0)
      const job = up.work.map((c) => c.match(jobName)?.[1]).find(Boolean)
      // overlay-tag.sh's pipeline: both ends start at once, so they log in either order
      const pipeline = [
        'kubectl kustomize k8s/overlays/dev',
        `kubectl patch --local -f - --type=json -p [] -o jsonpath=${overlayImages}`,
      ]
      expect(up.work.slice(6, 8).sort()).toEqual(pipeline.sort())
      expect(up.work.filter((c) => !pipeline.includes(c))).toEqual([
        'just secrets dev',
        'just check-secrets dev',
        'kind get clusters',
        'kind create cluster --name dev-cluster --config k8s/kind/cluster.yaml --wait 120s',
        'kubectl config use-context kind-dev-cluster',
        'kubectl cluster-info --request-timeout=10s',
        'just images v1',
        'just load v1',
        'kind load docker-image backend-api:v1 data-api:v1 health-check:v1 --name dev-cluster',
        'just monitoring',
        'kubectl apply -k k8s/overlays/dev',
        'kubectl rollout status deployment/backend-api -n backend-namespace --timeout=180s',
        'kubectl rollout status deployment/data-api -n data-namespace --timeout=180s',
        `kubectl create job --from=cronjob/health-check -n health-namespace ${job}`,
        `kubectl get job ${job} -n health-namespace -o jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}`,
        `kubectl logs -n health-namespace job/${job} --tail=50`,
        'kubectl get pods,pvc -n backend-namespace',
        'kubectl get pods,pvc -n data-namespace',
        'kubectl get pods,pvc -n health-namespace',
      ])
      expect(up.stdout).toContain(
        'k8s/overlays/dev/integration-keys.env is missing: creating it from its example with just secrets dev',
      )
      expect(up.stdout).toContain('health-check: 3 checks ok')
      expect(up.stdout).toMatch(/Stack ready: overlay dev on kind-dev-cluster in 0m\d+s\./)
      expect(up.stdout).toContain('Grafana        http://127.0.0.1:31000')
      expect(up.stderr).toMatch(/<== create the kind cluster dev-cluster: done in \d+s/)
      // dev runs with the example's placeholder, and says what that means
      expect(up.stderr).toContain('warning: k8s/overlays/dev/integration-keys.env')
      expect(up.stderr).toContain('the health check reports DEGRADED')
      expect(existsSync(join(project, 'k8s/overlays/dev/integration-keys.env'))).toBe(true)
    },
    30_000,
  )

  testWithKubectl(
    'a second `just up` keeps the cluster and the env file and succeeds again',
    async () => {
      const { just } = await cluster()
      expect((await just('up')).code).toBe(0)
      const again = await just('up')
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('kind cluster dev-cluster exists: kept as it is')
      expect(again.work).not.toContain('just secrets dev')
      expect(again.work.filter((c) => c.startsWith('kind create'))).toEqual([])
      expect(again.work).toContain('kubectl apply -k k8s/overlays/dev')
    },
    30_000,
  )

  testWithKubectl(
    'up staging refuses the placeholder key before creating anything, naming the file to edit',
    async () => {
      const { project, just } = await cluster()
      const up = await just('up', 'staging')
      expect(up.code).not.toBe(0)
      expect(up.stderr).toContain(
        'staging refuses placeholder keys: edit k8s/overlays/staging/integration-keys.env',
      )
      expect(up.stderr).toContain('error: step "check the overlay integration keys" failed')
      expect(up.work).toEqual(['just secrets staging', 'just check-secrets staging'])
      expect(existsSync(join(project, 'k8s/overlays/staging/integration-keys.env'))).toBe(true)
    },
    30_000,
  )

  testWithKubectl(
    'up staging with a real key builds and loads the tag the staging overlay asks for (1.0.0)',
    async () => {
      const { project, just } = await cluster()
      await writeFile(
        join(project, 'k8s/overlays/staging/integration-keys.env'),
        `EXTERNAL_INTEGRATION_KEY_STAGING=${['stg', 'key', 'for', 'tests'].join('-')}\n`,
      )
      const up = await just('up', 'staging')
      expect(up.stderr).not.toContain('warning:')
      expect(up.code).toBe(0)
      expect(up.work).not.toContain('just secrets staging')
      expect(up.work).toContain('just check-secrets staging')
      expect(up.work).toContain('just images 1.0.0')
      expect(up.work).toContain('just load 1.0.0')
      expect(up.work).toContain(
        'kind load docker-image backend-api:1.0.0 data-api:1.0.0 health-check:1.0.0 --name dev-cluster',
      )
      expect(up.work).toContain('kubectl apply -k k8s/overlays/staging')
    },
    30_000,
  )

  testWithKubectl(
    'a rollout stuck on ErrImageNeverPull stops `up` with "run `just load`", before any health run',
    async () => {
      const { just } = await cluster({ kubectl: kubectl('Complete', 'exit 1') })
      const up = await just('up')
      expect(up.code).not.toBe(0)
      expect(up.stderr).toContain('error: step "wait for the rollout" failed (exit 1')
      expect(up.stderr).toContain(
        '  command: kubectl rollout status deployment/backend-api -n backend-namespace --timeout=180s',
      )
      expect(up.stderr).toContain('  next: image not found in the cluster: run `just load`')
      expect(up.work.some((c) => c.startsWith('kubectl create job'))).toBe(false)
    },
    30_000,
  )

  test('a cluster that does not answer (node stopped) stops `up` before anything is built', async () => {
    const { just } = await cluster({
      kubectl: `case "$1" in version) echo "Client Version: v1.32.2" ;;
        cluster-info) echo "Unable to connect to the server: connection refused" >&2; exit 1 ;; esac`,
    })
    const up = await just('up')
    expect(up.code).not.toBe(0)
    expect(up.stderr).toContain('error: step "reach the cluster API" failed (exit 1')
    expect(up.stderr).toContain(
      '  next: the kind node may be stopped (Docker restarted): `docker start dev-cluster-control-plane`, or `just down` then `just up` for a fresh cluster',
    )
    expect(up.work.at(-1)).toBe('kubectl cluster-info --request-timeout=10s')
  }, 30_000)

  test('the fake `just` refuses a call the real justfile does not accept', async () => {
    const { innerJust } = await cluster()
    const extra = await innerJust('images', 'v1', 'extra')
    expect(extra.code).toBe(97)
    expect(extra.stderr).toContain('fake just: the justfile does not accept `just images v1 extra`')
    const missing = await innerJust('check-secret', 'dev')
    expect(missing.code).toBe(97)
    const valid = await innerJust('monitoring')
    expect(valid.code).toBe(0)
  }, 30_000)

  test('an unknown ENV stops `up` before the cluster is created', async () => {
    const { just } = await cluster()
    const up = await just('up', 'qa')
    expect(up.code).not.toBe(0)
    expect(up.stderr).toContain(
      'error: no overlay k8s/overlays/qa; next: use one of: dev prod staging',
    )
    expect(up.work).toEqual([])
  }, 30_000)
})
