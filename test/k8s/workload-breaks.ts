// Breaks of the workload rules: probes, resources, images, rollouts, grace period, volumes, CronJob.
import type { ICronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec'
import {
  type Break,
  backend,
  container,
  cron,
  data,
  deployment,
  get,
  pod,
  reader,
} from './break-helpers.ts'

export const workloadBreaks: Break[] = [
  {
    rule: 'probes',
    what: 'no readiness probe',
    object: backend,
    message: 'readinessProbe',
    apply: (o) => {
      delete container(o, backend).readinessProbe
    },
  },
  {
    rule: 'probes',
    what: 'liveness on the readiness path',
    object: data,
    message: '/healthz',
    apply: (o) =>
      Object.assign(container(o, data).livenessProbe?.httpGet ?? {}, { path: '/readyz' }),
  },
  {
    rule: 'resources',
    what: 'no limits',
    object: cron,
    message: 'limits.cpu, limits.memory',
    apply: (o) => {
      delete container(o, cron).resources?.limits
    },
  },
  {
    rule: 'image-tag',
    what: 'the latest tag',
    object: backend,
    message: 'pinned tag',
    apply: (o) => {
      container(o, backend).image = 'backend-api:latest'
    },
  },
  {
    rule: 'image-tag',
    what: 'pull policy Always on a kind-loaded image',
    object: reader,
    message: 'IfNotPresent',
    apply: (o) => {
      container(o, reader).imagePullPolicy = 'Always'
    },
  },
  {
    rule: 'rolling-update',
    what: 'maxUnavailable 1',
    object: data,
    apply: (o) =>
      Object.assign(deployment(o, data).strategy?.rollingUpdate ?? {}, { maxUnavailable: 1 }),
  },
  {
    rule: 'grace-period',
    what: 'a grace period shorter than drain + external download (total deadline 8 s)',
    object: backend,
    message: 'at least 15',
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
    what: 'a log emptyDir smaller than LOG_RETENTION_BYTES',
    object: backend,
    message: 'set LOG_RETENTION_BYTES below the /logs sizeLimit 16Mi',
    apply: (o) => {
      Object.assign(pod(o, backend).volumes?.[0]?.emptyDir ?? {}, { sizeLimit: '16Mi' })
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
