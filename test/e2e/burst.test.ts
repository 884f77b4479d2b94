import { expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startService } from './harness.ts'

test('500 concurrent GET / -> 500 answers 200 and 500 distinct complete files', async () => {
  const service = await startService('data-api', { PROCESSING_DELAY_MS: '200' })
  const started = performance.now()
  const answers = await Promise.all(Array.from({ length: 500 }, () => service.get('/')))
  const elapsed = performance.now() - started
  expect(answers.every((a) => a.status === 200)).toBe(true)
  const names = answers.map((a) => a.body.file as string)
  expect(new Set(names).size).toBe(500)
  const files = await service.logFiles()
  expect(files.sort()).toEqual([...names].sort())
  const records = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(join(service.logDir, f), 'utf8'))),
  )
  expect(records.every((r) => r.service === 'data-api' && typeof r.message === 'string')).toBe(true)
  // the delays overlap: 500 x 200 ms of "work" finish in a few seconds, not 100 s
  expect(elapsed).toBeLessThan(15_000)
  expect(await service.stop()).toBe(0)
}, 60_000)
