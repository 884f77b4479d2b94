import { Elysia } from 'elysia'
import type { RouteInfo } from '../kit/http/methods.ts'
import { servicePlugin } from '../kit/http/service.ts'
import { logsRoutes } from '../kit/logs/logs-routes.ts'
import { workRoutes } from '../kit/logs/work-routes.ts'
import { type ExternalDeps, externalLogsRoutes } from './external/external-logs.ts'

/**
 * The backend API: every route it serves is composed here. docs/DESIGN.md "Routes" lists them with
 * the file that handles each, where its errors are built and the numbers that bound it; a test
 * compares that table with `app.routes`.
 */
export function createBackendApp(deps: ExternalDeps) {
  const docs = {
    title: `Backend API (${deps.config.serviceName})`,
    description: 'Simulated work with one log file per request, and external log downloads.',
  }
  const app = new Elysia()
    .use(servicePlugin(deps, docs, (): readonly RouteInfo[] => app.routes))
    .use(workRoutes(deps))
    .use(logsRoutes(deps))
    .use(externalLogsRoutes(deps))
  return app
}
