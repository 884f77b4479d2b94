// What the cluster recipes refuse before they touch a cluster, run for real with `just` against
// fake tools (fake-cluster.ts). What they do on a cluster is proven on a real one: test/cluster-e2e.
import { describe, expect, test } from 'bun:test'
import { cluster } from './fake-cluster.ts'

describe('cluster recipes refuse early, with what to do', () => {
  test('an overlay that does not render (no env file) is never applied', async () => {
    const { just } = await cluster()
    const deploy = await just('deploy', 'prod')
    expect(deploy.code).not.toBe(0)
    expect(deploy.stderr).toContain('does not exist: run `just secrets prod`')
    expect(deploy.stderr).toContain('error: step "render the overlay" failed (exit 1')
    expect(deploy.work).toEqual(['just render prod'])
  }, 30_000)

  test('health-logs refuses a line count that is not a number, before touching the cluster', async () => {
    const { just } = await cluster()
    const logs = await just('health-logs', 'ten')
    expect(logs.code).toBe(2)
    expect(logs.stderr).toContain('error: N is a number of lines, e.g. just health-logs 100')
    expect(logs.work).toEqual([])
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
