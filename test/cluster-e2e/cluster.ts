// What the end-to-end suite shares: the cluster it runs on, a copy of the repository to run our
// recipes in, commands, waiting, and the fixture image. The suite runs through `just e2e`
// (test/cluster-e2e/run.sh), which brings the cluster up and sets E2E_CLUSTER; on the e2e node it
// runs inside the node's network namespace, so the test reaches Service and pod addresses directly.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { runToEnd } from '../../scripts/process.ts'
import { testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'

export const repoRoot = resolve(import.meta.dir, '../..')
export const provider = process.env.CLUSTER_PROVIDER ?? 'kind'

/** Tests that need the cluster: a clear skip outside `just e2e` on a laptop, a failure under CI. */
export const onCluster = testWhen(
  Boolean(process.env.E2E_CLUSTER),
  'cluster e2e tests run through `just e2e` (it starts the cluster first)',
)

export const MINUTE = 60_000

export interface Run {
  code: number
  stdout: string
  stderr: string
  /** stdout, then stderr. */
  output: string
  /** The end of `output`, for assertion messages. */
  tail: string
}

/** Runs a command to completion in `cwd` (the project copy by default), with the test's env. */
export async function sh(
  command: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; stdin?: string } = {},
): Promise<Run> {
  const { code, stdout, stderr } = await runToEnd(command, {
    cwd: opts.cwd ?? (await project()),
    env: { ...process.env, ...opts.env },
    stdin: opts.stdin,
    timeoutMs: opts.timeoutMs ?? 2 * MINUTE,
    killSignal: 'SIGKILL',
  })
  const output = `${stdout}${stderr}`
  return { code, stdout, stderr, output, tail: output.slice(-4000) }
}

/** Like `sh`, but throws with the command's output when it fails. */
export async function ok(command: string[], opts: Parameters<typeof sh>[1] = {}): Promise<string> {
  const result = await sh(command, opts)
  if (result.code !== 0) {
    throw new Error(`${command.join(' ')} failed (exit ${result.code}):\n${result.output.trim()}`)
  }
  return result.stdout
}

export const just = (...args: string[]) => sh(['just', ...args], { timeoutMs: 15 * MINUTE })
export const kubectl = (...args: string[]) => ok(['kubectl', ...args])
export const kubectlJson = async <T = Record<string, unknown>>(...args: string[]): Promise<T> =>
  JSON.parse(await kubectl(...args, '-o', 'json')) as T

/** Polls `probe` until it returns a value other than undefined; throws with `what` on timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = MINUTE,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    await Bun.sleep(500)
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`)
}

/** Keys made up for this run: what the Secrets carry, and what must never show up anywhere. */
export const keys = {
  development: `e2e-dev-${crypto.randomUUID()}`,
  staging: `e2e-stg-${crypto.randomUUID()}`,
  production: `e2e-prod-${crypto.randomUUID()}`,
}

let copy: Promise<string> | undefined

/**
 * A copy of the working tree (tracked and untracked, not ignored files) in which the suite runs our
 * recipes and writes env files and certificates, so the user's own tree is never touched.
 */
export function project(): Promise<string> {
  copy ??= (async () => {
    const dir = await tempDir('cluster-e2e-project')
    const files = Bun.spawnSync(['git', 'ls-files', '-z', '-co', '--exclude-standard'], {
      cwd: repoRoot,
    }).stdout
    const tar = Bun.spawnSync(['sh', '-c', `tar --null -T - -cf - | tar -xf - -C '${dir}'`], {
      cwd: repoRoot,
      stdin: files,
    })
    if (!tar.success) throw new Error(`copying the repository failed: ${tar.stderr.toString()}`)
    await Bun.spawn(['ln', '-s', join(repoRoot, 'node_modules'), join(dir, 'node_modules')]).exited
    const envFile = (env: string, lines: string[]) =>
      writeFile(join(dir, `k8s/overlays/${env}/integration-keys.env`), `${lines.join('\n')}\n`)
    await envFile('dev', [`EXTERNAL_INTEGRATION_KEY_DEVELOPMENT=${keys.development}`])
    await envFile('staging', [`EXTERNAL_INTEGRATION_KEY_STAGING=${keys.staging}`])
    await envFile('prod', [`EXTERNAL_INTEGRATION_KEY_PRODUCTION=${keys.production}`])
    // staging and prod refuse their placeholder external URL: point them at the fake.
    for (const env of ['staging', 'prod']) {
      const path = join(dir, `k8s/overlays/${env}/kustomization.yaml`)
      const text = await readFile(path, 'utf8')
      await writeFile(path, text.replace(/external-logs\.\w+\.example\.invalid/, fakeApiHost))
    }
    return dir
  })()
  return copy
}

export const overlayDir = async () => join(await project(), 'test/cluster-e2e/overlay')

let fixture: Promise<string> | undefined

/**
 * The image e2e-fixture:<hash of its inputs> (fixture/e2e-fixture.ts compiled on the runtime base
 * the services use), built once per run and loaded into the cluster through the recipes' seam.
 */
export function fixtureImage(): Promise<string> {
  fixture ??= (async () => {
    const source = join(import.meta.dir, 'fixture')
    const hasher = new Bun.CryptoHasher('sha256')
    for (const file of ['e2e-fixture.ts', 'Dockerfile']) {
      hasher.update(await readFile(join(source, file)))
    }
    hasher.update(`${Bun.version} ${process.env.RUNTIME_IMAGE ?? ''}`)
    const image = `e2e-fixture:${hasher.digest('hex').slice(0, 12)}`
    if ((await sh(['docker', 'image', 'inspect', image], { cwd: repoRoot })).code !== 0) {
      const context = await tempDir('cluster-e2e-fixture')
      await ok(
        ['bun', 'build', '--compile', join(source, 'e2e-fixture.ts'), '--outfile', 'e2e-fixture'],
        { cwd: context },
      )
      await Bun.write(join(context, 'Dockerfile'), Bun.file(join(source, 'Dockerfile')))
      const base = process.env.RUNTIME_IMAGE
      await ok(
        [
          'docker',
          'build',
          '-q',
          '-t',
          image,
          ...(base ? ['--build-arg', `RUNTIME_IMAGE=${base}`] : []),
          '.',
        ],
        { cwd: context, env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 5 * MINUTE },
      )
    }
    await ok([join(repoRoot, 'scripts/cluster/provider.sh'), 'load', image], { cwd: repoRoot })
    return image
  })()
  return fixture
}

/** A CA and a serving certificate for the fake external API's Service name, via openssl. */
export async function testCertificates(dir: string, dnsName: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const openssl = (...args: string[]) => ok(['openssl', ...args], { cwd: dir })
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=e2e test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  )
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${dnsName}`,
    '-keyout',
    'tls.key',
    '-out',
    'tls.csr',
  )
  await writeFile(join(dir, 'san.ext'), `subjectAltName=DNS:${dnsName}\n`)
  await openssl(
    'x509',
    '-req',
    '-in',
    'tls.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'san.ext',
    '-out',
    'tls.crt',
  )
}

export interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string> }
  spec: {
    containers: {
      image: string
      readinessProbe?: unknown
      livenessProbe?: unknown
      startupProbe?: unknown
    }[]
  }
  status: { podIP?: string; phase: string; conditions?: { type: string; status: string }[] }
}

export const podsOf = async (namespace: string, app: string) =>
  (await kubectlJson<{ items: Pod[] }>('get', 'pods', '-n', namespace, '-l', `app=${app}`)).items

export const isReady = (pod: Pod) =>
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false

/**
 * Starts pod `name` in `namespace` running `e2e-fixture ARGS` once, as Pod Security "restricted"
 * admits it (non-root, RuntimeDefault seccomp, no privilege escalation, every capability dropped).
 */
export async function runFixturePod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  args: string[],
): Promise<void> {
  const image = await fixtureImage()
  const overrides = {
    apiVersion: 'v1',
    metadata: { labels },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name,
          image,
          imagePullPolicy: 'IfNotPresent',
          args,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  }
  await kubectl(
    'run',
    name,
    '-n',
    namespace,
    '--restart=Never',
    `--image=${image}`,
    `--overrides=${JSON.stringify(overrides)}`,
  )
}

/**
 * What a client in `namespace` with `labels` gets from `url`: `e2e-fixture get` in a short-lived
 * pod (it keeps trying a refused connection for 5 s: a new pod's first second can be refused
 * while the network plugin admits it; a refused one stays refused).
 */
export async function probeFrom(
  namespace: string,
  labels: Record<string, string>,
  url: string,
): Promise<{ status?: number; body?: string; error?: string }> {
  const name = `probe-${crypto.randomUUID().slice(0, 8)}`
  // Not `kubectl run -i`: its attach can miss the output of a container that is done at once.
  await runFixturePod(namespace, name, labels, ['get', url])
  await waitFor(`probe pod ${namespace}/${name} to finish`, async () => {
    const phase = await kubectl(
      'get',
      'pod',
      name,
      '-n',
      namespace,
      '-o',
      'jsonpath={.status.phase}',
    )
    return ['Succeeded', 'Failed'].includes(phase) || undefined
  })
  const result = await sh(['kubectl', 'logs', name, '-n', namespace])
  await sh(['kubectl', 'delete', 'pod', name, '-n', namespace, '--wait=false'])
  const line = result.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(line)
  } catch {
    throw new Error(`probe pod in ${namespace} printed no result:\n${result.output}`)
  }
}

export const fakeApiHost = 'fake-external-api.e2e-fixtures.svc.cluster.local'

/** The tag of the build `just up` deployed last (scripts/cluster/build-tag.sh), read off the backend. */
export async function deployedTag(): Promise<string> {
  const image = await kubectl(
    'get',
    'deployment',
    'backend-api',
    '-n',
    'backend-namespace',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  )
  return image.slice(image.lastIndexOf(':') + 1)
}

/** Writes the test overlay's generated inputs into the project copy and applies it. */
async function applyTestOverlay(): Promise<void> {
  const dir = await overlayDir()
  await testCertificates(dir, fakeApiHost)
  await writeFile(join(dir, 'fake-api.env'), `EXPECTED_KEY=${keys.development}\n`)
  await writeFile(
    join(dir, 'staging-key.env'),
    `EXTERNAL_INTEGRATION_KEY_STAGING=${keys.staging}\n`,
  )
  const image = await fixtureImage()
  const kustomization = join(dir, 'kustomization.yaml')
  const build = await deployedTag()
  await writeFile(
    kustomization,
    (await readFile(kustomization, 'utf8'))
      .replace('newTag: E2E_FIXTURE_TAG', `newTag: ${image.split(':')[1]}`)
      .replaceAll('newTag: E2E_BUILD_TAG', `newTag: "${build}"`),
  )
  await kubectl('apply', '-k', dir)
  for (const [namespace, deployment] of [
    ['e2e-fixtures', 'fake-external-api'],
    ['backend-namespace', 'backend-api'],
  ] as const) {
    await kubectl(
      'rollout',
      'status',
      '-n',
      namespace,
      `deployment/${deployment}`,
      '--timeout=180s',
    )
  }
}

let stack: Promise<void> | undefined

/**
 * The stack as the suite's later files expect it: deployed by `just up` (01-up does that first; a
 * file run on its own does it here) with the test overlay on top. Once per run.
 */
export function testStack(): Promise<void> {
  stack ??= (async () => {
    const deployed = await sh([
      'kubectl',
      'get',
      'deployment',
      'backend-api',
      '-n',
      'backend-namespace',
    ])
    if (deployed.code !== 0) {
      const up = await just('up')
      if (up.code !== 0) throw new Error(`just up failed:\n${up.tail}`)
    }
    await applyTestOverlay()
  })()
  return stack
}
