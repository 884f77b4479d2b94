import { beforeEach, expect, test } from 'bun:test'
import { get, kitApp, readJson, type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { LISTINGS_AT_ONCE, logsRoutes } from './logs-routes.ts'

let ctx: TestDeps
const appOf = () => kitApp(ctx.deps, logsRoutes(ctx.deps))

beforeEach(async () => {
  ctx = await testDeps()
  for (let i = 0; i < 25; i++) {
    await ctx.deps.store.write('info', `entry ${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
  }
})

test('GET /logs answers the newest 20 by default, newest first, with contents', async () => {
  const body = await readJson(await appOf().handle(get('/logs')))
  expect(body.count).toBe(20)
  expect(body.entries[0].content).toBe('entry 24')
  expect(body.entries[19].content).toBe('entry 5')
})

test('GET /logs?limit=3 answers 3', async () => {
  const body = await readJson(await appOf().handle(get('/logs?limit=3')))
  expect(body.entries.map((e: { content: string }) => e.content)).toEqual([
    'entry 24',
    'entry 23',
    'entry 22',
  ])
})

test('GET /logs?limit=500 is allowed and answers what exists', async () => {
  const res = await appOf().handle(get('/logs?limit=500'))
  expect(res.status).toBe(200)
  expect((await readJson(res)).count).toBe(25)
})

test.each(['0', '501', 'abc', '2.5'])('GET /logs?limit=%s -> 422 JSON', async (limit) => {
  const res = await appOf().handle(get(`/logs?limit=${limit}`))
  expect(res.status).toBe(422)
  const body = await readJson(res)
  expect(body.error).toBe('Invalid request')
  expect(body.details).toEqual([
    { field: 'limit', message: 'limit must be a whole number from 1 to 500' },
  ])
})

test(`listings beyond ${LISTINGS_AT_ONCE} at once get 503 JSON with Retry-After; a finished one frees its slot`, async () => {
  const app = appOf()
  const open = await Promise.all(
    Array.from({ length: LISTINGS_AT_ONCE }, () => app.handle(get('/logs?limit=500'))),
  )
  expect(open.map((r) => r.status)).toEqual(open.map(() => 200))
  const refused = await app.handle(get('/logs'))
  expect(refused.status).toBe(503)
  expect(refused.headers.get('retry-after')).toBe('1')
  expect((await readJson(refused)).error).toContain(`${LISTINGS_AT_ONCE} log listings`)
  // One client reads to the end, another hangs up: both slots come back.
  expect((await readJson(open[0] as Response)).count).toBe(25)
  await (open[1] as Response).body?.cancel()
  const again = await Promise.all([app.handle(get('/logs')), app.handle(get('/logs'))])
  expect(again.map((r) => r.status)).toEqual([200, 200])
  for (const r of [...open.slice(2), ...again]) await r.body?.cancel()
})
