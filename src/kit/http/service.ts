import { openapi } from '@elysiajs/openapi'
import { Elysia, StatusMap, t } from 'elysia'
import { buildInfo } from '../build-info.ts'
import type { ServiceConfig } from '../config.ts'
import type { Logger } from '../logger.ts'
import { type LogStore, LogWriteError } from '../logs/log-store.ts'
import type { Metrics } from '../metrics.ts'
import {
  detailsOf,
  internalError,
  invalidRequest,
  malformedRequest,
  notFound,
  notReady,
  shuttingDown,
  writeFailure,
} from './errors.ts'
import { allowedMethods, KNOWN_METHODS, type RouteInfo, refuse } from './methods.ts'
import { errorExample, responses } from './schemas.ts'
import { SWAGGER_ASSETS, swaggerAssets } from './swagger-assets.ts'

/** Shared by the readiness probe and the shutdown handler. */
export interface Lifecycle {
  draining: boolean
}

export interface ServiceDeps {
  config: ServiceConfig
  logger: Logger
  metrics: Metrics
  store: LogStore
  lifecycle: Lifecycle
}

/** Probes and scrapes run every few seconds: logged at debug so they do not drown real requests. */
const QUIET_ROUTES = new Set(['/readyz', '/metrics'])

const statusCode = (status: number | string | undefined): number =>
  typeof status === 'number' ? status : (StatusMap[status as keyof typeof StatusMap] ?? 200)

/**
 * Request metrics (by route template, `unmatched` otherwise) and one log line per request, for
 * every route registered after this plugin (404s included, with a duration of 0).
 */
function observe({ metrics, logger }: ServiceDeps) {
  return new Elysia({ name: 'observe' })
    .derive({ as: 'global' }, () => ({ startedAt: performance.now() }))
    .onAfterResponse({ as: 'global' }, (ctx) => {
      const { request, route, path, set } = ctx
      const startedAt = (ctx as { startedAt?: number }).startedAt
      const ms = startedAt === undefined ? 0 : performance.now() - startedAt
      const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER'
      const status = statusCode(set.status)
      // A 405 without a route is a known path asked with another method (jsonErrors): bounded.
      const template = route || (status === 405 ? path : 'unmatched')
      metrics.observeRequest(method, template, status, ms / 1000)
      const line = { method, route: template, path, status, ms: Math.round(ms * 10) / 10 }
      if (QUIET_ROUTES.has(template)) logger.debug(line, 'request')
      else logger.info(line, 'request')
    })
}

const Version = t.Object({
  service: t.String({ examples: ['backend-api'] }),
  version: t.String({ examples: ['1.0.0'] }),
  commit: t.String({ examples: ['1b6c38b'] }),
  bun: t.String({ examples: ['1.4.5'] }),
})

/** Documentation only: the handler answers a Response, which Elysia does not validate. */
const MetricsText = t.String({
  description: 'Prometheus text exposition format 0.0.4',
  examples: ['http_requests_total{method="GET",route="/",status="200",app="backend-api"} 1\n'],
})

/**
 * Turns every failure Elysia sees into `{ error, ... }` JSON with the right status, never a stack.
 * `routes` are the app's, read at the first unmatched request: a known path asked with a method
 * it does not serve answers 405 with `Allow`, an unknown path 404.
 */
function jsonErrors(logger: Logger, routes: () => readonly RouteInfo[]) {
  let allowed: Map<string, string[]> | undefined
  return new Elysia({ name: 'json-errors' }).onError(
    { as: 'global' },
    ({ code, error, path, request, set }) => {
      if (error instanceof LogWriteError) {
        set.status = 503
        return writeFailure(error)
      }
      switch (code) {
        case 'NOT_FOUND': {
          allowed ??= allowedMethods(routes())
          const allow = allowed.get(path)
          if (allow) return refuse({ request, path, set }, allow)
          set.status = 404
          return notFound(path)
        }
        case 'VALIDATION':
          // Our own answer broke its schema: a bug here, not a client mistake.
          if (error.type === 'response') {
            logger.error({ path, details: detailsOf(error) }, 'response failed its schema')
            set.status = 500
            return internalError()
          }
          set.status = 422
          return invalidRequest(error)
        case 'PARSE':
          set.status = 400
          return malformedRequest()
        case 'INTERNAL_SERVER_ERROR':
        case 'UNKNOWN':
          logger.error({ err: error, path }, 'unhandled error')
          set.status = 500
          return internalError()
        default:
          return undefined
      }
    },
  )
}

/**
 * What every service has: OpenAPI + Swagger UI (offline), JSON errors, request metrics and logs,
 * and the operational routes /healthz, /readyz, /metrics and /version. `routes` gives the whole
 * app's routes (`() => app.routes`), which the 405 answers need.
 */
export function servicePlugin(
  deps: ServiceDeps,
  docs: { title: string; description: string },
  routes: () => readonly RouteInfo[],
) {
  const { config, metrics, store, lifecycle } = deps
  const version = { service: config.serviceName, ...buildInfo }
  return (
    new Elysia({ name: 'service' })
      // Draining: every answer closes its connection. A kept-alive client (a pooling proxy, another
      // service, a load test) would otherwise keep sending to this pod after the Service dropped
      // it, until the listener closes under its next request; so it reconnects, through the
      // Service, to a replica that stays (seen on the e2e cluster during rollouts).
      .onRequest(({ set }) => {
        if (lifecycle.draining) set.headers.connection = 'close'
      })
      // Liveness comes before the observing hooks: kubelet probes cost no metrics or log work and
      // /healthz stays as fast as a bare Bun.serve (it is therefore not in http_requests_total).
      .get('/healthz', () => ({ status: 'ok' as const }), {
        response: responses({
          200: t.Object({ status: t.Literal('ok') }, { examples: [{ status: 'ok' }] }),
        }),
        detail: { tags: ['ops'], summary: 'Liveness: the process answers (no I/O)' },
      })
      .use(
        openapi({
          path: '/swagger',
          provider: 'swagger-ui',
          documentation: {
            info: { title: docs.title, description: docs.description, version: buildInfo.version },
            tags: [
              { name: 'work', description: 'What the service does' },
              { name: 'ops', description: 'Probes, metrics and build information' },
            ],
          },
          swagger: { cdn: SWAGGER_ASSETS.script, theme: SWAGGER_ASSETS.style, autoDarkMode: false },
          exclude: { paths: [SWAGGER_ASSETS.script, SWAGGER_ASSETS.style] },
        }),
      )
      .use(swaggerAssets)
      .use(jsonErrors(deps.logger, routes))
      .use(observe(deps))
      .get(
        '/readyz',
        async ({ status }) => {
          if (lifecycle.draining) {
            return status(503, shuttingDown())
          }
          const state = await store.readiness()
          if (state.ready) return { status: 'ready' as const }
          return status(503, notReady(store.dir, state.reason))
        },
        {
          response: responses({
            200: t.Object({ status: t.Literal('ready') }, { examples: [{ status: 'ready' }] }),
            503: errorExample(notReady('/logs', 'EROFS')),
          }),
          detail: { tags: ['ops'], summary: 'Readiness: log directory writable and not draining' },
        },
      )
      .get(
        '/metrics',
        async () =>
          new Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType },
          }),
        {
          response: responses({ 200: MetricsText }),
          detail: { tags: ['ops'], summary: 'Prometheus metrics (text format)' },
        },
      )
      .get('/version', () => version, {
        response: responses({ 200: Version }),
        detail: { tags: ['ops'], summary: 'Service, version, git commit and Bun version' },
      })
  )
}
