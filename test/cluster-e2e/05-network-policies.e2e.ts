// NetworkPolicies enforced by the cluster's network plugin (kube-router on the e2e node, kindnet
// on kind): who may reach the services, and where the backend may not go.
import { beforeAll, describe, expect } from 'bun:test'
import { fakeApiHost, kubectl, MINUTE, ok, onCluster, probeFrom, testStack } from './cluster.ts'

beforeAll(async () => {
  if (process.env.E2E_CLUSTER) await testStack()
}, 15 * MINUTE)

const services = {
  backend: 'http://backend-api-service-unique.backend-namespace',
  data: 'http://data-api-service-unique.data-namespace',
}

/** The labels kube-prometheus-stack (release kind-prometheus) gives its Prometheus pods. */
const prometheus = {
  'app.kubernetes.io/name': 'prometheus',
  prometheus: 'kind-prometheus-kube-prome-prometheus',
}

describe('NetworkPolicies', () => {
  onCluster(
    'a pod in `default` is refused by both services',
    async () => {
      for (const url of Object.values(services)) {
        expect(await probeFrom('default', { app: 'e2e-probe' }, `${url}/healthz`)).toEqual({
          error: 'ECONNREFUSED',
        })
      }
    },
    2 * MINUTE,
  )

  onCluster(
    'a Prometheus pod in `monitoring` reaches /metrics of both, another pod there does not',
    async () => {
      const namespace = await kubectl(
        'create',
        'namespace',
        'monitoring',
        '--dry-run=client',
        '-o',
        'yaml',
      )
      await ok(['kubectl', 'apply', '-f', '-'], { stdin: namespace })
      for (const url of Object.values(services)) {
        const answer = await probeFrom('monitoring', prometheus, `${url}/metrics`)
        expect(answer.status, JSON.stringify(answer)).toBe(200)
        expect(answer.body).toContain('# HELP')
        // Any other pod there (Grafana, the operator, a debug pod) is refused.
        expect(await probeFrom('monitoring', { app: 'e2e-probe' }, `${url}/metrics`)).toEqual({
          error: 'ECONNREFUSED',
        })
      }
    },
    2 * MINUTE,
  )

  onCluster(
    'the backend cannot reach an address its policies do not admit',
    async () => {
      // The fake external API also serves 9443, to anyone: a pod in its own namespace connects (and
      // fails only the TLS check, not knowing the test CA). The backend is configured to download
      // staging's logs from there, and only its egress policy stands in the way.
      const direct = await probeFrom(
        'e2e-fixtures',
        { app: 'e2e-probe' },
        `https://${fakeApiHost}:9443/v1/logs`,
      )
      expect(direct.error).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
      const download = await probeFrom(
        'monitoring',
        prometheus,
        `${services.backend}/download_external_logs?env=staging`,
      )
      expect(download.status, JSON.stringify(download)).toBeOneOf([502, 504])
      expect(JSON.parse(download.body ?? '{}').error).toMatch(/could not reach|did not answer/)
      const seen = await probeFrom(
        'e2e-fixtures',
        { app: 'e2e-probe' },
        `http://${fakeApiHost}:8080/seen`,
      )
      expect(JSON.parse(seen.body ?? '{}').blockedPort).toBe(0)
    },
    3 * MINUTE,
  )
})
