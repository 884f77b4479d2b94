// What is inside the three final images: only the binary on top of the runtime base, nothing a
// shell-less distroless image should not have, and the metadata the cluster relies on.
import { beforeAll, describe, expect } from 'bun:test'
import { testWhen } from '../support/requirements.ts'
import { docker, dockerOk } from './engine.ts'
import {
  BUILD_TIMEOUT_MS,
  type BuiltImages,
  binaryOf,
  buildArgs,
  builtImages,
  containerEngine,
  type Target,
} from './images.ts'

const engine = await containerEngine()
const test = testWhen(engine.ok, engine.reason)
let images: BuiltImages

beforeAll(async () => {
  if (engine.ok) images = await builtImages()
}, BUILD_TIMEOUT_MS)

/** Every path in the image's filesystem (`docker export` of a created, never started container). */
async function paths(image: string): Promise<Set<string>> {
  const id = await dockerOk(['create', image, '/never-run'])
  try {
    const exported = Bun.spawn(['docker', 'export', id], { stdout: 'pipe' })
    const tar = Bun.spawn(['tar', '-t'], { stdin: exported.stdout, stdout: 'pipe' })
    const listing = await new Response(tar.stdout).text()
    if ((await exported.exited) !== 0 || (await tar.exited) !== 0) {
      throw new Error(`docker export ${image} | tar -t failed`)
    }
    return new Set(
      listing
        .split('\n')
        .filter(Boolean)
        .map((p) => p.replace(/^\.?\/|\/$/g, '')),
    )
  } finally {
    await docker(['rm', id])
  }
}

// Each export is a container create + ~100 MiB tar: once per image, shared by the tests.
const exported = new Map<string, Promise<Set<string>>>()
const pathsOnce = (image: string): Promise<Set<string>> => {
  let listing = exported.get(image)
  if (!listing) {
    listing = paths(image)
    exported.set(image, listing)
  }
  return listing
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1)
const shells = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'busybox'])
const packageTools = new Set(['apt', 'apt-get', 'dpkg', 'apk', 'rpm', 'yum', 'dnf', 'npm', 'bun'])
const forbidden: Record<string, (path: string) => boolean> = {
  shell: (p) => shells.has(fileName(p)),
  'package manager or runtime': (p) => packageTools.has(fileName(p)) || fileName(p) === 'node',
  'source file': (p) =>
    /\.(ts|tsx|js|mjs|cjs)$/.test(p) ||
    ['package.json', 'bun.lock', 'tsconfig.json', 'bunfig.toml'].includes(fileName(p)) ||
    p.split('/').includes('node_modules'),
  '.env file': (p) => fileName(p).endsWith('.env') || fileName(p).startsWith('.env.'),
}

interface ImageInfo {
  Size: number
  Config: {
    User: string
    Entrypoint: string[] | null
    Cmd: string[] | null
    ExposedPorts: Record<string, object> | null
    Labels: Record<string, string> | null
  }
}

const inspect = async (image: string): Promise<ImageInfo> =>
  (JSON.parse(await dockerOk(['image', 'inspect', image])) as ImageInfo[])[0] as ImageInfo

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

describe.each(['backend', 'data', 'health'] as Target[])('%s image', (target) => {
  const binary = binaryOf(target)

  const extra = target === 'health' ? '' : ' and the /logs dir'
  test(`adds only /usr/local/bin/${binary}${extra} to the runtime base`, async () => {
    const [image, runtime] = await Promise.all([
      pathsOnce(images.tags[target]),
      pathsOnce(images.bases.runtime),
    ])
    const added = [...image].filter((p) => !runtime.has(p)).sort()
    const allowed = ['usr', 'usr/local', 'usr/local/bin', `usr/local/bin/${binary}`]
    if (target !== 'health') allowed.push('logs')
    expect(added).toContain(`usr/local/bin/${binary}`)
    expect(added.filter((p) => !allowed.includes(p))).toEqual([])
  })

  test('has no shell, package manager, source file or .env', async () => {
    const image = await pathsOnce(images.tags[target])
    const found = Object.entries(forbidden).flatMap(([what, matches]) =>
      [...image].filter(matches).map((p) => `${what}: /${p}`),
    )
    expect(found).toEqual([])
  })

  test('runs as 65532 with an exec-form entrypoint, its port and the OCI labels', async () => {
    const info = await inspect(images.tags[target])
    expect(info.Config.User).toBe('65532:65532')
    expect(info.Config.Entrypoint).toEqual([`/usr/local/bin/${binary}`])
    expect(info.Config.Cmd).toBeNull()
    expect(Object.keys(info.Config.ExposedPorts ?? {})).toEqual(
      target === 'health' ? [] : ['5000/tcp'],
    )
    expect(info.Config.Labels).toMatchObject({
      'org.opencontainers.image.title': binary,
      'org.opencontainers.image.version': buildArgs.VERSION,
      'org.opencontainers.image.revision': buildArgs.GIT_COMMIT,
      'org.opencontainers.image.source': 'https://example.invalid/small-services',
    })
  })

  test('is the runtime base plus one binary in size', async () => {
    const [image, runtime] = await Promise.all([
      inspect(images.tags[target]),
      inspect(images.bases.runtime),
    ])
    const binaryBytes = image.Size - runtime.Size
    console.log(`${images.tags[target]}: ${mib(image.Size)} (binary layer ${mib(binaryBytes)})`)
    // A compiled Bun binary is about 100 MiB; far more means something else was copied in.
    expect(binaryBytes).toBeGreaterThan(40 * 1024 * 1024)
    expect(binaryBytes).toBeLessThan(160 * 1024 * 1024)
  })
})
