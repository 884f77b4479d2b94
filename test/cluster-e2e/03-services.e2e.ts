// The services as a user reaches them: through `just port-forward`, with the external download
// going to a fake external API inside the cluster over HTTPS (test overlay, see overlay/). The
// integration key comes from the generated Secret and must show up nowhere.
import { afterAll, beforeAll, describe, expect } from 'bun:test'
import {
  fakeApiHost,
  keys,
  MINUTE,
  ok,
  onCluster,
  probeFrom,
  project,
  testStack,
  waitFor,
} from './cluster.ts'

const backend = 'http://127.0.0.1:5000'
const data = 'http://127.0.0.1:5001'

/** Every response body this file saw: none may hold a key. */
const seen: string[] = []
async function get(url: string, timeoutMs = 20_000) {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  const body = await response.text()
  seen.push(body)
  return { status: response.status, body, type: response.headers.get('content-type') ?? '' }
}
const json = async (url: string): Promise<{ status: number } & Record<string, unknown>> => {
  const { status, body } = await get(url)
  return { status, ...(JSON.parse(body) as Record<string, unknown>) }
}

let forward: ReturnType<typeof Bun.spawn> | undefined
let forwardOutput = ''

beforeAll(async () => {
  if (!process.env.E2E_CLUSTER) return
  await testStack()
  forward = Bun.spawn(['just', 'port-forward'], {
    cwd: await project(),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  for (const stream of [forward.stdout, forward.stderr] as ReadableStream[]) {
    void stream.pipeTo(
      new WritableStream({
        write: (chunk) => {
          forwardOutput += new TextDecoder().decode(chunk)
        },
      }),
    )
  }
  await waitFor('just port-forward to answer on 5000 and 5001', async () => {
    const answers = await Promise.all([
      get(`${backend}/healthz`, 2000),
      get(`${data}/healthz`, 2000),
    ])
    return answers.every((a) => a.status === 200) || undefined
  })
}, 5 * MINUTE)

afterAll(() => {
  forward?.kill('SIGINT')
  if (forward?.exitCode !== null) console.log(`just port-forward had stopped:\n${forwardOutput}`)
})

describe('the services through just port-forward', () => {
  onCluster(
    'GET / takes the processing delay and writes a file that /logs lists',
    async () => {
      for (const url of [backend, data]) {
        const started = performance.now()
        const work = await json(`${url}/`)
        expect(performance.now() - started).toBeGreaterThanOrEqual(2900)
        expect(work.status).toBe(200)
        const logs = (await json(`${url}/logs?limit=500`)) as unknown as {
          entries: { file: string }[]
        }
        expect(logs.entries.map((e) => e.file)).toContain(work.file as string)
      }
    },
    2 * MINUTE,
  )

  onCluster(
    '/swagger, /metrics and /records answer',
    async () => {
      for (const url of [backend, data]) {
        const swagger = await get(`${url}/swagger`)
        expect([swagger.status, swagger.type]).toEqual([200, expect.stringContaining('text/html')])
        const metrics = await get(`${url}/metrics`)
        expect(metrics.status).toBe(200)
        expect(metrics.body).toContain('http_requests_total')
      }
      const records = await json(`${data}/records`)
      expect(records.status).toBe(200)
    },
    2 * MINUTE,
  )

  onCluster(
    '/download_external_logs reaches the fake external API over HTTPS with the key from the Secret',
    async () => {
      const download = await json(`${backend}/download_external_logs?env=development`)
      expect(download.status, JSON.stringify(download)).toBe(200)
      const logs = (await json(`${backend}/logs?limit=500`)) as unknown as {
        entries: { file: string; content: string }[]
      }
      const stored = logs.entries.find((e) => e.file === download.file)
      expect(stored?.content).toContain('from the e2e fake external API')
      const counters = await probeFrom(
        'e2e-fixtures',
        { app: 'e2e-probe' },
        `http://${fakeApiHost}:8080/seen`,
      )
      seen.push(counters.body ?? '')
      expect(JSON.parse(counters.body ?? '{}')).toMatchObject({
        authorized: expect.any(Number),
        unauthorized: 0,
      })
      expect(JSON.parse(counters.body ?? '{}').authorized).toBeGreaterThanOrEqual(1)
    },
  )

  onCluster(
    'no response, log line or stored file holds an integration key',
    async () => {
      const logs = await get(`${backend}/logs?limit=500`)
      const podLogs = await Promise.all(
        [
          ['backend-namespace', 'backend-api'],
          ['data-namespace', 'data-api'],
        ].map(([namespace, app]) =>
          ok([
            'kubectl',
            'logs',
            '-n',
            namespace as string,
            '-l',
            `app=${app}`,
            '--all-containers',
            '--tail=-1',
          ]),
        ),
      )
      const everything = [...seen, logs.body, ...podLogs, forwardOutput].join('\n')
      expect(everything.length).toBeGreaterThan(1000)
      for (const key of Object.values(keys)) expect(everything).not.toContain(key)
    },
    2 * MINUTE,
  )
})
