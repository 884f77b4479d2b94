import { afterAll, expect, test } from 'bun:test'
import { OK_BODY, OVERSIZE_BYTES, startFakeUpstream, type UpstreamMode } from './upstream.ts'

const upstream = await startFakeUpstream({ key: 'k-123' })
afterAll(() => upstream.close())

async function hit(mode: UpstreamMode, key = 'k-123') {
  upstream.mode(mode)
  try {
    const res = await fetch(upstream.url, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(300),
    })
    return { status: res.status, bytes: (await res.arrayBuffer()).byteLength }
  } catch (error) {
    const { code, name } = error as { code?: unknown; name: string }
    return { error: typeof code === 'string' ? code : name }
  }
}

test('listens on 127.0.0.1 only', () => {
  expect(new URL(upstream.url).hostname).toBe('127.0.0.1')
})

test.each([
  ['ok', { status: 200, bytes: OK_BODY.length }],
  ['unauthorized', { status: 401, bytes: 19 }],
  ['too-many', { status: 429, bytes: 21 }],
  ['server-error', { status: 500, bytes: 16 }],
  ['oversize', { status: 200, bytes: OVERSIZE_BYTES }],
  ['stall', { error: 'TimeoutError' }],
  ['truncate', { error: 'ECONNRESET' }],
  ['refuse', { error: 'ECONNREFUSED' }],
] as const)('mode %s', async (mode, expected) => {
  expect(await hit(mode)).toEqual(expected)
})

test('ok checks the Bearer key', async () => {
  expect(await hit('ok', 'wrong')).toMatchObject({ status: 401 })
})

test('comes back on the same URL after refuse, and records what it saw', async () => {
  upstream.requests.length = 0
  await hit('refuse')
  expect(await hit('ok')).toMatchObject({ status: 200 })
  expect(upstream.requests).toHaveLength(1)
  expect(upstream.requests[0]).toMatchObject({ method: 'GET', path: '/v1/logs' })
  expect(upstream.requests[0]?.headers.authorization).toBe('Bearer k-123')
})
