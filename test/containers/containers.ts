// Runs the images the way the manifests do: host network on loopback ports, read-only root,
// numeric non-root user, no capabilities, no privilege escalation, writable only at the log path.
import { chmod } from 'node:fs/promises'
import { freePort } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'
import { type DockerResult, docker, dockerOk } from './engine.ts'

const hardening = [
  '--network',
  'host',
  '--read-only',
  '--user',
  '65532:65532',
  '--cap-drop',
  'ALL',
  '--security-opt',
  'no-new-privileges',
]

const created = new Set<string>()

/**
 * Removes the containers made so far. Call it from each test file's afterAll: a hook registered in
 * this shared module would only run after the first file that imports it.
 */
export async function removeTestContainers(): Promise<void> {
  if (created.size > 0) await docker(['rm', '-f', ...created])
  created.clear()
}

// Last resort when a run is interrupted: no async work is possible in an exit handler.
process.on('exit', () => {
  if (created.size > 0)
    Bun.spawnSync(['docker', 'rm', '-f', ...created], { stdout: 'ignore', stderr: 'ignore' })
})

/** A host directory the container user 65532 can write, removed at the end of the run. */
export async function writableDir(label: string): Promise<string> {
  const dir = await tempDir(`small-services-${label}`)
  await chmod(dir, 0o777)
  return dir
}

const envArgs = (env: Record<string, string>) =>
  Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`])

export interface ServiceContainer {
  name: string
  url: string
  logsDir: string
  logs(): Promise<string>
  /** `docker stop` (SIGTERM to PID 1, SIGKILL after `graceSeconds`): how long and the exit code. */
  stop(graceSeconds?: number): Promise<{ exitCode: number; durationMs: number }>
}

async function waitReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status)
      .catch(() => 0)
    if (status === 200) return
    const running = await docker(['inspect', '-f', '{{.State.Running}}', name])
    if (running.stdout.trim() !== 'true') break
    await Bun.sleep(50)
  }
  const logs = await docker(['logs', name])
  throw new Error(`container ${name} did not answer ${url}/healthz:\n${logs.stdout}${logs.stderr}`)
}

/** Starts a service image detached on a free loopback port with a host dir mounted at /logs. */
export async function startService(
  image: string,
  env: Record<string, string> = {},
): Promise<ServiceContainer> {
  const port = await freePort()
  const logsDir = await writableDir('logs')
  const name = `small-services-test-${image.replace(/[^a-z0-9]+/g, '-')}-${port}`
  created.add(name)
  await dockerOk([
    'run',
    '--detach',
    '--name',
    name,
    ...hardening,
    '--mount',
    `type=bind,source=${logsDir},target=/logs`,
    ...envArgs({ PORT: String(port), LOG_DIR: '/logs', ...env }),
    image,
  ])
  const url = `http://127.0.0.1:${port}`
  await waitReady(name, url)
  return {
    name,
    url,
    logsDir,
    async logs() {
      const result = await docker(['logs', name])
      return result.stdout + result.stderr
    },
    async stop(graceSeconds = 10) {
      const stopped = await docker(['stop', '-t', String(graceSeconds), name], 60_000)
      if (stopped.exitCode !== 0) throw new Error(`docker stop ${name} failed: ${stopped.stderr}`)
      const exitCode = Number(await dockerOk(['inspect', '-f', '{{.State.ExitCode}}', name]))
      return { exitCode, durationMs: stopped.durationMs }
    },
  }
}

export interface Mount {
  source: string
  target: string
  readOnly?: boolean
}

/** Runs a one-shot image (the health check) to completion with a host dir mounted. */
export async function runOnce(
  image: string,
  opts: {
    env?: Record<string, string>
    mount: Mount
    args?: string[]
  },
): Promise<DockerResult> {
  return docker([
    'run',
    '--rm',
    ...hardening,
    '--mount',
    `type=bind,source=${opts.mount.source},target=${opts.mount.target}${opts.mount.readOnly ? ',readonly' : ''}`,
    ...envArgs(opts.env ?? {}),
    image,
    ...(opts.args ?? []),
  ])
}
