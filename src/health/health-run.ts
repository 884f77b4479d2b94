// One run of the health check: every check at once, results to stdout, then one append to the log.
import { classify, exitCodeFor } from './classify.ts'
import type { HealthConfig } from './config.ts'
import { appendToHealthLog, formatLogLine, NotRegularFile } from './health-log.ts'
import { runChecks } from './run-checks.ts'

export interface Io {
  out(text: string): void
  err(text: string): void
}

/** 0 when every critical check passed; 1 when one did not or the log could not be written. */
export async function runHealthCheck(
  config: HealthConfig,
  io: Io,
  signal?: AbortSignal,
): Promise<0 | 1> {
  const outcomes = await runChecks(config.targets, { timeoutMs: config.timeoutMs, signal })
  const reports = outcomes.map((outcome) => classify(outcome, config.timeoutMs))
  // stdout first: `kubectl logs` shows the results even when the claim is not writable.
  io.out(reports.map((report) => `${JSON.stringify(report)}\n`).join(''))
  const { file } = config.log
  try {
    const { unlocked } = await appendToHealthLog(config.log, reports.map(formatLogLine))
    if (unlocked) {
      io.err(
        `health-check: ${file}.lock stayed taken, so the lines were appended without rotation; ` +
          'if no other run is active, delete that lock file\n',
      )
    }
  } catch (error) {
    if (error instanceof NotRegularFile) {
      io.err(`health-check: cannot write the health log: ${error.message}\n`)
      return 1
    }
    io.err(
      `health-check: cannot write the health log ${file} (${(error as Error).message}): make its directory writable ` +
        "for the Job's user (the claim's mount) or point HEALTH_LOG_FILE at a writable path\n",
    )
    return 1
  }
  return exitCodeFor(reports)
}
