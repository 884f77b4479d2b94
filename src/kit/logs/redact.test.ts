import { expect, test } from 'bun:test'
import { REDACTED, Redactor } from './redact.ts'

const KEY = 'stg-key-0a1b2c3d4e5f'
const redactor = new Redactor([KEY, undefined, 'short'])

async function* chunked(text: string, sizes: number[]) {
  const bytes = Buffer.from(text)
  let at = 0
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1
    yield bytes.subarray(at, at + size)
    at += size
  }
}

const streamed = async (text: string, sizes: number[]) =>
  Buffer.concat(await Array.fromAsync(redactor.stream(chunked(text, sizes)))).toString()

const body = `{"authorization":"Bearer ${KEY}","url":"/x?key=${encodeURIComponent(KEY)}"}${KEY}`
const expected = `{"authorization":"Bearer ${REDACTED}","url":"/x?key=${REDACTED}"}${REDACTED}`

test('every occurrence of a configured key goes, whatever the chunking', async () => {
  expect(redactor.redact(Buffer.from(body)).toString()).toBe(expected)
  for (const sizes of [[1], [2, 3], [7], [19, 1], [20], [64 * 1024]]) {
    expect(await streamed(body, sizes)).toBe(expected)
  }
})

test('JSON-escaped and URL-encoded forms of a key with special characters go too', () => {
  const odd = 'k/"ey+=\\abc1'
  const text = `${JSON.stringify({ key: odd })} ${encodeURIComponent(odd)}`
  const out = new Redactor([odd]).redact(Buffer.from(text)).toString()
  expect(out).toBe(`{"key":"${REDACTED}"} ${REDACTED}`)
  // Other encoders: lower-case percent-escapes, and `\/` for a slash inside JSON.
  const other = `${encodeURIComponent(odd).toLowerCase()} ${JSON.stringify(odd).slice(1, -1).replaceAll('/', '\\/')}`
  expect(new Redactor([odd]).redact(Buffer.from(other)).toString()).toBe(`${REDACTED} ${REDACTED}`)
})

test('a prefix is cut in the original positions: a key across the cut goes whole, none moves in', () => {
  const text = `${KEY} ab${KEY}cd ${KEY}`
  const cut = KEY.length + 4 // inside the second key
  const { out, used } = redactor.prefix(Buffer.from(text), cut)
  expect(out.toString()).toBe(`${REDACTED} ab${REDACTED}`)
  expect(used).toBe(2 * KEY.length + 3)
})

test('a text without a key, or a prefix of one at the end, passes unchanged', async () => {
  const text = `nothing here but ${KEY.slice(0, -1)}`
  expect(await streamed(text, [3])).toBe(text)
  expect(new Redactor([]).redact(Buffer.from(text)).toString()).toBe(text)
})

test('values shorter than the mark are not treated as secrets (they would match prose, and grow)', () => {
  expect(redactor.redact(Buffer.from('a short text')).toString()).toBe('a short text')
})
