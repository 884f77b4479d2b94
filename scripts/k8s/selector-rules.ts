// Selectors that find their pods: Services (and their target ports), Deployments, PDBs, topology
// spread, and HPAs with the Deployments they scale.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import type { IService } from 'kubernetes-models/v1/Service'
import {
  type Finding,
  finding,
  type K8sObject,
  lookup,
  ofKind,
  type PodTemplate,
  podTemplates,
  selects,
} from './objects.ts'

function selectorFindings(objects: K8sObject[]): Finding[] {
  const out: Finding[] = []
  const templates = podTemplates(objects)
  const podsIn = (ns: string | undefined, selector: Record<string, string>) =>
    templates.filter((t) => t.owner.metadata.namespace === ns && selects(selector, t.labels))
  for (const o of ofKind(objects, 'Service')) {
    const spec = (o as unknown as IService).spec
    const pods = podsIn(o.metadata.namespace, spec?.selector ?? {})
    if (pods.length === 0) {
      out.push(
        finding(
          'selector',
          o,
          'selector matches no pod template in its namespace: copy the pod labels',
        ),
      )
    }
    for (const port of pods.length > 0 ? (spec?.ports ?? []) : []) {
      const target = port.targetPort ?? port.port
      const served = pods.every(({ spec: pod }) =>
        pod.containers.some((c) =>
          c.ports?.some((p) => p.name === target || p.containerPort === target),
        ),
      )
      if (!served)
        out.push(finding('selector', o, `targetPort ${target} is not a port of the selected pods`))
    }
  }
  for (const o of ofKind(objects, 'Deployment')) {
    const d = (o as unknown as IDeployment).spec
    if (!selects(d?.selector.matchLabels ?? {}, d?.template.metadata?.labels ?? {})) {
      out.push(
        finding('selector', o, 'spec.selector.matchLabels must match the pod template labels'),
      )
    }
  }
  for (const o of ofKind(objects, 'PodDisruptionBudget')) {
    const selector = (o as unknown as IPodDisruptionBudget).spec?.selector?.matchLabels ?? {}
    if (podsIn(o.metadata.namespace, selector).length === 0) {
      out.push(finding('selector', o, 'selector matches no pod template in its namespace'))
    }
  }
  return out
}

/** Spreading only works when the selector finds the pod itself; the API rejects shared keys. */
function spreadFindings({ owner, labels, spec }: PodTemplate): Finding[] {
  return (spec.topologySpreadConstraints ?? []).flatMap((c) => {
    const selector = c.labelSelector ?? {}
    const keys = [
      ...Object.keys(selector.matchLabels ?? {}),
      ...(selector.matchExpressions ?? []).map((e) => e.key),
    ]
    const own =
      selects(selector.matchLabels ?? {}, labels) ||
      (selector.matchExpressions ?? []).every((e) =>
        e.operator === 'Exists'
          ? e.key in labels
          : e.operator === 'In' && e.values?.includes(labels[e.key] ?? ''),
      )
    const shared = (c.matchLabelKeys ?? []).filter((k) => keys.includes(k))
    return [
      ...(own && keys.length > 0
        ? []
        : [
            finding(
              'selector',
              owner,
              `topology spread on ${c.topologyKey} does not select the pods themselves`,
            ),
          ]),
      ...(shared.length > 0
        ? [
            finding(
              'selector',
              owner,
              `matchLabelKeys ${shared.join(', ')} also in labelSelector: the API rejects that`,
            ),
          ]
        : []),
    ]
  })
}

function autoscalerFindings(objects: K8sObject[]): Finding[] {
  return ofKind(objects, 'HorizontalPodAutoscaler').flatMap((o) => {
    const target = (o as unknown as IHorizontalPodAutoscaler).spec?.scaleTargetRef
    const deployment = lookup(objects, target?.kind, o.metadata.namespace, target?.name)
    if (!deployment)
      return [
        finding(
          'selector',
          o,
          `scaleTargetRef ${target?.kind}/${target?.name} does not exist in its namespace`,
        ),
      ]
    if ((deployment as unknown as IDeployment).spec?.replicas === undefined) return []
    return [
      finding(
        'hpa-replicas',
        deployment,
        'remove spec.replicas: it is autoscaled, and every apply would reset the scale',
      ),
    ]
  })
}

export const selectorRules = (objects: K8sObject[]): Finding[] => [
  ...selectorFindings(objects),
  ...autoscalerFindings(objects),
  ...podTemplates(objects).flatMap(spreadFindings),
]
