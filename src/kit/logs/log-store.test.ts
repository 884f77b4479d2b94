import { beforeEach, expect, test } from 'bun:test'
import { readdir, readFile, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../../test/support/temp.ts'
import { failureReason, LogStore, LogWriteError, MAX_SHOWN_BYTES } from './log-store.ts'

let dir: string
beforeEach(async () => {
  dir = await tempDir('log-store')
})

test('2000 writes in the same millisecond get 2000 distinct, complete files and no temp files', async () => {
  const store = new LogStore(dir)
  const at = new Date('2026-01-02T03:04:05.678Z')
  const names = await Promise.all(
    Array.from({ length: 2000 }, (_, i) => store.write('info', `entry ${i}\n`, at)),
  )
  expect(new Set(names).size).toBe(2000)
  const files = await readdir(dir)
  expect(files.sort()).toEqual([...names].sort())
  expect(names[0]).toStartWith('20260102T030405678Z-info-')
  const contents = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))
  expect(contents.every((c, i) => c === `entry ${i}\n`)).toBe(true)
})

test('two stores (two processes) on one directory never collide', async () => {
  const a = new LogStore(dir)
  const b = new LogStore(dir)
  const at = new Date()
  const names = await Promise.all([a.write('x', '1', at), b.write('x', '2', at)])
  expect(names[0]).not.toBe(names[1])
})

test('list returns the newest first, limited, with contents', async () => {
  const store = new LogStore(dir)
  for (let i = 0; i < 5; i++)
    await store.write('info', `n${i}`, new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
  const entries = await store.list(3)
  expect(entries.map((e) => e.content)).toEqual(['n4', 'n3', 'n2'])
  expect(entries[0]?.truncated).toBe(false)
})

test('list ignores temp files and foreign files, and cuts huge contents', async () => {
  const store = new LogStore(dir)
  await writeFile(join(dir, '.half-written.log.tmp'), 'partial')
  await writeFile(join(dir, 'README'), 'not a log')
  await store.write('external-staging', 'x'.repeat(MAX_SHOWN_BYTES + 10))
  const entries = await store.list(10)
  expect(entries).toHaveLength(1)
  expect(entries[0]?.truncated).toBe(true)
  expect(entries[0]?.content.length).toBe(MAX_SHOWN_BYTES)
})

test('list reads at most MAX_SHOWN_BYTES of each file, however large it is', async () => {
  // A sparse 64 MiB file: reading it whole, 16 times at once, would take 1 GiB of memory.
  const big = join(dir, '20260101T000000000Z-external-staging-000001-a1b2c3d4.log')
  await writeFile(big, 'x')
  await truncate(big, 64 * 1024 * 1024)
  const store = new LogStore(dir)
  await store.init()
  Bun.gc(true)
  const before = process.memoryUsage().rss
  const lists = await Promise.all(Array.from({ length: 16 }, () => store.list(1)))
  const grown = process.memoryUsage().rss - before
  expect(lists.every(([e]) => e?.truncated && e.content.length === MAX_SHOWN_BYTES)).toBe(true)
  expect(grown).toBeLessThan(128 * 1024 * 1024)
})

test('a missing directory is created, by init and again by a write', async () => {
  const nested = join(dir, 'a', 'b')
  const store = new LogStore(nested)
  expect(await store.init()).toEqual({ ready: true })
  await rm(nested, { recursive: true })
  const name = await store.write('info', 'back')
  expect(await readFile(join(nested, name), 'utf8')).toBe('back')
})

test('init removes stale temp files a crash left, but not fresh ones', async () => {
  const stale = join(dir, '.old.log.tmp')
  const fresh = join(dir, '.new.log.tmp')
  await writeFile(stale, 'x')
  await writeFile(fresh, 'y')
  const old = new Date(Date.now() - 10 * 60_000)
  await utimes(stale, old, old)
  await new LogStore(dir).init()
  expect((await readdir(dir)).sort()).toEqual(['.new.log.tmp'])
})

test('a failed write throws LogWriteError with the errno, reports it, and leaves no file', async () => {
  const failures: string[] = []
  const target = join(dir, 'logs')
  await writeFile(target, 'a file where the directory should be')
  const store = new LogStore(target, { failed: (r) => failures.push(r) })
  const error = await store.write('info', 'x').catch((e) => e)
  expect(error).toBeInstanceOf(LogWriteError)
  expect(error.reason).toBe('ENOTDIR')
  expect(error.message).toContain(target)
  expect(failures).toEqual(['ENOTDIR'])
  expect(store.readiness()).toEqual({ ready: false, reason: 'ENOTDIR' })
  expect(await readdir(dir)).toEqual(['logs'])
})

test('readiness recovers after the directory becomes writable again', async () => {
  const target = join(dir, 'logs')
  await writeFile(target, 'blocker')
  const store = new LogStore(target)
  expect(await store.init()).toEqual({ ready: false, reason: 'ENOTDIR' })
  await rm(target)
  await store.write('info', 'ok')
  expect(await store.readiness()).toEqual({ ready: true })
})

test('errno codes map to metric reasons, unknown ones to "other"', () => {
  const err = (code?: string) => Object.assign(new Error('x'), { code })
  expect(failureReason(err('ENOSPC'))).toBe('ENOSPC')
  expect(failureReason(err('EROFS'))).toBe('EROFS')
  expect(failureReason(err('EWEIRD'))).toBe('other')
  expect(failureReason(err())).toBe('other')
  expect(failureReason(null)).toBe('other')
})

test('a FIFO or a symlink named like a log file is skipped, never opened or followed', async () => {
  const store = new LogStore(dir)
  const real = await store.write('info', 'real entry')
  const outside = join(await tempDir('outside'), 'secret.txt')
  await writeFile(outside, 'outside LOG_DIR')
  const fifo = '20260101T000000000Z-info-000001-aaaaaaaa.log'
  const link = '20260101T000000001Z-info-000002-bbbbbbbb.log'
  expect(Bun.spawnSync(['mkfifo', join(dir, fifo)]).exitCode).toBe(0)
  await symlink(outside, join(dir, link))
  const restarted = new LogStore(dir)
  await restarted.init()
  expect((await restarted.list(10)).map((e) => e.file)).toEqual([real])
  // Swapped in after the index was built: the read refuses them just the same.
  await rm(join(dir, real))
  expect(Bun.spawnSync(['mkfifo', join(dir, real)]).exitCode).toBe(0)
  expect(await restarted.list(10)).toEqual([])
})

test('secrets are redacted from a stored download and from what is read back, also across the 64 KiB cut', async () => {
  const key = 'stg-key-0a1b2c3d4e5f'
  const store = new LogStore(dir, {}, undefined, { secrets: [key] })
  const slot = await store.reserveDownload()
  const saved = await slot?.save(
    'external-staging',
    (async function* () {
      yield Buffer.from(`{"authorization":"Bearer ${key.slice(0, 5)}`)
      yield Buffer.from(`${key.slice(5)}"}`)
    })(),
  )
  const stored = await readFile(join(dir, saved?.file ?? ''), 'utf8')
  expect(stored).toBe('{"authorization":"Bearer [REDACTED]"}')
  // A file put there by something else, with the key where /logs cuts its content.
  const name = '20260101T000000000Z-external-staging-000001-cccccccc.log'
  await writeFile(join(dir, name), `${'x'.repeat(MAX_SHOWN_BYTES - 4)}${key}`)
  const restarted = new LogStore(dir, {}, undefined, { secrets: [key] })
  await restarted.init()
  const shown = (await restarted.list(10)).find((e) => e.file === name)
  expect(shown?.content).not.toContain(key.slice(0, 4))
  expect(shown?.content).toEndWith('xxxx[REDACTED]') // a key across the cut goes whole
  expect(shown?.truncated).toBe(false)
  // Earlier keys shorten the text: the cut stays at 64 KiB of the file, so a key past it never
  // moves in, not even in part.
  const early = `${key} `.repeat(10)
  const late = '20260101T000000001Z-external-staging-000002-cccccccc.log'
  const filler = 'y'.repeat(MAX_SHOWN_BYTES + 5 - early.length)
  await writeFile(join(dir, late), `${early}${filler}${key} and more`)
  const again = new LogStore(dir, {}, undefined, { secrets: [key] })
  await again.init()
  const cut = (await again.list(10)).find((e) => e.file === late)
  expect(cut?.content).toBe(`${'[REDACTED] '.repeat(10)}${filler.slice(0, -5)}`)
  expect(cut?.truncated).toBe(true)
})
