// Copies of the repository's k8s/ tree for tests that break or fill in files, so the shared work
// tree (and anybody's real, git-ignored integration-keys.env) is never touched.
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { k8sRoot, repoRoot } from '../../scripts/k8s/render.ts'
import { runToEnd } from '../../scripts/process.ts'
import { hasCommand } from '../support/requirements.ts'

const copies: string[] = []

/**
 * Removes the copies made so far. Each suite that copies calls `afterAll(removeCopies)` itself:
 * an afterAll at the top of this module would only run for the first test file importing it.
 */
export async function removeCopies(): Promise<void> {
  const dirs = copies.splice(0)
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}

/** A copy of k8s/ without any real env file; removed by removeCopies. */
export async function copyK8sTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8s-test-'))
  copies.push(dir)
  const root = join(dir, 'k8s')
  await cp(k8sRoot, root, { recursive: true, filter: (src) => !src.endsWith('.env') })
  return root
}

/** Replaces `from` (which must occur) with `to` in a file of a copied tree. */
export async function edit(root: string, file: string, from: string, to: string): Promise<void> {
  const path = join(root, file)
  const text = await Bun.file(path).text()
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`)
  await Bun.write(path, text.replace(from, to))
}

export interface ScriptResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs one of scripts/k8s/*.ts the way its just recipe does, from the repository root. */
export async function runScript(script: string, args: string[]): Promise<ScriptResult> {
  const { code, stdout, stderr } = await runToEnd(
    [process.execPath, 'run', join('scripts/k8s', script), ...args],
    { cwd: repoRoot },
  )
  return { exitCode: code, stdout, stderr }
}

export const hasKustomize = hasCommand('kustomize') || hasCommand('kubectl')
export const kustomizeMissing = 'neither kustomize nor kubectl (with kustomize) is installed'
