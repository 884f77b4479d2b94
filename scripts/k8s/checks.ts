// Every rule the offline manifest check applies, in one place: our own contracts only. Whether
// the manifests are valid, admitted under Pod Security "restricted", and their Services,
// NetworkPolicies, probes and rollouts work is proven on a real cluster by the e2e suite
// (test/cluster-e2e, `just e2e`).
import { contractRules } from './contract-rules.ts'
import type { Finding, K8sObject } from './objects.ts'
import { referenceRules } from './reference-rules.ts'
import { type Environment, environments, renderOverlay, withExampleKeys } from './render.ts'
import { runtimeRules } from './runtime-rules.ts'

export const ruleDescriptions: Record<string, string> = {
  names: 'the names and ports of docs/DESIGN.md',
  labels: 'part-of on everything; app and app.kubernetes.io/name on workloads and Services',
  'config-reference':
    'ConfigMaps, Secrets, claims exist in the same namespace, generated, keys present or optional',
  'secret-source': 'integration keys only from the generated Secret',
  'grace-period':
    "terminationGracePeriodSeconds above the program's exit deadline (src/kit/http/runtime.ts)",
  'log-volume': 'LOG_DIR on a size-limited emptyDir, the retention (src/kit/config.ts) below it',
  cronjob: 'Forbid, a deadline below the interval and above HEALTH_TIMEOUT_MS',
  'memory-request':
    'memory requests at least the peak RSS of `just bench` (bench/results/latest.md) plus the log volume',
}

export const checkObjects = (objects: K8sObject[]): Finding[] => [
  ...contractRules(objects),
  ...referenceRules(objects),
  ...runtimeRules(objects),
]

export interface OverlayResult {
  env: string
  counts: Record<string, number>
  findings: Finding[]
}

/** Renders each overlay and its log reader from a copy with the example keys, then checks them. */
export async function checkOverlays(
  k8sRoot: string,
  envs: readonly Environment[] = environments,
): Promise<OverlayResult[]> {
  return withExampleKeys(k8sRoot, async (copy) => {
    const results: OverlayResult[] = []
    for (const env of envs) {
      const objects = await renderOverlay(copy, env)
      const counts: Record<string, number> = {}
      for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1
      results.push({ env, counts, findings: checkObjects(objects) })
    }
    return results
  })
}
