// Thousands of concurrent `/`: every one answered 200 with its own complete file, nothing lost.
import { expect, test } from 'bun:test'
import { runBurst } from '../../bench/load/burst.ts'
import { countLogFiles } from '../../bench/load/files.ts'
import { tempDir } from '../support/temp.ts'
import { fileOf, size, startBackend } from './backend.ts'

const count = size(2000, 5000)

test(`${count} concurrent GET / -> ${count} x 200 and ${count} distinct complete files`, async () => {
  const dir = await tempDir('stress-burst')
  const backend = await startBackend(dir, { PROCESSING_DELAY_MS: '200' })
  const result = await runBurst(`${backend.url}/`, { count, timeoutMs: 60_000, bodies: true })
  expect(result.outcomes).toEqual({ '200': count })

  const answered = result.bodies.map(fileOf)
  expect(new Set(answered).size).toBe(count)
  const onDisk = await countLogFiles(dir)
  expect(onDisk.temp).toBe(0)
  expect(onDisk.files).toBe(count)
  expect(onDisk.complete).toBe(count)
  expect([...answered].sort()).toEqual([...onDisk.names].sort())
  expect(await backend.stop()).toBe(0)
}, 180_000)
