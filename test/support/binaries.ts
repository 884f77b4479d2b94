import { mkdir, readdir, rmdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Program, programs } from '../../scripts/build.ts'

export type BinaryName = (typeof programs)[Program]['binary']

const root = resolve(import.meta.dir, '../..')
const dist = join(root, 'dist')
const STALE_LOCK_MS = 5 * 60_000
/** Sources do not change during a run (a test that touches one checks in fresh processes). */
const built = new Map<BinaryName, Promise<string>>()

function programOf(name: BinaryName): Program {
  const found = (Object.keys(programs) as Program[]).find((p) => programs[p].binary === name)
  if (!found) throw new Error(`unknown binary ${name}`)
  return found
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const entry of await readdir(path)) {
    newest = Math.max(newest, await newestMtime(join(path, entry)))
  }
  return newest
}

async function isFresh(program: Program, binary: string): Promise<boolean> {
  const built = await stat(binary).catch(() => null)
  if (!built) return false
  const inputs = [`src/${program}`, 'src/kit', 'package.json', 'bun.lock', 'scripts/build.ts']
  const times = await Promise.all(inputs.map((p) => newestMtime(join(root, p))))
  return Math.max(...times) <= built.mtimeMs
}

/** A directory lock (mkdir is atomic) so that parallel test processes compile each binary once. */
async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dist, `.${name}.lock`)
  await mkdir(dist, { recursive: true })
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch {
      const held = await stat(lock).catch(() => null)
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rmdir(lock).catch(() => {})
      await Bun.sleep(200)
    }
  }
  try {
    return await work()
  } finally {
    await rmdir(lock).catch(() => {})
  }
}

async function ensureBuilt(name: BinaryName): Promise<string> {
  const program = programOf(name)
  const binary = join(dist, name)
  if (await isFresh(program, binary)) return binary
  return withLock(name, async () => {
    if (await isFresh(program, binary)) return binary
    const proc = Bun.spawn([process.execPath, 'run', 'scripts/build.ts', program], {
      cwd: root,
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()])
    if (code !== 0) throw new Error(`compiling ${name} failed (exit ${code}): ${err.trim()}`)
    return binary
  })
}

/**
 * The absolute path of `dist/<name>`, compiled with scripts/build.ts first when it is missing or
 * older than its sources (checked on the first call of each process). Safe when several test
 * processes ask at once.
 */
export function compiledBinary(name: BinaryName): Promise<string> {
  let promise = built.get(name)
  if (!promise) {
    promise = ensureBuilt(name)
    // A failed build is retried by the next caller; a good one is checked once per process.
    promise.catch(() => built.delete(name))
    built.set(name, promise)
  }
  return promise
}
