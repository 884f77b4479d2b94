// Renders kustomizations with the standalone `kustomize` when installed, else the one embedded in
// kubectl, and parses the output into objects.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { runToEnd } from '../process.ts'
import type { K8sObject } from './objects.ts'

export const repoRoot = resolve(import.meta.dir, '../..')
export const k8sRoot = join(repoRoot, 'k8s')
export const environments = ['dev', 'staging', 'prod'] as const
export type Environment = (typeof environments)[number]

export const isEnvironment = (name: string | undefined): name is Environment =>
  environments.includes(name as Environment)

export const overlayDir = (root: string, env: Environment): string => join(root, 'overlays', env)
export const envFile = (root: string, env: Environment): string =>
  join(overlayDir(root, env), 'integration-keys.env')

function kustomizeCommand(dir: string): string[] {
  return Bun.which('kustomize') ? ['kustomize', 'build', dir] : ['kubectl', 'kustomize', dir]
}

export async function renderText(dir: string): Promise<string> {
  const command = kustomizeCommand(dir)
  if (!Bun.which(command[0] as string)) {
    throw new Error('neither kustomize nor kubectl is on PATH: install kubectl 1.27 or newer')
  }
  const { code, stdout, stderr } = await runToEnd(command)
  if (code !== 0) {
    const hint = /integration-keys\.env/.test(stderr)
      ? ' (the env file is missing: run `just secrets ENV`)'
      : ''
    throw new Error(`${command.join(' ')} failed${hint}:\n${stderr.trim()}`)
  }
  return stdout
}

function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`unparsable YAML: ${doc.errors[0]?.message}`)
      return doc.toJS() as K8sObject | null
    })
    .filter((o): o is K8sObject => o !== null)
}

export const render = async (dir: string): Promise<K8sObject[]> =>
  parseObjects(await renderText(dir))

/** An overlay and its log reader: everything `just up` and `just health-logs` put in the cluster. */
export const renderOverlay = async (root: string, env: Environment): Promise<K8sObject[]> => [
  ...(await render(overlayDir(root, env))),
  ...(await render(join(overlayDir(root, env), 'log-reader'))),
]

/**
 * Copies a k8s tree to a temporary directory with every `*.env.example` as its `*.env`, so that
 * overlays render without the real (git-ignored) keys, which are never copied.
 */
export async function withExampleKeys<T>(
  root: string,
  use: (copy: string) => Promise<T>,
): Promise<T> {
  const copy = await mkdtemp(join(tmpdir(), 'k8s-check-'))
  try {
    await cp(root, copy, { recursive: true, filter: (src) => !src.endsWith('.env') })
    for (const entry of await readdir(copy, { recursive: true })) {
      if (entry.endsWith('.env.example')) {
        const example = join(copy, entry)
        await Bun.write(example.slice(0, -'.example'.length), Bun.file(example))
      }
    }
    return await use(copy)
  } finally {
    await rm(copy, { recursive: true, force: true })
  }
}
