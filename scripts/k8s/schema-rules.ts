// OpenAPI validation through kubernetes-models, plus what it lets through: unknown fields, kinds
// that need CRDs, and name/label syntax.
import * as models from 'kubernetes-models'
import { type Finding, finding, type K8sObject } from './objects.ts'

interface ModelClass {
  new (data: unknown): { validate(): void }
  prototype: { validate(this: unknown): void }
}
type Models = Record<string, ModelClass | undefined>
type Groups = Record<string, Record<string, Models | undefined> | undefined>

const allowedKinds = new Set([
  'Namespace',
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'CronJob',
  'Pod',
  'PersistentVolumeClaim',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
])

/** `networking.k8s.io/v1` -> models.networkingK8sIo.v1; core `v1` -> models.v1. */
export function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!apiVersion.includes('/')) {
    return apiVersion === 'v1' ? (models.v1 as unknown as Models)[kind] : undefined
  }
  const [group = '', version = ''] = apiVersion.split('/')
  return (models as unknown as Groups)[
    group.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())
  ]?.[version]?.[kind]
}

/**
 * Runs the model's compiled OpenAPI validator over a proxy that records which properties it
 * reads: the validator reads every property its schema declares and enumerates only maps, so a
 * property it never touched (say `readinessprobe`) is not in the schema.
 */
export function unknownFields(model: ModelClass, object: unknown): string[] {
  const read = new WeakMap<object, Set<PropertyKey>>()
  const maps = new WeakSet<object>()
  const track = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value
    if (!read.has(value)) read.set(value, new Set())
    return new Proxy(value, {
      get(target, key, receiver) {
        read.get(target)?.add(key)
        return track(Reflect.get(target, key, receiver))
      },
      ownKeys(target) {
        maps.add(target)
        return Reflect.ownKeys(target)
      },
    })
  }
  try {
    model.prototype.validate.call(track(object))
  } catch {
    // Invalid objects are reported by the schema rule; this walk only looks for extra fields.
  }
  const unknown: string[] = []
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, `${path}[${i}]`)
      })
      return
    }
    for (const [key, child] of Object.entries(value)) {
      if (!maps.has(value) && !read.get(value)?.has(key)) unknown.push(`${path}.${key}`)
      else walk(child, `${path}.${key}`)
    }
  }
  walk(object, '')
  return unknown
}

const subdomain = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

function nameProblems(o: K8sObject): string[] {
  const strict = ['Namespace', 'Service'].includes(o.kind)
  const problems = (strict ? dnsLabel : subdomain).test(o.metadata?.name ?? '')
    ? []
    : [`name "${o.metadata?.name}" is not a valid DNS-1123 ${strict ? 'label' : 'subdomain'}`]
  for (const [key, value] of Object.entries(o.metadata?.labels ?? {})) {
    if (!labelValue.test(value)) problems.push(`label ${key}="${value}" is not a valid label value`)
  }
  return problems
}

/** Objects that passed are safe for the other rules to read. */
export function checkSchema(objects: K8sObject[]): { findings: Finding[]; valid: K8sObject[] } {
  const findings: Finding[] = []
  const valid: K8sObject[] = []
  for (const o of objects) {
    if (!allowedKinds.has(o.kind)) {
      const where = /monitoring\.coreos\.com/.test(o.apiVersion)
        ? 'put it in k8s/monitoring, applied after the operator installs its CRDs'
        : `allowed kinds: ${[...allowedKinds].join(', ')}`
      findings.push(
        finding('kind-allowed', o, `${o.apiVersion} ${o.kind} is not allowed here: ${where}`),
      )
      continue
    }
    const model = modelFor(o.apiVersion, o.kind)
    if (!model) {
      findings.push(
        finding(
          'schema',
          o,
          `unknown apiVersion ${o.apiVersion} for ${o.kind}: use the served version`,
        ),
      )
      continue
    }
    const before = findings.length
    try {
      new model(o).validate()
    } catch (error) {
      findings.push(finding('schema', o, `${(error as Error).message}: fix the field named`))
    }
    for (const problem of nameProblems(o))
      findings.push(finding('schema', o, `${problem}: rename it`))
    for (const path of unknownFields(model, o)) {
      findings.push(
        finding(
          'unknown-field',
          o,
          `${path} is not a field of ${o.kind}: fix the spelling or remove it`,
        ),
      )
    }
    if (findings.length === before) valid.push(o)
  }
  return { findings, valid }
}
