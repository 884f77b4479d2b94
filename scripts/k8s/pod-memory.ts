// The memory each workload gets in each overlay, as `just up` applies it: the container's limit,
// its literal environment, and the memory-backed emptyDir its LOG_DIR is on (charged to the same
// limit). The memory tests and `just bench` run the binaries against these numbers, never copies.
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { Env } from '../../src/kit/config.ts'
import { literalEnv, podTemplates, quantityBytes } from './objects.ts'
import {
  type Environment,
  environments,
  k8sRoot,
  renderOverlay,
  withExampleKeys,
} from './render.ts'

export interface PodMemory {
  overlay: Environment
  limitBytes: number
  /** The container's literal environment (ConfigMaps and values), less PORT: callers pick one. */
  env: Record<string, string>
  /** sizeLimit of the memory-backed emptyDir mounted at LOG_DIR; 0 when there is none. */
  logVolumeBytes: number
}

function memoryOf(
  overlay: Environment,
  container: IContainer,
  volumes: { name: string; emptyDir?: { medium?: string; sizeLimit?: unknown } }[],
  env: Env,
): PodMemory {
  const limitBytes = quantityBytes(String(container.resources?.limits?.memory))
  if (!Number.isFinite(limitBytes)) {
    throw new Error(`${overlay}: container ${container.name} has no memory limit`)
  }
  const mount = container.volumeMounts?.find((m) => m.mountPath === env.LOG_DIR)
  const emptyDir = volumes.find((v) => v.name === mount?.name)?.emptyDir
  const logVolumeBytes =
    emptyDir?.medium === 'Memory' ? quantityBytes(String(emptyDir.sizeLimit)) : 0
  const { PORT: _port, ...rest } = env
  const defined = Object.entries(rest).filter((e): e is [string, string] => e[1] !== undefined)
  return { overlay, limitBytes, env: Object.fromEntries(defined), logVolumeBytes }
}

/** The app's first container (by its `app.kubernetes.io/name` label) in every overlay. */
export async function podMemory(app: string): Promise<PodMemory[]> {
  return withExampleKeys(k8sRoot, async (copy) => {
    const found: PodMemory[] = []
    for (const overlay of environments) {
      const objects = await renderOverlay(copy, overlay)
      for (const { owner, labels, spec } of podTemplates(objects)) {
        const container = spec.containers[0]
        if (labels['app.kubernetes.io/name'] !== app || !container) continue
        const env = literalEnv(container, objects, owner.metadata.namespace)
        found.push(memoryOf(overlay, container, spec.volumes ?? [], env))
      }
    }
    if (found.length !== environments.length) {
      throw new Error(`expected one ${app} workload per overlay, found ${found.length}`)
    }
    return found
  })
}

/** The overlay that gives the app the least memory: where a memory test must pass. */
export const smallestMemory = async (app: string): Promise<PodMemory> =>
  (await podMemory(app)).reduce((a, b) => (b.limitBytes < a.limitBytes ? b : a))
