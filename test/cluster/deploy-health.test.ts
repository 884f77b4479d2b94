// `just deploy`, the health recipes and `just logs` run for real against the fake cluster.
import { describe, expect, test } from 'bun:test'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cluster, kubectl } from './fake-cluster.ts'
import { testWithKubectl } from './fake-tools.ts'

/** A fake but real-looking key, built at run time so no committed file holds one. */
async function stagingKey(project: string) {
  const key = ['stg', 'key', 'for', 'tests'].join('-')
  await writeFile(
    join(project, 'k8s/overlays/staging/integration-keys.env'),
    `EXTERNAL_INTEGRATION_KEY_STAGING=${key}\n`,
  )
}

const applied = (work: string[]) => work.filter((c) => c.startsWith('kubectl apply'))

describe('just deploy (fake cluster)', () => {
  testWithKubectl(
    'first deploy: render check, no diff, apply; then a diff before every apply',
    async () => {
      const { project, just } = await cluster()
      await stagingKey(project)
      const first = await just('deploy', 'staging')
      expect(first.code).toBe(0)
      expect(first.stdout).toContain(
        'deploying k8s/overlays/staging to kubectl context kind-dev-cluster',
      )
      expect(first.stdout).toContain('first deploy to this cluster: nothing to diff')
      expect(first.work).toEqual([
        'just render staging',
        'kubectl config current-context',
        'kubectl get namespace backend-namespace data-namespace health-namespace',
        'kubectl apply -k k8s/overlays/staging',
      ])
      const second = await just('deploy', 'staging')
      expect(second.work.slice(-2)).toEqual([
        'kubectl diff -k k8s/overlays/staging',
        'kubectl apply -k k8s/overlays/staging',
      ])
    },
    30_000,
  )

  test('an overlay that does not render (no env file) is never applied', async () => {
    const { just } = await cluster()
    const deploy = await just('deploy', 'prod')
    expect(deploy.code).not.toBe(0)
    expect(deploy.stderr).toContain('does not exist: run `just secrets prod`')
    expect(deploy.stderr).toContain('error: step "render the overlay" failed (exit 1')
    expect(deploy.work).toEqual(['just render prod'])
  }, 30_000)

  testWithKubectl(
    'deploy staging refuses the placeholder key; deploy dev warns and applies',
    async () => {
      const { just, innerJust } = await cluster()
      expect((await innerJust('secrets', 'staging')).code).toBe(0)
      const staging = await just('deploy', 'staging')
      expect(staging.code).not.toBe(0)
      expect(staging.stderr).toContain(
        'staging refuses placeholder keys: edit k8s/overlays/staging/integration-keys.env',
      )
      expect(applied(staging.work)).toEqual([])
      expect((await innerJust('secrets', 'dev')).code).toBe(0)
      const dev = await just('deploy', 'dev')
      expect(dev.code).toBe(0)
      expect(dev.stderr).toContain('warning: k8s/overlays/dev/integration-keys.env')
      expect(applied(dev.work)).toEqual(['kubectl apply -k k8s/overlays/dev'])
    },
    30_000,
  )

  testWithKubectl(
    'another context: refused without a terminal, applied with YES=1',
    async () => {
      const { project, justWith } = await cluster()
      await stagingKey(project)
      const remote = { FAKE_CONTEXT: 'prod-eu-1' }
      const refused = await justWith(remote, 'deploy', 'staging')
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(
        'error: kubectl context prod-eu-1 is not the local kind-dev-cluster and there is no terminal to confirm; next: run `YES=1 just deploy ...`',
      )
      expect(refused.stderr).toContain('error: step "confirm the kubectl context" failed')
      expect(refused.work).toEqual(['just render staging', 'kubectl config current-context'])
      const confirmed = await justWith({ ...remote, YES: '1' }, 'deploy', 'staging')
      expect(confirmed.code).toBe(0)
      expect(confirmed.stderr).toContain(
        'YES=1: applying k8s/overlays/staging to kubectl context prod-eu-1',
      )
      expect(applied(confirmed.work)).toEqual(['kubectl apply -k k8s/overlays/staging'])
    },
    30_000,
  )
})

describe('health recipes (fake cluster)', () => {
  testWithKubectl(
    'health-logs 20 runs the log reader with the deployed CronJob image, the claim read-only and `show --lines 20`',
    async () => {
      const { bin, just } = await cluster()
      const missing = await just('health-logs', '20')
      expect(missing.code).not.toBe(0)
      expect(missing.stderr).toContain(
        'error: step "read the health-check image from the deployed CronJob" failed',
      )
      // what `just up staging` leaves: the CronJob runs health-check:1.0.0
      await writeFile(join(bin.dir, 'deployed'), 'k8s/overlays/staging\n')
      const logs = await just('health-logs', '20')
      expect(logs.stderr).not.toContain('error:')
      expect(logs.code).toBe(0)
      expect(logs.work[0]).toStartWith('kubectl get cronjob health-check -n health-namespace -o')
      expect(logs.work[1]).toBe(
        'kubectl delete pod health-log-reader -n health-namespace --ignore-not-found --wait=true',
      )
      // The overrides are multi-line JSON: the fake saved them to overrides.json.
      expect(logs.work.find((c) => c.startsWith('kubectl run'))).toStartWith(
        'kubectl run health-log-reader -n health-namespace --rm -i --quiet --restart=Never --image=health-check:1.0.0 --overrides=',
      )
      const pod = JSON.parse(await readFile(join(bin.dir, 'overrides.json'), 'utf8'))
      expect(pod.metadata.name).toBe('health-log-reader')
      expect(pod.metadata.namespace).toBe('health-namespace')
      const container = pod.spec.containers[0]
      expect(container.image).toBe('health-check:1.0.0')
      expect(container.args).toEqual(['show', '--lines', '20'])
      expect(container.volumeMounts).toContainEqual({
        name: 'logs',
        mountPath: '/var/log',
        readOnly: true,
      })
      expect(pod.spec.volumes).toContainEqual({
        name: 'logs',
        persistentVolumeClaim: { claimName: 'health-check-logs', readOnly: true },
      })
    },
    30_000,
  )

  test('health-logs refuses a line count that is not a number, before touching the cluster', async () => {
    const { just } = await cluster()
    const logs = await just('health-logs', 'ten')
    expect(logs.code).toBe(2)
    expect(logs.stderr).toContain('error: N is a number of lines, e.g. just health-logs 100')
    expect(logs.work).toEqual([])
  }, 30_000)

  test('health-now with a failing run prints its log and exits non-zero with what to do', async () => {
    const { just } = await cluster({ kubectl: kubectl('Failed') })
    const now = await just('health-now')
    expect(now.code).not.toBe(0)
    expect(now.stdout).toContain('health-check: 3 checks ok')
    expect(now.stderr).toMatch(
      /job\/health-check-manual-\d{8}-\d{6} failed: the log above says why/,
    )
    expect(now.stderr).toContain('error: step "wait for the health-check run" failed')
  }, 30_000)

  test('logs maps a service to its namespace and label; an unknown one says which exist', async () => {
    const { just } = await cluster()
    const data = await just('logs', 'data-api')
    expect(data.work).toEqual([
      'kubectl logs -f -n data-namespace -l app=data-api --all-containers --prefix --tail=100 --max-log-requests=10',
    ])
    const unknown = await just('logs', 'frontend')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain(
      "error: unknown service 'frontend'; next: use backend-api, data-api or health-check",
    )
  }, 30_000)
})
