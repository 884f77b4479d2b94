import { beforeEach, describe, expect, test } from 'bun:test'
import { readdir, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../../test/support/temp.ts'
import { DEFAULT_RETENTION, LogIndex, MAX_DOWNLOAD_BYTES, occupied } from './log-retention.ts'
import { LogStore } from './log-store.ts'

let dir: string
beforeEach(async () => {
  dir = await tempDir('log-retention')
})

const logFiles = async () => (await readdir(dir)).filter((n) => n.endsWith('.log')).sort()
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))

test('sizes count whole 4 KiB pages, an empty file one page', () => {
  expect([0, 1, 4096, 4097].map(occupied)).toEqual([4096, 4096, 4096, 8192])
})

test('the index keeps names oldest first and gives back the excess, never the newest', () => {
  const index = new LogIndex()
  for (const name of ['b', 'd', 'a', 'c']) index.add(name, 10)
  expect(index.newest(3)).toEqual(['d', 'c', 'b'])
  expect(index.takeExcess(2, 1e9)).toEqual(['a', 'b'])
  expect(index.takeExcess(1e9, 1)).toEqual(['c'])
  expect(index.newest(10)).toEqual(['d'])
  expect(index.takeExcess(1e9, 1, false)).toEqual(['d'])
})

test('LOG_RETENTION_FILES: the directory keeps only the newest files', async () => {
  const store = new LogStore(dir, {}, { ...DEFAULT_RETENTION, files: 5, bytes: 2 ** 40 })
  await store.init()
  const names: string[] = []
  for (let i = 0; i < 12; i++) names.push(await store.write('info', `n${i}`, at(i)))
  await store.retention.settled()
  expect(await logFiles()).toEqual(names.slice(-5))
  expect((await store.list(20)).map((e) => e.content)).toEqual(['n11', 'n10', 'n9', 'n8', 'n7'])
})

test('LOG_RETENTION_BYTES counts pages: 100-byte entries cost 4 KiB each', async () => {
  const store = new LogStore(dir, {}, { ...DEFAULT_RETENTION, files: 1e6, bytes: 10 * 4096 })
  await Promise.all(
    Array.from({ length: 40 }, (_, i) => store.write('info', 'x'.repeat(100), at(i))),
  )
  await store.retention.settled()
  expect(await logFiles()).toHaveLength(10)
})

test('a restarted service indexes what is there and prunes it to the limits at start', async () => {
  const first = new LogStore(dir, {}, { ...DEFAULT_RETENTION, files: 100, bytes: 2 ** 40 })
  for (let i = 0; i < 8; i++) await first.write('info', `old${i}`, at(i))
  await writeFile(join(dir, 'README'), 'not a log file: never indexed or deleted')
  const restarted = new LogStore(dir, {}, { ...DEFAULT_RETENTION, files: 3, bytes: 2 ** 40 })
  await restarted.init()
  expect((await logFiles()).length).toBe(3)
  expect((await restarted.list(10)).map((e) => e.content)).toEqual(['old7', 'old6', 'old5'])
  expect(await readdir(dir)).toContain('README')
})

test('temp files of dead writers are swept at init and later, after writes; fresh ones stay', async () => {
  const stale = join(dir, '.20260101T000000000Z-info-000001-deadbeef.log.tmp')
  const fresh = join(dir, '.fresh.log.tmp')
  await writeFile(stale, 'x')
  await writeFile(fresh, 'y')
  const old = new Date(Date.now() - 10 * 60_000)
  await utimes(stale, old, old)
  const store = new LogStore(dir)
  await store.init()
  expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual(['.fresh.log.tmp'])
  // The fresh temp's writer dies too; a minute later the next write's pruning removes it.
  await utimes(fresh, old, old)
  const realNow = Date.now
  Date.now = () => realNow() + 61_000
  try {
    await store.write('info', 'later')
    await store.retention.settled()
  } finally {
    Date.now = realNow
  }
  expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([])
})

test('pruning runs after the write: a write never waits on it', async () => {
  const store = new LogStore(dir, {}, { ...DEFAULT_RETENTION, files: 1, bytes: 2 ** 40 })
  await store.write('info', 'a', at(0))
  const second = await store.write('info', 'b', at(1))
  // Just written and the newest: it is there when the write resolves.
  expect((await stat(join(dir, second))).isFile()).toBe(true)
  await store.retention.settled()
  expect(await logFiles()).toEqual([second])
})

describe('downloads have a budget of their own', () => {
  const limits = { files: 3, bytes: 2 ** 40, downloadBytes: 2 * MAX_DOWNLOAD_BYTES }
  const body = async function* (size: number) {
    yield new Uint8Array(size)
  }

  test('work logs never evict downloads, nor downloads work logs', async () => {
    const store = new LogStore(dir, {}, limits)
    const saved: string[] = []
    for (let i = 0; i < 3; i++) {
      const slot = await store.reserveDownload()
      saved.push((await slot?.save('external-staging', body(MAX_DOWNLOAD_BYTES)))?.file ?? '')
    }
    const work: string[] = []
    for (let i = 0; i < 5; i++) work.push(await store.write('info', `w${i}`))
    await store.retention.settled()
    // Three 10 MiB bodies in a 20 MiB budget: the two newest stay; the work logs keep their three.
    expect(await logFiles()).toEqual([...saved.slice(1), ...work.slice(-3)].sort())
  })

  test('each download in progress reserves the maximum: beyond the budget, no slot', async () => {
    const store = new LogStore(dir, {}, limits)
    const first = await store.reserveDownload()
    const second = await store.reserveDownload()
    expect(first && second).toBeTruthy()
    expect(await store.reserveDownload()).toBeNull()
    second?.release()
    second?.release() // twice is once
    const third = await store.reserveDownload()
    expect(third).toBeTruthy()
    expect(await store.reserveDownload()).toBeNull()
  })

  test('a new reservation deletes the oldest body to make room, before it starts', async () => {
    const store = new LogStore(dir, {}, limits)
    const a = await (await store.reserveDownload())?.save('external-dev', body(MAX_DOWNLOAD_BYTES))
    const b = await (await store.reserveDownload())?.save('external-dev', body(MAX_DOWNLOAD_BYTES))
    const slot = await store.reserveDownload()
    expect(await logFiles()).toEqual([b?.file ?? ''])
    expect(a?.file).not.toBe(b?.file)
    slot?.release()
  })
})
