// A lock file beside the log so that two runs never rotate at the same time (one would rename
// away the file the other just appended to). `open(..., 'wx')` is atomic on local filesystems.
import { link, open, rename, stat, unlink } from 'node:fs/promises'

export interface LockOptions {
  /** Give up waiting after this long; the caller then appends without rotating. */
  waitMs: number
  /** A lock older than this was left by a run that died while holding it. */
  staleMs: number
}

const DEFAULTS: LockOptions = { waitMs: 5000, staleMs: 30_000 }

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code

/**
 * Moves a stale lock aside. Two runs may both judge it stale; only one rename finds it, and the
 * inode check makes sure a run never removes a fresh lock that replaced the stale one meanwhile.
 */
async function breakStale(path: string, staleIno: number): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${Date.now()}`
  try {
    await rename(path, aside)
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return
    throw error
  }
  const moved = await stat(aside)
  if (moved.ino !== staleIno) await link(aside, path).catch(() => {})
  await unlink(aside).catch(() => {})
}

async function acquire(path: string, options: LockOptions): Promise<number | undefined> {
  const giveUp = Date.now() + options.waitMs
  while (Date.now() < giveUp) {
    try {
      const handle = await open(path, 'wx')
      try {
        await handle.write(`${process.pid} ${new Date().toISOString()}\n`)
        return (await handle.stat()).ino
      } finally {
        await handle.close()
      }
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error
    }
    const held = await stat(path).catch(() => undefined)
    if (held && Date.now() - held.mtimeMs > options.staleMs) await breakStale(path, held.ino)
    else await Bun.sleep(5 + Math.random() * 20)
  }
  return undefined
}

async function release(path: string, ino: number): Promise<void> {
  const current = await stat(path).catch(() => undefined)
  if (current?.ino === ino) await unlink(path).catch(() => {})
}

/**
 * Runs `work(true)` while holding the lock at `path`, or `work(false)` if the lock stayed taken
 * for `waitMs`. Errors creating the lock (read-only volume, no permission) are thrown.
 */
export async function withLock<T>(
  path: string,
  work: (locked: boolean) => Promise<T>,
  options: Partial<LockOptions> = {},
): Promise<T> {
  const ino = await acquire(path, { ...DEFAULTS, ...options })
  try {
    return await work(ino !== undefined)
  } finally {
    if (ino !== undefined) await release(path, ino)
  }
}
