import { afterAll, beforeEach, expect, test } from 'bun:test'
import { backendApp, download } from '../../../test/support/backend-app.ts'
import { type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { type FakeUpstream, startFakeUpstream } from '../../../test/support/upstream.ts'

const KEY = 'answers-key-9f8e7d6c'
const upstream: FakeUpstream = await startFakeUpstream({ key: KEY })
/** A loopback stand-in answering one fixed status, for what the fake upstream has no mode for. */
const fixed = (status: number) =>
  Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => new Response(null, { status, headers: { location: 'http://127.0.0.1:9/' } }),
  })
const notFound = fixed(404)
const redirect = fixed(302)
afterAll(() => {
  upstream.close()
  notFound.stop(true)
  redirect.stop(true)
})

let ctx: TestDeps
beforeEach(async () => {
  ctx = await testDeps()
  upstream.mode('ok')
  upstream.requests.length = 0
})

const appWith = (env: Record<string, string>) =>
  backendApp(ctx, { EXTERNAL_API_RETRIES: '0', ...env })
const stagingApp = () =>
  appWith({ EXTERNAL_API_URL: upstream.url, EXTERNAL_INTEGRATION_KEY_STAGING: KEY })

const call = (app: ReturnType<typeof appWith>, query: string) => download(app, query, KEY)

test('HEAD never downloads: 405 and no upstream call', async () => {
  const res = await stagingApp().handle(
    new Request('http://localhost/download_external_logs?env=staging', { method: 'HEAD' }),
  )
  expect(res.status).toBe(405)
  expect(upstream.requests).toHaveLength(0)
})

test.each([
  ['', 'Invalid environment (env is missing)'],
  ['?env=', 'Invalid environment (env is missing)'],
  ['?env=dev&env=prod', 'Invalid environment (env is given 2 times)'],
  ['?env=staging&env=staging', 'Invalid environment (env is given 2 times)'],
  ['?env=qa', 'Invalid environment "qa"'],
  [`?env=${'x'.repeat(6000)}`, 'Invalid environment (value of length 6000, not shown)'],
  ['?env=%00', 'Invalid environment (value of length 1, not shown)'],
  ['?env=%3Cscript%3E', 'Invalid environment (value of length 8, not shown)'],
])('%# env problem -> 400 that says so without echoing raw input', async (query, error) => {
  const { status, body, text } = await call(stagingApp(), query)
  expect(status).toBe(400)
  expect(body.error).toStartWith(`${error}: use one of development, dev, staging`)
  expect(text.length).toBeLessThan(600)
  expect(text).not.toContain('\\u0000')
  expect(text).not.toContain('<script>')
  expect(upstream.requests).toHaveLength(0)
})

test.each([
  [404, notFound, 'check EXTERNAL_API_URL_STAGING:'],
  [302, redirect, 'set EXTERNAL_API_URL_STAGING to the final URL'],
])('upstream answers %d -> 502 whose hint names the URL setting', async (code, server, hint) => {
  const app = appWith({
    EXTERNAL_API_URL_STAGING: `http://127.0.0.1:${server.port}/v1/logs`,
    EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
  })
  const { status, body } = await call(app, '?env=staging')
  expect(status).toBe(502)
  expect(body).toMatchObject({ upstreamStatus: code, env: 'staging' })
  expect(body.hint).toStartWith(hint)
})

test('a refused connection -> 502 whose hint names the URL variable in use (the shared one)', async () => {
  upstream.mode('refuse')
  const { body } = await call(stagingApp(), '?env=stage')
  expect(body.hint).toStartWith('check EXTERNAL_API_URL, DNS')
})

test('a rejected key -> 502 whose hint names the key variable of that env', async () => {
  const app = appWith({ EXTERNAL_API_URL: upstream.url, EXTERNAL_INTEGRATION_KEY_PRODUCTION: 'x' })
  const { body } = await call(app, '?env=prod')
  expect(body.error).toBe('external API rejected the integration key for production')
  expect(body.hint).toContain('EXTERNAL_INTEGRATION_KEY_PRODUCTION')
})
