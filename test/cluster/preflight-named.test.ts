// preflight.sh with named checks, as `just images` (`docker`) and `just monitoring` (`--installed
// helm kubectl cluster`) call it: only those tools are asked, with the same advice as `just preflight`.
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { fakeBin, healthyTools, repoRoot, run } from './fake-tools.ts'

const helmAdvice = '`brew install helm`, or https://helm.sh/docs/intro/install/'
const unreachable =
  'preflight: kubectl reaches no cluster (`kubectl cluster-info` failed): create it with `just cluster`, or pick its context with `kubectl config use-context`; then rerun'
const summary = (n: number) =>
  `preflight: ${n} problem(s), nothing was changed: fix them and run \`just preflight\` again`

async function preflight(
  fakes: Record<string, string>,
  args: string[],
  env: Record<string, string> = {},
) {
  const bin = await fakeBin(fakes)
  const result = await run(['/bin/bash', join(repoRoot, 'scripts/cluster/preflight.sh'), ...args], {
    env: { PATH: bin.barePath, ...env },
  })
  return { ...result, lines: result.stderr.split('\n').filter(Boolean), calls: await bin.calls() }
}

/** kubectl that reports its version and answers `cluster-info` with this exit code. */
const kubectlReaching = (code: number) =>
  `case "$1" in version) echo "Client Version: v1.32.2" ;; cluster-info) exit ${code} ;; esac`

describe('preflight.sh with named checks', () => {
  test('docker: the CLI version and the engine, no other tool', async () => {
    const result = await preflight(healthyTools(), ['docker'])
    expect(result.stdout).toBe('preflight: ok: docker 27.3.1 (engine reachable)\n')
    expect(result.code).toBe(0)
    expect(result.calls).toEqual(['docker --version', 'docker info'])
  })

  test('--installed helm kubectl cluster: presence only, then cluster-info', async () => {
    const result = await preflight({ helm: 'exit 1', kubectl: kubectlReaching(0) }, [
      '--installed',
      'helm',
      'kubectl',
      'cluster',
    ])
    expect(result.stdout).toBe('preflight: ok: helm, kubectl (cluster reachable)\n')
    expect(result.code).toBe(0)
    expect(result.calls).toEqual(['kubectl cluster-info'])
  })

  test('a cluster that does not answer: how to create or pick one, exit 1', async () => {
    const result = await preflight({ helm: '', kubectl: kubectlReaching(1) }, [
      '--installed',
      'helm',
      'kubectl',
      'cluster',
    ])
    expect(result.lines).toEqual([unreachable, summary(1)])
    expect(result.code).toBe(1)
  })

  test('a tool missing: the same advice as `just preflight`, and kubectl is not asked', async () => {
    const result = await preflight({ kubectl: kubectlReaching(0) }, [
      '--installed',
      'helm',
      'kubectl',
      'cluster',
    ])
    expect(result.lines).toEqual([
      `preflight: helm is not installed (need >= 3.8.0): ${helmAdvice}`,
      summary(1),
    ])
    expect(result.calls).toEqual([])
    expect(result.code).toBe(1)
  })

  test('PREFLIGHT_PASSED=1 (set by `just up` after its preflight) skips a named check', async () => {
    const result = await preflight({}, ['docker'], { PREFLIGHT_PASSED: '1' })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const whole = await preflight({}, [], { PREFLIGHT_PASSED: '1' })
    expect(whole.lines.at(-1)).toBe(summary(5))
    expect(whole.code).toBe(1)
  })

  test('an unknown check is a usage error that lists the known ones, before any tool runs', async () => {
    const result = await preflight(healthyTools(), ['docker', 'podman'])
    expect(result.lines).toEqual([
      "preflight: unknown check 'podman'; next: use docker, kind, kubectl, helm, bun or cluster",
    ])
    expect(result.calls).toEqual([])
    expect(result.code).toBe(2)
  })
})
