import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type BinaryName, compiledBinary } from '../support/binaries.ts'
import { type RunningProgram, startProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'

export type ServiceBinary = Extract<BinaryName, 'backend-api' | 'data-api'>
export const SERVICES: ServiceBinary[] = ['backend-api', 'data-api']

export interface RunningService extends RunningProgram {
  logDir: string
  get(path: string): Promise<{ status: number; body: Record<string, unknown>; text: string }>
  logFiles(): Promise<string[]>
}

/** A compiled service on a free port with its own temp LOG_DIR, a short delay and a short drain. */
export async function startService(
  name: ServiceBinary,
  env: Record<string, string> = {},
  cwd?: string,
): Promise<RunningService> {
  const logDir = env.LOG_DIR ?? join(await tempDir(name), 'logs')
  const program = await startProgram(await compiledBinary(name), {
    cwd,
    env: { LOG_DIR: logDir, PROCESSING_DELAY_MS: '50', SHUTDOWN_DRAIN_MS: '200', ...env },
  })
  return {
    ...program,
    logDir,
    async get(path) {
      const res = await fetch(program.url + path)
      const text = await res.text()
      const json = res.headers.get('content-type')?.includes('json')
      return { status: res.status, body: json ? JSON.parse(text) : {}, text }
    },
    async logFiles() {
      return (await readdir(logDir)).filter((f) => f.endsWith('.log') && !f.startsWith('.'))
    },
  }
}
