// Runs the compiled health-check binary and reads back what it printed and logged.
import { afterAll, beforeAll, beforeEach } from 'bun:test'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CheckReport } from '../../src/health/classify.ts'
import { compiledBinary } from '../support/binaries.ts'
import { type LoopbackServices, startLoopbackServices } from '../support/loopback-services.ts'
import { type RunResult, runProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'

/** The documented line: timestamp, result, name, URL, status or error, latency, phrase. */
export const LOG_LINE =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (PASS|DEGRADED|FAIL) name="(?:[^"\\]|\\.)*" url=\S+ (status=\d{3}|error=\S+) latency_ms=\d+ critical=(yes|no)( detail="(?:[^"\\]|\\.)*")? Health check (passed|degraded|failed)$/

export interface HealthRun extends RunResult {
  reports: CheckReport[]
}

export interface TargetSpec {
  name: string
  url: string
  critical?: boolean
  expect?: number | number[]
}

export const targetsEnv = (targets: TargetSpec[]) => ({ HEALTH_TARGETS: JSON.stringify(targets) })

export async function runHealth(
  env: Record<string, string>,
  args: string[] = [],
): Promise<HealthRun> {
  const result = await runProgram(await compiledBinary('health-check'), {
    env,
    args,
    timeoutMs: 30_000,
  })
  const reports = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as CheckReport)
  return { ...result, reports }
}

export interface HealthLog {
  dir: string
  /** `health_check.log` inside `dir`, not created yet. */
  file: string
}

/** A fresh directory for one test's log files (removed at the end of the run). */
export async function logDir(): Promise<HealthLog> {
  const dir = await tempDir('health-e2e')
  return { dir, file: join(dir, 'health_check.log') }
}

/**
 * Call at the top of a test file: loopback services for the whole file, the binary compiled once,
 * and a fresh log directory for every test. Read both through the getters inside tests.
 */
export function withLoopbackHealth(): {
  readonly services: LoopbackServices
  readonly log: HealthLog
} {
  let services: LoopbackServices | undefined
  let log: HealthLog | undefined
  beforeAll(async () => {
    services = await startLoopbackServices()
    await compiledBinary('health-check')
  }, 120_000)
  afterAll(() => services?.close())
  beforeEach(async () => {
    log = await logDir()
  })
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`${what} is only set inside a test (beforeAll/beforeEach)`)
    return value
  }
  return {
    get services() {
      return ready(services, 'the loopback services')
    },
    get log() {
      return ready(log, 'the health log directory')
    },
  }
}

export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '')
}

/** Every line of the live file and its rotated siblings, oldest file first. */
export async function allLogLines(file: string): Promise<string[]> {
  const dir = join(file, '..')
  const base = file.slice(dir.length + 1)
  const rotated = (await readdir(dir))
    .map((name) => Number(/^.+\.(\d+)$/.exec(name)?.[1] ?? Number.NaN))
    .filter((n) => Number.isInteger(n))
    .sort((a, b) => b - a)
  const paths = [...rotated.map((n) => join(dir, `${base}.${n}`)), file]
  return (await Promise.all(paths.map(linesOf))).flat()
}
