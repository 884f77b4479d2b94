// One deliberate break per case of the offline contract rules (scripts/k8s/checks.ts).
import type { ICronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec'
import { type K8sObject, objectId } from '../../scripts/k8s/objects.ts'
import {
  type Break,
  backend,
  container,
  cron,
  data,
  drop,
  get,
  pod,
  reader,
} from './break-helpers.ts'

export const contractBreaks: Break[] = [
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
    rule: 'grace-period',
    what: 'a grace period shorter than drain + external download (total deadline 8 s)',
    object: backend,
    message: 'must be above 18',
    apply: (o) => {
      pod(o, backend).terminationGracePeriodSeconds = 10
    },
  },
  {
    rule: 'log-volume',
    what: 'an unlimited log emptyDir',
    object: data,
    message: 'LOG_DIR',
    apply: (o) => {
      delete pod(o, data).volumes?.[0]?.emptyDir?.sizeLimit
    },
  },
  {
    rule: 'log-volume',
    what: 'a log emptyDir smaller than both retention budgets',
    object: backend,
    message:
      'set LOG_RETENTION_BYTES + LOG_RETENTION_DOWNLOAD_BYTES (56 MiB) below the /logs sizeLimit 16Mi',
    apply: (o) => {
      Object.assign(pod(o, backend).volumes?.[0]?.emptyDir ?? {}, { sizeLimit: '16Mi' })
    },
  },
  {
    rule: 'memory-request',
    what: 'a memory request below the measured peak RSS',
    env: 'prod',
    object: data,
    message: 'requests.memory 96Mi is below its measured peak RSS',
    apply: (o) => {
      Object.assign(container(o, data).resources?.requests ?? {}, { memory: '96Mi' })
    },
  },
  {
    rule: 'memory-request',
    what: 'a larger memory-backed log volume that the request does not cover',
    object: backend,
    message: "plus /logs's memory-backed sizeLimit 128Mi",
    apply: (o) => {
      Object.assign(pod(o, backend).volumes?.[0]?.emptyDir ?? {}, { sizeLimit: '128Mi' })
    },
  },
  {
    rule: 'cronjob',
    what: 'overlapping runs allowed',
    object: cron,
    message: 'Forbid',
    apply: (o) => Object.assign(get(o, cron).spec as ICronJobSpec, { concurrencyPolicy: 'Allow' }),
  },
  {
    rule: 'cronjob',
    what: 'a deadline longer than the interval',
    object: cron,
    message: 'below the 60 s',
    apply: (o) =>
      Object.assign((get(o, cron).spec as ICronJobSpec).jobTemplate.spec ?? {}, {
        activeDeadlineSeconds: 120,
      }),
  },
]
