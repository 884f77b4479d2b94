import { expect, test } from 'bun:test'
import { SharedSyncs } from './log-sync.ts'

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
