import { beforeEach, describe, expect, test } from 'bun:test'
import { rm, writeFile } from 'node:fs/promises'
import { Elysia, t } from 'elysia'
import { get, kitApp, readJson, type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { buildInfo } from '../build-info.ts'
import { LimitQuery } from './schemas.ts'

let ctx: TestDeps
const appOf = () =>
  kitApp(
    ctx.deps,
    new Elysia()
      .get('/items/:id', ({ params }) => ({ id: params.id }))
      .get('/boom', (): string => {
        throw new Error('database password=hunter2 leaked in a stack')
      })
      .get('/count', ({ query }) => query, { query: t.Object({ n: t.Integer({ minimum: 1 }) }) })
      .get('/items', ({ query }) => ({ limit: query.limit }), { query: LimitQuery(500, 20) })
      // a bug of ours: the answer does not match the route's own response schema
      .get('/broken', () => ({ count: 'many' }) as unknown as { count: number }, {
        response: t.Object({ count: t.Integer() }),
      }),
  )

beforeEach(async () => {
  ctx = await testDeps()
})

const json = async (res: Response) => ({ status: res.status, body: await readJson(res) })

describe('probes and build information', () => {
  test('/healthz answers 200 ok', async () => {
    expect(await json(await appOf().handle(get('/healthz')))).toEqual({
      status: 200,
      body: { status: 'ok' },
    })
  })

  test('/readyz is 200 while the log directory is writable', async () => {
    expect(await json(await appOf().handle(get('/readyz')))).toEqual({
      status: 200,
      body: { status: 'ready' },
    })
  })

  test('/readyz is 503 with a reason while draining', async () => {
    const app = appOf()
    ctx.deps.lifecycle.draining = true
    const { status, body } = await json(await app.handle(get('/readyz')))
    expect(status).toBe(503)
    expect(body.error).toBe('shutting down')
  })

  test('/readyz is 503 naming the errno when LOG_DIR is not a directory', async () => {
    await rm(ctx.logDir, { recursive: true })
    await writeFile(ctx.logDir, 'not a directory')
    const { status, body } = await json(await appOf().handle(get('/readyz')))
    expect(status).toBe(503)
    expect(body.error).toContain('not writable')
    expect(body.hint).toContain('LOG_DIR')
  })

  test('/version names the service, version, commit and Bun', async () => {
    const { body } = await json(await appOf().handle(get('/version')))
    expect(body).toEqual({ service: 'test-api', ...buildInfo })
    expect(body.bun).toBe(Bun.version)
  })
})

describe('JSON errors', () => {
  test('unknown route -> 404 JSON', async () => {
    const { status, body } = await json(await appOf().handle(get('/nope')))
    expect(status).toBe(404)
    expect(body).toMatchObject({ error: 'Not found', path: '/nope' })
  })

  test('validation failure -> 422 JSON listing the problem', async () => {
    const { status, body } = await json(await appOf().handle(get('/count?n=0')))
    expect(status).toBe(422)
    expect(body.error).toBe('Invalid request')
    expect(body.details[0].message).toContain('greater or equal to 1')
    const wrongType = await json(await appOf().handle(get('/count?n=abc')))
    expect(wrongType.status).toBe(422)
    expect(wrongType.body.details).toEqual([
      { field: 'n', message: "Property 'n' should be 'integer'" },
    ])
    expect(wrongType.body.hint).toBe('fix n as the details say; see /swagger')
  })

  test.each(['abc', '0', '501', '2.5', ''])(
    '?limit=%s -> 422 naming limit and its range, with a hint to match',
    async (limit) => {
      const { status, body } = await json(await appOf().handle(get(`/items?limit=${limit}`)))
      expect(status).toBe(422)
      expect(body).toEqual({
        error: 'Invalid request',
        details: [{ field: 'limit', message: 'limit must be a whole number from 1 to 500' }],
        hint: 'fix limit as the details say; see /swagger',
      })
    },
  )

  test('a response that breaks its own schema -> logged 500, no details in the body', async () => {
    const res = await appOf().handle(get('/broken'))
    const text = await res.text()
    expect(res.status).toBe(500)
    expect(JSON.parse(text)).toEqual({
      error: 'Internal error',
      hint: 'retry later; the service log has the details',
    })
    expect(text).not.toContain('many')
    const logged = ctx.logLines.map((l) => JSON.parse(l)).find((l) => l.level === 'error')
    expect(logged).toMatchObject({ msg: 'response failed its schema', path: '/broken' })
    expect(logged.details[0].field).toBe('count')
  })

  test('exception -> 500 JSON without the message or stack, logged server-side', async () => {
    const res = await appOf().handle(get('/boom'))
    const text = await res.text()
    expect(res.status).toBe(500)
    expect(JSON.parse(text).error).toBe('Internal error')
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('at ')
    expect(ctx.logLines.some((l) => l.includes('unhandled error'))).toBe(true)
  })
})

describe('metrics and request logs', () => {
  test('requests are counted by route template, unmatched paths as "unmatched"', async () => {
    const app = appOf()
    await app.handle(get('/items/1'))
    await app.handle(get('/items/2'))
    await app.handle(get('/no/such/path'))
    await app.handle(get('/healthz'))
    await Bun.sleep(10) // after-response hooks run once the response is out
    const text = await (await app.handle(get('/metrics'))).text()
    expect(text).toContain(
      'http_requests_total{method="GET",route="/items/:id",status="200",app="test-api"} 2',
    )
    expect(text).toContain(
      'http_requests_total{method="GET",route="unmatched",status="404",app="test-api"} 1',
    )
    expect(text).not.toContain('/no/such/path')
    expect(text).not.toContain('route="/healthz"') // liveness runs before the hooks, by design
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="3.25",app="test-api"/)
    expect(text).toContain('process_cpu_user_seconds_total')
  })

  test('each request is logged once with route, status and duration', async () => {
    await appOf().handle(get('/items/7'))
    await Bun.sleep(10)
    const lines = ctx.logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      app: 'test-api',
      route: '/items/:id',
      path: '/items/7',
      status: 200,
    })
  })

  test('/metrics has the Prometheus content type', async () => {
    const res = await appOf().handle(get('/metrics'))
    expect(res.headers.get('content-type')).toContain('text/plain')
  })
})

describe('OpenAPI and Swagger UI', () => {
  test('/swagger loads Swagger UI from this service only, never a CDN', async () => {
    const html = await (await appOf().handle(get('/swagger'))).text()
    expect(html).toContain('/swagger/assets/swagger-ui-bundle.js')
    expect(html).toContain('/swagger/assets/swagger-ui.css')
    expect(html).not.toMatch(/https?:\/\//)
  })

  test('the embedded assets are served with their types', async () => {
    const app = appOf()
    const js = await app.handle(get('/swagger/assets/swagger-ui-bundle.js'))
    const css = await app.handle(get('/swagger/assets/swagger-ui.css'))
    expect(js.headers.get('content-type')).toContain('javascript')
    expect((await js.text()).length).toBeGreaterThan(500_000)
    expect(css.headers.get('content-type')).toContain('text/css')
  })

  test('/swagger/json documents the operational routes, not the asset routes', async () => {
    const doc = await readJson(await appOf().handle(get('/swagger/json')))
    for (const path of ['/healthz', '/readyz', '/metrics', '/version'])
      expect(doc.paths[path]).toBeDefined()
    expect(doc.paths['/swagger/assets/swagger-ui-bundle.js']).toBeUndefined()
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined()
  })

  test('/readyz answers from the last check between probes (no I/O per probe)', async () => {
    const app = appOf()
    expect((await app.handle(get('/readyz'))).status).toBe(200)
    await rm(ctx.logDir, { recursive: true })
    await writeFile(ctx.logDir, 'not a directory')
    // a fresh probe would fail now; within the probe interval the last known state answers
    expect((await app.handle(get('/readyz'))).status).toBe(200)
  })
})
