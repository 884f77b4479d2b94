// Thousands of concurrent `/`: every one answered 200 with its own complete file, nothing lost.
import { afterAll, expect, test } from 'bun:test'
import { runBurst } from '../../bench/load/burst.ts'
import { countLogFiles } from '../../bench/load/files.ts'
import { fileOf, size, startBackend, tempDir } from './backend.ts'

const dirs: Awaited<ReturnType<typeof tempDir>>[] = []
afterAll(() => Promise.all(dirs.map((d) => d.remove())))

const count = size(2000, 5000)

test(`${count} concurrent GET / -> ${count} x 200 and ${count} distinct complete files`, async () => {
  const dir = await tempDir('burst')
  dirs.push(dir)
  const backend = await startBackend(dir.path, { PROCESSING_DELAY_MS: '200' })
  const result = await runBurst(`${backend.url}/`, { count, timeoutMs: 60_000, bodies: true })
  expect(result.outcomes).toEqual({ '200': count })

  const answered = result.bodies.map(fileOf)
  expect(new Set(answered).size).toBe(count)
  const onDisk = await countLogFiles(dir.path)
  expect(onDisk.temp).toBe(0)
  expect(onDisk.files).toBe(count)
  expect(onDisk.complete).toBe(count)
  expect([...answered].sort()).toEqual([...onDisk.names].sort())
  expect(await backend.stop()).toBe(0)
}, 180_000)
