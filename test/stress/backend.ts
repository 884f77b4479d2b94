// What every stress test needs: the compiled backend on a free port with its own log directory,
// and the size of the run (the fast subset in `bun test`, the full one with STRESS_FULL=1).
import { compiledBinary } from '../support/binaries.ts'
import { type RunningProgram, startProgram } from '../support/processes.ts'

export const full = process.env.STRESS_FULL === '1'

/** `fast` in the default test run, `complete` under `just stress`. */
export const size = (fast: number, complete: number) => (full ? complete : fast)

export type Backend = RunningProgram & { logDir: string }

export async function startBackend(logDir: string, env: Record<string, string> = {}) {
  const binary = await compiledBinary('backend-api')
  const program = await startProgram(binary, {
    env: { LOG_DIR: logDir, PROCESSING_DELAY_MS: '50', LOG_LEVEL: 'warn', ...env },
  })
  return Object.assign(program, { logDir }) as Backend
}

/** The file name a 200 from `/` reports. */
export function fileOf(body: unknown): string {
  const file = (body as { file?: unknown }).file
  if (typeof file !== 'string')
    throw new Error(`GET / answered without a file name: ${JSON.stringify(body)}`)
  return file
}
