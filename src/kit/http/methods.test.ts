import { beforeEach, expect, test } from 'bun:test'
import { readdir } from 'node:fs/promises'
import { Elysia } from 'elysia'
import { kitApp, readJson, type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { workRoutes } from '../logs/work-routes.ts'
import { sideEffects } from './methods.ts'

let ctx: TestDeps
let calls = 0
const appOf = () =>
  kitApp(
    ctx.deps,
    new Elysia()
      .use(workRoutes(ctx.deps))
      .use(sideEffects)
      .get('/count', () => ({ calls: ++calls }), { sideEffects: true }),
  )
const send = (method: string, path: string) =>
  appOf().handle(new Request(`http://localhost${path}`, { method }))

beforeEach(async () => {
  ctx = await testDeps()
  calls = 0
})

test.each([
  ['POST', '/', 'GET'],
  ['PUT', '/version', 'GET, HEAD'],
  ['DELETE', '/readyz', 'GET, HEAD'],
  ['PATCH', '/healthz', 'GET, HEAD'],
  ['OPTIONS', '/metrics', 'GET, HEAD'],
  ['POST', '/swagger/json', 'GET, HEAD'],
])('%s %s -> 405 JSON with Allow: %s', async (method, path, allow) => {
  const res = await send(method, path)
  expect(res.status).toBe(405)
  expect(res.headers.get('allow')).toBe(allow)
  const body = await readJson(res)
  expect(body.error).toBe(`${method} is not allowed on ${path}`)
  expect(body.hint).toContain(`use ${allow.replace(', ', ' or ')} ${path}`)
})

test('an unknown path stays 404 JSON for any method', async () => {
  const res = await send('POST', '/nope')
  expect(res.status).toBe(404)
  expect((await readJson(res)).error).toBe('Not found')
})

test('HEAD on a route with side effects -> 405 Allow: GET, and the handler never runs', async () => {
  const work = await send('HEAD', '/')
  expect(work.status).toBe(405)
  expect(work.headers.get('allow')).toBe('GET')
  expect(await readdir(ctx.logDir)).toEqual([])
  expect((await send('HEAD', '/count')).status).toBe(405)
  expect(calls).toBe(0)
})

test('HEAD on a read-only route still answers like GET, without a body', async () => {
  const res = await send('HEAD', '/version')
  expect(res.status).toBe(200)
  expect(await res.text()).toBe('')
})

test('refused methods are counted under the route template, not as unmatched', async () => {
  const app = appOf()
  await app.handle(new Request('http://localhost/version', { method: 'POST' }))
  await app.handle(new Request('http://localhost/', { method: 'HEAD' }))
  await Bun.sleep(10) // after-response hooks run once the response is out
  const text = await (await app.handle(new Request('http://localhost/metrics'))).text()
  expect(text).toContain('http_requests_total{method="POST",route="/version",status="405"')
  expect(text).toContain('http_requests_total{method="HEAD",route="/",status="405"')
  expect(text).not.toContain('route="unmatched"')
})

test('the OpenAPI document lists GET only, and says HEAD is refused where it is', async () => {
  const doc = await readJson(await appOf().handle(new Request('http://localhost/swagger/json')))
  for (const [path, operations] of Object.entries(doc.paths)) {
    expect([path, Object.keys(operations as object)]).toEqual([path, ['get']])
  }
  expect(doc.paths['/'].get.description).toContain('HEAD is refused')
  expect(doc.paths['/version'].get.description).toBeUndefined()
  // Nothing internal: no vendor extension (the old 405 marker was one) in the public document.
  expect(JSON.stringify(doc)).not.toMatch(/"x-[a-z-]+":/)
})
