import { afterAll, beforeEach, expect, test } from 'bun:test'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { backendApp, download } from '../../../test/support/backend-app.ts'
import { get, type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { type FakeUpstream, OK_BODY, startFakeUpstream } from '../../../test/support/upstream.ts'

const KEY = 'stg-key-0a1b2c3d4e5f'
const upstream: FakeUpstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

let ctx: TestDeps
let app: ReturnType<typeof backendApp>

beforeEach(async () => {
  ctx = await testDeps()
  upstream.mode('ok')
  upstream.requests.length = 0
  app = backendApp(ctx, {
    EXTERNAL_API_URL: upstream.url,
    EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
    EXTERNAL_API_TIMEOUT_MS: '300',
  })
})

const call = (query: string) => download(app, query, KEY)

test.each(['?env=staging', '?env=stage', '?env=STAGING'])(
  '%s -> 200, body saved as a new log file',
  async (q) => {
    const { status, body } = await call(q)
    expect(status).toBe(200)
    expect(body).toMatchObject({ env: 'staging', bytes: OK_BODY.length, attempts: 1 })
    expect(body.file).toContain('-external-staging-')
    expect(await readdir(ctx.logDir)).toEqual([body.file])
    expect(await readFile(join(ctx.logDir, body.file), 'utf8')).toBe(OK_BODY)
  },
)

test.each(['', '?env=', '?env=qa'])(
  '%s -> 400 Invalid environment listing the allowed values',
  async (q) => {
    const { status, body } = await call(q)
    expect(status).toBe(400)
    expect(body.error).toContain('Invalid environment')
    expect(body.allowed).toEqual(['development', 'dev', 'staging', 'stage', 'production', 'prod'])
    expect(upstream.requests).toHaveLength(0)
  },
)

test('no key configured -> 503 naming the environment and the variable to set', async () => {
  const { status, body } = await call('?env=prod')
  expect(status).toBe(503)
  expect(body).toMatchObject({ env: 'production', variable: 'EXTERNAL_INTEGRATION_KEY_PRODUCTION' })
  expect(body.hint).toContain('EXTERNAL_INTEGRATION_KEY_PRODUCTION')
  expect(upstream.requests).toHaveLength(0)
})

test.each([
  ['unauthorized', 502, 'external API rejected the integration key for staging'],
  ['too-many', 502, 'external API answered 429 for staging'],
  ['server-error', 502, 'external API answered 500 for staging'],
  ['refuse', 502, 'could not reach the external API for staging'],
  ['truncate', 502, 'could not reach the external API for staging'],
  ['oversize', 502, 'exceeds 10485760 bytes'],
  ['stall', 504, 'did not answer within the deadline'],
] as const)('upstream %s -> %d', async (mode, code, message) => {
  upstream.mode(mode)
  const { status, body } = await call('?env=staging')
  expect(status).toBe(code)
  expect(body.error).toContain(message)
  expect(body.hint).toBeString()
  expect(await readdir(ctx.logDir)).toEqual([])
})

test('a failed log write after a good download -> 503 with the errno', async () => {
  await rm(ctx.logDir, { recursive: true })
  await writeFile(ctx.logDir, 'blocker')
  const { status, body } = await call('?env=staging')
  expect(status).toBe(503)
  expect(body.reason).toBe('ENOTDIR')
})

test('outcomes are counted by env and outcome; the key is in no metric or log line', async () => {
  await call('?env=staging')
  await call('?env=development')
  upstream.mode('unauthorized')
  await call('?env=staging')
  const metrics = await (await app.handle(get('/metrics'))).text()
  expect(metrics).toContain(
    'external_api_requests_total{env="staging",outcome="ok",app="test-api"} 1',
  )
  expect(metrics).toContain(
    'external_api_requests_total{env="staging",outcome="rejected",app="test-api"} 1',
  )
  expect(metrics).toContain(
    'external_api_requests_total{env="development",outcome="not_configured",app="test-api"} 1',
  )
  expect(metrics).not.toContain(KEY)
  expect(ctx.logLines.length).toBeGreaterThan(0)
  expect(ctx.logLines.join('\n')).not.toContain(KEY)
})
