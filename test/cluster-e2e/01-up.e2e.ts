// `just up` from nothing on the real cluster, and again: the first thing a user runs.
import { describe, expect } from 'bun:test'
import { isReady, just, MINUTE, onCluster, podsOf, provider } from './cluster.ts'

const services = [
  ['backend-namespace', 'backend-api'],
  ['data-namespace', 'data-api'],
] as const

describe(`just up (dev) on ${provider}`, () => {
  onCluster(
    'brings the stack up: both Deployments Ready with their probes, a health run that passes',
    async () => {
      const up = await just('up')
      expect(up.code, up.tail).toBe(0)
      expect(up.output).toContain('deployment "backend-api" successfully rolled out')
      expect(up.output).toContain('deployment "data-api" successfully rolled out')
      expect(up.output).toMatch(/job\/health-check-manual-\S+ completed/)
      expect(up.output).toMatch(/Stack ready: overlay dev on (kind-dev-cluster|e2e-node)/)
      for (const [namespace, app] of services) {
        const pods = await podsOf(namespace, app)
        expect(pods.map((pod) => [app, isReady(pod)])).toEqual([[app, true]])
        const [container] = pods[0]?.spec.containers ?? []
        expect(
          container?.startupProbe && container.livenessProbe && container.readinessProbe,
        ).toBeTruthy()
      }
    },
    20 * MINUTE,
  )

  onCluster(
    'a second `just up` succeeds and keeps the cluster, the env files and the running pods',
    async () => {
      const before = await Promise.all(services.map(([ns, app]) => podsOf(ns, app)))
      const again = await just('up')
      expect(again.code, again.tail).toBe(0)
      expect(again.output).toMatch(
        /the e2e node is up: kept as it is|kind cluster dev-cluster exists/,
      )
      expect(again.output).not.toContain('created k8s/overlays/dev/integration-keys.env')
      const after = await Promise.all(services.map(([ns, app]) => podsOf(ns, app)))
      expect(after.map((pods) => pods.map((p) => p.metadata.name))).toEqual(
        before.map((pods) => pods.map((p) => p.metadata.name)),
      )
    },
    20 * MINUTE,
  )

  onCluster(
    '`just deploy dev` applies to the local cluster without asking, after a diff',
    async () => {
      const deploy = await just('deploy', 'dev')
      expect(deploy.code, deploy.tail).toBe(0)
      expect(deploy.output).toMatch(
        /deploying k8s\/overlays\/dev to kubectl context (kind-dev-cluster|e2e-node)/,
      )
      expect(deploy.output).not.toContain('Type yes')
      expect(deploy.output).toContain('deployment.apps/backend-api unchanged')
    },
    5 * MINUTE,
  )
})
