// The health CronJob on the real cluster: a run through `just health-now`, its claim provisioned
// by the cluster's default StorageClass, and its log read back with `just health-logs`.
import { beforeAll, describe, expect } from 'bun:test'
import { just, kubectlJson, MINUTE, onCluster, testStack } from './cluster.ts'

beforeAll(async () => {
  if (process.env.E2E_CLUSTER) await testStack()
}, 15 * MINUTE)

const critical = ['Backend API', 'Backend readiness', 'Data API', 'Data readiness']

const healthLines = async () => {
  const logs = await just('health-logs', '500')
  expect(logs.code, logs.tail).toBe(0)
  return logs.stdout.split('\n').filter((line) => / (PASS|DEGRADED|FAIL) name=/.test(line))
}

describe('the health CronJob', () => {
  onCluster(
    '`just health-now` completes with every critical check PASS',
    async () => {
      const run = await just('health-now')
      expect(run.code, run.tail).toBe(0)
      const results = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { name: string; result: string })
      for (const name of critical) {
        expect(results.find((r) => r.name === name)?.result, name).toBe('PASS')
      }
      // The test overlay points the development download at the fake external API (03-services).
      expect(results.find((r) => r.name === 'Download External Logs API')?.result).toBe('PASS')
    },
    5 * MINUTE,
  )

  onCluster(
    'the claim is bound to a volume that the default StorageClass provisioned',
    async () => {
      const claim = await kubectlJson<{
        spec: { volumeName: string; storageClassName: string }
        status: { phase: string }
      }>('get', 'pvc', 'health-check-logs', '-n', 'health-namespace')
      expect(claim.status.phase).toBe('Bound')
      const volume = await kubectlJson<{
        metadata: { annotations: Record<string, string> }
        spec: { storageClassName: string }
      }>('get', 'pv', claim.spec.volumeName)
      const classes = await kubectlJson<{
        items: {
          metadata: { name: string; annotations?: Record<string, string> }
          provisioner: string
        }[]
      }>('get', 'storageclass')
      const defaultClass = classes.items.find(
        (c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
      )
      expect(volume.spec.storageClassName).toBe(defaultClass?.metadata.name as string)
      expect(volume.metadata.annotations['pv.kubernetes.io/provisioned-by']).toBe(
        defaultClass?.provisioner as string,
      )
    },
  )

  onCluster(
    '`just health-logs` reads the PASS lines from the claim, and a second run appends to them',
    async () => {
      const before = await healthLines()
      for (const name of critical) {
        expect(
          before.some((line) => line.includes(' PASS ') && line.includes(`name="${name}"`)),
        ).toBe(true)
      }
      const again = await just('health-now')
      expect(again.code, again.tail).toBe(0)
      const after = await healthLines()
      expect(after.length).toBeGreaterThanOrEqual(before.length + 5)
      expect(after.slice(0, before.length)).toEqual(before)
    },
    5 * MINUTE,
  )
})
