import { beforeEach, expect, test } from 'bun:test'
import { readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../test/support/temp.ts'
import { breakStale, withLock } from './log-lock.ts'

let dir: string
let lock: string
beforeEach(async () => {
  dir = await tempDir('log-lock')
  lock = join(dir, 'health.log.lock')
})

test('holders run one at a time and the lock file is gone afterwards', async () => {
  let inside = 0
  let most = 0
  const work = async () => {
    inside++
    most = Math.max(most, inside)
    await Bun.sleep(10)
    inside--
  }
  await Promise.all(Array.from({ length: 8 }, () => withLock(lock, work)))
  expect(most).toBe(1)
  expect(await readdir(dir)).toEqual([])
})

test('a live lock held past waitMs: work runs unlocked and the lock is left alone', async () => {
  await writeFile(lock, 'another run')
  const locked = await withLock(lock, async (held) => held, { waitMs: 100 })
  expect(locked).toBe(false)
  expect(await readdir(dir)).toEqual(['health.log.lock'])
})

test('a stale lock left by a dead run is broken', async () => {
  await writeFile(lock, 'dead run')
  const old = new Date(Date.now() - 60_000)
  await utimes(lock, old, old)
  const locked = await withLock(lock, async (held) => held, { waitMs: 1000, staleMs: 30_000 })
  expect(locked).toBe(true)
  expect(await readdir(dir)).toEqual([])
})

test('an error other than "taken" (no such directory) is thrown', async () => {
  await expect(withLock(join(dir, 'missing/x.lock'), async () => 1)).rejects.toMatchObject({
    code: 'ENOENT',
  })
})

test('breaking a stale lock that another run already replaced leaves the live lock untouched', async () => {
  await writeFile(lock, 'dead run')
  const stale = await stat(lock)
  // Another run broke it and took the lock meanwhile.
  await rm(lock)
  await writeFile(lock, 'live run')
  const live = await stat(lock)
  await Bun.sleep(20)
  await breakStale(lock, stale)
  const after = await stat(lock)
  // Same inode AND same ctime: never renamed aside (a third run could take the lock meanwhile).
  expect([after.ino, after.ctimeMs]).toEqual([live.ino, live.ctimeMs])
  expect(await readdir(dir)).toEqual(['health.log.lock'])
})

test('many runs racing over one stale lock: one holder at a time, no leftovers', async () => {
  await writeFile(lock, 'dead run')
  const old = new Date(Date.now() - 60_000)
  await utimes(lock, old, old)
  let inside = 0
  let most = 0
  const held: boolean[] = []
  const work = async (locked: boolean) => {
    held.push(locked)
    inside++
    most = Math.max(most, inside)
    await Bun.sleep(5)
    inside--
  }
  await Promise.all(Array.from({ length: 12 }, () => withLock(lock, work, { staleMs: 30_000 })))
  expect(held.every(Boolean)).toBe(true)
  expect(most).toBe(1)
  expect(await readdir(dir)).toEqual([])
})
