import { type AnyElysia, type Context, Elysia } from 'elysia'

/**
 * Methods answered 405 on a known path that does not serve them. HEAD is left to `sideEffects`
 * (every path here has a GET). Unknown tokens (FOO) never reach the app: Bun's server closes the
 * connection first.
 */
const REFUSED = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const

/** Every method a route can be asked with; metrics label anything else `OTHER`. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', ...REFUSED])

/** Marks a GET operation whose HEAD is refused; read back by `refuseOtherMethods`. */
const NO_HEAD = 'x-head-refused'

const refusal =
  (allow: string[]) =>
  ({ request, path, set, status }: Context) => {
    set.headers.allow = allow.join(', ')
    return status(405, {
      error: `${request.method} is not allowed on ${path}`,
      hint: `use ${allow.join(' or ')} ${path}; GET /swagger lists the routes`,
    })
  }

const refuseHead = refusal(['GET'])

/**
 * Route option `sideEffects: true` for a GET that changes something (writes a file, calls the
 * upstream with a key). Bun and Elysia answer HEAD by running the GET handler and dropping the
 * body, so without this a `curl -I` would do the work.
 */
export const sideEffects = new Elysia({ name: 'side-effects' }).macro({
  sideEffects: {
    detail: { [NO_HEAD]: true, description: 'Does work on every call: HEAD is refused (405).' },
    beforeHandle: (ctx) => (ctx.request.method === 'HEAD' ? refuseHead(ctx) : undefined),
  },
})

/**
 * Call last, once every route is registered: a known path asked with a method it does not serve
 * answers 405 JSON with `Allow` instead of 404. These are real routes, so metrics label them by
 * their template like any other.
 */
export function refuseOtherMethods<App extends AnyElysia>(app: App): App {
  const allowed = new Map<string, Set<string>>()
  for (const { method, path, hooks } of app.routes) {
    const methods = allowed.get(path) ?? new Set<string>()
    methods.add(method)
    if (method === 'GET' && !hooks.detail?.[NO_HEAD]) methods.add('HEAD')
    allowed.set(path, methods)
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods]
    const refuse = refusal(allow)
    for (const method of REFUSED) {
      if (methods.has(method)) continue
      // `AnyElysia` types its context loosely; at run time it is a full Context.
      app.route(method, path, (ctx) => refuse(ctx as Context), { detail: { hide: true } })
    }
  }
  return app
}
