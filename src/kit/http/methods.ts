import { type Context, Elysia } from 'elysia'
import { methodNotAllowed } from './errors.ts'

/**
 * Methods a known path answers 405 to when it does not serve them. HEAD is left to
 * `sideEffects` (every path here has a GET). Unknown tokens (FOO) never reach the app: Bun's
 * server closes the connection first.
 */
const REFUSED = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const

/** Every method a route can be asked with; metrics label anything else `OTHER`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', ...REFUSED])

/** What `allowedMethods` needs of a route: Elysia's `app.routes` entries have it. */
export interface RouteInfo {
  method: string
  path: string
  hooks: { beforeHandle?: unknown }
}

/** Answers 405 with `Allow`: `path` serves only `allow`. */
export function refuse(
  { request, path, set }: Pick<Context, 'request' | 'path' | 'set'>,
  allow: readonly string[],
) {
  set.status = 405
  set.headers.allow = allow.join(', ')
  return methodNotAllowed(request.method, path, allow)
}

const refuseHead = (ctx: Context) =>
  ctx.request.method === 'HEAD' ? refuse(ctx, ['GET']) : undefined

/**
 * Route option `sideEffects: true` for a GET that changes something (writes a file, calls the
 * upstream with a key). Bun and Elysia answer HEAD by running the GET handler and dropping the
 * body, so without this a `curl -I` would do the work.
 */
export const sideEffects = new Elysia({ name: 'side-effects' }).macro({
  sideEffects: {
    detail: { description: 'Does work on every call: HEAD is refused (405).' },
    beforeHandle: refuseHead,
  },
})

const refusesHead = (route: RouteInfo) =>
  [route.hooks.beforeHandle]
    .flat()
    .some(
      (hook) => hook === refuseHead || (hook as { fn?: unknown } | undefined)?.fn === refuseHead,
    )

/**
 * The methods each path of `routes` serves, HEAD included where its GET does no work: what a
 * 405's `Allow` says. The error handler asks it when no route matched (`jsonErrors` in service.ts).
 */
export function allowedMethods(routes: readonly RouteInfo[]): Map<string, string[]> {
  const allowed = new Map<string, string[]>()
  for (const route of routes) {
    const methods = allowed.get(route.path) ?? []
    methods.push(route.method)
    if (route.method === 'GET' && !refusesHead(route)) methods.push('HEAD')
    allowed.set(route.path, methods)
  }
  return allowed
}
