import { afterAll, expect, test } from 'bun:test'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runToEnd } from '../../scripts/process.ts'
import { hasCommand } from './requirements.ts'

const dir = await mkdtemp(join(tmpdir(), 'requirements-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Runs a one-test suite that needs a missing tool, the way `bun test` would on a laptop or in CI. */
async function runSuiteNeedingMissingTool(ci: string) {
  const file = join(dir, `needs-${ci}.test.ts`)
  await writeFile(
    file,
    `import { testWhen } from ${JSON.stringify(join(import.meta.dir, 'requirements.ts'))}\n` +
      `testWhen(false, 'needs the frobnicator')('uses the frobnicator', () => {})\n`,
  )
  const { code, stdout, stderr } = await runToEnd([process.execPath, 'test', file], {
    cwd: dir,
    env: { ...process.env, CI: ci },
  })
  return { exitCode: code, output: stdout + stderr }
}

test('on a laptop a missing tool skips the test with one line saying why', async () => {
  const { exitCode, output } = await runSuiteNeedingMissingTool('false')
  expect(exitCode).toBe(0)
  expect(output).toContain('skip: needs the frobnicator')
  expect(output).toMatch(/1 skip/)
}, 30_000)

test('under CI=true a missing tool fails the test, naming the requirement', async () => {
  const { exitCode, output } = await runSuiteNeedingMissingTool('true')
  expect(exitCode).toBe(1)
  expect(output).toContain('needs the frobnicator (CI=true requires it)')
  expect(output).toMatch(/1 fail/)
}, 30_000)

test('hasCommand finds bun and not a made-up name', () => {
  expect(hasCommand('bun')).toBe(true)
  expect(hasCommand('no-such-command-4b1e')).toBe(false)
})
