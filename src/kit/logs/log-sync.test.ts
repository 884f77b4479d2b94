import { expect, test } from 'bun:test'
import type { FileHandle } from 'node:fs/promises'
import { FileSystemSyncs, SharedSyncs } from './log-sync.ts'

/** A sync function whose calls the test ends one by one. */
function controlledSyncs() {
  const ends: { ok: () => void; fail: (e: Error) => void }[] = []
  const syncs = new SharedSyncs(
    () => new Promise<void>((ok, fail) => ends.push({ ok: () => ok(), fail })),
  )
  return { syncs, ends }
}

const settle = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (e: Error) => e.message,
  )

test('a lone caller starts a sync at once; callers during it share the next one', async () => {
  const { syncs, ends } = controlledSyncs()
  const first = settle(syncs.after())
  expect(ends).toHaveLength(1)
  const later = [settle(syncs.after()), settle(syncs.after()), settle(syncs.after())]
  expect(ends).toHaveLength(1) // the running sync may have started before their writes
  ends[0]?.ok()
  expect(await first).toBe('ok')
  await Bun.sleep(0)
  expect(ends).toHaveLength(2) // one sync for the three
  ends[1]?.ok()
  expect(await Promise.all(later)).toEqual(['ok', 'ok', 'ok'])
})

test('a failed sync fails its callers and those waiting for the next; the next caller retries', async () => {
  const { syncs, ends } = controlledSyncs()
  const covered = settle(syncs.after())
  const waiting = settle(syncs.after())
  ends[0]?.fail(new Error('EIO'))
  expect([await covered, await waiting]).toEqual(['EIO', 'EIO'])
  const fresh = settle(syncs.after())
  expect(ends).toHaveLength(2)
  ends[1]?.ok()
  expect(await fresh).toBe('ok')
})

test('syncfs: a write fails if any sync failed since it began, even one it did not wait for', async () => {
  const ends: { ok: () => void; fail: (e: Error) => void }[] = []
  const durability = new FileSystemSyncs(
    () => new Promise<void>((ok, fail) => ends.push({ ok: () => ok(), fail })),
  )
  const handle = {} as FileHandle
  // A rename's sync runs, then fails (the error was this write's pages, reported to it).
  const since = durability.begin()
  const rename = durability.renamed()
  ends[0]?.fail(Object.assign(new Error('EIO'), { code: 'EIO' }))
  await rename
  // The write now asks for its own sync, which succeeds: the write must fail all the same.
  const written = settle(durability.dataWritten(handle, since))
  await Bun.sleep(0)
  ends[1]?.ok()
  expect(await written).toBe('a sync of the filesystem failed during this write')
  // A write that began after the failure is not failed by it.
  const later = settle(durability.dataWritten(handle, durability.begin()))
  await Bun.sleep(0)
  ends[2]?.ok()
  expect(await later).toBe('ok')
})
