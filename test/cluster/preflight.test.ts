// `just preflight` against a PATH that holds only fake tools (missing, too old, present): the
// exact lines a user reads and the exit codes, and `just up` stopping before it touches anything.
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  fakeBin,
  healthyTools,
  projectCopy,
  realJust,
  repoRoot,
  run,
  toolAt,
  type versions,
} from './fake-tools.ts'

type Tool = keyof typeof versions

const install: Record<Tool, string> = {
  docker:
    'install Docker Desktop (macOS: `brew install --cask docker`) or Docker Engine on Linux (`sudo apt-get install docker.io`, or https://docs.docker.com/engine/install/)',
  kind: '`brew install kind`, or `go install sigs.k8s.io/kind@latest`, or a release binary from https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  kubectl:
    "`brew install kubectl`, or https://kubernetes.io/docs/tasks/tools/ (not Debian's kubernetes-client: it is 1.20)",
  helm: '`brew install helm`, or https://helm.sh/docs/intro/install/',
  bun: '`npm i -g bun`, or `brew install oven-sh/bun/bun`, or https://bun.sh/docs/installation',
}
const minimum: Record<Tool, string> = {
  docker: '20.10.0',
  kind: '0.30.0',
  kubectl: '1.27.0',
  helm: '3.8.0',
  bun: '1.4.0',
}
const tools = Object.keys(minimum) as Tool[]
const summary = (n: number) =>
  `preflight: ${n} problem(s), nothing was changed: fix them and run \`just preflight\` again`
const okLine =
  'preflight: ok: docker 27.3.1 (engine reachable), kind 0.30.1, kubectl 1.32.2, helm 3.16.2, bun 1.4.5\n'

async function preflight(fakes: Record<string, string>) {
  const bin = await fakeBin(fakes)
  const result = await run(['/bin/bash', join(repoRoot, 'scripts/cluster/preflight.sh')], {
    env: { PATH: bin.barePath },
  })
  return { ...result, lines: result.stderr.split('\n').filter(Boolean), bin }
}

const without = (tool: Tool) => {
  const fakes = healthyTools()
  delete fakes[tool]
  return fakes
}

describe('preflight', () => {
  test('every tool present and recent, engine reachable: one ok line, exit 0', async () => {
    const result = await preflight(healthyTools())
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe(okLine)
    expect(result.code).toBe(0)
  })

  test.each(tools)('%s missing: one line saying how to install it, exit 1', async (tool) => {
    const result = await preflight(without(tool))
    expect(result.lines).toEqual([
      `preflight: ${tool} is not installed (need >= ${minimum[tool]}): ${install[tool]}`,
      summary(1),
    ])
    expect(result.stdout).toBe('')
    expect(result.code).toBe(1)
  })

  const tooOld: [Tool, string][] = [
    ['docker', '19.03.15'],
    ['kind', '0.11.1'],
    ['kubectl', '1.26.9'],
    ['helm', '3.7.2'],
    ['bun', '1.3.11'],
  ]
  test.each(tooOld)('%s %s is too old: one line with the minimum, exit 1', async (tool, old) => {
    const result = await preflight({ ...healthyTools(), [tool]: toolAt(tool, old) })
    expect(result.lines).toEqual([
      `preflight: ${tool} ${old} is too old (need >= ${minimum[tool]}): ${install[tool]}`,
      summary(1),
    ])
    expect(result.code).toBe(1)
  })

  test('the minimum versions themselves pass; numbers compare as numbers (1.100 > 1.27)', async () => {
    const atMinimum = await preflight({
      docker: toolAt('docker', '20.10.0'),
      kind: toolAt('kind', '0.30.0'),
      kubectl: toolAt('kubectl', '1.100.0'),
      helm: toolAt('helm', '3.8'),
      bun: toolAt('bun', '1.4.0'),
    })
    expect(atMinimum.stdout).toBe(
      'preflight: ok: docker 20.10.0 (engine reachable), kind 0.30.0, kubectl 1.100.0, helm 3.8, bun 1.4.0\n',
    )
    expect(atMinimum.code).toBe(0)
  })

  test("Debian's kubectl 1.20 (old version struct output) is too old", async () => {
    const debian = `echo 'Client Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.15"}'`
    const result = await preflight({ ...healthyTools(), kubectl: debian })
    expect(result.lines[0]).toBe(
      `preflight: kubectl 1.20.15 is too old (need >= 1.27.0): ${install.kubectl}`,
    )
    expect(result.code).toBe(1)
  })

  test('a version that cannot be read is a problem, named with the command tried', async () => {
    const result = await preflight({ ...healthyTools(), helm: 'echo "helm: unknown flag"' })
    expect(result.lines[0]).toBe(
      `preflight: helm: could not read its version from \`helm version --short\` (need >= 3.8.0): ${install.helm}`,
    )
    expect(result.code).toBe(1)
  })

  test('docker engine not running: the first line of `docker info` and how to start it', async () => {
    const docker = `case "$1" in --version) ${'echo "Docker version 27.3.1, build 1"'} ;;
      info) echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2; echo detail >&2; exit 1 ;; esac`
    const result = await preflight({ ...healthyTools(), docker })
    expect(result.lines).toEqual([
      'preflight: docker engine not reachable (`docker info` failed: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?): start Docker Desktop, or `sudo systemctl start docker` on Linux; then `just preflight`',
      summary(1),
    ])
    expect(result.code).toBe(1)
  })

  test('docker socket not permitted: how to join the docker group', async () => {
    const docker = `case "$1" in --version) echo "Docker version 27.3.1, build 1" ;;
      info) echo 'permission denied while trying to connect to the Docker daemon socket' >&2; exit 1 ;; esac`
    const result = await preflight({ ...healthyTools(), docker })
    expect(result.lines[0]).toBe(
      'preflight: docker engine refuses this user (`docker info`: permission denied): `sudo usermod -aG docker $USER`, log in again, then `just preflight`',
    )
    expect(result.code).toBe(1)
  })

  test('an engine that does not answer is reported after the timeout, not waited for', async () => {
    const docker = `case "$1" in --version) echo "Docker version 27.3.1, build 1" ;; info) exec sleep 30 ;; esac`
    const bin = await fakeBin({ ...healthyTools(), docker }, ['timeout', 'sleep'])
    const started = Date.now()
    const result = await run(['/bin/bash', join(repoRoot, 'scripts/cluster/preflight.sh')], {
      env: { PATH: bin.barePath, PREFLIGHT_DOCKER_TIMEOUT: '1' },
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(result.stderr).toContain(
      'docker engine not reachable (`docker info` failed: no answer in 1s)',
    )
    expect(result.code).toBe(1)
  }, 20_000)

  test('nothing installed: five lines, one per tool, and the count', async () => {
    const result = await preflight({})
    expect(result.lines).toEqual([
      ...tools.map(
        (t) => `preflight: ${t} is not installed (need >= ${minimum[t]}): ${install[t]}`,
      ),
      summary(5),
    ])
    expect(result.code).toBe(1)
  })
})

describe('just preflight and just up', () => {
  test('`just preflight` runs the script: same lines, exit 1 on a problem, 0 when fine', async () => {
    const just = await realJust()
    const bad = await fakeBin(without('helm'))
    const failing = await run([just, 'preflight'], { env: { PATH: bad.barePath } })
    expect(failing.stderr).toContain(
      `preflight: helm is not installed (need >= 3.8.0): ${install.helm}\n`,
    )
    expect(failing.stderr).toContain(summary(1))
    expect(failing.code).toBe(1)
    const good = await fakeBin(healthyTools())
    const passing = await run([just, 'preflight'], { env: { PATH: good.barePath } })
    expect(passing.stdout).toBe(okLine)
    expect(passing.code).toBe(0)
  })

  test('`just up` with a tool missing stops at preflight: nothing created, built or loaded', async () => {
    const project = await projectCopy()
    const bin = await fakeBin({ ...without('kind'), just: 'exit 0' })
    const result = await run([await realJust(), 'up'], {
      cwd: project,
      env: { PATH: bin.barePath },
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('preflight: kind is not installed')
    const calls = await bin.calls()
    expect(calls.every((c) => / (--version|version|info)\b/.test(c))).toBe(true)
    expect(calls.some((c) => c.startsWith('just '))).toBe(false)
    expect(existsSync(join(project, 'k8s/overlays/dev/integration-keys.env'))).toBe(false)
  })
})
