// A lock file beside the log so that two runs never rotate at the same time (one would rename
// away the file the other just appended to). `open(..., 'wx')` is atomic on local filesystems.
import type { Stats } from 'node:fs'
import { open, stat, unlink } from 'node:fs/promises'

export interface LockOptions {
  /** Give up waiting after this long; the caller then appends without rotating. */
  waitMs: number
  /** A lock older than this was left by a run that died while holding it. */
  staleMs: number
}

const DEFAULTS: LockOptions = { waitMs: 5000, staleMs: 30_000 }

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code

/** One lock file instance: a new lock at the same path has a new inode or a new mtime. */
type LockId = Pick<Stats, 'ino' | 'mtimeMs'>

const sameLock = (a: LockId | undefined, b: LockId) => a?.ino === b.ino && a.mtimeMs === b.mtimeMs

/**
 * Removes the lock instance `seen`, judged stale, and nothing else. A live lock is never moved or
 * removed, not even for a moment (moving it aside would let a third run take the lock while the
 * live holder still works). Breakers of one instance exclude each other with a claim file named
 * after it, then check under the claim that the instance is still there before unlinking it; the
 * holder itself only ever removes its lock while it is fresh (see `release`), so the two never race.
 */
export async function breakStale(path: string, seen: LockId): Promise<void> {
  const claim = `${path}.break-${seen.ino}-${Math.trunc(seen.mtimeMs)}`
  try {
    await (await open(claim, 'wx')).close()
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return // another run is breaking this very lock
    throw error
  }
  try {
    if (sameLock(await stat(path).catch(() => undefined), seen)) await unlink(path)
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error
  } finally {
    await unlink(claim).catch(() => {})
  }
}

async function acquire(path: string, options: LockOptions): Promise<LockId | undefined> {
  const giveUp = Date.now() + options.waitMs
  while (Date.now() < giveUp) {
    try {
      const handle = await open(path, 'wx')
      try {
        await handle.write(`${process.pid} ${new Date().toISOString()}\n`)
        return await handle.stat()
      } finally {
        await handle.close()
      }
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error
    }
    const held = await stat(path).catch(() => undefined)
    if (held && Date.now() - held.mtimeMs > options.staleMs) await breakStale(path, held)
    else await Bun.sleep(5 + Math.random() * 20)
  }
  return undefined
}

/**
 * Removes our own lock only while it is clearly fresh: once it nears `staleMs` another run may be
 * breaking it, and then that run alone removes it.
 */
async function release(path: string, own: LockId, staleMs: number): Promise<void> {
  const current = await stat(path).catch(() => undefined)
  if (current?.ino === own.ino && Date.now() - current.mtimeMs < staleMs * 0.75) {
    await unlink(path).catch(() => {})
  }
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
  const settings = { ...DEFAULTS, ...options }
  const own = await acquire(path, settings)
  try {
    return await work(own !== undefined)
  } finally {
    if (own !== undefined) await release(path, own, settings.staleMs)
  }
}
