import { beforeEach, describe, expect, test } from 'bun:test'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../test/support/temp.ts'
import type { CheckReport } from './classify.ts'
import { appendToHealthLog, formatLogLine } from './health-log.ts'

let dir: string
beforeEach(async () => {
  dir = await tempDir('health-log')
})

const report: CheckReport = {
  time: '2026-01-02T03:04:05.678Z',
  result: 'FAIL',
  name: 'Backend API',
  url: 'http://backend/',
  critical: true,
  status: 500,
  latencyMs: 7,
  detail: 'expected 200',
  message: 'Health check failed',
}

describe('formatLogLine', () => {
  test('timestamp, result, quoted name, URL, status or error, latency, phrase', () => {
    expect(formatLogLine(report)).toBe(
      '2026-01-02T03:04:05.678Z FAIL name="Backend API" url=http://backend/ status=500 latency_ms=7 ' +
        'critical=yes detail="expected 200" Health check failed',
    )
    const { status: _, detail: __, ...rest } = report
    const refused = { ...rest, error: 'ECONNREFUSED', name: 'two\nlines', critical: false }
    expect(formatLogLine(refused)).toBe(
      '2026-01-02T03:04:05.678Z FAIL name="two\\nlines" url=http://backend/ error=ECONNREFUSED ' +
        'latency_ms=7 critical=no Health check failed',
    )
  })
})

describe('appendToHealthLog', () => {
  const lines = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => `${tag}-${i} ${'x'.repeat(20)}`)

  test('creates missing directories and appends whole lines', async () => {
    const log = { file: join(dir, 'deep/er/health.log'), maxBytes: 10_000, keep: 2 }
    await appendToHealthLog(log, lines(2, 'a'))
    await appendToHealthLog(log, lines(1, 'b'))
    expect(await readFile(log.file, 'utf8')).toBe(
      `${[...lines(2, 'a'), ...lines(1, 'b')].join('\n')}\n`,
    )
    expect(await readdir(join(dir, 'deep/er'))).toEqual(['health.log'])
  })

  test('rotates before the file would pass maxBytes, keeping .1 .. .KEEP', async () => {
    const log = { file: join(dir, 'health.log'), maxBytes: 100, keep: 2 }
    for (const tag of ['r0', 'r1', 'r2', 'r3']) {
      const result = await appendToHealthLog(log, lines(2, tag))
      expect(result.rotated).toBe(tag !== 'r0')
    }
    expect((await readdir(dir)).sort()).toEqual(['health.log', 'health.log.1', 'health.log.2'])
    expect(await readFile(log.file, 'utf8')).toStartWith('r3-0')
    expect(await readFile(`${log.file}.1`, 'utf8')).toStartWith('r2-0')
    expect(await readFile(`${log.file}.2`, 'utf8')).toStartWith('r1-0')
  })

  test('KEEP=0 starts a fresh file instead of keeping old ones', async () => {
    const log = { file: join(dir, 'health.log'), maxBytes: 60, keep: 0 }
    await appendToHealthLog(log, lines(2, 'old'))
    await appendToHealthLog(log, lines(1, 'new'))
    expect(await readdir(dir)).toEqual(['health.log'])
    expect(await readFile(log.file, 'utf8')).toBe(`${lines(1, 'new')[0]}\n`)
  })

  test('many appends at once with rotation: no line lost or torn', async () => {
    const log = { file: join(dir, 'health.log'), maxBytes: 300, keep: 1000 }
    const batches = Array.from({ length: 40 }, (_, i) => lines(3, `b${i}`))
    await Promise.all(batches.map((batch) => appendToHealthLog(log, batch)))
    const files = await readdir(dir)
    // Without the lock two appends rotate on one size check and a file grows past the limit.
    for (const f of files) expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(300)
    const all = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('')
    expect(all.split('\n').filter(Boolean).sort()).toEqual(batches.flat().sort())
  })

  test('an unwritable place is reported to the caller', async () => {
    await writeFile(join(dir, 'not-a-dir'), '')
    const log = { file: join(dir, 'not-a-dir/health.log'), maxBytes: 100, keep: 1 }
    await expect(appendToHealthLog(log, ['x'])).rejects.toMatchObject({ code: expect.any(String) })
  })
})
