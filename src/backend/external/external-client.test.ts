import { afterAll, beforeEach, expect, test } from 'bun:test'
import {
  type FakeUpstream,
  OK_BODY,
  startFakeUpstream,
  type UpstreamMode,
} from '../../../test/support/upstream.ts'
import { createLogger } from '../../kit/logger.ts'
import { type DownloadResult, ExternalLogsClient, retryAfterMs } from './external-client.ts'

const KEY = 'test-key-9f8e7d6c5b4a'
const upstream: FakeUpstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

const logLines: string[] = []
const logger = createLogger('t', 'debug', { write: (l: string) => void logLines.push(l) })
const client = new ExternalLogsClient(
  { timeoutMs: 300, totalTimeoutMs: 5000, retries: 2, backoffMs: 5, maxBytes: 10 * 1024 * 1024 },
  logger,
)

beforeEach(() => {
  upstream.requests.length = 0
  logLines.length = 0
})

/** What the route's store does with a body, in memory: the bytes as text. */
const collect = async (body: AsyncIterable<Uint8Array>) =>
  Buffer.concat(await Array.fromAsync(body)).toString()

const target = (key = KEY) => ({ url: upstream.url, key, env: 'staging' })

async function download(mode: UpstreamMode, key = KEY): Promise<DownloadResult<string>> {
  upstream.mode(mode)
  return client.download(target(key), collect)
}

test('ok: the body comes back, sent with the Bearer key and offering gzip only, one attempt', async () => {
  const result = await download('ok')
  expect(result).toMatchObject({ outcome: 'ok', saved: OK_BODY, attempts: 1 })
  expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
  expect(upstream.requests[0]?.headers['accept-encoding']).toBe('gzip')
})

test('a gzip bomb (1 MiB inflating to 1 GiB) ends as oversize after the cap, not retried', async () => {
  const result = await download('gzip-bomb')
  expect(result).toMatchObject({ outcome: 'oversize', attempts: 1 })
})

test('a coding we did not offer (br) -> upstream_error naming it, not retried', async () => {
  const result = await download('brotli')
  expect(result).toMatchObject({ outcome: 'upstream_error', encoding: 'br', attempts: 1 })
})

test('429 with a Retry-After beyond the budget: one attempt, given up at once, the wait passed on', async () => {
  const started = performance.now()
  const result = await download('rate-limited')
  expect(result).toMatchObject({
    outcome: 'upstream_error',
    upstreamStatus: 429,
    attempts: 1,
    retryAfterSeconds: 100000,
  })
  expect(performance.now() - started).toBeLessThan(1000)
})

test('429 with a Retry-After the budget allows: the retry waits that long, then succeeds', async () => {
  const started = performance.now()
  const result = await download('rate-limited-once')
  expect(result).toMatchObject({ outcome: 'ok', attempts: 2 })
  expect(performance.now() - started).toBeGreaterThanOrEqual(1000)
})

test('Retry-After: delay-seconds or an HTTP-date; anything else is ignored', () => {
  const now = Date.parse('2026-12-02T00:00:00Z')
  expect(retryAfterMs('120', now)).toBe(120_000)
  expect(retryAfterMs('Wed, 02 Dec 2026 00:00:30 GMT', now)).toBe(30_000)
  expect(retryAfterMs('Tue, 01 Dec 2026 00:00:00 GMT', now)).toBe(0)
  expect(retryAfterMs('soon', now)).toBeUndefined()
  expect(retryAfterMs('-5', now)).toBeUndefined()
  expect(retryAfterMs('1e21', now)).toBeUndefined()
  expect(retryAfterMs(null, now)).toBeUndefined()
  // A value past a week (400 digits would be Infinity) is passed on as a week.
  expect(retryAfterMs('9'.repeat(400), now)).toBe(604_800_000)
  expect(retryAfterMs('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(604_800_000)
})

test.each([
  ['unauthorized', 'rejected', 401, 1],
  ['too-many', 'upstream_error', 429, 3],
  ['server-error', 'upstream_error', 500, 3],
] as const)('%s -> %s (status %d) after %d attempt(s)', async (mode, outcome, status, attempts) => {
  const result = await download(mode)
  expect(result).toMatchObject({ outcome, upstreamStatus: status, attempts })
  expect(upstream.requests).toHaveLength(attempts)
})

test('a wrong key is rejected by the upstream and not retried', async () => {
  expect(await download('ok', 'wrong-key')).toMatchObject({ outcome: 'rejected', attempts: 1 })
})

test('stall -> timeout; every retry reaches the server (a fresh deadline per attempt)', async () => {
  const started = performance.now()
  const result = await download('stall')
  expect(result).toMatchObject({ outcome: 'timeout', attempts: 3 })
  expect(upstream.requests).toHaveLength(3)
  expect(performance.now() - started).toBeGreaterThanOrEqual(900)
})

test('refused connection -> network_error after all retries', async () => {
  const result = await download('refuse')
  expect(result).toMatchObject({ outcome: 'network_error', attempts: 3 })
  upstream.mode('ok')
})

test('a body cut mid-way -> network_error, retried', async () => {
  const result = await download('truncate')
  expect(result).toMatchObject({ outcome: 'network_error', attempts: 3 })
  expect(upstream.requests).toHaveLength(3)
})

test('oversize body (no declared length) is cut while streaming, not retried', async () => {
  expect(await download('oversize')).toMatchObject({ outcome: 'oversize', attempts: 1 })
  expect(upstream.requests).toHaveLength(1)
})

test('a declared content-length over the cap is refused before reading', async () => {
  const small = new ExternalLogsClient(
    { timeoutMs: 1000, totalTimeoutMs: 1000, retries: 0, maxBytes: 16 },
    logger,
  )
  upstream.mode('ok')
  const result = await small.download(target(), collect)
  expect(result).toMatchObject({ outcome: 'oversize', attempts: 1 })
})

test('recovers when the upstream comes back between attempts', async () => {
  upstream.mode('server-error')
  const pending = client.download(target(), collect)
  await Bun.sleep(1)
  upstream.mode('ok')
  expect((await pending).outcome).toBe('ok')
})

test('the key never appears in the log lines of failed attempts', async () => {
  await download('server-error')
  await download('stall')
  expect(logLines.length).toBeGreaterThan(0)
  expect(logLines.join('\n')).not.toContain(KEY)
})

test('the total budget bounds a download across attempts: the last one gets what is left', async () => {
  const budgeted = new ExternalLogsClient(
    { timeoutMs: 300, totalTimeoutMs: 700, retries: 5, backoffMs: 5 },
    logger,
  )
  upstream.mode('stall')
  const started = performance.now()
  const result = await budgeted.download(target(), collect)
  const took = performance.now() - started
  // Without the budget: 6 attempts of 300 ms. With it: 300 + 300 + the ~90 ms left, or stop.
  expect(result).toMatchObject({ outcome: 'timeout' })
  expect(result.attempts).toBeLessThanOrEqual(3)
  expect(took).toBeGreaterThanOrEqual(590)
  expect(took).toBeLessThan(900)
})

test('a caller who hangs up stops the attempt and the retries at once', async () => {
  const patient = new ExternalLogsClient(
    { timeoutMs: 2000, totalTimeoutMs: 20_000, retries: 5, backoffMs: 5 },
    logger,
  )
  upstream.mode('stall')
  const started = performance.now()
  const result = await patient.download(target(), collect, AbortSignal.timeout(150))
  expect(result).toMatchObject({ outcome: 'timeout', attempts: 1 })
  expect(performance.now() - started).toBeLessThan(600)
  expect(upstream.requests).toHaveLength(1)
})
