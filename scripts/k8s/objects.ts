// The rendered objects as the rules see them, and the findings the rules report.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IPod } from 'kubernetes-models/v1/Pod'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import type { Env } from '../../src/kit/config.ts'

export interface K8sObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
  }
  [field: string]: unknown
}

export interface Finding {
  rule: string
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  object: string
  message: string
}

/** The names of docs/DESIGN.md. */
export const services = [
  { app: 'backend-api', namespace: 'backend-namespace', service: 'backend-api-service-unique' },
  { app: 'data-api', namespace: 'data-namespace', service: 'data-api-service-unique' },
]
export const healthNamespace = 'health-namespace'
export const namespaces = [...services.map((s) => s.namespace), healthNamespace]

export const objectId = (o: K8sObject): string =>
  o.metadata.namespace
    ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`

export const finding = (rule: string, o: K8sObject, message: string): Finding => ({
  rule,
  object: objectId(o),
  message,
})

/** A finding about an object that should exist but does not. */
export const missing = (rule: string, object: string, message: string): Finding => ({
  rule,
  object,
  message,
})

export const formatFinding = (f: Finding): string => `${f.object}: [${f.rule}] ${f.message}`

export interface PodTemplate {
  owner: K8sObject
  labels: Record<string, string>
  spec: IPodSpec
}

/** The pod spec of every workload: Deployments, the CronJob's job template, bare Pods. */
export function podTemplates(objects: K8sObject[]): PodTemplate[] {
  const found: PodTemplate[] = []
  for (const o of objects) {
    const template =
      o.kind === 'Deployment'
        ? (o as unknown as IDeployment).spec?.template
        : o.kind === 'CronJob'
          ? (o as unknown as ICronJob).spec?.jobTemplate.spec?.template
          : o.kind === 'Pod'
            ? { metadata: o.metadata, spec: (o as unknown as IPod).spec }
            : undefined
    if (template?.spec) {
      found.push({ owner: o, labels: template.metadata?.labels ?? {}, spec: template.spec })
    }
  }
  return found
}

export const containersOf = (spec: IPodSpec): IContainer[] => [
  ...(spec.initContainers ?? []),
  ...spec.containers,
]

/** The literal environment a container sees: ConfigMaps from envFrom, then `env` values. */
export function literalEnv(c: IContainer, objects: K8sObject[], ns?: string): Env {
  const env: Env = {}
  for (const source of c.envFrom ?? []) {
    const map = lookup(objects, 'ConfigMap', ns, source.configMapRef?.name)
    Object.assign(env, (map?.data as Record<string, string> | undefined) ?? {})
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value
  return env
}

export const ofKind = (objects: K8sObject[], kind: string): K8sObject[] =>
  objects.filter((o) => o.kind === kind)

/** The object of that kind, namespace and name; any of them unknown finds nothing. */
export const lookup = (
  objects: K8sObject[],
  kind: string | undefined,
  namespace: string | undefined,
  name: string | undefined,
): K8sObject | undefined =>
  objects.find(
    (o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name,
  )

export const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)

const units: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  k: 1e3,
  M: 1e6,
  G: 1e9,
}

/** Bytes of a quantity such as `32Mi`; NaN when it is not one of these simple forms. */
export function quantityBytes(quantity: string): number {
  const [, number, unit] = /^(\d+(?:\.\d+)?)([KMG]i|[kMG])?$/.exec(quantity) ?? []
  return number === undefined ? Number.NaN : Number(number) * (unit ? (units[unit] ?? 1) : 1)
}
