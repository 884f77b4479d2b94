import { expect, test } from 'bun:test'
import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compiledBinary } from './binaries.ts'
import { runProgram } from './processes.ts'

test('compiledBinary returns dist/<name>, built once, executable', async () => {
  const [a, b] = await Promise.all([compiledBinary('data-api'), compiledBinary('data-api')])
  expect(a).toBe(b)
  expect(a).toEndWith('/dist/data-api')
  const info = await stat(a)
  expect(info.mode & 0o111).not.toBe(0)
  const again = await compiledBinary('data-api')
  expect((await stat(again)).mtimeMs).toBe(info.mtimeMs)
}, 120_000)

test('parallel test processes asking at once for a stale binary both get a working one', async () => {
  const binary = await compiledBinary('backend-api')
  // a source newer than the binary makes both processes want to rebuild it at the same moment
  const touched = new Date()
  await utimes(join(import.meta.dir, '../../src/backend/app.ts'), touched, touched)
  const script = `
    const { compiledBinary } = await import('${import.meta.dir}/binaries.ts')
    console.log(await compiledBinary('backend-api'))
  `
  const runs = await Promise.all(
    [1, 2].map(() => runProgram(process.execPath, { args: ['-e', script], timeoutMs: 120_000 })),
  )
  for (const run of runs) {
    expect(run.exitCode).toBe(0)
    expect(run.stdout.trim()).toEndWith('/dist/backend-api')
  }
  expect((await stat(binary)).mtimeMs).toBeGreaterThan(touched.getTime() - 1000)
  const version = await runProgram(binary, { env: { PORT: 'x' } })
  expect(version.exitCode).toBe(1)
  expect(version.stderr).toContain('PORT="x" is invalid')
}, 120_000)

test('scripts/build.ts is reproducible: same VERSION and GIT_COMMIT, same bytes, no temp name inside', async () => {
  const dirs = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'build-'))))
  try {
    const digests: string[] = []
    for (const outdir of dirs) {
      const run = await runProgram(process.execPath, {
        args: ['run', join(import.meta.dir, '../../scripts/build.ts'), 'data', '--outdir', outdir],
        env: { VERSION: '9.9.9', GIT_COMMIT: 'abc1234' },
        timeoutMs: 120_000,
      })
      expect(run.exitCode).toBe(0)
      // Only the binary: the temp directory it was compiled in is gone.
      expect(await readdir(outdir)).toEqual(['data-api'])
      const bytes = await Bun.file(join(outdir, 'data-api')).bytes()
      digests.push(new Bun.CryptoHasher('sha256').update(bytes).digest('hex'))
      const text = Buffer.from(bytes).toString('latin1')
      expect(text).toContain('/$bunfs/root/data-api')
      expect(text).not.toMatch(/\$bunfs\/root\/\.data-api/)
    }
    expect(digests[0]).toBe(digests[1])
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  }
}, 120_000)
