// `just up` is right the second time too: going back from prod to dev leaves nothing of prod, each
// uncommitted edit followed by `just redeploy` is what every pod and the CronJob run, and a failing
// health run fails once, with one set of log lines. Runs after 07, which left prod deployed.
import { describe, expect } from 'bun:test'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  isReady,
  just,
  kubectl,
  kubectlJson,
  MINUTE,
  onCluster,
  podsOf,
  probeFrom,
  project,
  sh,
  waitFor,
} from './cluster.ts'

const ours = ['backend-namespace', 'data-namespace', 'health-namespace']
const partOf = 'app.kubernetes.io/part-of=small-services'

interface Named {
  items: { metadata: { name: string; namespace: string } }[]
}
const names = async (kinds: string, namespace?: string) =>
  (
    await kubectlJson<Named>(
      'get',
      kinds,
      '-l',
      partOf,
      ...(namespace ? ['-n', namespace] : ['-A']),
      '-o',
      'json',
    )
  ).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)

/** The image of every container of both services' pods and of the CronJob's pod template. */
async function deployedImages(): Promise<string[]> {
  const images: string[] = []
  for (const [namespace, app] of [
    ['backend-namespace', 'backend-api'],
    ['data-namespace', 'data-api'],
  ] as const) {
    for (const pod of await podsOf(namespace, app)) {
      images.push(...pod.spec.containers.map((c) => c.image))
    }
  }
  images.push(
    await kubectl(
      'get',
      'cronjob',
      'health-check',
      '-n',
      'health-namespace',
      '-o',
      'jsonpath={.spec.jobTemplate.spec.template.spec.containers[0].image}',
    ),
  )
  return images
}

const version = async (url: string) => {
  // The health namespace's pods are the ones the services admit and that may reach them.
  const probe = await probeFrom('health-namespace', { app: 'health-check' }, url)
  expect(probe.status, probe.error).toBe(200)
  return (JSON.parse(probe.body ?? '{}') as { version?: string }).version
}

describe('the second time', () => {
  onCluster(
    'prod, then `just up` (dev): no HPA or PDB left, one generated ConfigMap and Secret each, replicas 1 for a minute',
    async () => {
      if ((await names('hpa')).length === 0) {
        const prod = await just('up', 'prod')
        expect(prod.code, prod.tail).toBe(0)
      }
      expect((await names('hpa,pdb')).length).toBeGreaterThan(0)
      const up = await just('up')
      expect(up.code, up.tail).toBe(0)
      // deleted before the apply, not pruned after it: see scripts/cluster/apply-overlay.sh
      expect(up.output).toMatch(/horizontalpodautoscaler.autoscaling "backend-api" deleted/)
      expect(await names('hpa,pdb')).toEqual([])
      for (const namespace of ours) {
        const generated = (await names('configmap,secret', namespace)).map((n) =>
          n.replace(/-[a-z0-9]{10}$/, '-<hash>'),
        )
        // Each generator once: no stale hash of an earlier overlay or build.
        expect(generated.length, generated.join(', ')).toBe(new Set(generated).size)
      }
      const deadline = Date.now() + MINUTE
      while (Date.now() < deadline) {
        for (const [namespace, app] of [
          ['backend-namespace', 'backend-api'],
          ['data-namespace', 'data-api'],
        ] as const) {
          const replicas = await kubectl(
            'get',
            'deployment',
            app,
            '-n',
            namespace,
            '-o',
            'jsonpath={.spec.replicas}',
          )
          expect({ app, replicas }).toEqual({ app, replicas: '1' })
        }
        await Bun.sleep(5000)
      }
    },
    20 * MINUTE,
  )

  onCluster(
    'two uncommitted edits, each followed by `just redeploy`: every pod and the CronJob run the second',
    async () => {
      const packageJson = join(await project(), 'package.json')
      const original = await readFile(packageJson, 'utf8')
      const tags: string[] = []
      try {
        for (const edit of ['0.0.1-e2e.1', '0.0.1-e2e.2']) {
          const manifest = JSON.parse(original) as { version: string }
          await writeFile(packageJson, JSON.stringify({ ...manifest, version: edit }, null, 2))
          const redeploy = await just('redeploy')
          expect(redeploy.code, redeploy.tail).toBe(0)
          const images = await waitFor(`the pods of build ${edit} alone`, async () => {
            const all = await deployedImages()
            return new Set(all.map((i) => i.split(':')[1])).size === 1 ? all : undefined
          })
          const tag = images[0]?.split(':')[1] ?? ''
          expect(images.map((i) => i.split(':')[0])).toEqual([
            'backend-api',
            'data-api',
            'health-check',
          ])
          expect(tag).toMatch(/^v1-[0-9a-f]{12}$/)
          tags.push(tag)
          expect(await version('http://backend-api-service-unique.backend-namespace/version')).toBe(
            edit,
          )
          expect(await version('http://data-api-service-unique.data-namespace/version')).toBe(edit)
        }
        expect(tags[0]).not.toBe(tags[1])
      } finally {
        await writeFile(packageJson, original)
      }
    },
    20 * MINUTE,
  )

  onCluster(
    'a health run with a target down fails once: one failed pod, one set of log lines',
    async () => {
      const healthLines = async () => {
        const logs = await just('health-logs', '500')
        expect(logs.code, logs.tail).toBe(0)
        return logs.stdout.split('\n').filter((line) => / (PASS|DEGRADED|FAIL) name=/.test(line))
      }
      const ns = ['-n', 'health-namespace']
      await kubectl('patch', 'cronjob', 'health-check', ...ns, '-p', '{"spec":{"suspend":true}}')
      await kubectl('scale', 'deployment', 'data-api', '-n', 'data-namespace', '--replicas=0')
      try {
        await waitFor('data-api to have no pod', async () =>
          (await podsOf('data-namespace', 'data-api')).length === 0 ? true : undefined,
        )
        const before = new Set(await healthLines())
        const job = `e2e-failing-${Date.now()}`
        await kubectl('create', 'job', job, '--from=cronjob/health-check', ...ns)
        const wait = await sh(['scripts/cluster/wait-job.sh', 'health-namespace', job, '120'], {
          timeoutMs: 3 * MINUTE,
        })
        expect(wait.code, wait.tail).not.toBe(0)
        const status = await kubectlJson<{
          status: { failed?: number; conditions?: { type: string; reason: string }[] }
        }>('get', 'job', job, ...ns, '-o', 'json')
        expect(status.status.failed).toBe(1)
        expect(status.status.conditions?.find((c) => c.type === 'Failed')?.reason).toBe(
          'PodFailurePolicy',
        )
        const pods = await kubectlJson<Named>(
          'get',
          'pods',
          ...ns,
          '-l',
          `job-name=${job}`,
          '-o',
          'json',
        )
        expect(pods.items.length).toBe(1)
        const added = (await healthLines()).filter((line) => !before.has(line))
        const checks = added.map((line) => / name=("[^"]*")/.exec(line)?.[1])
        expect(
          added.some((line) => line.includes(' FAIL name="Data API"')),
          added.join('\n'),
        ).toBe(true)
        expect(checks.length, added.join('\n')).toBe(new Set(checks).size)
      } finally {
        await kubectl('scale', 'deployment', 'data-api', '-n', 'data-namespace', '--replicas=1')
        await kubectl('patch', 'cronjob', 'health-check', ...ns, '-p', '{"spec":{"suspend":false}}')
        await kubectl('rollout', 'status', 'deployment/data-api', '-n', 'data-namespace')
      }
      expect((await podsOf('data-namespace', 'data-api')).every(isReady)).toBe(true)
    },
    10 * MINUTE,
  )
})
