// `just deploy`, the health recipes and `just logs` run for real against the fake cluster.
import { describe, expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cluster, kubectl, otherRecipes } from './fake-cluster.ts'
import { testWithKubectl } from './fake-tools.ts'

describe('just deploy (fake cluster)', () => {
  test('first deploy: render check, no diff, apply; then a diff before every apply', async () => {
    const { just } = await cluster()
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
  }, 30_000)

  test('an overlay that does not render is never applied', async () => {
    const failing = 'echo "k8s/overlays/prod/integration-keys.env has problems" >&2; exit 1'
    const { just } = await cluster({ just: otherRecipes(failing) })
    const deploy = await just('deploy', 'prod')
    expect(deploy.code).not.toBe(0)
    expect(deploy.stderr).toContain('error: step "render the overlay" failed (exit 1')
    expect(deploy.work).toEqual(['just render prod'])
  }, 30_000)
})

describe('health recipes (fake cluster)', () => {
  testWithKubectl(
    'health-logs 20 runs the log reader with the claim read-only and `show --lines 20`',
    async () => {
      const { bin, just } = await cluster()
      const logs = await just('health-logs', '20')
      expect(logs.stderr).not.toContain('error:')
      expect(logs.code).toBe(0)
      expect(logs.work[0]).toBe(
        'kubectl delete pod health-log-reader -n health-namespace --ignore-not-found --wait=true',
      )
      // The overrides are multi-line JSON: the fake saved them to overrides.json.
      expect(logs.work.find((c) => c.startsWith('kubectl run'))).toStartWith(
        'kubectl run health-log-reader -n health-namespace --rm -i --quiet --restart=Never --image=health-check:v1 --overrides=',
      )
      const pod = JSON.parse(await readFile(join(bin.dir, 'overrides.json'), 'utf8'))
      expect(pod.metadata.name).toBe('health-log-reader')
      expect(pod.metadata.namespace).toBe('health-namespace')
      const container = pod.spec.containers[0]
      expect(container.image).toBe('health-check:v1')
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
