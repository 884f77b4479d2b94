// Our monitoring on the real cluster: the Prometheus Operator (the one kube-prometheus-stack
// ships, built from its module) runs a Prometheus configured as our chart values configure the
// chart's; it must pick up our ServiceMonitors and PrometheusRule from k8s/monitoring, scrape both
// services through their Services and NetworkPolicies, load and evaluate every rule, answer every
// dashboard query that needs only our own series, and raise and clear an alert.
// kube-state-metrics, the kubelet's cAdvisor scrape and node-exporter are parts of the chart that
// do not run on the e2e node: the queries that need them (kube_*, container_*, node_*) are listed,
// not judged. On kind (CLUSTER_PROVIDER=kind) the chart's own Prometheus is the one examined.
import { beforeAll, describe, expect } from 'bun:test'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { panels } from '../../scripts/monitoring/dashboard.ts'
import {
  kubectl,
  MINUTE,
  ok,
  onCluster,
  probeFrom,
  project,
  provider,
  repoRoot,
  sh,
  testStack,
  waitFor,
} from './cluster.ts'

const services = ['backend-api-service-unique', 'data-api-service-unique']
/** Series that only parts of the chart which do not run here export. */
const notHere = /\b(kube_|container_|node_)\w+/

let api = ''
const query = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(10_000) })
  const body = (await response.json()) as { status: string; data: T }
  expect(body.status).toBe('success')
  return body.data
}
const instant = (expr: string) =>
  query<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(expr)}`,
  ).then((d) => d.result)

beforeAll(async () => {
  if (!process.env.E2E_CLUSTER) return
  await testStack()
  // What `just monitoring` applies after the chart.
  await kubectl('apply', '-k', 'k8s/monitoring')
  if (provider === 'kind') {
    // kind: the chart's own Prometheus (`just up` installed it), on the NodePort the kind config
    // publishes on loopback.
    api = 'http://127.0.0.1:30000'
  } else {
    const dir = await project()
    const lib = await sh(['bash', '-c', 'source e2e-node/lib.sh && echo "$prometheus_image"'])
    const image = lib.stdout.trim()
    const manifest = (
      await readFile(join(repoRoot, 'test/cluster-e2e/monitoring/prometheus.yaml'), 'utf8')
    )
      .replace('E2E_PROMETHEUS_IMAGE', image)
      .replace('E2E_PROMETHEUS_VERSION', image.slice(image.lastIndexOf(':') + 1))
    await writeFile(join(dir, 'e2e-prometheus.yaml'), manifest)
    await kubectl('apply', '-f', join(dir, 'e2e-prometheus.yaml'))
    // The suite runs inside the node's network namespace: the pod's address is reachable.
    const ip = await waitFor(
      'the Prometheus pod to be Ready',
      async () => {
        const pod = await sh([
          'kubectl',
          'get',
          'pod',
          '-n',
          'monitoring',
          '-l',
          'app.kubernetes.io/name=prometheus',
          '-o',
          'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status} {.items[0].status.podIP}',
        ])
        const [ready, address] = pod.stdout.split(' ')
        return ready === 'True' && address ? address : undefined
      },
      4 * MINUTE,
    )
    api = `http://${ip}:9090`
  }
  // Traffic: GET / and the health endpoints of both, from where the services admit it.
  for (const url of services.map(
    (s) => `http://${s}.${s.startsWith('backend') ? 'backend' : 'data'}-namespace/`,
  )) {
    await probeFrom('health-namespace', { app: 'health-check' }, url)
  }
}, 10 * MINUTE)

describe('monitoring through the Prometheus Operator', () => {
  onCluster(
    'both services are scraped through their Services and NetworkPolicies: targets up',
    async () => {
      const up = await waitFor(
        'both targets up',
        async () => {
          const { activeTargets } = await query<{
            activeTargets: { labels: Record<string, string>; health: string }[]
          }>('/api/v1/targets?state=active')
          const ours = activeTargets.filter((t) => services.includes(t.labels.job ?? ''))
          return ours.length === 2 && ours.every((t) => t.health === 'up') ? ours : undefined
        },
        3 * MINUTE,
      )
      expect(up.map((t) => t.labels.namespace).sort()).toEqual([
        'backend-namespace',
        'data-namespace',
      ])
    },
    4 * MINUTE,
  )

  onCluster(
    'every rule of k8s/monitoring/prometheusrule.yaml is loaded and evaluated, none with an error',
    async () => {
      const file = parse(
        await readFile(join(repoRoot, 'k8s/monitoring/prometheusrule.yaml'), 'utf8'),
      )
      const expected: { name: string; rules: unknown[] }[] = file.spec.groups
      const groups = await waitFor(
        'every rule evaluated',
        async () => {
          const data = await query<{
            groups: {
              name: string
              rules: { name: string; health: string; lastError?: string; lastEvaluation: string }[]
            }[]
          }>('/api/v1/rules')
          const ours = data.groups.filter((g) => expected.some((e) => e.name === g.name))
          const evaluated = ours.every((g) =>
            g.rules.every((r) => !r.lastEvaluation.startsWith('0001-')),
          )
          return ours.length === expected.length && evaluated ? ours : undefined
        },
        2 * MINUTE,
      )
      for (const group of groups) {
        const want = expected.find((e) => e.name === group.name)
        expect({ group: group.name, rules: group.rules.length }).toEqual({
          group: group.name,
          rules: want?.rules.length ?? -1,
        })
        for (const rule of group.rules) {
          expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({
            rule: rule.name,
            health: 'ok',
            error: '',
          })
        }
      }
    },
    3 * MINUTE,
  )

  onCluster(
    'every dashboard query on our own series returns data; the ones needing the chart are named',
    async () => {
      const queries = panels.flatMap((p) =>
        p.queries.map((q) => ({ panel: p.title, expr: q.expr })),
      )
      const judged = queries.filter((q) => !notHere.test(q.expr))
      expect(judged.length).toBeGreaterThan(5)
      const empty = await waitFor(
        'every query on our series to answer',
        async () => {
          const missing: string[] = []
          for (const q of judged) if ((await instant(q.expr)).length === 0) missing.push(q.panel)
          return missing.length === 0 ? missing : undefined
        },
        3 * MINUTE,
      ).catch(async () => {
        const missing: string[] = []
        for (const q of judged)
          if ((await instant(q.expr)).length === 0) missing.push(`${q.panel}: ${q.expr}`)
        return missing
      })
      expect(empty).toEqual([])
      const skipped = [...new Set(queries.filter((q) => notHere.test(q.expr)).map((q) => q.panel))]
      console.log(
        `  not judged here (kube-state-metrics, cAdvisor, node-exporter): ${skipped.join('; ')}`,
      )
      for (const name of [
        'http_requests_total',
        'log_files_written_total',
        'log_write_failures_total',
      ]) {
        expect(
          (await instant(`${name}{namespace=~"backend-namespace|data-namespace"}`)).length,
          name,
        ).toBeGreaterThan(0)
      }
    },
    4 * MINUTE,
  )

  onCluster(
    'data-api cut off from Prometheus (its policy gone, a new pod) makes SmallServiceTargetDown pending, and it clears again',
    async () => {
      const policy = [
        'networkpolicy',
        'allow-http-from-health-and-monitoring',
        '-n',
        'data-namespace',
      ]
      const saved = await kubectl('get', ...policy, '-o', 'json')
      await kubectl('delete', ...policy)
      // A policy removed does not cut the connection Prometheus keeps open to the pod (seen with
      // kube-router): a new pod needs a new connection, which is refused.
      await kubectl('rollout', 'restart', 'deployment/data-api', '-n', 'data-namespace')
      await kubectl('rollout', 'status', 'deployment/data-api', '-n', 'data-namespace')
      const alert = async () =>
        (
          await query<{ alerts: { labels: Record<string, string>; state: string }[] }>(
            '/api/v1/alerts',
          )
        ).alerts.find(
          (a) => a.labels.alertname === 'SmallServiceTargetDown' && a.labels.job === services[1],
        )
      try {
        const raised = await waitFor(
          'SmallServiceTargetDown for data-api',
          async () => {
            const a = await alert()
            return a && ['pending', 'firing'].includes(a.state) ? a : undefined
          },
          3 * MINUTE,
        )
        expect(raised.labels.namespace).toBe('data-namespace')
      } finally {
        const { apiVersion, kind, metadata, spec } = JSON.parse(saved)
        const { name, namespace, labels, annotations } = metadata
        const restored = {
          apiVersion,
          kind,
          metadata: { name, namespace, labels, annotations },
          spec,
        }
        await ok(['kubectl', 'create', '-f', '-'], { stdin: JSON.stringify(restored) })
      }
      await waitFor(
        'SmallServiceTargetDown to clear',
        async () => ((await alert()) === undefined ? true : undefined),
        3 * MINUTE,
      )
    },
    7 * MINUTE,
  )
})
