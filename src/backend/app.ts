import { Elysia } from 'elysia'
import { logsRoutes } from '../kit/logs-routes.ts'
import { refuseOtherMethods } from '../kit/methods.ts'
import { servicePlugin } from '../kit/service.ts'
import { workRoutes } from '../kit/work-routes.ts'
import { type ExternalDeps, externalLogsRoutes } from './external-logs.ts'

/**
 * Every backend API route:
 *   GET /healthz /readyz /metrics /version /swagger /swagger/json   (servicePlugin)
 *   GET /                          (workRoutes)      GET /logs?limit=   (logsRoutes)
 *   GET /download_external_logs?env=development|staging|production   (externalLogsRoutes)
 * Any other method on these paths answers 405 with `Allow`, and so does HEAD on a route that
 * does work (`sideEffects`).
 */
export function createBackendApp(deps: ExternalDeps) {
  const app = new Elysia()
    .use(
      servicePlugin(deps, {
        title: `Backend API (${deps.config.serviceName})`,
        description: 'Simulated work with one log file per request, and external log downloads.',
      }),
    )
    .use(workRoutes(deps))
    .use(logsRoutes(deps))
    .use(externalLogsRoutes(deps))
  return refuseOtherMethods(app)
}
