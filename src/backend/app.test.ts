import { afterEach, beforeEach, expect, test } from 'bun:test'
import { get, testDeps } from '../kit/test-deps.ts'
import { createBackendApp } from './app.ts'
import { readBackendConfig } from './config.ts'
import { ExternalLogsClient } from './external-client.ts'

const KEY = 'doc-key-5e6f7a8b'
let ctx: Awaited<ReturnType<typeof testDeps>>
let app: ReturnType<typeof createBackendApp>

beforeEach(async () => {
  ctx = await testDeps()
  const config = readBackendConfig({
    LOG_DIR: ctx.logDir,
    EXTERNAL_API_URL: 'http://127.0.0.1:9/v1/logs', // loopback, nothing listens: refused
    EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
  })
  app = createBackendApp(config, {
    ...ctx.deps,
    config,
    client: new ExternalLogsClient(config.external, ctx.deps.logger),
  })
})
afterEach(() => ctx.cleanup())

test('the OpenAPI document lists every backend route with response schemas, and never the key', async () => {
  const res = await app.handle(get('/swagger/json'))
  const text = await res.text()
  const doc = JSON.parse(text)
  const routes = [
    '/',
    '/logs',
    '/healthz',
    '/readyz',
    '/metrics',
    '/version',
    '/download_external_logs',
  ]
  expect(Object.keys(doc.paths).sort()).toEqual(routes.sort())
  for (const code of ['200', '400', '502', '503', '504']) {
    expect(doc.paths['/download_external_logs'].get.responses[code]).toBeDefined()
  }
  expect(
    doc.paths['/'].get.responses['200'].content['application/json'].schema.properties.file,
  ).toBeDefined()
  expect(text).not.toContain(KEY)
})

test.each([
  ['/', 200],
  ['/logs', 200],
  ['/healthz', 200],
  ['/readyz', 200],
  ['/metrics', 200],
  ['/version', 200],
  ['/swagger', 200],
  ['/download_external_logs?env=dev', 502],
  ['/nowhere', 404],
])(
  'GET %s -> %d',
  async (path, status) => {
    expect((await app.handle(get(path))).status).toBe(status)
  },
  20_000,
)
