// The strict check finds misspelled fields at any depth, and leaves maps (labels, data) alone.
import { expect, test } from 'bun:test'
import { modelFor, unknownFields } from '../../scripts/k8s/schema-rules.ts'

function strict(apiVersion: string, kind: string, object: object): string[] {
  const model = modelFor(apiVersion, kind)
  if (!model) throw new Error(`no model for ${apiVersion} ${kind}`)
  return unknownFields(model, { apiVersion, kind, ...object })
}

test('misspellings anywhere in a Deployment are reported with their path', () => {
  const found = strict('apps/v1', 'Deployment', {
    metadata: { name: 'x', lables: { a: 'b' } },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      strategy: { rollingUpdate: { maxSurg: 1 } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: {
          securityContext: { runAsUsr: 1 },
          containers: [
            {
              name: 'c',
              image: 'i:1',
              env: [
                { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k', optinal: true } } },
              ],
            },
          ],
        },
      },
    },
  })
  expect(found).toEqual([
    '.metadata.lables',
    '.spec.strategy.rollingUpdate.maxSurg',
    '.spec.template.spec.securityContext.runAsUsr',
    '.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.optinal',
  ])
})

test('label, selector and data maps accept any key', () => {
  expect(
    strict('v1', 'ConfigMap', {
      metadata: { name: 'c', labels: { any: 'x' } },
      data: { ANY_KEY: 'v' },
    }),
  ).toEqual([])
  expect(
    strict('v1', 'Service', {
      metadata: { name: 's' },
      spec: { selector: { whatever: 'b' }, ports: [{ port: 80 }] },
    }),
  ).toEqual([])
})

test('every group/version the overlays use has a model, and unknown ones have none', () => {
  for (const [apiVersion, kind] of [
    ['v1', 'Namespace'],
    ['apps/v1', 'Deployment'],
    ['batch/v1', 'CronJob'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ]) {
    expect(modelFor(apiVersion as string, kind as string)).toBeDefined()
  }
  expect(modelFor('apps/v1beta9', 'Deployment')).toBeUndefined()
  expect(modelFor('monitoring.coreos.com/v1', 'ServiceMonitor')).toBeUndefined()
})
