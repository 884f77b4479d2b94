// Secrets out of bytes we store or serve: an upstream that echoes our request (headers included)
// must not get the integration key written to LOG_DIR, from where the unauthenticated /logs
// would serve it.

export const REDACTED = '[REDACTED]'
const MARK = Buffer.from(REDACTED)

/**
 * Shorter values would match ordinary text, and the mark would make a body longer than the
 * bytes it was counted at; configured keys are far longer (main.ts warns about a shorter one).
 */
export const MIN_SECRET_LENGTH = REDACTED.length

/**
 * Each secret as it may appear in a body: verbatim, inside a JSON string (also with `\/`, as
 * some encoders write it), URL-encoded (with upper- or lower-case hex).
 */
function formsOf(secret: string): Buffer[] {
  const json = JSON.stringify(secret).slice(1, -1)
  const url = encodeURIComponent(secret)
  const lowerHex = url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())
  const forms = [secret, json, json.replaceAll('/', '\\/'), url, lowerHex]
  return [...new Set(forms)].map((form) => Buffer.from(form))
}

/** Replaces every configured secret in a byte stream, also where one spans two chunks. */
export class Redactor {
  private readonly forms: Buffer[]
  /** Bytes that may be the start of a secret completed by the next chunk. */
  readonly overlap: number

  constructor(secrets: readonly (string | undefined)[]) {
    const usable = secrets.filter((s): s is string => (s?.length ?? 0) >= MIN_SECRET_LENGTH)
    // Longest first, so a form that starts with a shorter one wins at the same position.
    this.forms = usable.flatMap(formsOf).sort((a, b) => b.length - a.length)
    this.overlap = Math.max(0, ...this.forms.map((f) => f.length - 1))
  }

  get active(): boolean {
    return this.forms.length > 0
  }

  /** The earliest secret at or after `from`: its position and length. */
  private next(data: Buffer, from: number): { at: number; length: number } | undefined {
    let best: { at: number; length: number } | undefined
    for (const form of this.forms) {
      const at = data.indexOf(form, from)
      if (at >= 0 && (best === undefined || at < best.at)) best = { at, length: form.length }
    }
    return best
  }

  /**
   * Redacts the secrets of `data` that start before `limit`, and returns the redacted bytes up
   * to `limit` (or past it, to the end of a secret that crosses it) with the bytes left over.
   */
  private process(data: Buffer, limit: number): { out: Buffer; rest: Buffer } {
    const pieces: Buffer[] = []
    let pos = 0
    for (let hit = this.next(data, 0); hit && hit.at < limit; hit = this.next(data, pos)) {
      pieces.push(data.subarray(pos, hit.at), MARK)
      pos = hit.at + hit.length
    }
    const keep = Math.max(pos, limit)
    pieces.push(data.subarray(pos, keep))
    return { out: Buffer.concat(pieces), rest: data.subarray(keep) }
  }

  /** Redacts a whole buffer. */
  redact(data: Uint8Array): Buffer {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    return this.active ? this.process(buffer, buffer.length).out : buffer
  }

  /**
   * The first `cut` bytes of `data`, redacted, cut in the original's positions: a secret that
   * crosses the cut goes whole (data must extend `overlap` bytes past the cut for that). Returns
   * the redacted bytes and how many bytes of `data` they stand for.
   */
  prefix(data: Uint8Array, cut: number): { out: Buffer; used: number } {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    const { out, rest } = this.process(buffer, Math.min(cut, buffer.length))
    return { out, used: buffer.length - rest.length }
  }

  /** Redacts a stream of chunks. */
  async *stream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    if (!this.active) {
      yield* source
      return
    }
    let rest: Buffer = Buffer.alloc(0)
    for await (const chunk of source) {
      const data = Buffer.concat([rest, chunk])
      const done = this.process(data, data.length - this.overlap)
      rest = done.rest
      if (done.out.length > 0) yield done.out
    }
    const last = this.process(rest, rest.length).out
    if (last.length > 0) yield last
  }
}
