import { beforeEach, expect, test } from 'bun:test'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../test/support/temp.ts'
import { tailHealthLog } from './show.ts'

let dir: string
let file: string
beforeEach(async () => {
  dir = await tempDir('show')
  file = join(dir, 'health.log')
  await writeFile(`${file}.2`, 'a\nb\n')
  await writeFile(`${file}.1`, 'c\nd\n')
  await writeFile(file, 'e\n')
})

test('takes the tail from the live file, then .1, .2, oldest first', async () => {
  const log = { file, maxBytes: 1, keep: 5 }
  expect(await tailHealthLog(log, 1)).toEqual(['e'])
  expect(await tailHealthLog(log, 4)).toEqual(['b', 'c', 'd', 'e'])
  expect(await tailHealthLog(log, 50)).toEqual(['a', 'b', 'c', 'd', 'e'])
})

test('reads no further than KEEP rotated files', async () => {
  expect(await tailHealthLog({ file, maxBytes: 1, keep: 1 }, 50)).toEqual(['c', 'd', 'e'])
})

test('works while the live file is missing (just rotated) and says when there is no log', async () => {
  await rm(file)
  expect(await tailHealthLog({ file, maxBytes: 1, keep: 5 }, 3)).toEqual(['b', 'c', 'd'])
  expect(
    await tailHealthLog({ file: join(dir, 'other.log'), maxBytes: 1, keep: 5 }, 3),
  ).toBeUndefined()
})
