import { afterAll, describe, expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pkg from '../../package.json'
import { startFakeUpstream } from '../support/upstream.ts'
import { type RunningService, SERVICES, startService } from './harness.ts'

const KEY = 'e2e-key-1234abcd'
const upstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

describe.each(SERVICES)('compiled %s', (name) => {
  let service: RunningService
  test('starts with a fresh LOG_DIR (created) and is ready', async () => {
    service = await startService(name, {
      EXTERNAL_API_URL: upstream.url,
      EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
    })
    expect((await service.get('/readyz')).body).toEqual({ status: 'ready' })
  }, 120_000)

  test('GET / writes one complete log file', async () => {
    const { status, body } = await service.get('/')
    expect(status).toBe(200)
    expect(body.service).toBe(name)
    const content = await readFile(join(service.logDir, String(body.file)), 'utf8')
    expect(JSON.parse(content).message).toBe(body.message)
  })

  test('GET /logs shows it, GET /healthz answers', async () => {
    expect((await service.get('/logs?limit=5')).body.count).toBe(1)
    expect((await service.get('/healthz')).body).toEqual({ status: 'ok' })
  })

  test('GET /version carries the baked version and commit', async () => {
    const { body } = await service.get('/version')
    expect(body).toMatchObject({ service: name, version: pkg.version, bun: Bun.version })
    // the binary may predate the latest commit (it is rebuilt when sources change, not on commit)
    expect(String(body.commit)).toMatch(/^([0-9a-f]{7,40}|unknown)$/)
  })

  test('GET /metrics is Prometheus text with the app label and route templates', async () => {
    const { text } = await service.get('/metrics')
    expect(text).toContain(
      `http_requests_total{method="GET",route="/",status="200",app="${name}"} 1`,
    )
    expect(text).toContain(`log_files_written_total{app="${name}"} 1`)
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

  test('unknown route and bad query -> JSON errors', async () => {
    expect(await service.get('/nope')).toMatchObject({ status: 404, body: { error: 'Not found' } })
    expect(await service.get('/logs?limit=9999')).toMatchObject({
      status: 422,
      body: { error: 'Invalid request' },
    })
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
      expect((await service.get('/download_external_logs?env=prod')).status).toBe(503)
      upstream.mode('unauthorized')
      const rejected = await service.get('/download_external_logs?env=development')
      upstream.mode('ok')
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
  }

  test('SIGTERM -> exit 0', async () => {
    expect(await service.stop()).toBe(0)
    expect(service.output()).toContain('all requests answered, exiting')
  })
})
