import { readServiceConfig } from '../../src/kit/config.ts'
import { createServiceDeps } from '../../src/kit/http/runtime.ts'
import { tempDir } from './temp.ts'

/**
 * Real dependencies for route tests through `app.handle(...)`: a fresh LOG_DIR (removed at the end
 * of the run), fresh metrics and a logger whose lines are kept in `logLines` (so tests can assert
 * what was, or was not, logged).
 */
export async function testDeps(env: Record<string, string> = {}) {
  const logDir = await tempDir('kit-test')
  const config = readServiceConfig(
    { PROCESSING_DELAY_MS: '0', LOG_LEVEL: 'debug', LOG_DIR: logDir, ...env },
    'test-api',
  )
  const logLines: string[] = []
  const deps = createServiceDeps(config, {
    logDestination: { write: (line: string) => void logLines.push(line) },
  })
  return { deps, logDir, logLines }
}

export type TestDeps = Awaited<ReturnType<typeof testDeps>>

export const get = (path: string) => new Request(`http://localhost${path}`)

/** A response's JSON for assertions; `any` on purpose: the expectations are the type check. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export const readJson = (res: Response): Promise<any> => res.json()
