// `just top`: metrics-server's numbers for the node and our containers.
import { beforeAll, describe, expect } from 'bun:test'
import { just, MINUTE, onCluster, testStack, waitFor } from './cluster.ts'

beforeAll(async () => {
  if (process.env.E2E_CLUSTER) await testStack()
}, 15 * MINUTE)

describe('just top', () => {
  onCluster(
    "prints CPU and memory of the node and of both services' containers",
    async () => {
      // metrics-server reports a new pod after its first scrapes (15 s resolution).
      const top = await waitFor(
        'just top to succeed',
        async () => {
          const run = await just('top')
          return run.code === 0 ? run : undefined
        },
        3 * MINUTE,
      )
      for (const container of ['backend-api', 'data-api']) {
        expect(top.stdout).toMatch(
          new RegExp(`${container}-\\S+\\s+${container}\\s+\\d+m\\s+\\d+Mi`),
        )
      }
      expect(top.stdout).toMatch(/e2e-node|dev-cluster-control-plane/)
    },
    4 * MINUTE,
  )
})
