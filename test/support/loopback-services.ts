// Small loopback HTTP servers that misbehave on purpose, standing in for a broken service.
import { freePort } from './processes.ts'

export interface LoopbackServices {
  /** `http://127.0.0.1:<port><path>` for one of the routes below. */
  url(path: Route | `${Route}?${string}`): string
  /** A URL on a port where nothing listens: connection refused. */
  refusedUrl: string
  /** Request headers seen, newest last. */
  seen: Headers[]
  close(): Promise<void>
}

export type Route =
  | '/ok'
  | '/slow'
  | '/stall'
  | '/stall-body'
  | '/error-500'
  | '/upstream-502'
  | '/upstream-502-html'
  | '/huge-502'
  | '/redirect'
  | '/gate'

const json = (body: unknown, status: number) => Response.json(body, { status })

export async function startLoopbackServices(): Promise<LoopbackServices> {
  const stalled: Array<() => void> = []
  const seen: Headers[] = []
  // /gate?n=N holds every request until N have arrived, then answers them all at once, so
  // separate runs finish their checks at the same instant and race to append.
  let gated: Array<() => void> = []
  const gate = (n: number) =>
    new Promise<Response>((resolve) => {
      gated.push(() => resolve(json({ status: 'ok' }, 200)))
      if (gated.length >= n) {
        for (const release of gated) release()
        gated = []
      }
    })
  const stall = () =>
    new Promise<Response>((resolve) => stalled.push(() => resolve(new Response('too late'))))
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      seen.push(request.headers)
      const url = new URL(request.url)
      switch (url.pathname as Route) {
        case '/ok':
          return json({ status: 'ok' }, 200)
        case '/slow':
          await Bun.sleep(Number(url.searchParams.get('ms') ?? 500))
          return json({ status: 'ok' }, 200)
        case '/stall':
          return stall()
        case '/stall-body':
          return new Response(new ReadableStream({ start: (c) => c.enqueue(Buffer.from('{"a":')) }))
        case '/error-500':
          return new Response('Internal Server Error', { status: 500 })
        case '/upstream-502':
          return json({ error: 'external log API failed', upstreamStatus: 500 }, 502)
        case '/upstream-502-html':
          return new Response('<html>Bad Gateway</html>', {
            status: 502,
            headers: { 'content-type': 'text/html' },
          })
        case '/huge-502':
          return json({ error: 'x'.repeat(100_000) }, 502)
        case '/gate':
          return gate(Number(url.searchParams.get('n') ?? 1))
        case '/redirect':
          return Response.redirect('/ok', 302)
        default:
          return json({ error: 'no such route' }, 404)
      }
    },
  })
  const base = `http://127.0.0.1:${server.port}`
  return {
    url: (path) => base + path,
    refusedUrl: `http://127.0.0.1:${await freePort()}/`,
    seen,
    async close() {
      for (const release of stalled) release()
      await server.stop(true)
    },
  }
}
