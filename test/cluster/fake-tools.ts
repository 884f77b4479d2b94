// Stand-ins for the tools outside the project (docker, kind, kubectl, helm, bun, and the recipes of
// other areas reached through `just`): no cluster can run on the test machines. Each fake is a bash
// script that appends its command line to a shared log, so a test asserts what was really called.
import { chmod, cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Finished, runToEnd } from '../../scripts/process.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'

export const repoRoot = resolve(import.meta.dir, '../..')

/** For tests that render the overlays with the real `kubectl kustomize`. */
export const testWithKubectl = testWhen(
  hasCommand('kubectl'),
  'kubectl is not installed (it renders the overlays: https://kubernetes.io/docs/tasks/tools/)',
)

const scratchDir = (prefix: string) => tempDir(`cluster-${prefix}`)

export interface FakeBin {
  dir: string
  /** The command lines the fakes received, in order (`kind get clusters`, ...). */
  calls(): Promise<string[]>
  /** PATH holding only the fakes and `bash` (what the preflight tests need). */
  barePath: string
  /** The fakes first, then the system (date, grep, sleep ... stay real). */
  shadowPath: string
}

/**
 * Fake tools: name -> bash body run after the call is logged ("$@" are its arguments, $fake_dir
 * the directory of the fakes). `real`
 * names system commands to make visible on the bare PATH too (bash always is).
 */
export async function fakeBin(
  tools: Record<string, string>,
  real: string[] = [],
): Promise<FakeBin> {
  const dir = await scratchDir('bin')
  const log = join(dir, 'calls.log')
  await writeFile(log, '')
  for (const [name, body] of Object.entries(tools)) {
    const file = join(dir, name)
    // fake_dir: where a fake may keep state between calls (kind's list of clusters, ...).
    await writeFile(
      file,
      `#!/bin/bash\nfake_dir='${dir}'\necho "${name} $*" >> '${log}'\n${body}\n`,
    )
    await chmod(file, 0o755)
  }
  for (const name of ['bash', ...real]) {
    const target = Bun.which(name)
    if (!target) throw new Error(`${name} is not installed`)
    await symlink(target, join(dir, name))
  }
  return {
    dir,
    calls: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
    barePath: dir,
    shadowPath: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  }
}

/** Version outputs in the formats the real tools print. */
export const versions = {
  docker: (v: string) => `echo "Docker version ${v}, build 297e128"`,
  kind: (v: string) => `echo "kind v${v} go1.22.6 linux/amd64"`,
  kubectl: (v: string) => `printf 'Client Version: v${v}\\nKustomize Version: v5.5.0\\n'`,
  helm: (v: string) => `echo "v${v}+g13654a5"`,
  bun: (v: string) => `echo "${v}"`,
}

/** A tool that prints `version` for its version command and succeeds on anything else. */
export const toolAt = (name: keyof typeof versions, version: string): string =>
  `case "$1" in --version|version) ${versions[name](version)} ;; esac; exit 0`

/** Every tool present and recent enough, the docker engine answering. */
export const healthyTools = (): Record<string, string> => ({
  docker: toolAt('docker', '27.3.1'),
  kind: toolAt('kind', '0.30.1'),
  kubectl: toolAt('kubectl', '1.32.2'),
  helm: toolAt('helm', '3.16.2'),
  bun: toolAt('bun', '1.4.5'),
})

let justBinary: string | undefined
/**
 * The real `just` binary: the npm package installs a node wrapper that a bare PATH cannot run.
 * `just_executable()` names the binary actually running.
 */
export async function realJust(): Promise<string> {
  if (justBinary) return justBinary
  const dir = await scratchDir('just')
  await writeFile(join(dir, 'justfile'), 'exe := just_executable()\n')
  const proc = Bun.spawnSync(['just', '--justfile', join(dir, 'justfile'), '--evaluate', 'exe'])
  justBinary = proc.stdout.toString().trim()
  if (!justBinary) throw new Error(`cannot locate just: ${proc.stderr.toString()}`)
  return justBinary
}

export type Run = Finished

/** A recipe or script with only `env` (and HOME) in its environment, from the repository root. */
export function run(
  command: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Run> {
  return runToEnd(command, {
    cwd: opts.cwd ?? repoRoot,
    env: { HOME: process.env.HOME ?? '/tmp', ...opts.env },
    timeoutMs: opts.timeoutMs ?? 30_000,
  })
}

/**
 * A copy of what the recipes read (justfiles, scripts/cluster, scripts/k8s, k8s; node_modules
 * linked), so a test can create or delete env files and run recipes without touching the work tree.
 */
export async function projectCopy(): Promise<string> {
  const dir = await scratchDir('project')
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'))
  for (const path of [
    'justfile',
    'just',
    'scripts/cluster',
    'scripts/k8s',
    'scripts/process.ts',
    'k8s',
  ]) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await cp(join(repoRoot, path), join(dir, path), {
      recursive: true,
      filter: (src) => !src.endsWith('.env'),
    })
  }
  return dir
}

/** Processes whose command line contains `marker` (read from /proc: no procps needed). */
export async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(marker)) found.push(cmdline.replaceAll('\0', ' ').trim())
  }
  return found
}
