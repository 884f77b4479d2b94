// Builds the three images from the REAL Dockerfile once per test process, against the offline
// stand-in base images of fixture/stand-in-bases.sh (test fixture only; the Dockerfile's defaults
// stay the upstream images).
import { join, resolve } from 'node:path'
import { type Program, programs } from '../../scripts/build.ts'
import { runToEnd } from '../../scripts/process.ts'
import { hasCommand, isRoot } from '../support/requirements.ts'
import { docker, dockerEngine, dockerOk, type Engine } from './engine.ts'

export const root = resolve(import.meta.dir, '../..')
const standInScript = join(import.meta.dir, 'fixture', 'stand-in-bases.sh')

/** A Dockerfile target: named like the program it packages. */
export type Target = Program
export const binaryOf = (target: Target): string => programs[target].binary

/** Build args that must show up in /version and the labels. */
export const buildArgs = { VERSION: '1.2.3-container-test', GIT_COMMIT: 'c0ffee1' }
const TEST_TAG = 'container-test'

export interface BuiltImages {
  bases: { build: string; runtime: string }
  tags: Record<Target, string>
  /** Wall time of the fixture and of each `docker build --target`. */
  timingsMs: { fixture: number } & Record<Target, number>
}

/** Docker plus what the fixture needs (root for debootstrap and for chown of the rootfs). */
export async function containerEngine(): Promise<Engine> {
  const engine = await dockerEngine()
  if (!engine.ok) return engine
  if (!isRoot() || !hasCommand('debootstrap')) {
    return {
      ok: false,
      reason: 'container tests need root and debootstrap to build the stand-in bases',
    }
  }
  return engine
}

async function standInBases(): Promise<BuiltImages['bases']> {
  const { code, stdout: out, stderr: err } = await runToEnd(['bash', standInScript])
  if (code !== 0) throw new Error(`${standInScript} failed (exit ${code}):\n${err.trim()}`)
  const value = (name: string) => {
    const match = out.match(new RegExp(`^${name}=(\\S+)$`, 'm'))
    if (!match?.[1]) throw new Error(`${standInScript} printed no ${name}=…:\n${out}`)
    return match[1]
  }
  return { build: value('BUILD_IMAGE'), runtime: value('RUNTIME_IMAGE') }
}

/** `docker build --target` into `tag`, then removes the image the tag pointed at before. */
async function buildTarget(target: string, tag: string, bases: BuiltImages['bases']) {
  const args = Object.entries({
    BUILD_IMAGE: bases.build,
    RUNTIME_IMAGE: bases.runtime,
    SOURCE_URL: 'https://example.invalid/small-services',
    ...buildArgs,
  }).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`])
  const imageId = async () =>
    (await docker(['image', 'inspect', '-f', '{{.Id}}', tag])).stdout.trim()
  const previous = await imageId()
  await dockerOk(
    ['build', '--network', 'host', '--target', target, '-t', tag, ...args, root],
    300_000,
  )
  // Replaced images would pile up with every edit of the sources; removal fails harmlessly while
  // another run still uses one.
  if (previous && previous !== (await imageId())) await docker(['rmi', previous])
}

async function buildAll(): Promise<BuiltImages> {
  let started = performance.now()
  const bases = await standInBases()
  const timingsMs = { fixture: performance.now() - started, backend: 0, data: 0, health: 0 }
  const tags = {} as Record<Target, string>
  // One after the other: the first build fills the shared build stage, the next two reuse it.
  // The build stage gets a tag too, so that it is kept as cache and replaced like the others.
  for (const target of ['backend', 'data', 'health'] as const) {
    started = performance.now()
    if (target === 'backend') await buildTarget('build', `small-services-build:${TEST_TAG}`, bases)
    tags[target] = `${binaryOf(target)}:${TEST_TAG}`
    await buildTarget(target, tags[target], bases)
    timingsMs[target] = performance.now() - started
  }
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  console.log(
    `container images: fixture ${seconds(timingsMs.fixture)}, ` +
      `builds backend ${seconds(timingsMs.backend)}, data ${seconds(timingsMs.data)}, ` +
      `health ${seconds(timingsMs.health)}`,
  )
  return { bases, tags, timingsMs }
}

let built: Promise<BuiltImages> | undefined

/** The three images, built once per process whichever test file asks first. */
export function builtImages(): Promise<BuiltImages> {
  built ??= buildAll()
  return built
}

/** How long `beforeAll` may take on a fresh machine: debootstrap + bun install + three compiles. */
export const BUILD_TIMEOUT_MS = 400_000
