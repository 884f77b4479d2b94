// secretlint over every file git would commit (tracked, or untracked and not ignored) finds no key,
// and a planted key proves the scan detects one.
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../../scripts/k8s/render.ts'
import { runToEnd } from '../../scripts/process.ts'

async function secretlint(files: string[]): Promise<{ exitCode: number; output: string }> {
  const { code, stdout, stderr } = await runToEnd(
    [
      process.execPath,
      'node_modules/secretlint/bin/secretlint.js',
      '--secretlintrc',
      '.secretlintrc.json',
      ...files,
    ],
    { cwd: repoRoot },
  )
  return { exitCode: code, output: stdout + stderr }
}

describe('secretlint', () => {
  test('no file that git would commit holds a key', async () => {
    const listed = Bun.spawnSync(
      ['git', 'ls-files', '--cached', '--others', '--exclude-standard', '-z'],
      { cwd: repoRoot },
    )
    const files = listed.stdout
      .toString()
      .split('\0')
      .filter((f) => f && existsSync(join(repoRoot, f)))
    expect(files).toContain('k8s/overlays/dev/integration-keys.env.example')
    const { exitCode, output } = await secretlint(files)
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: '' })
  }, 30_000)

  test('a planted token is found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secretlint-'))
    try {
      const token = `ghp_${'a1B2'.repeat(9)}`
      await Bun.write(join(dir, 'leak.env'), `TOKEN=${token}\n`)
      const { exitCode, output } = await secretlint([join(dir, 'leak.env')])
      expect(exitCode).toBe(1)
      expect(output).toContain('GITHUB_TOKEN')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
