import { type AnyElysia, Elysia } from 'elysia'
import { readServiceConfig } from '../../src/kit/config.ts'
import type { RouteInfo } from '../../src/kit/http/methods.ts'
import { createServiceDeps } from '../../src/kit/http/runtime.ts'
import { type ServiceDeps, servicePlugin } from '../../src/kit/http/service.ts'
import { tempDir } from './temp.ts'

/**
 * Real dependencies for route tests through `app.handle(...)`: a fresh LOG_DIR (removed at the end
 * of the run), fresh metrics and a logger whose lines are kept in `logLines` (so tests can assert
 * what was, or was not, logged).
 */
export async function testDeps(env: Record<string, string> = {}) {
  const logDir = await tempDir('kit-test')
  const settings = { PROCESSING_DELAY_MS: '0', LOG_LEVEL: 'debug', LOG_DIR: logDir, ...env }
  const config = readServiceConfig(settings, 'test-api')
  const logLines: string[] = []
  const deps = createServiceDeps(config, {
    logDestination: { write: (line: string) => void logLines.push(line) },
  })
  /** `settings`: the environment `deps.config` was read from, for a service's own config. */
  return { deps, logDir, logLines, settings }
}

export type TestDeps = Awaited<ReturnType<typeof testDeps>>

/**
 * The kit's service plugin with `routes` after it, as a service's app.ts composes them: 405s come
 * from the app's own routes.
 */
export function kitApp(deps: ServiceDeps, routes: AnyElysia = new Elysia()) {
  const docs = { title: 'Test API', description: 'kit under test' }
  const app = new Elysia()
    .use(servicePlugin(deps, docs, (): readonly RouteInfo[] => app.routes))
    .use(routes)
  return app
}

export const get = (path: string) => new Request(`http://localhost${path}`)

/** A response's JSON for assertions; `any` on purpose: the expectations are the type check. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export const readJson = (res: Response): Promise<any> => res.json()
