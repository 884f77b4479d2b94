// Rollouts under continuous traffic through the Services: `kubectl rollout restart` of each
// Deployment loses no request, at dev's one replica and at prod's three (its HPA minimum). Every
// 200 names the log file it wrote; each one must be listed by its pod's /logs while that pod lives.
import { beforeAll, describe, expect } from 'bun:test'
import {
  isReady,
  just,
  kubectl,
  MINUTE,
  onCluster,
  type Pod,
  podsOf,
  runFixturePod,
  sh,
  testStack,
  waitFor,
} from './cluster.ts'

beforeAll(async () => {
  if (process.env.E2E_CLUSTER) await testStack()
}, 15 * MINUTE)

const services = [
  {
    namespace: 'backend-namespace',
    app: 'backend-api',
    url: 'http://backend-api-service-unique.backend-namespace/',
  },
  {
    namespace: 'data-namespace',
    app: 'data-api',
    url: 'http://data-api-service-unique.data-namespace/',
  },
]

const CONCURRENCY = 20

interface LoadResult {
  outcomes: Record<string, number>
  files: string[]
  failures: string[]
}

/** A pod in e2e-fixtures running `e2e-fixture load URL 20 SECONDS` (admitted by the test overlay). */
async function startLoad(
  name: string,
  url: string,
  seconds: number,
): Promise<() => Promise<LoadResult>> {
  await sh(['kubectl', 'delete', 'pod', name, '-n', 'e2e-fixtures', '--ignore-not-found'])
  await runFixturePod('e2e-fixtures', name, { app: 'e2e-load' }, [
    'load',
    url,
    String(CONCURRENCY),
    String(seconds),
  ])
  await kubectl(
    'wait',
    '--for=condition=Ready',
    `pod/${name}`,
    '-n',
    'e2e-fixtures',
    '--timeout=60s',
  )
  return async () => {
    await kubectl(
      'wait',
      '--for=jsonpath={.status.phase}=Succeeded',
      `pod/${name}`,
      '-n',
      'e2e-fixtures',
      `--timeout=${seconds + 60}s`,
    )
    const logs = await kubectl('logs', name, '-n', 'e2e-fixtures')
    await kubectl('delete', 'pod', name, '-n', 'e2e-fixtures', '--wait=false')
    return JSON.parse(logs.trim().split('\n').at(-1) ?? '{}') as LoadResult
  }
}

/** The log store's per-process part of a file name (`...-<seq>-<instance><random>.log`). */
const instanceOf = (file: string) => /-[0-9a-z]{6}-([0-9a-f]{4})[0-9a-f]{4}\.log$/.exec(file)?.[1]
/** The time in a file name (`20261202T092225502Z-...`): when the request began its write. */
const timeOf = (file: string) =>
  Date.parse(
    file
      .slice(0, 19)
      .replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z?$/, '$1-$2-$3T$4:$5:$6.$7Z'),
  )

interface Listings {
  files: Set<string>
  /** Per server process (file-name instance): when its last listing was asked for. */
  lastAsked: Map<string, number>
}

/**
 * Reads each Running pod's /logs through the API server's pod proxy (one `kubectl proxy` on
 * loopback, so a look at every pod costs milliseconds) every 100 ms until `done`: which files each
 * server process had on disk, and up to when we looked. A pod's last requests end shortly before
 * its listener closes, so the looks must be frequent to see them.
 */
async function watchFiles(
  api: string,
  namespace: string,
  app: string,
  done: () => boolean,
): Promise<Listings> {
  const seen: Listings = { files: new Set(), lastAsked: new Map() }
  const look = async () => {
    const pods = (await (
      await fetch(`${api}/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${app}`)
    ).json()) as { items: Pod[] }
    await Promise.all(
      pods.items
        .filter((pod) => pod.status.phase === 'Running')
        .map(async (pod) => {
          const asked = Date.now()
          const url = `${api}/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}:5000/proxy/logs?limit=500`
          const listed = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(
            () => undefined,
          )
          if (!listed?.ok) return // gone between the list and the read
          const { entries } = (await listed.json()) as { entries: { file: string }[] }
          for (const { file } of entries) {
            seen.files.add(file)
            const instance = instanceOf(file)
            if (instance) seen.lastAsked.set(instance, asked)
          }
        }),
    )
  }
  while (!done()) {
    await look()
    await Bun.sleep(100)
  }
  await look()
  return seen
}

/** `kubectl proxy` on a free loopback port for the rest of the file. */
async function apiProxy(): Promise<{ url: string; stop: () => void }> {
  const proc = Bun.spawn(['kubectl', 'proxy', '--port=0'], { stdout: 'pipe', stderr: 'inherit' })
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  let text = ''
  while (!/127\.0\.0\.1:\d+/.test(text)) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`kubectl proxy did not start: ${text}`)
    text += new TextDecoder().decode(value)
  }
  return { url: `http://${/127\.0\.0\.1:\d+/.exec(text)?.[0]}`, stop: () => proc.kill() }
}

/**
 * Every 200's file against what its server listed: listed (verified), missing although its
 * server was asked more than a second after the file's time (lost), or written within the last
 * moments of a server that was gone before the next look (unverifiable, counted).
 */
function judgeFiles(files: string[], seen: Listings) {
  const lost: string[] = []
  let verified = 0
  let unverifiable = 0
  for (const file of files) {
    if (seen.files.has(file)) verified++
    else {
      const asked = seen.lastAsked.get(instanceOf(file) ?? '')
      if (asked === undefined || timeOf(file) < asked - 1000) lost.push(file)
      else unverifiable++
    }
  }
  return { verified, unverifiable, lost }
}

/** Restarts every Deployment under load and checks what the clients and the pods saw. */
async function restartUnderLoad(replicas: number, seconds: number) {
  // Settled first: exactly the replicas, all Ready (no pod of an earlier rollout terminating).
  const settled = await Promise.all(
    services.map((s) =>
      waitFor(
        `${replicas} settled pods of ${s.app}`,
        async () => {
          const pods = await podsOf(s.namespace, s.app)
          return pods.length === replicas && pods.every(isReady) ? pods : undefined
        },
        2 * MINUTE,
      ),
    ),
  )
  const loads = await Promise.all(
    services.map((s) => startLoad(`e2e-load-${s.app}`, s.url, seconds)),
  )
  let finished = false
  const api = await apiProxy()
  const watched = services.map((s) => watchFiles(api.url, s.namespace, s.app, () => finished))
  const before = settled
  await Bun.sleep(5000)
  for (const s of services)
    await kubectl('rollout', 'restart', `deployment/${s.app}`, '-n', s.namespace)
  for (const s of services) {
    await kubectl('rollout', 'status', `deployment/${s.app}`, '-n', s.namespace, '--timeout=300s')
  }
  const results = await Promise.all(loads.map((wait) => wait()))
  finished = true
  const seen = await Promise.all(watched)
  api.stop()
  for (const [i, s] of services.entries()) {
    const result = results[i] as LoadResult
    const total = Object.values(result.outcomes).reduce((a, b) => a + b, 0)
    console.log(
      `rollout of ${s.app} at ${replicas} replica(s): ${total} requests, ${JSON.stringify(result.outcomes)}`,
    )
    expect({ app: s.app, outcomes: result.outcomes, failures: result.failures }).toEqual({
      app: s.app,
      outcomes: { 200: total },
      failures: [],
    })
    // Enough traffic to span the rollout: 20 clients, 3 s each, for the whole window.
    expect(total).toBeGreaterThan((CONCURRENCY * seconds) / 3 / 2)
    const files = judgeFiles(result.files, seen[i] as Listings)
    console.log(
      `  files: ${files.verified} listed by their pod, ${files.unverifiable} written in the last moments of a pod that was gone before the next look`,
    )
    expect({ app: s.app, lost: files.lost }).toEqual({ app: s.app, lost: [] })
    // A gone pod's unseen files can only be the requests it still had in flight when its listener
    // closed: at most one per client, and the drain's Connection: close keeps that near 0.
    expect(files.unverifiable).toBeLessThanOrEqual(CONCURRENCY * replicas)
    const after = await podsOf(s.namespace, s.app)
    const old = new Set(before[i]?.map((pod) => pod.metadata.name))
    expect(after.filter((pod) => old.has(pod.metadata.name))).toEqual([])
  }
}

describe('rollouts under load', () => {
  onCluster(
    'dev, 1 replica each: rollout restart of both loses no request and no file',
    async () => {
      await restartUnderLoad(1, 60)
    },
    10 * MINUTE,
  )

  onCluster(
    'prod, 3 replicas each (the HPA minimum): the same',
    async () => {
      // `just up prod` builds and loads prod's image tag, applies the overlay and waits for it.
      const up = await just('up', 'prod')
      expect(up.code, up.tail).toBe(0)
      await restartUnderLoad(3, 90)
    },
    15 * MINUTE,
  )
})
