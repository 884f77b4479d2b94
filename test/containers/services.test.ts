// The service images run as the manifests run them (read-only root, user 65532, no capabilities,
// no privilege escalation, writable only at /logs) and behave like the binaries do outside.
import { afterAll, beforeAll, describe, expect } from 'bun:test'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { testWhen } from '../support/requirements.ts'
import { BUILD_TIMEOUT_MS, binaryOf, buildArgs, builtImages, containerEngine } from './images.ts'
import { type Stack, startStack, stopStacks, TEST_KEY } from './stack.ts'

const engine = await containerEngine()
const test = testWhen(engine.ok, engine.reason)
const PROCESSING_DELAY_MS = 1000
let stack: Stack

beforeAll(async () => {
  if (!engine.ok) return
  stack = await startStack(await builtImages(), {
    PROCESSING_DELAY_MS: String(PROCESSING_DELAY_MS),
    SHUTDOWN_DRAIN_MS: '300',
  })
}, BUILD_TIMEOUT_MS)
afterAll(stopStacks)

/** The route only this service has: its path (in the OpenAPI spec) and a query to call it with. */
const ownRoute = {
  backend: { path: '/download_external_logs', query: '?env=development' },
  data: { path: '/records', query: '?limit=3' },
}

describe.each(['backend', 'data'] as const)('%s container', (which) => {
  const service = () => stack[which]

  test('answers every route', async () => {
    const paths = ['/', '/logs?limit=5', '/healthz', '/readyz', '/metrics', '/version']
    paths.push('/swagger', '/swagger/json', ownRoute[which].path + ownRoute[which].query)
    const statuses = await Promise.all(
      paths.map(async (path) => [path, (await fetch(service().url + path)).status] as const),
    )
    expect(Object.fromEntries(statuses)).toEqual(Object.fromEntries(paths.map((p) => [p, 200])))
    if (which === 'backend') {
      expect(stack.upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TEST_KEY}`)
    }
  })

  test('/version shows the VERSION and GIT_COMMIT build args', async () => {
    const version = await (await fetch(`${service().url}/version`)).json()
    expect(version).toMatchObject({
      service: binaryOf(which),
      version: buildArgs.VERSION,
      commit: buildArgs.GIT_COMMIT,
    })
  })

  test('/swagger loads Swagger UI from the container, not a CDN', async () => {
    const html = await (await fetch(`${service().url}/swagger`)).text()
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThanOrEqual(2)
    expect(assets.filter((url) => !url?.startsWith('/'))).toEqual([])
    for (const asset of assets) {
      const response = await fetch(service().url + asset)
      expect(response.status).toBe(200)
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000)
    }
    const spec = (await (await fetch(`${service().url}/swagger/json`)).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(spec.paths)).toContain(ownRoute[which].path)
  })

  test('GET / writes one log file into the mounted /logs', async () => {
    const before = await readdir(service().logsDir)
    const answer = (await (await fetch(`${service().url}/`)).json()) as {
      file: string
      message: string
    }
    const after = await readdir(service().logsDir)
    expect(after.filter((f) => !before.includes(f))).toEqual([answer.file])
    const record = JSON.parse(await readFile(join(service().logsDir, answer.file), 'utf8'))
    expect(record).toMatchObject({ service: binaryOf(which), message: answer.message })
  })

  test('docker stop with a request in flight answers it and exits 0 well before the kill timeout', async () => {
    const inFlight = fetch(`${service().url}/`)
    await Bun.sleep(300)
    const [response, stopped] = await Promise.all([inFlight, service().stop(10)])
    expect(response.status).toBe(200)
    // The container's output explains a non-zero exit (137: killed, the handler never finished).
    const output = stopped.exitCode === 0 ? '' : await service().logs()
    expect({ exitCode: stopped.exitCode, output }).toEqual({ exitCode: 0, output: '' })
    // SIGTERM, 300 ms drain, the rest of the 1 s request: far from the 10 s SIGKILL.
    expect(stopped.durationMs).toBeLessThan(5000)
  }, 30_000)
})
