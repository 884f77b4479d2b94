// The Docker engine for the container tests: the CLI wrapper, and starting `dockerd` when none
// answers (CI machines have the engine installed but not running; see /work/shared/NOTES.md).
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runToEnd } from '../../scripts/process.ts'
import { hasCommand, isRoot } from '../support/requirements.ts'

export interface DockerResult {
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
}

// The classic builder on purpose: Debian's engine has no BuildKit, and the Dockerfile must not
// depend on it.
const dockerEnv = { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CLI_HINTS: 'false' }

/** Runs the docker CLI to completion; never throws on a non-zero exit. */
export async function docker(args: string[], timeoutMs = 60_000): Promise<DockerResult> {
  const started = performance.now()
  const { code, stdout, stderr } = await runToEnd(['docker', ...args], {
    env: dockerEnv,
    timeoutMs,
    killSignal: 'SIGKILL',
  })
  return { exitCode: code, stdout, stderr, durationMs: performance.now() - started }
}

/** Runs the docker CLI and returns its trimmed stdout; throws with its output when it fails. */
export async function dockerOk(args: string[], timeoutMs?: number): Promise<string> {
  const result = await docker(args, timeoutMs)
  if (result.exitCode !== 0) {
    const tail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-30).join('\n')
    throw new Error(
      `docker ${args.slice(0, 3).join(' ')} … failed (exit ${result.exitCode}):\n${tail}`,
    )
  }
  return result.stdout.trim()
}

const engineAnswers = async (): Promise<boolean> =>
  (await docker(['info', '--format', '{{.ServerVersion}}'], 10_000)).exitCode === 0

function startDockerd(): string {
  const dir = join(tmpdir(), 'small-services-dockerd')
  mkdirSync(dir, { recursive: true })
  const logFile = join(dir, 'dockerd.log')
  const fd = openSync(logFile, 'a')
  // No bridge and no iptables: containers use the host network and loopback ports only.
  const proc = Bun.spawn(['setsid', 'dockerd', '--bridge=none', '--iptables=false'], {
    stdio: ['ignore', fd, fd],
  })
  proc.unref()
  closeSync(fd)
  return logFile
}

export interface Engine {
  ok: boolean
  /** Why the container tests cannot run here (when !ok), in one line. */
  reason: string
}

/** A running engine: the one that answers, or a `dockerd` started here (left running for reuse). */
export async function dockerEngine(): Promise<Engine> {
  if (!hasCommand('docker')) {
    return { ok: false, reason: 'container tests need the docker CLI: apt-get install docker.io' }
  }
  if (await engineAnswers()) return { ok: true, reason: '' }
  if (!isRoot() || !hasCommand('dockerd')) {
    return {
      ok: false,
      reason: 'container tests need a Docker engine this user can reach, or root to start dockerd',
    }
  }
  const logFile = startDockerd()
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (await engineAnswers()) return { ok: true, reason: '' }
    await Bun.sleep(500)
  }
  return { ok: false, reason: `dockerd did not answer within 30 s: see ${logFile}` }
}
