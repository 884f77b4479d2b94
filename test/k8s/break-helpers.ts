// Helpers for the deliberate breaks of rules.test.ts: find an object, its pod spec, its container.
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec'
import { type K8sObject, objectId, podTemplates } from '../../scripts/k8s/objects.ts'
import type { Environment } from '../../scripts/k8s/render.ts'

export interface Break {
  rule: string
  what: string
  /** The rendered overlay to break; dev unless said. */
  env?: Environment
  object: string
  message?: string
  apply(objects: K8sObject[]): void
}

export const backend = 'Deployment/backend-namespace/backend-api'
export const data = 'Deployment/data-namespace/data-api'
export const cron = 'CronJob/health-namespace/health-check'
export const reader = 'Pod/health-namespace/health-log-reader'

export function get(objects: K8sObject[], id: string): K8sObject {
  const found = objects.find((o) => objectId(o) === id)
  if (!found) throw new Error(`no ${id} in the rendered overlay`)
  return found
}
export function pod(objects: K8sObject[], id: string): IPodSpec {
  const found = podTemplates(objects).find((t) => objectId(t.owner) === id)
  if (!found) throw new Error(`no pod template in ${id}`)
  return found.spec
}
export const container = (objects: K8sObject[], id: string): IContainer =>
  pod(objects, id).containers[0] as IContainer
export const drop = (objects: K8sObject[], id: string) =>
  objects.splice(objects.indexOf(get(objects, id)), 1)
