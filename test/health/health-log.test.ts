// The log on the claim, through the compiled binary: rotation at a tiny size, `show` across the
// rotated files, and runs started at the same moment against the same file.
import { expect, test } from 'bun:test'
import { readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import {
  allLogLines,
  LOG_LINE,
  linesOf,
  runHealth,
  targetsEnv,
  withLoopbackHealth,
} from './health-runs.ts'

const mkfifo = async (path: string) => {
  const made = Bun.spawnSync(['mkfifo', path])
  if (made.exitCode !== 0) throw new Error(`mkfifo ${path}: ${made.stderr}`)
}

const suite = withLoopbackHealth()

const okTargets = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    name: `${prefix} ${i}`,
    url: suite.services.url('/ok'),
  }))

test('rotates at HEALTH_LOG_MAX_BYTES into .1 .. .KEEP; show reads across them', async () => {
  const env = { HEALTH_LOG_FILE: suite.log.file, HEALTH_LOG_MAX_BYTES: '300', HEALTH_LOG_KEEP: '2' }
  for (const run of ['run-a', 'run-b', 'run-c', 'run-d']) {
    const result = await runHealth({ ...env, ...targetsEnv(okTargets(run, 2)) })
    expect(result.exitCode).toBe(0)
  }
  expect((await readdir(suite.log.dir)).sort()).toEqual([
    'health_check.log',
    'health_check.log.1',
    'health_check.log.2',
  ])
  // Each run's two lines (about 150 bytes each) fill a file; the oldest run was dropped.
  const files = [`${suite.log.file}.2`, `${suite.log.file}.1`, suite.log.file]
  const perFile = await Promise.all(files.map(linesOf))
  expect(perFile.map((lines) => lines.map((l) => /name="(run-\w)/.exec(l)?.[1]))).toEqual([
    ['run-b', 'run-b'],
    ['run-c', 'run-c'],
    ['run-d', 'run-d'],
  ])
  for (const file of files) expect((await stat(file)).size).toBeLessThanOrEqual(300)

  const shown = await runHealth(env, ['show', '--lines', '5'])
  expect(shown.exitCode).toBe(0)
  expect(shown.stdout.trimEnd().split('\n')).toEqual(perFile.flat().slice(-5))
  const everything = await runHealth(env, ['show', '--lines', '100'])
  expect(everything.stdout.trimEnd().split('\n')).toEqual(perFile.flat())
}, 60_000)

test('runs started at the same moment on one file: every line intact, none lost', async () => {
  const runs = ['w', 'x', 'y', 'z']
  // A small size forces rotations while the runs race; KEEP is large so no line is dropped.
  const env = {
    HEALTH_LOG_FILE: suite.log.file,
    HEALTH_LOG_MAX_BYTES: '2000',
    HEALTH_LOG_KEEP: '100',
  }
  const gated = (run: string) =>
    okTargets(`run ${run}`, 12).map((t) => ({ ...t, url: suite.services.url('/gate?n=48') }))
  const results = await Promise.all(
    runs.map((run) => runHealth({ ...env, ...targetsEnv(gated(run)) })),
  )
  expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0, 0])
  expect(results.map((r) => r.stderr)).toEqual(['', '', '', ''])
  const lines = await allLogLines(suite.log.file)
  for (const line of lines) expect(line).toMatch(LOG_LINE)
  const names = lines.map((l) => /name="([^"]+)"/.exec(l)?.[1]).sort()
  expect(names).toEqual(
    runs.flatMap((run) => okTargets(`run ${run}`, 12).map((t) => t.name)).sort(),
  )
  // Rotation happened during the race, and never twice for one size check (the lock's job).
  const files = await readdir(suite.log.dir)
  expect(files.length).toBeGreaterThan(2)
  for (const file of files)
    expect((await stat(`${suite.log.dir}/${file}`)).size).toBeLessThanOrEqual(2000)
  expect(files.filter((f) => f.includes('.lock'))).toEqual([])
}, 60_000)

test('a symlink or a FIFO as HEALTH_LOG_FILE is refused with what to do, never followed or waited on', async () => {
  const outside = `${suite.log.dir}/outside.txt`
  await writeFile(outside, 'not the health log\n')
  const cases = [
    {
      path: `${suite.log.dir}/linked.log`,
      make: (p: string) => symlink(outside, p),
      says: 'is a symlink',
    },
    {
      path: `${suite.log.dir}/fifo.log`,
      make: (p: string) => mkfifo(p),
      says: 'is a FIFO',
    },
  ]
  for (const { path, make, says } of cases) {
    await make(path)
    const env = { HEALTH_LOG_FILE: path, ...targetsEnv(okTargets('refused', 1)) }
    for (const args of [[], ['show']]) {
      const result = await runHealth(env, args)
      expect(result.exitCode).toBe(1)
      expect(result.stderr).toContain(`${path} ${says}`)
      expect(result.stderr).toContain('HEALTH_LOG_FILE')
      // No open waited for a writer or a reader (the runs' timeout would have killed it).
      expect(result.durationMs).toBeLessThan(5000)
    }
  }
  expect(await readFile(outside, 'utf8')).toBe('not the health log\n')
}, 60_000)
