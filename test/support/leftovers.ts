import { rmSync } from 'node:fs'
import { constants } from 'node:os'
import type { Subprocess } from 'bun'

// What tests leave behind when an assertion fails before their own cleanup: the programs they
// started and their temp directories. `test/preload.ts` clears both after the whole run (a hook in
// a shared module would only belong to the first test file: bun evaluates the module once).

const processes = new Set<Subprocess>()
const dirs = new Set<string>()

export function trackProcess(proc: Subprocess): void {
  processes.add(proc)
  void proc.exited.then(() => processes.delete(proc))
}

export function trackDir(dir: string): void {
  dirs.add(dir)
}

export async function clearLeftovers(): Promise<void> {
  for (const proc of processes) proc.kill('SIGKILL')
  await Promise.all([...processes].map((proc) => proc.exited))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  dirs.clear()
}

/** The exit code a shell reports for a process ended by `signal`: 128 + its number. */
export const signalExitCode = (signal: NodeJS.Signals): number =>
  128 + (constants.signals[signal] ?? 0)

/** Ctrl-C during `bun test` must not leave services listening. */
export function clearLeftoversOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const proc of processes) proc.kill('SIGKILL')
      process.exit(signalExitCode(signal))
    })
  }
}
