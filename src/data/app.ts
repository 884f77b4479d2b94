import { Elysia } from 'elysia'
import type { RouteInfo } from '../kit/http/methods.ts'
import { type ServiceDeps, servicePlugin } from '../kit/http/service.ts'
import { logsRoutes } from '../kit/logs/logs-routes.ts'
import { workRoutes } from '../kit/logs/work-routes.ts'
import { recordsRoutes } from './records.ts'

/**
 * The data API: every route it serves is composed here. docs/DESIGN.md "Routes" lists them with
 * the file that handles each, where its errors are built and the numbers that bound it; a test
 * compares that table with `app.routes`.
 */
export function createDataApp(deps: ServiceDeps) {
  const docs = {
    title: `Data API (${deps.config.serviceName})`,
    description: 'Simulated work with one log file per request, and generated mock records.',
  }
  const app = new Elysia()
    .use(servicePlugin(deps, docs, (): readonly RouteInfo[] => app.routes))
    .use(workRoutes(deps))
    .use(logsRoutes(deps))
    .use(recordsRoutes)
  return app
}
