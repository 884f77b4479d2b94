// Breaks of the selector, reference, contract and network rules.
import type { ICronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec'
import type { IServiceSpec } from 'kubernetes-models/v1/ServiceSpec'
import { type K8sObject, objectId } from '../../scripts/k8s/objects.ts'
import {
  type Break,
  backend,
  container,
  cron,
  data,
  deployment,
  drop,
  get,
  pod,
  reader,
} from './break-helpers.ts'

export const referenceBreaks: Break[] = [
  {
    rule: 'selector',
    what: 'a Service selecting no pod',
    object: 'Service/backend-namespace/backend-api-service-unique',
    apply: (o) => {
      ;(
        get(o, 'Service/backend-namespace/backend-api-service-unique').spec as IServiceSpec
      ).selector = { app: 'backend' }
    },
  },
  {
    rule: 'selector',
    what: 'a targetPort no container has',
    object: 'Service/data-namespace/data-api-service-unique',
    message: 'targetPort web',
    apply: (o) =>
      Object.assign(
        (get(o, 'Service/data-namespace/data-api-service-unique').spec as IServiceSpec)
          .ports?.[0] ?? {},
        { targetPort: 'web' },
      ),
  },
  {
    rule: 'selector',
    what: 'a spread key in both matchLabelKeys and labelSelector',
    env: 'prod',
    object: data,
    message: 'the API rejects that',
    apply: (o) => {
      pod(o, data).topologySpreadConstraints?.[0]?.matchLabelKeys?.push('app')
    },
  },
  {
    rule: 'hpa-replicas',
    what: 'replicas set on an autoscaled Deployment',
    env: 'prod',
    object: backend,
    apply: (o) => {
      deployment(o, backend).replicas = 3
    },
  },
  {
    rule: 'config-reference',
    what: 'the generated Secret missing',
    object: backend,
    message: 'does not exist in backend-namespace',
    apply: (o) => drop(o, objectId(o.find((x) => x.kind === 'Secret') as K8sObject)),
  },
  {
    rule: 'config-reference',
    what: 'a required key the overlay lacks',
    object: backend,
    message: 'EXTERNAL_INTEGRATION_KEY_PRODUCTION is missing',
    apply: (o) => {
      const ref = container(o, backend).env?.find(
        (e) => e.name === 'EXTERNAL_INTEGRATION_KEY_PRODUCTION',
      )?.valueFrom?.secretKeyRef
      if (ref) ref.optional = false
    },
  },
  {
    rule: 'secret-source',
    what: 'a key written into the Deployment',
    object: backend,
    apply: (o) => {
      const e = container(o, backend).env?.find((x) =>
        x.name.startsWith('EXTERNAL_INTEGRATION_KEY_'),
      )
      if (e) Object.assign(e, { value: 'literal', valueFrom: undefined })
    },
  },
  {
    rule: 'names',
    what: 'a renamed Service',
    object: 'Service/data-namespace/data-api-service-unique',
    apply: (o) => {
      get(o, 'Service/data-namespace/data-api-service-unique').metadata.name = 'data-api'
    },
  },
  {
    rule: 'names',
    what: 'the log reader mounting the claim writable',
    object: reader,
    message: 'read-only',
    apply: (o) => Object.assign(container(o, reader).volumeMounts?.[0] ?? {}, { readOnly: false }),
  },
  {
    rule: 'labels',
    what: 'a NetworkPolicy without part-of',
    object: 'NetworkPolicy/backend-namespace/default-deny',
    apply: (o) => {
      get(o, 'NetworkPolicy/backend-namespace/default-deny').metadata.labels = {}
    },
  },
  {
    rule: 'labels',
    what: 'pods without app.kubernetes.io/name',
    object: cron,
    apply: (o) => {
      const t = (get(o, cron).spec as ICronJobSpec).jobTemplate.spec?.template.metadata?.labels
      if (t) delete t['app.kubernetes.io/name']
    },
  },
  {
    rule: 'network-policies',
    what: 'no way in for the health check and Prometheus',
    object: 'Namespace/data-namespace',
    message: 'health-namespace',
    apply: (o) => drop(o, 'NetworkPolicy/data-namespace/allow-http-from-health-and-monitoring'),
  },
  {
    rule: 'network-policies',
    what: 'egress denied without DNS',
    object: 'Namespace/health-namespace',
    message: 'DNS',
    apply: (o) => drop(o, 'NetworkPolicy/health-namespace/allow-dns'),
  },
  {
    rule: 'network-policies',
    what: 'no external API egress for the backend',
    object: 'Namespace/backend-namespace',
    message: '443',
    apply: (o) => drop(o, 'NetworkPolicy/backend-namespace/allow-external-api'),
  },
]
