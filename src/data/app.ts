import { Elysia } from 'elysia'
import { logsRoutes } from '../kit/logs-routes.ts'
import { refuseOtherMethods } from '../kit/methods.ts'
import { type ServiceDeps, servicePlugin } from '../kit/service.ts'
import { workRoutes } from '../kit/work-routes.ts'
import { recordsRoutes } from './records.ts'

/**
 * Every data API route:
 *   GET /healthz /readyz /metrics /version /swagger /swagger/json   (servicePlugin)
 *   GET /                (workRoutes)      GET /logs?limit=   (logsRoutes)
 *   GET /records?limit=  (recordsRoutes)
 * Any other method on these paths answers 405 with `Allow`, and so does HEAD on a route that
 * does work (`sideEffects`).
 */
export function createDataApp(deps: ServiceDeps) {
  const app = new Elysia()
    .use(
      servicePlugin(deps, {
        title: `Data API (${deps.config.serviceName})`,
        description: 'Simulated work with one log file per request, and generated mock records.',
      }),
    )
    .use(workRoutes(deps))
    .use(logsRoutes(deps))
    .use(recordsRoutes)
  return refuseOtherMethods(app)
}
