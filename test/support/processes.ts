import type { Subprocess } from 'bun'
import { runToEnd } from '../../scripts/process.ts'
import { signalExitCode, trackProcess } from './leftovers.ts'

export interface RunningProgram {
  url: string
  port: number
  proc: Subprocess
  /** Everything the program wrote to stdout and stderr so far. */
  output(): string
  /** Sends `signal` (SIGTERM by default) and resolves the exit code (128 + signal if killed). */
  stop(signal?: NodeJS.Signals): Promise<number>
}

export interface StartOptions {
  env?: Record<string, string>
  args?: string[]
  /** Path polled until it answers 200; default `/healthz`. */
  readyPath?: string
  /** How long to wait for readiness; default 20 s. */
  readyTimeoutMs?: number
  /** Working directory; default the test's. */
  cwd?: string
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = listener
  listener.stop(true)
  return port
}

/** Only what a program needs from the test's environment: no stray PORT, LOG_DIR or keys. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TZ']) {
    const value = process.env[name]
    if (value) env[name] = value
  }
  return { ...env, ...extra }
}

function collect(stream: ReadableStream<Uint8Array>, sink: string[]): Promise<void> {
  const decoder = new TextDecoder()
  return stream.pipeTo(
    new WritableStream({
      write: (chunk) => void sink.push(decoder.decode(chunk, { stream: true })),
    }),
  )
}

function exitCodeOf(proc: Subprocess): number {
  if (proc.exitCode !== null) return proc.exitCode
  return proc.signalCode ? signalExitCode(proc.signalCode as NodeJS.Signals) : -1
}

/**
 * Starts a long-running program (a service binary) on a free port and waits until `readyPath`
 * answers 200. A program the test does not stop is killed at the end of the run (test/preload.ts).
 */
export async function startProgram(
  binary: string,
  opts: StartOptions = {},
): Promise<RunningProgram> {
  for (let attempt = 1; ; attempt++) {
    const port = Number(opts.env?.PORT ?? (await freePort()))
    try {
      return await startOnce(binary, opts, port)
    } catch (error) {
      // Parallel test processes may take the port between freePort() and the program's bind.
      if (!(error instanceof PortTaken) || opts.env?.PORT || attempt >= 3) throw error
    }
  }
}

class PortTaken extends Error {}

async function startOnce(
  binary: string,
  opts: StartOptions,
  port: number,
): Promise<RunningProgram> {
  const chunks: string[] = []
  const proc = Bun.spawn([binary, ...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: baseEnv({ PORT: String(port), ...opts.env }),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  trackProcess(proc)
  const drained = Promise.all([collect(proc.stdout, chunks), collect(proc.stderr, chunks)])
  const url = `http://127.0.0.1:${port}`
  const program: RunningProgram = {
    url,
    port,
    proc,
    output: () => chunks.join(''),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      await proc.exited
      await drained.catch(() => {})
      return exitCodeOf(proc)
    },
  }
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000)
  const readyUrl = url + (opts.readyPath ?? '/healthz')
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      await drained.catch(() => {})
      const message = `${binary} exited (${exitCodeOf(proc)}) before ready:\n${program.output()}`
      throw /EADDRINUSE/.test(message) ? new PortTaken(message) : new Error(message)
    }
    const status = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status)
      .catch(() => 0)
    if (status === 200) return program
    await Bun.sleep(25)
  }
  proc.kill('SIGKILL')
  throw new Error(`${binary} was not ready at ${readyUrl} in time:\n${program.output()}`)
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
}

/** Runs a one-shot program (e.g. `health-check`) to completion; killed after `timeoutMs`. */
export async function runProgram(
  binary: string,
  opts: { env?: Record<string, string>; args?: string[]; timeoutMs?: number } = {},
): Promise<RunResult> {
  const started = performance.now()
  const { code, stdout, stderr } = await runToEnd([binary, ...(opts.args ?? [])], {
    env: baseEnv(opts.env),
    timeoutMs: opts.timeoutMs ?? 30_000,
    killSignal: 'SIGKILL',
    started: trackProcess,
  })
  return { exitCode: code, stdout, stderr, durationMs: performance.now() - started }
}
