import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pkg from '../../package.json'
import { startFakeUpstream } from '../support/upstream.ts'
import { type RunningService, SERVICES, startService } from './harness.ts'

const KEY = 'e2e-key-1234abcd'
const upstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())
beforeEach(() => upstream.mode('ok'))

const ENV = { EXTERNAL_API_URL: upstream.url, EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY }
const send = (service: RunningService, method: string, path: string) =>
  fetch(service.url + path, { method })

// One service per binary for the read-mostly checks: every test makes the requests it asserts on,
// so none depends on another having run first.
describe.each(SERVICES)('compiled %s', (name) => {
  let service: RunningService
  beforeAll(async () => {
    service = await startService(name, ENV)
  }, 120_000)
  afterAll(() => service?.stop('SIGKILL'))

  test('GET / writes one complete log file that GET /logs then shows', async () => {
    const { status, body } = await service.get('/')
    expect(status).toBe(200)
    expect(body.service).toBe(name)
    const content = await readFile(join(service.logDir, String(body.file)), 'utf8')
    expect(JSON.parse(content).message).toBe(body.message)
    const { entries } = (await service.get('/logs?limit=500')).body as {
      entries: { file: string }[]
    }
    expect(entries.map((e) => e.file)).toContain(String(body.file))
  })

  test('probes answer', async () => {
    expect((await service.get('/healthz')).body).toEqual({ status: 'ok' })
    expect((await service.get('/readyz')).body).toEqual({ status: 'ready' })
  })

  test('GET /version carries the baked version and commit', async () => {
    const { body } = await service.get('/version')
    expect(body).toMatchObject({ service: name, version: pkg.version, bun: Bun.version })
    // the binary may predate the latest commit (it is rebuilt when sources change, not on commit)
    expect(String(body.commit)).toMatch(/^([0-9a-f]{7,40}|unknown)$/)
  })

  test('GET /metrics is Prometheus text with the app label and route templates', async () => {
    await service.get('/version')
    const { text } = await service.get('/metrics')
    expect(text).toMatch(
      new RegExp(
        `http_requests_total\\{method="GET",route="/version",status="200",app="${name}"\\} [1-9]`,
      ),
    )
    expect(text).toContain(`log_files_written_total{app="${name}"}`)
    expect(text).toContain('process_resident_memory_bytes')
  })

  test('GET /swagger and /swagger/json work from the binary', async () => {
    const html = await service.get('/swagger')
    expect(html.text).toContain('/swagger/assets/swagger-ui-bundle.js')
    const js = await fetch(`${service.url}/swagger/assets/swagger-ui-bundle.js`)
    expect(js.status).toBe(200)
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(500_000)
    const doc = (await service.get('/swagger/json')).body as { paths: Record<string, unknown> }
    expect(doc.paths['/logs']).toBeDefined()
  })

  test('unknown route and bad query -> JSON errors naming the field (production build)', async () => {
    expect(await service.get('/nope')).toMatchObject({ status: 404, body: { error: 'Not found' } })
    expect(await service.get('/logs?limit=abc')).toMatchObject({
      status: 422,
      body: {
        error: 'Invalid request',
        details: [{ field: 'limit', message: 'limit must be a whole number from 1 to 500' }],
        hint: 'fix limit as the details say; see /swagger',
      },
    })
  })

  test('HEAD / is refused and writes nothing; HEAD /healthz answers', async () => {
    const before = await service.logFiles()
    const head = await send(service, 'HEAD', '/')
    expect(head.status).toBe(405)
    expect(head.headers.get('allow')).toBe('GET')
    await Bun.sleep(100) // a HEAD that did the work would have written by now (delay is 50 ms)
    expect(await service.logFiles()).toEqual(before)
    expect((await send(service, 'HEAD', '/healthz')).status).toBe(200)
  })

  test.each([
    ['POST', '/'],
    ['PUT', '/logs'],
    ['DELETE', '/readyz'],
    ['OPTIONS', '/version'],
    ['PATCH', '/metrics'],
  ])('%s %s -> 405 JSON with Allow, counted under the route', async (method, path) => {
    const res = await send(service, method, path)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toStartWith('GET')
    expect(((await res.json()) as { error: string }).error).toBe(
      `${method} is not allowed on ${path}`,
    )
    const { text } = await service.get('/metrics')
    expect(text).toContain(`http_requests_total{method="${method}",route="${path}",status="405"`)
  })

  if (name === 'data-api') {
    test('GET /records answers generated records', async () => {
      expect((await service.get('/records?limit=3')).body.count).toBe(3)
    })
  } else {
    test('GET /download_external_logs: 200 from the fake upstream, 400, 503; no key anywhere', async () => {
      const ok = await service.get('/download_external_logs?env=dev')
      expect(ok.status).toBe(200)
      expect(ok.body.file).toContain('external-development')
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`)
      expect((await service.get('/download_external_logs?env=nope')).status).toBe(400)
      expect((await service.get('/download_external_logs?env=dev&env=prod')).status).toBe(400)
      expect((await service.get('/download_external_logs?env=prod')).status).toBe(503)
      upstream.mode('unauthorized')
      const rejected = await service.get('/download_external_logs?env=development')
      expect(rejected.status).toBe(502)
      const metrics = (await service.get('/metrics')).text
      expect(metrics).toContain('external_api_requests_total{env="development",outcome="rejected"')
      for (const text of [
        ok.text,
        rejected.text,
        metrics,
        (await service.get('/swagger/json')).text,
        service.output(),
      ]) {
        expect(text).not.toContain(KEY)
      }
    })

    test('HEAD /download_external_logs is refused and never calls the upstream', async () => {
      const seen = upstream.requests.length
      const head = await send(service, 'HEAD', '/download_external_logs?env=dev')
      expect(head.status).toBe(405)
      expect(upstream.requests.length).toBe(seen)
    })
  }
})

test.each(SERVICES)(
  'compiled %s: SIGTERM -> exit 0',
  async (name) => {
    const service = await startService(name, ENV)
    expect((await service.get('/')).status).toBe(200)
    expect(await service.stop()).toBe(0)
    expect(service.output()).toContain('all requests answered, exiting')
  },
  120_000,
)
