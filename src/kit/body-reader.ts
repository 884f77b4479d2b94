// Reading a response body from a server we do not control, in bounded memory: the bytes after
// decoding count against the cap, and decompression is fed in slices so that no single step can
// inflate more than about a MiB, whatever the compression ratio.
import type { Transform } from 'node:stream'
import { createGunzip } from 'node:zlib'

/** The codings we accept: gzip's ratio is bounded (deflate: at most ~1032:1); br and zstd are not. */
export const ACCEPT_ENCODING = 'gzip'

/**
 * Options for `fetch` so that Bun hands over the body as sent: its own decompression inflates
 * ahead of the reader, so a 1 MiB gzip bomb costs far more memory than the cap.
 */
export const RAW_BODY = { decompress: false } as RequestInit

/** The body is larger than the cap, counted after decoding. */
export class BodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`)
  }
}

/** The server used a content-coding we did not offer (see ACCEPT_ENCODING). */
export class UnsupportedEncoding extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported content-encoding ${encoding}`)
  }
}

/** Input fed to the decompressor per step: 1 KiB of gzip inflates to at most ~1 MiB. */
const SLICE_BYTES = 1024

async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    // Stopping early (the cap, an error downstream) must not download the rest.
    await reader.cancel().catch(() => {})
  }
}

async function* inflate(
  source: AsyncIterable<Uint8Array>,
  decoder: Transform,
): AsyncGenerator<Uint8Array> {
  const ready: Buffer[] = []
  let failure: Error | undefined
  decoder.on('data', (piece: Buffer) => ready.push(piece))
  decoder.on('error', (error) => {
    failure = error
  })
  const step = (piece: Uint8Array) =>
    new Promise<void>((resolve, reject) =>
      decoder.write(piece, (error) => (error ? reject(error) : resolve())),
    )
  try {
    for await (const chunk of source) {
      for (let at = 0; at < chunk.byteLength; at += SLICE_BYTES) {
        await step(chunk.subarray(at, at + SLICE_BYTES))
        if (failure) throw failure
        // What one step inflated, as one piece: the bound a reader (and a test) can see.
        if (ready.length > 0) yield Buffer.concat(ready.splice(0))
      }
    }
    await new Promise<void>((resolve, reject) => {
      decoder.once('end', resolve)
      decoder.once('error', reject)
      decoder.end()
    })
    if (ready.length > 0) yield Buffer.concat(ready.splice(0))
  } finally {
    decoder.destroy()
  }
}

/**
 * The decoded body in chunks as they arrive; throws BodyTooLarge as soon as more than `maxBytes`
 * came (the rest is never downloaded), UnsupportedEncoding for a coding we did not offer, and the
 * network or zlib error of a cut or corrupt body. The response must come from `fetch` with RAW_BODY.
 */
export async function* decodedBody(
  response: Response,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  const coding = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase()
  const raw = chunksOf(response.body)
  let chunks: AsyncIterable<Uint8Array>
  if (coding === 'identity' || coding === '') chunks = raw
  else if (coding === 'gzip' || coding === 'x-gzip') chunks = inflate(raw, createGunzip())
  else {
    await response.body?.cancel().catch(() => {})
    throw new UnsupportedEncoding(coding)
  }
  let size = 0
  for await (const chunk of chunks) {
    size += chunk.byteLength
    if (size > maxBytes) throw new BodyTooLarge(maxBytes)
    yield chunk
  }
}

/** The whole decoded body if it is at most `maxBytes`, else undefined (also for an unknown coding). */
export async function readCappedBody(
  response: Response,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  try {
    for await (const chunk of decodedBody(response, maxBytes)) chunks.push(chunk)
  } catch (error) {
    if (error instanceof BodyTooLarge || error instanceof UnsupportedEncoding) return undefined
    throw error
  }
  return Buffer.concat(chunks)
}
