import { afterAll, expect, test } from 'bun:test'
import { gzipSync } from 'node:zlib'
import {
  BodyTooLarge,
  decodedBody,
  RAW_BODY,
  readCappedBody,
  UnsupportedEncoding,
} from './body-reader.ts'

const MiB = 1024 * 1024
const member = gzipSync(Buffer.alloc(16 * MiB), { level: 9 })
/** 64 gzip members of 16 MiB of zeros: 1 GiB inflated, about 1 MiB sent. */
const bomb = Buffer.concat(Array.from({ length: 64 }, () => member))
const text = Buffer.from('{"entries":[]}\n'.repeat(1000))

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request) {
    const path = new URL(request.url).pathname
    if (path === '/bomb') return new Response(bomb, { headers: { 'content-encoding': 'gzip' } })
    if (path === '/gzip')
      return new Response(gzipSync(text), { headers: { 'content-encoding': 'gzip' } })
    if (path === '/corrupt') {
      return new Response(gzipSync(text).subarray(0, 40), {
        headers: { 'content-encoding': 'gzip' },
      })
    }
    if (path === '/br') return new Response('x', { headers: { 'content-encoding': 'br' } })
    return new Response(text)
  },
})
afterAll(() => server.stop(true))

const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`, RAW_BODY)

test('identity and gzip bodies come back decoded', async () => {
  expect(Buffer.from((await readCappedBody(await get('/plain'), MiB)) ?? []).equals(text)).toBe(
    true,
  )
  expect(Buffer.from((await readCappedBody(await get('/gzip'), MiB)) ?? []).equals(text)).toBe(true)
})

test('a gzip bomb stops at the cap counted after decoding, in bounded steps', async () => {
  let seen = 0
  let largest = 0
  const reading = (async () => {
    for await (const chunk of decodedBody(await get('/bomb'), 10 * MiB)) {
      seen += chunk.byteLength
      largest = Math.max(largest, chunk.byteLength)
    }
  })()
  await expect(reading).rejects.toBeInstanceOf(BodyTooLarge)
  expect(seen).toBeLessThanOrEqual(10 * MiB)
  // Each piece is what one step inflated: no more than about a MiB (1 KiB of input at gzip's
  // ~1032:1), where a whole network chunk of the bomb would inflate to tens of MiB at once.
  expect(largest).toBeGreaterThan(512 * 1024)
  expect(largest).toBeLessThanOrEqual(1.1 * MiB)
  expect(await readCappedBody(await get('/bomb'), 10 * MiB)).toBeUndefined()
})

test('a coding we did not offer is refused; corrupt gzip fails like a cut body', async () => {
  await expect(Array.fromAsync(decodedBody(await get('/br'), MiB))).rejects.toBeInstanceOf(
    UnsupportedEncoding,
  )
  expect(await readCappedBody(await get('/br'), MiB)).toBeUndefined()
  await expect(readCappedBody(await get('/corrupt'), MiB)).rejects.toThrow()
})
