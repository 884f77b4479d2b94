// Every rule the manifest checker applies, in one place.
import { contractRules } from './contract-rules.ts'
import { networkPolicyRules } from './network-policy-rules.ts'
import type { Finding, K8sObject } from './objects.ts'
import { podSecurityRules } from './pod-security.ts'
import { referenceRules } from './reference-rules.ts'
import { type Environment, environments, renderOverlay, withExampleKeys } from './render.ts'
import { checkSchema } from './schema-rules.ts'
import { selectorRules } from './selector-rules.ts'
import { workloadRules } from './workload-rules.ts'

export const ruleDescriptions: Record<string, string> = {
  schema:
    'validates against the Kubernetes OpenAPI schema (kubernetes-models), names and label values',
  'unknown-field': 'no field the schema does not declare (like kubeconform -strict)',
  'kind-allowed': 'only built-in kinds: operator CRDs belong in k8s/monitoring',
  'namespace-pss-labels': 'namespaces enforce, warn and audit Pod Security restricted',
  'pss-host-namespaces': 'no hostNetwork, hostPID, hostIPC',
  'pss-volume-types': 'only the volume types restricted allows',
  'pss-privileged': 'no privileged containers',
  'pss-host-ports': 'no hostPort',
  'pss-privilege-escalation': 'allowPrivilegeEscalation: false',
  'pss-run-as-non-root': 'runAsNonRoot: true',
  'pss-run-as-user': 'never UID 0',
  'pss-seccomp': 'seccompProfile RuntimeDefault or Localhost',
  'pss-capabilities': 'drop ALL, add nothing but NET_BIND_SERVICE',
  'read-only-root-filesystem': 'readOnlyRootFilesystem: true',
  'service-account-token': 'automountServiceAccountToken: false',
  probes: 'startup, liveness /healthz, readiness /readyz on port http',
  resources: 'cpu and memory requests and limits on every container',
  'image-tag': 'a pinned non-latest tag or digest, imagePullPolicy IfNotPresent',
  'rolling-update': 'RollingUpdate with maxUnavailable 0',
  'grace-period': 'terminationGracePeriodSeconds >= drain + longest request + 2 s',
  'log-volume': 'LOG_DIR on a size-limited emptyDir, LOG_RETENTION_BYTES below that limit',
  cronjob:
    'Forbid, startingDeadline, history limits, backoffLimit, timeZone, deadline below interval',
  selector: 'Services, PDBs, HPAs and Deployment selectors find their pods and ports',
  'hpa-replicas': 'autoscaled Deployments leave replicas to the HPA',
  'config-reference':
    'ConfigMaps, Secrets, claims exist in the same namespace, generated, keys present or optional',
  'secret-source': 'integration keys only from the generated Secret',
  names: 'the names of docs/DESIGN.md',
  labels: 'part-of on everything; app and app.kubernetes.io/name on workloads and Services',
  'network-policies': 'default deny, health + monitoring ingress on 5000, DNS and needed egress',
}

export function checkObjects(objects: K8sObject[]): Finding[] {
  const { findings, valid } = checkSchema(objects)
  return [
    ...findings,
    ...podSecurityRules(valid),
    ...workloadRules(valid),
    ...referenceRules(valid),
    ...selectorRules(valid),
    ...contractRules(valid),
    ...networkPolicyRules(valid),
  ]
}

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
