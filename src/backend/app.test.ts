import { beforeEach, expect, test } from 'bun:test'
import { backendApp } from '../../test/support/backend-app.ts'
import { get, readJson, type TestDeps, testDeps } from '../../test/support/route-deps.ts'

const KEY = 'doc-key-5e6f7a8b'
type Documented = { content?: Record<string, { schema?: { required?: string[] } }> }
let ctx: TestDeps
let app: ReturnType<typeof backendApp>

beforeEach(async () => {
  ctx = await testDeps()
  app = backendApp(ctx, {
    EXTERNAL_API_URL: 'http://127.0.0.1:9/v1/logs', // loopback, nothing listens: refused
    EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
  })
})

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

test('every operation documents the JSON errors it can answer, /metrics its text', async () => {
  const doc = await readJson(await app.handle(get('/swagger/json')))
  const errorsOf: Record<string, string[]> = {
    '/logs': ['422'],
    '/download_external_logs': ['400', '502', '503', '504'],
    '/': ['503'],
    '/readyz': ['503'],
  }
  for (const [path, item] of Object.entries(doc.paths)) {
    const { responses } = (item as { get: { responses: Record<string, Documented> } }).get
    for (const code of ['404', '405', '500', ...(errorsOf[path] ?? [])]) {
      const schema = responses[code]?.content?.['application/json']?.schema
      expect([path, code, schema?.required]).toEqual([path, code, ['error']])
    }
  }
  const metrics = doc.paths['/metrics'].get.responses['200'].content
  expect(Object.keys(metrics)).toEqual(['text/plain'])
  expect(metrics['text/plain'].schema.examples[0]).toContain('http_requests_total')
  for (const [path, code, example] of [
    ['/healthz', '200', { status: 'ok' }],
    ['/readyz', '200', { status: 'ready' }],
  ] as const) {
    const { schema } = doc.paths[path].get.responses[code].content['application/json']
    expect(schema.examples).toEqual([example])
  }
  const notReady = doc.paths['/readyz'].get.responses['503'].content['application/json']
  expect(notReady.schema.examples[0].hint).toContain('LOG_DIR')
})

test('the routes can be built twice on one set of dependencies (metrics registered once)', () => {
  expect(() => {
    backendApp(ctx)
    backendApp(ctx)
  }).not.toThrow()
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

test.each([
  ['POST', '/download_external_logs', 'GET'],
  ['HEAD', '/download_external_logs', 'GET'],
  ['OPTIONS', '/logs', 'GET, HEAD'],
  ['PUT', '/readyz', 'GET, HEAD'],
  ['DELETE', '/', 'GET'],
])('%s %s -> 405 JSON, Allow: %s', async (method, path, allow) => {
  const res = await app.handle(new Request(`http://localhost${path}?env=dev`, { method }))
  expect(res.status).toBe(405)
  expect(res.headers.get('allow')).toBe(allow)
  expect(res.headers.get('content-type')).toContain('application/json')
})
