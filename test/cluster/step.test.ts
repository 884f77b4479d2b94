// scripts/cluster/step.sh: the progress and failure lines every cluster recipe relies on.
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { fakeBin, processesWith, repoRoot, run } from './fake-tools.ts'

const stepScript = join(repoRoot, 'scripts/cluster/step.sh')

async function step(args: string[], fakes: Record<string, string> = {}, env = {}) {
  const bin = await fakeBin(fakes)
  const result = await run([stepScript, ...args], { env: { PATH: bin.shadowPath, ...env } })
  return { ...result, bin }
}

describe('step.sh', () => {
  test('a long step names itself and the command, and says how long it took', async () => {
    const result = await step(['load', 'kind', 'load', 'docker-image', 'a:v1'], { kind: 'exit 0' })
    expect(result.stderr).toBe(
      '==> load the images into the kind cluster dev-cluster\n    $ kind load docker-image a:v1\n<== load the images into the kind cluster dev-cluster: done in 0s\n',
    )
    expect(result.code).toBe(0)
    expect(await result.bin.calls()).toEqual(['kind load docker-image a:v1'])
  })

  test("a short step is silent and its stdout stays the command's own (redirectable)", async () => {
    const result = await step(['context', 'kubectl', 'config', 'current-context'], {
      kubectl: 'echo kind-dev-cluster',
    })
    expect(result.stdout).toBe('kind-dev-cluster\n')
    expect(result.stderr).toBe('')
  })

  test('a failure prints the step, the exact command and the next action, and keeps the exit code', async () => {
    const result = await step(['images', 'just', 'images'], {
      just: 'echo "build broke" >&2; exit 3',
    })
    expect(result.code).toBe(3)
    expect(result.stderr).toBe(
      [
        '==> build the images',
        '    $ just images',
        'build broke',
        'error: step "build the images" failed (exit 3 after 0s)',
        '  command: just images',
        '  next: fix the build error above, then run `just images` (and `just up` again)',
        '',
      ].join('\n'),
    )
  })

  test('a command that is not installed points at `just preflight`', async () => {
    const bin = await fakeBin({})
    const result = await run([stepScript, 'down', 'kind', 'delete', 'cluster'], {
      env: { PATH: bin.barePath },
    })
    expect(result.code).toBe(127)
    expect(result.stderr).toContain(
      '  next: `kind` is not installed: `just preflight` lists what is missing and how to install it\n',
    )
  })

  test('a rollout stuck on ErrImageNeverPull says to load the images', async () => {
    const kubectl = `case "$1" in rollout) echo 'error: timed out waiting for the condition' >&2; exit 1 ;;
      get) echo 'ErrImageNeverPull ' ;; esac`
    const result = await step(
      [
        'rollout',
        'kubectl',
        'rollout',
        'status',
        'deployment/backend-api',
        '-n',
        'backend-namespace',
      ],
      { kubectl },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      '  next: image not found in the cluster: run `just load` (after `just images`), then `just up` again\n',
    )
    const calls = await result.bin.calls()
    expect(calls[1]).toStartWith('kubectl get pods -n backend-namespace -o jsonpath=')
  })

  test.each([
    ['CrashLoopBackOff', 'the container keeps crashing: `just logs data-api` shows why'],
    [
      'CreateContainerConfigError',
      'a Secret or ConfigMap the pod needs is missing: `just check-secrets ENV`, then `just deploy ENV`',
    ],
    [
      '',
      '`just status`, then `kubectl describe pods -n data-namespace` and `kubectl get events -n data-namespace --sort-by=.lastTimestamp`',
    ],
  ])('a rollout stuck on "%s" gets its own next action', async (reason, next) => {
    const kubectl = `case "$1" in rollout) exit 1 ;; get) echo '${reason} ' ;; esac`
    const result = await step(
      ['rollout', 'kubectl', 'rollout', 'status', 'deployment/data-api', '-n', 'data-namespace'],
      { kubectl },
    )
    expect(result.stderr).toContain(`  next: ${next}\n`)
  })

  test('kubectl diff exiting 1 (differences shown) is a success; 2 (an error) is not', async () => {
    const differs = await step(['diff', 'kubectl', 'diff', '-k', 'x'], { kubectl: 'exit 1' })
    expect(differs.code).toBe(0)
    expect(differs.stderr).toBe('    (the changes above will be applied)\n')
    const broken = await step(['diff', 'kubectl', 'diff', '-k', 'x'], { kubectl: 'exit 2' })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('error: step "diff against the cluster" failed (exit 2')
  })

  test('a long step reports it is still running, then stops reporting when done', async () => {
    const marker = `marker-${process.pid}-${Date.now()}`
    const result = await step(
      ['monitoring', 'just', 'monitoring', marker],
      { just: 'sleep 2.5' },
      {
        STEP_HEARTBEAT_SECONDS: '1',
      },
    )
    const beats = result.stderr.split('\n').filter((l) => l.startsWith('... still running'))
    expect(beats.length).toBeGreaterThanOrEqual(1)
    expect(beats[0]).toMatch(
      /^\.\.\. still running: install monitoring \(kube-prometheus-stack\) \(\d+s\)$/,
    )
    expect(result.stderr).toMatch(
      /<== install monitoring \(kube-prometheus-stack\): done in [23]s\n$/,
    )
    expect(await processesWith(marker)).toEqual([])
  }, 15_000)

  test('an unknown step key or a missing command is a usage error', async () => {
    expect((await step(['nope', 'true'])).code).toBe(2)
    expect((await step(['nope', 'true'])).stderr).toBe("step.sh: unknown step key 'nope'\n")
    expect((await step(['load'])).stderr).toBe('usage: step.sh KEY COMMAND [ARG...]\n')
  })
})
