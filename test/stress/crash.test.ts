// kill -9 at random moments under load, again and again on the same log directory: a crash may
// lose requests that were not answered yet, but never a file for a 200 the client received, and
// never shows a partial or temp file as a log entry.
import { expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runBurst } from '../../bench/load/burst.ts'
import { countLogFiles, isComplete, isTempName } from '../../bench/load/files.ts'
import { tempDir } from '../support/temp.ts'
import { fileOf, size, startBackend } from './backend.ts'

const ROUNDS = size(3, 10)
const WAVES = 5
const PER_WAVE = 100

const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low))

test(`kill -9 during load, ${ROUNDS} times: every 200 has its complete file, no partial entries`, async () => {
  const dir = await tempDir('stress-crash')
  const received: string[] = []
  let interrupted = 0
  for (let round = 0; round < ROUNDS; round++) {
    const delayMs = between(100, 300)
    const backend = await startBackend(dir, { PROCESSING_DELAY_MS: String(delayMs) })
    // staggered waves, so that at any kill moment some requests are done, some writing, some waiting
    const waves = Array.from({ length: WAVES }, (_, i) =>
      Bun.sleep(i * 80).then(() =>
        runBurst(`${backend.url}/`, { count: PER_WAVE, timeoutMs: 10_000, bodies: true }),
      ),
    )
    // after the first wave's answers, before the last wave's: some done, some pending, every round
    await Bun.sleep(delayMs + between(40, (WAVES - 1) * 80))
    expect(await backend.stop('SIGKILL')).toBe(137)
    for (const result of await Promise.all(waves)) {
      received.push(...result.bodies.map(fileOf))
      interrupted += result.errors
    }
  }
  console.info(`crash rounds: ${received.length} answered 200, ${interrupted} cut off by kill -9`)
  // the test only proves something if the kills landed while requests were both done and pending
  expect(received.length).toBeGreaterThan(0)
  expect(interrupted).toBeGreaterThan(0)

  for (const file of received) {
    expect(isComplete(await readFile(join(dir, file), 'utf8'))).toBe(true)
  }
  const onDisk = await countLogFiles(dir)
  expect(onDisk.complete).toBe(onDisk.files)

  const survivor = await startBackend(dir)
  const listed = (await (await fetch(`${survivor.url}/logs?limit=500`)).json()) as unknown
  const entries = entriesOf(listed)
  expect(entries.length).toBe(Math.min(500, onDisk.files))
  for (const entry of entries) {
    expect(isTempName(entry.file)).toBe(false)
    expect(isComplete(entry.content)).toBe(true)
  }
  expect(await survivor.stop()).toBe(0)
}, 120_000)

type Entry = { file: string; content: string }

/** `/logs` answers a list of entries, bare or under `entries`/`logs`. */
function entriesOf(listed: unknown): Entry[] {
  const holder = listed as { entries?: Entry[]; logs?: Entry[] }
  const list = Array.isArray(listed) ? listed : (holder.entries ?? holder.logs)
  if (!Array.isArray(list))
    throw new Error(`/logs answered an unexpected shape: ${JSON.stringify(listed).slice(0, 300)}`)
  return list as Entry[]
}
