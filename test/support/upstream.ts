import { gzipSync } from 'node:zlib'
import type { Socket, TCPSocketListener } from 'bun'

/**
 * How the fake external log API answers:
 * ok (200 JSON when the Bearer key matches, else 401), unauthorized (401), too-many (429),
 * server-error (500), stall (never answers), oversize (11 MiB body with no declared length, so a
 * client must count while streaming), truncate (the connection
 * closes mid-body), refuse (nothing listens: connection refused), rate-limited (429 with
 * Retry-After: 100000), rate-limited-once (429 with Retry-After: 1, then ok), echo (200: the
 * request's headers as JSON, the Authorization header included), gzip-bomb (200: 1 MiB of gzip
 * that inflates to 1 GiB), large (200: LARGE_BYTES of text and control bytes), brotli (200 with
 * content-encoding br).
 */
export type UpstreamMode =
  | 'ok'
  | 'unauthorized'
  | 'too-many'
  | 'server-error'
  | 'stall'
  | 'oversize'
  | 'truncate'
  | 'refuse'
  | 'rate-limited'
  | 'rate-limited-once'
  | 'echo'
  | 'gzip-bomb'
  | 'large'
  | 'brotli'

export interface SeenRequest {
  method: string
  path: string
  headers: Record<string, string>
}

export interface FakeUpstream {
  url: string
  readonly requests: SeenRequest[]
  mode(mode: UpstreamMode): void
  close(): void
}

export const OVERSIZE_BYTES = 11 * 1024 * 1024
/** Exactly the backend's cap: the largest body a download accepts. */
export const LARGE_BYTES = 10 * 1024 * 1024
export const BOMB_INFLATED_BYTES = 1024 * 1024 * 1024

/** gzip members may be concatenated: 64 of 16 MiB of zeros, about 1 MiB in all. */
const gzipBomb = () => {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 })
  return Buffer.concat(
    Array.from({ length: BOMB_INFLATED_BYTES / (16 * 1024 * 1024) }, () => member),
  )
}
let bomb: Buffer | undefined

/** Text with every control byte in it: the worst case for JSON escaping in /logs. */
const largeBody = () => {
  const line = Buffer.from(
    `${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}"\\ log line\n`,
  )
  const body = Buffer.alloc(LARGE_BYTES)
  for (let at = 0; at < LARGE_BYTES; at += line.length) line.copy(body, at)
  return body
}
let large: Buffer | undefined
export const OK_BODY = JSON.stringify({ entries: [{ level: 'info', message: 'from upstream' }] })

interface Conn {
  head: string
  queue: Uint8Array[]
}

const statusText: Record<number, string> = {
  200: 'OK',
  401: 'Unauthorized',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

function parseHead(head: string): SeenRequest {
  const [requestLine = '', ...lines] = head.split('\r\n')
  const [method = '', path = ''] = requestLine.split(' ')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const at = line.indexOf(':')
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim()
  }
  return { method, path, headers }
}

/**
 * A raw-TCP HTTP/1.1 server on 127.0.0.1 standing in for the external log API. Raw sockets give
 * exact control over the faults a real HTTP server library would smooth over (cut bodies, stalls).
 */
export async function startFakeUpstream(opts: { key: string }): Promise<FakeUpstream> {
  let current: UpstreamMode = 'ok'
  let listener: TCPSocketListener<Conn> | null = null
  const requests: SeenRequest[] = []
  const open = new Set<Socket<Conn>>()

  const flush = (socket: Socket<Conn>) => {
    const { queue } = socket.data
    while (queue.length > 0) {
      const chunk = queue[0] as Uint8Array
      const written = socket.write(chunk)
      if (written < chunk.length) {
        queue[0] = chunk.subarray(Math.max(written, 0))
        return
      }
      queue.shift()
    }
    socket.end()
  }

  /** `declared: null` sends no content-length: the body ends when the connection closes. */
  const send = (
    socket: Socket<Conn>,
    status: number,
    body: Uint8Array,
    declared: number | null = body.length,
    extra = '',
  ) => {
    const length = declared === null ? '' : `content-length: ${declared}\r\n`
    const head =
      `HTTP/1.1 ${status} ${statusText[status]}\r\ncontent-type: application/json\r\n` +
      `${length}${extra}connection: close\r\n\r\n`
    socket.data.queue.push(new TextEncoder().encode(head), body)
    flush(socket)
  }

  const answer = (socket: Socket<Conn>, request: SeenRequest) => {
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
    switch (current) {
      case 'ok':
        if (request.headers.authorization !== `Bearer ${opts.key}`) {
          return send(socket, 401, json({ error: 'bad key' }))
        }
        return send(socket, 200, new TextEncoder().encode(OK_BODY))
      case 'unauthorized':
        return send(socket, 401, json({ error: 'bad key' }))
      case 'too-many':
        return send(socket, 429, json({ error: 'slow down' }))
      case 'server-error':
        return send(socket, 500, json({ error: 'boom' }))
      case 'oversize':
        return send(socket, 200, new Uint8Array(OVERSIZE_BYTES).fill(0x61), null)
      case 'truncate':
        return send(socket, 200, new TextEncoder().encode('{"entries":[{"lev'), 4096)
      case 'rate-limited':
        return send(socket, 429, json({ error: 'slow down' }), undefined, 'retry-after: 100000\r\n')
      case 'rate-limited-once':
        current = 'ok'
        return send(socket, 429, json({ error: 'slow down' }), undefined, 'retry-after: 1\r\n')
      case 'echo':
        return send(socket, 200, json({ youSent: request.headers }))
      case 'gzip-bomb':
        bomb ??= gzipBomb()
        return send(socket, 200, bomb, bomb.length, 'content-encoding: gzip\r\n')
      case 'large':
        large ??= largeBody()
        return send(socket, 200, large)
      case 'brotli':
        return send(socket, 200, new Uint8Array([0x0b, 0x01, 0x80]), 3, 'content-encoding: br\r\n')
      default:
        return // stall: keep the socket open and silent
    }
  }

  const listen = (port: number) =>
    Bun.listen<Conn>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(socket) {
          socket.data = { head: '', queue: [] }
          open.add(socket)
        },
        data(socket, chunk) {
          if (socket.data.head.endsWith('\r\n\r\n')) return
          socket.data.head += chunk.toString('latin1')
          const end = socket.data.head.indexOf('\r\n\r\n')
          if (end < 0) return
          socket.data.head = socket.data.head.slice(0, end + 4)
          const request = parseHead(socket.data.head.slice(0, end))
          requests.push(request)
          answer(socket, request)
        },
        drain: flush,
        close(socket) {
          open.delete(socket)
        },
        error(socket) {
          open.delete(socket)
        },
      },
    })

  listener = listen(0)
  const port = listener.port
  const stopListening = () => {
    listener?.stop(true)
    listener = null
    for (const socket of open) socket.terminate()
    open.clear()
  }

  return {
    url: `http://127.0.0.1:${port}/v1/logs`,
    requests,
    mode(mode) {
      current = mode
      if (mode === 'refuse') stopListening()
      else if (!listener) listener = listen(port)
    },
    close: stopListening,
  }
}
