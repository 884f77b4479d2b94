// The servers the benchmark compares, each started on a free loopback port with its own log
// directory. The benchmark needs what test/support/processes.ts does not give: the time from spawn
// to the first 200, the whole process tree (gunicorn forks workers) and a raised descriptor limit.
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { freePort } from '../test/support/processes.ts'
import { withDescriptorLimit } from './load/limits.ts'
import { processTree } from './load/rss.ts'

export type PeerName = 'flask-dev' | 'gunicorn' | 'bare-bun' | 'backend' | 'data'

export type Peer = {
  name: PeerName
  url: string
  pid: number
  logDir: string
  /** milliseconds from spawn to the first 200 of /readyz (ours) or /healthz (peers without one) */
  readyMs: number
  stop(): Promise<void>
}

export type PeerCommands = { bareBun: string; backend: string; data: string }

const peersDir = resolve(import.meta.dir, 'peers')

function command(name: PeerName, binaries: PeerCommands): string[] {
  switch (name) {
    case 'flask-dev':
      return ['/usr/bin/python3', join(peersDir, 'flask_app.py')]
    case 'gunicorn':
      return [
        '/usr/bin/gunicorn',
        '-c',
        join(peersDir, 'gunicorn_conf.py'),
        '--chdir',
        peersDir,
        'flask_app:app',
      ]
    case 'bare-bun':
      return [binaries.bareBun]
    case 'backend':
      return [binaries.backend]
    case 'data':
      return [binaries.data]
  }
}

async function waitReady(url: string, proc: Bun.Subprocess, started: number): Promise<number> {
  const deadline = started + 20_000
  while (performance.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) break
    const status = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status)
      .catch(() => 0)
    if (status === 200) return performance.now() - started
    await Bun.sleep(2)
  }
  throw new Error(
    `${url} did not answer 200 within 20 s (exit ${proc.exitCode ?? proc.signalCode})`,
  )
}

/**
 * Starts one peer. `raiseLimit` wraps it in `ulimit -n` (costs a shell, so the start-up timing
 * runs without it); stdout/stderr go to a file in `workDir` so a chatty server never blocks.
 */
export async function startPeer(
  name: PeerName,
  binaries: PeerCommands,
  workDir: string,
  opts: {
    delayMs?: number
    raiseLimit?: boolean
    env?: Record<string, string>
    /** Runs the peer through this argv (e.g. into a memory cgroup). */
    wrap?: (argv: string[]) => string[]
  } = {},
): Promise<Peer> {
  const port = await freePort()
  const logDir = join(workDir, `${name}-${port}-logs`)
  await mkdir(logDir, { recursive: true })
  const argv = command(name, binaries)
  const limited = opts.raiseLimit ? withDescriptorLimit(argv) : argv
  const wrapped = opts.wrap ? opts.wrap(limited) : limited
  const output = Bun.file(join(workDir, `${name}-${port}.out`))
  const started = performance.now()
  const proc = Bun.spawn(wrapped, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PORT: String(port),
      LOG_DIR: logDir,
      PROCESSING_DELAY_MS: String(opts.delayMs ?? 3000),
      // no __pycache__ next to the peer sources in the work tree
      PYTHONDONTWRITEBYTECODE: '1',
      ...opts.env,
    },
    stdout: output,
    stderr: output,
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    for (const pid of processTree(proc.pid).reverse()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await proc.exited
  }
  try {
    const readyMs = await waitReady(
      `${url}${name === 'backend' || name === 'data' ? '/readyz' : '/healthz'}`,
      proc,
      started,
    )
    return { name, url, pid: proc.pid, logDir, readyMs, stop }
  } catch (error) {
    await stop()
    const log = await output.text().catch(() => '')
    throw new Error(`${name} failed to start: ${(error as Error).message}\n${log.slice(-2000)}`)
  }
}
