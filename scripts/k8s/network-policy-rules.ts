// The NetworkPolicies every namespace needs: default deny, the health check and Prometheus in on
// the pod port, and the egress that is then still needed (DNS, the external API, the services).

import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy'
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort'
import {
  type Finding,
  healthNamespace,
  type K8sObject,
  missing,
  namespaces,
  ofKind,
} from './objects.ts'

const onPort = (ports: INetworkPolicyPort[] | undefined, port: number) =>
  ports?.some((p) => p.port === port) ?? false

export function networkPolicyRules(objects: K8sObject[]): Finding[] {
  const out: Finding[] = []
  for (const ns of namespaces) {
    const policies = ofKind(objects, 'NetworkPolicy')
      .filter((o) => o.metadata.namespace === ns)
      .map((o) => (o as unknown as INetworkPolicy).spec ?? {})
    const id = `Namespace/${ns}`
    const deniesAll = (type: 'Ingress' | 'Egress') =>
      policies.some(
        (p) =>
          Object.keys(p.podSelector ?? {}).length === 0 &&
          (p.policyTypes ?? []).some((t) => t === type) &&
          !(type === 'Ingress' ? p.ingress : p.egress)?.length,
      )
    if (!deniesAll('Ingress')) {
      out.push(
        missing(
          'network-policies',
          id,
          'needs a default-deny ingress NetworkPolicy (podSelector: {}, policyTypes: [Ingress])',
        ),
      )
    }
    const ingressFrom = (source: string) =>
      policies.some((p) =>
        p.ingress?.some(
          (rule) =>
            onPort(rule.ports, 5000) &&
            rule.from?.some(
              (peer) =>
                peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === source,
            ),
        ),
      )
    const egressTo = (port: number) =>
      policies.some((p) => p.egress?.some((rule) => onPort(rule.ports, port)))
    const needs: [boolean, string][] = [
      [
        ns !== healthNamespace && !ingressFrom(healthNamespace),
        'allow ingress from health-namespace to port 5000',
      ],
      [
        ns !== healthNamespace && !ingressFrom('monitoring'),
        'allow ingress from the monitoring namespace to port 5000',
      ],
    ]
    if (deniesAll('Egress')) {
      needs.push([!egressTo(53), 'allow DNS egress (port 53) since egress is denied'])
      if (ns === 'backend-namespace')
        needs.push([!egressTo(443), 'allow egress to the external API on 443'])
      if (ns === healthNamespace)
        needs.push([!egressTo(5000), 'allow egress to the services on port 5000'])
    }
    for (const [lacking, what] of needs)
      if (lacking) out.push(missing('network-policies', id, what))
  }
  return out
}
