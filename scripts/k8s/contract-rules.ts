import type { IService } from 'kubernetes-models/v1/Service'
import {
  type Finding,
  finding,
  healthNamespace,
  type K8sObject,
  lookup,
  missing,
  namespaces,
  ofKind,
  podTemplates,
  services,
} from './objects.ts'

const partOf = 'app.kubernetes.io/part-of'

function nameFindings(objects: K8sObject[]): Finding[] {
  const out: Finding[] = []
  const present = ofKind(objects, 'Namespace').map((o) => o.metadata.name)
  for (const ns of namespaces.filter((n) => !present.includes(n))) {
    out.push(missing('names', `Namespace/${ns}`, 'is missing: keep the names of docs/DESIGN.md'))
  }
  for (const ns of present.filter((n) => !namespaces.includes(n))) {
    out.push(missing('names', `Namespace/${ns}`, `is not one of ${namespaces.join(', ')}`))
  }
  const templates = podTemplates(objects)
  for (const { app, namespace, service } of services) {
    const template = templates.find(
      (t) => t.owner.kind === 'Deployment' && t.owner.metadata.name === app,
    )
    const container = template?.spec.containers.find((c) => c.name === app)
    if (
      template?.owner.metadata.namespace !== namespace ||
      template.labels.app !== app ||
      !container
    ) {
      out.push(
        missing(
          'names',
          `Deployment/${namespace}/${app}`,
          `needs a Deployment ${app} in ${namespace} with pod label app=${app} and a container ${app}`,
        ),
      )
    } else if (!container.ports?.some((p) => p.name === 'http' && p.containerPort === 5000)) {
      out.push(
        finding(
          'names',
          template.owner,
          `container ${app} must expose containerPort 5000 named http`,
        ),
      )
    }
    const svc = lookup(objects, 'Service', namespace, service) as IService | undefined
    const port = svc?.spec?.ports?.find((p) => p.name === 'http')
    if (port?.port !== 80 || port.targetPort !== 'http') {
      out.push(
        missing(
          'names',
          `Service/${namespace}/${service}`,
          'needs port 80 named http with targetPort http',
        ),
      )
    }
  }
  const cron = templates.find(
    (t) => t.owner.kind === 'CronJob' && t.owner.metadata.name === 'health-check',
  )
  const claim = cron?.spec.volumes?.find(
    (v) => v.persistentVolumeClaim?.claimName === 'health-check-logs',
  )
  const mounted = cron?.spec.containers.some((c) =>
    c.volumeMounts?.some((m) => m.name === claim?.name && m.mountPath === '/var/log'),
  )
  if (
    cron?.owner.metadata.namespace !== healthNamespace ||
    !mounted ||
    !lookup(objects, 'PersistentVolumeClaim', healthNamespace, 'health-check-logs')
  ) {
    out.push(
      missing(
        'names',
        `CronJob/${healthNamespace}/health-check`,
        'needs the CronJob health-check mounting the PVC health-check-logs at /var/log',
      ),
    )
  }
  const reader = templates.find(
    (t) => t.owner.kind === 'Pod' && t.owner.metadata.name === 'health-log-reader',
  )
  if (reader) {
    const image = (t: typeof reader) => t.spec.containers[0]?.image
    const readOnly = reader.spec.containers[0]?.volumeMounts?.some(
      (m) => m.mountPath === '/var/log' && m.readOnly,
    )
    const claimed = reader.spec.volumes?.some(
      (v) => v.persistentVolumeClaim?.claimName === 'health-check-logs',
    )
    if (!readOnly || !claimed)
      out.push(
        finding(
          'names',
          reader.owner,
          'must mount the claim health-check-logs read-only at /var/log',
        ),
      )
    if (cron && image(reader) !== image(cron))
      out.push(
        finding(
          'names',
          reader.owner,
          `image ${image(reader)} differs from the CronJob's ${image(cron)}: pin the same tag`,
        ),
      )
  }
  return out
}

function labelFindings(objects: K8sObject[]): Finding[] {
  const out = objects
    .filter((o) => o.metadata.labels?.[partOf] !== 'small-services')
    .map((o) => finding('labels', o, `add the label ${partOf}: small-services`))
  const workloads = objects.filter((o) =>
    ['Deployment', 'CronJob', 'Pod', 'Service'].includes(o.kind),
  )
  for (const o of workloads) {
    const labels = o.metadata.labels ?? {}
    const template = podTemplates([o])[0]?.labels ?? labels
    const app = labels.app
    if (
      !app ||
      labels['app.kubernetes.io/name'] !== app ||
      template.app !== app ||
      template['app.kubernetes.io/name'] !== app
    ) {
      out.push(
        finding(
          'labels',
          o,
          'needs app and app.kubernetes.io/name set to its name, on the object and its pods',
        ),
      )
    }
  }
  return out
}

export const contractRules = (objects: K8sObject[]): Finding[] => [
  ...nameFindings(objects),
  ...labelFindings(objects),
]
