// The helper scripts of the cluster recipes, each against a fake kubectl: job waiting, the two
// port-forwards, the env-file check and the summary.
import { describe, expect, test } from 'bun:test'
import { copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  fakeBin,
  processesWith,
  projectCopy,
  repoRoot,
  run,
  testWithKubectl,
} from './fake-tools.ts'

const script = (name: string) => join(repoRoot, 'scripts/cluster', name)

describe('wait-job.sh', () => {
  test('a job that never finishes is reported after the timeout with what to look at', async () => {
    const bin = await fakeBin({ kubectl: 'echo ""' })
    const result = await run([script('wait-job.sh'), 'health-namespace', 'j1', '1'], {
      env: { PATH: bin.shadowPath, WAIT_JOB_POLL_SECONDS: '0.2' },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'job/j1 still running after 1s: `kubectl describe job j1 -n health-namespace` and `kubectl get pods -n health-namespace` show why (ErrImageNeverPull: `just load`)\n',
    )
  }, 10_000)

  test('a cluster that cannot be asked fails at once', async () => {
    const bin = await fakeBin({ kubectl: 'echo "connection refused" >&2; exit 1' })
    const result = await run([script('wait-job.sh'), 'health-namespace', 'j1'], {
      env: { PATH: bin.shadowPath },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'cannot read job/j1 in health-namespace: is the cluster reachable? `just status`',
    )
  })

  test('a complete job: its log, then how long it took', async () => {
    const bin = await fakeBin({
      kubectl:
        'case "$1" in get) echo "SuccessCriteriaMet Complete " ;; logs) echo "all ok" ;; esac',
    })
    const result = await run([script('wait-job.sh'), 'ns', 'j2'], { env: { PATH: bin.shadowPath } })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('--- log of job/j2\nall ok\n---\njob/j2 completed in 0s\n')
  })
})

describe('port-forward.sh', () => {
  // `get pods` answers name, Ready and deletionTimestamp per pod: the old pod of a rollout is
  // still Ready while it shuts down, and must not be chosen.
  const pods = `echo "backend-api-old True 2026-12-02T09:00:00Z"; echo "\${6#app=}-new True "`
  const forwarding = (marker: string) => `case "$1" in
    get) ${pods} ;;
    *) echo "Forwarding from 127.0.0.1:\${5%%:*}"; exec sleep 30.${marker} ;;
  esac`

  test('forwards both services, and Ctrl-C stops both', async () => {
    const marker = String(process.pid)
    const bin = await fakeBin({ kubectl: forwarding(marker) })
    const proc = Bun.spawn([script('port-forward.sh')], {
      env: { PATH: bin.shadowPath },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    await Bun.sleep(700)
    proc.kill('SIGINT')
    expect(await proc.exited).toBe(130)
    const stdout = await new Response(proc.stdout).text()
    expect(stdout).toContain('Forwarding from 127.0.0.1:5000')
    expect(stdout).toContain('Forwarding from 127.0.0.1:5001')
    expect(stdout).toContain(
      'backend: http://localhost:5000 (Swagger UI at /swagger), data: http://localhost:5001',
    )
    expect((await bin.calls()).filter((c) => c.includes('port-forward')).sort()).toEqual([
      'kubectl port-forward -n backend-namespace pod/backend-api-new 5000:5000',
      'kubectl port-forward -n data-namespace pod/data-api-new 5001:5000',
    ])
    expect(await processesWith(`sleep 30.${marker}`)).toEqual([])
  }, 10_000)

  test('when one forward dies (port taken) the other is stopped and the reason is given', async () => {
    const marker = `${process.pid}1`
    const kubectl = `case "$1" in get) ${pods}; exit 0 ;; esac
      if [ "$5" = 5001:5000 ]; then echo "Unable to listen on port 5001: address already in use" >&2; exit 1; fi
      exec sleep 30.${marker}`
    const bin = await fakeBin({ kubectl })
    const result = await run([script('port-forward.sh')], {
      env: { PATH: bin.shadowPath },
      timeoutMs: 8000,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Unable to listen on port 5001: address already in use')
    expect(result.stderr).toContain(
      'error: a port-forward stopped (exit 1); next: "address already in use" means something holds 5000 or 5001',
    )
    expect(await processesWith(`sleep 30.${marker}`)).toEqual([])
  }, 10_000)
})

describe('port-forward.sh without a Ready pod', () => {
  test('says so and what to run, and forwards nothing', async () => {
    const bin = await fakeBin({ kubectl: 'case "$1" in get) echo "backend-api-x False " ;; esac' })
    const result = await run([script('port-forward.sh')], { env: { PATH: bin.shadowPath } })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error: no Ready pod of backend-api in backend-namespace')
    expect((await bin.calls()).filter((c) => c.includes('port-forward'))).toEqual([])
  })
})

describe('overlay-env.sh', () => {
  test('lists the missing env files of an overlay, nothing once they exist', async () => {
    const project = await projectCopy()
    const missing = await run([script('overlay-env.sh'), 'prod'], { cwd: project })
    expect(missing.stdout).toBe('k8s/overlays/prod/integration-keys.env\n')
    expect(missing.code).toBe(0)
    await writeFile(join(project, 'k8s/overlays/prod/integration-keys.env'), 'X=1\n')
    const present = await run([script('overlay-env.sh'), 'prod'], { cwd: project })
    expect(present.stdout).toBe('')
    expect(present.code).toBe(0)
  })

  test('an unknown environment names the ones that exist, exit 2', async () => {
    const result = await run([script('overlay-env.sh'), 'qa'])
    expect(result.stderr).toBe(
      'error: no overlay k8s/overlays/qa; next: use one of: dev prod staging\n',
    )
    expect(result.code).toBe(2)
  })
})

describe('overlay-tag.sh', () => {
  testWithKubectl(
    'reads the tag from the rendered overlay: dev v1, staging and prod 1.0.0',
    async () => {
      const project = await projectCopy()
      for (const env of ['dev', 'staging', 'prod']) {
        const keys = join(project, 'k8s/overlays', env, 'integration-keys.env')
        await copyFile(`${keys}.example`, keys)
      }
      const path = { PATH: process.env.PATH ?? '' }
      const tag = async (env: string) =>
        (await run([script('overlay-tag.sh'), env], { cwd: project, env: path })).stdout
      expect(await tag('dev')).toBe('v1\n')
      expect(await tag('staging')).toBe('1.0.0\n')
      expect(await tag('prod')).toBe('1.0.0\n')
    },
  )

  testWithKubectl(
    'an overlay that does not render (env file missing) points at `just render`',
    async () => {
      const project = await projectCopy()
      const result = await run([script('overlay-tag.sh'), 'staging'], {
        cwd: project,
        env: { PATH: process.env.PATH ?? '' },
      })
      expect(result.code).toBe(1)
      expect(result.stderr).toEndWith(
        'error: k8s/overlays/staging does not render; next: `just render staging` shows why\n',
      )
    },
  )

  test('three images with different tags are refused: `just up` builds one tag', async () => {
    const bin = await fakeBin({
      // the second call prints the images of the parsed objects, one a line
      kubectl: `[ "$1" = patch ] && printf 'backend-api:v1\\ndata-api:v2\\nother:v3\\n'; exit 0`,
    })
    const result = await run([script('overlay-tag.sh'), 'dev'], { env: { PATH: bin.shadowPath } })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'error: k8s/overlays/dev uses several tags (v1 v2); next: `just up` builds one tag for the three images: use one newTag\n',
    )
  })
})

describe('summary.sh', () => {
  test('pods of the three namespaces, the URLs, the next commands, and how long `up` took', async () => {
    const bin = await fakeBin({
      kubectl:
        'case "$1 $2" in "config current-context") echo kind-dev-cluster ;; *secret*) echo "s3cret-password" ;; *) echo "pod-in-$4" ;; esac',
    })
    const started = Math.floor(Date.now() / 1000) - 125
    const result = await run([script('summary.sh'), 'staging', String(started)], {
      env: { PATH: bin.shadowPath },
    })
    expect(result.code).toBe(0)
    for (const ns of ['backend-namespace', 'data-namespace', 'health-namespace']) {
      expect(result.stdout).toContain(`== ${ns}\npod-in-${ns}\n`)
    }
    expect(result.stdout).toMatch(/Stack ready: overlay staging on kind-dev-cluster in 2m[5-9]s\./)
    expect(result.stdout).toContain('Prometheus     http://127.0.0.1:30000')
    expect(result.stdout).toContain('Alertmanager   http://127.0.0.1:32000')
    expect(result.stdout).toContain('node-exporter  http://127.0.0.1:32001/metrics')
    expect(result.stdout).not.toContain('s3cret')
    expect((await bin.calls()).some((c) => c.includes('secret'))).toBe(false)
  })
})
