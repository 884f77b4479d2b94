import { beforeEach, expect, test } from 'bun:test'
import { get, readJson, type TestDeps, testDeps } from '../../test/support/route-deps.ts'
import { createDataApp } from './app.ts'

let ctx: TestDeps
let app: ReturnType<typeof createDataApp>

beforeEach(async () => {
  ctx = await testDeps()
  app = createDataApp(ctx.deps)
})

test('the OpenAPI document lists every data route with response schemas', async () => {
  const doc = await readJson(await app.handle(get('/swagger/json')))
  const routes = ['/', '/logs', '/healthz', '/readyz', '/metrics', '/version', '/records']
  expect(Object.keys(doc.paths).sort()).toEqual(routes.sort())
  expect(
    doc.paths['/records'].get.responses['200'].content['application/json'].schema,
  ).toBeDefined()
  expect(doc.paths['/records'].get.parameters[0].name).toBe('limit')
  for (const code of ['404', '405', '422', '500']) {
    expect(doc.paths['/records'].get.responses[code].content['application/json']).toBeDefined()
  }
})

test.each([
  ['/', 200],
  ['/logs?limit=1', 200],
  ['/records?limit=2', 200],
  ['/healthz', 200],
  ['/readyz', 200],
  ['/metrics', 200],
  ['/version', 200],
  ['/swagger', 200],
  ['/download_external_logs?env=dev', 404],
  ['/records?limit=0', 422],
])('GET %s -> %d JSON', async (path, status) => {
  const res = await app.handle(get(path))
  expect(res.status).toBe(status)
  if (status >= 400) expect((await readJson(res)).error).toBeString()
})

test.each(['0', '101', 'x'])(
  'GET /records?limit=%s -> 422 naming limit and its range',
  async (q) => {
    const body = await readJson(await app.handle(get(`/records?limit=${q}`)))
    expect(body.details).toEqual([
      { field: 'limit', message: 'limit must be a whole number from 1 to 100' },
    ])
  },
)

test.each([
  ['POST', '/records', 405],
  ['DELETE', '/', 405],
  ['HEAD', '/', 405],
  ['HEAD', '/records', 200],
])('%s %s -> %d', async (method, path, status) => {
  const res = await app.handle(new Request(`http://localhost${path}`, { method }))
  expect(res.status).toBe(status)
})
