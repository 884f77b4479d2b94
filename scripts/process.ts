// The one way scripts, tests and bench run a program to its end and collect what it printed.
import { constants } from 'node:os'
import type { Subprocess } from 'bun'

export interface Finished {
  /** The exit code, or 128 + the signal's number when a signal ended it (as a shell says). */
  code: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  cwd?: string
  /** The whole environment of the program; unset, it inherits this process's. */
  env?: Record<string, string | undefined>
  /** What the program reads; unset, nothing (stdin closed). */
  stdin?: string | Blob
  /** Killed (SIGTERM, or `killSignal`) after this long. */
  timeoutMs?: number
  killSignal?: NodeJS.Signals
  /** Called once the program runs, e.g. to track it for clean-up. */
  started?: (proc: Subprocess) => void
}

export async function runToEnd(argv: string[], opts: RunOptions = {}): Promise<Finished> {
  const stdin = typeof opts.stdin === 'string' ? new TextEncoder().encode(opts.stdin) : opts.stdin
  const proc = Bun.spawn(argv, {
    cwd: opts.cwd,
    env: opts.env,
    stdin: stdin ?? 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: opts.timeoutMs,
    killSignal: opts.killSignal,
  })
  opts.started?.(proc)
  const [, stdout, stderr] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  const signal = proc.signalCode as NodeJS.Signals | null
  const code = proc.exitCode ?? (signal ? 128 + (constants.signals[signal] ?? 0) : -1)
  return { code, stdout, stderr }
}
