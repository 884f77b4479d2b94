// load-images.sh (the archive fallback for Docker's containerd image store) and confirm-context.sh
// (the guard of `just deploy`), each against fake tools.
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { fakeBin, repoRoot, run } from './fake-tools.ts'

const testWithScript = testWhen(
  hasCommand('script'),
  'util-linux `script` is not installed (it gives the prompt a terminal): apt-get install util-linux',
)

const script = (name: string) => join(repoRoot, 'scripts/cluster', name)
const images = ['backend-api:v1', 'data-api:v1', 'health-check:v1']

// docker save writes the archive it is asked for, so the test can see it removed afterwards.
const docker = `case "$1" in
  version) echo linux/amd64 ;;
  save) for a in "$@"; do [ "$prev" = -o ] && echo archive > "$a" && echo "$a" > "$fake_dir/archive"; prev=$a; done ;;
esac`
const kind = (docker_image: string) => `case "$2" in
  docker-image) ${docker_image} ;;
esac`

describe('load-images.sh', () => {
  test('kind load docker-image when it works, nothing else', async () => {
    const bin = await fakeBin({ kind: kind('exit 0'), docker })
    const result = await run([script('load-images.sh'), 'dev-cluster', ...images], {
      env: { PATH: bin.shadowPath },
    })
    expect(result.code).toBe(0)
    expect(await bin.calls()).toEqual([
      `kind load docker-image ${images.join(' ')} --name dev-cluster`,
    ])
  })

  test('"content digest not found": one-platform docker save + kind load image-archive, archive removed', async () => {
    const failing =
      'echo "ERROR: failed to load image: ctr: content digest sha256:0f: not found" >&2; exit 1'
    const bin = await fakeBin({ kind: kind(failing), docker })
    const result = await run([script('load-images.sh'), 'dev-cluster', ...images], {
      env: { PATH: bin.shadowPath },
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('loading through an image archive instead')
    const archive = (await Bun.file(join(bin.dir, 'archive')).text()).trim()
    expect(await bin.calls()).toEqual([
      `kind load docker-image ${images.join(' ')} --name dev-cluster`,
      'docker version --format {{.Server.Os}}/{{.Server.Arch}}',
      `docker save --platform linux/amd64 -o ${archive} ${images.join(' ')}`,
      `kind load image-archive ${archive} --name dev-cluster`,
    ])
    expect(existsSync(archive)).toBe(false)
  })

  test('an image docker does not have: says to build it', async () => {
    const bin = await fakeBin({ kind: kind('exit 1'), docker: '[ "$1" = save ] && exit 1; exit 0' })
    const result = await run([script('load-images.sh'), 'dev-cluster', ...images], {
      env: { PATH: bin.shadowPath },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('`just images TAG` builds them')
    expect((await bin.calls()).some((c) => c.startsWith('kind load image-archive'))).toBe(false)
  })
})

describe('confirm-context.sh', () => {
  const confirm = (context: string, env: Record<string, string> = {}) =>
    run([script('confirm-context.sh'), context, 'k8s/overlays/prod'], { env })

  test('kind-dev-cluster needs no confirmation; another context needs YES=1 without a terminal', async () => {
    expect((await confirm('kind-dev-cluster')).code).toBe(0)
    const refused = await confirm('prod-eu-1')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('run `YES=1 just deploy ...` to apply k8s/overlays/prod there')
    expect((await confirm('prod-eu-1', { YES: '1' })).code).toBe(0)
    expect((await confirm('prod-eu-1', { YES: 'true' })).code).toBe(1)
  })

  test('under the e2e provider its own context e2e-node needs none, and kind-dev-cluster does', async () => {
    const e2e = { CLUSTER_PROVIDER: 'e2e-node' }
    expect((await confirm('e2e-node', e2e)).code).toBe(0)
    expect((await confirm('e2e-node')).code).toBe(1)
    const kind = await confirm('kind-dev-cluster', e2e)
    expect(kind.code).toBe(1)
    expect(kind.stderr).toContain('is not the local e2e-node')
  })

  test('an unknown provider is a usage error, nothing applied', async () => {
    const result = await confirm('kind-dev-cluster', { CLUSTER_PROVIDER: 'minikube' })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("unknown CLUSTER_PROVIDER 'minikube'")
  })

  for (const [answer, code] of [
    ['yes', 0],
    ['no', 1],
  ] as const) {
    testWithScript(`at a terminal, typing "${answer}" exits ${code}`, async () => {
      const command = `printf '${answer}\\n' | script -qec '${script('confirm-context.sh')} prod-eu-1 k8s/overlays/prod' /dev/null`
      const result = await run(['bash', '-c', command], { env: { PATH: process.env.PATH ?? '' } })
      expect(result.stdout).toContain('Apply k8s/overlays/prod there? Type yes:')
      expect(result.code).toBe(code)
    })
  }
})
