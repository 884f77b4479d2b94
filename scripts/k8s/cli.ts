// Arguments shared by the k8s scripts: `[--k8s DIR] ENV`, DIR defaulting to the repository's k8s/
// (tests point it at a copy).
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { type Environment, envFile, environments, isEnvironment, k8sRoot } from './render.ts'

export interface EnvironmentArgs {
  env: Environment
  root: string
  /** The overlay's env file, as shown to the user. */
  keysFile: string
  keysPath: string
}

export function environmentArgs(recipe: string, args = Bun.argv.slice(2)): EnvironmentArgs {
  const { values, positionals } = parseArgs({
    args,
    options: { k8s: { type: 'string', default: k8sRoot } },
    allowPositionals: true,
  })
  const env = positionals[0]
  if (positionals.length !== 1 || !isEnvironment(env)) {
    console.error(`usage: just ${recipe} ENV, with ENV one of ${environments.join(', ')}`)
    process.exit(2)
  }
  const keysPath = envFile(values.k8s, env)
  return { env, root: values.k8s, keysPath, keysFile: relative(process.cwd(), keysPath) }
}

/** `[--k8s DIR] [ENV ...]`: the overlays to check (all when none is named) and the k8s/ tree. */
export function environmentsArgs(): { root: string; envs: readonly Environment[] } {
  const { values, positionals } = parseArgs({
    args: Bun.argv.slice(2),
    options: { k8s: { type: 'string', default: k8sRoot } },
    allowPositionals: true,
  })
  const unknown = positionals.filter((p) => !isEnvironment(p))
  if (unknown.length > 0) {
    console.error(`unknown environment ${unknown.join(', ')}: use ${environments.join(', ')}`)
    process.exit(2)
  }
  return {
    root: values.k8s,
    envs: positionals.length > 0 ? positionals.filter(isEnvironment) : environments,
  }
}
