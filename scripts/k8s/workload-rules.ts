// What every workload needs to run well: probes, resources, pinned images, safe rollouts, a grace
// period that covers the drain, bounded log volumes, and a CronJob that cannot pile up.

import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IProbe } from 'kubernetes-models/v1/Probe'
import {
  containersOf,
  type Finding,
  finding,
  type K8sObject,
  lookup,
  ofKind,
  podTemplates,
  quantityBytes,
} from './objects.ts'

/** The literal environment a container sees: ConfigMaps from envFrom, then `env` values. */
function literalEnv(c: IContainer, objects: K8sObject[], ns?: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const source of c.envFrom ?? []) {
    const map = lookup(objects, 'ConfigMap', ns, source.configMapRef?.name)
    Object.assign(env, (map?.data as Record<string, string> | undefined) ?? {})
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value
  return env
}

function probeProblem(kind: string, probe: IProbe | undefined, path?: string): string | undefined {
  if (!probe?.httpGet) return `has no httpGet ${kind}`
  if (probe.httpGet.port !== 'http') return `${kind} must use the named port http`
  if (path && probe.httpGet.path !== path) return `${kind} must request ${path}`
  return undefined
}

function deploymentFindings(o: K8sObject, objects: K8sObject[]): Finding[] {
  const d = o as unknown as IDeployment
  const out: Finding[] = []
  const strategy = d.spec?.strategy
  if (
    strategy?.type !== 'RollingUpdate' ||
    ![0, '0%'].includes(strategy.rollingUpdate?.maxUnavailable ?? -1)
  ) {
    out.push(
      finding(
        'rolling-update',
        o,
        'use strategy RollingUpdate with maxUnavailable: 0 so a rollout never drops capacity',
      ),
    )
  }
  const spec = d.spec?.template.spec
  for (const c of spec?.containers ?? []) {
    const problems = [
      probeProblem('startupProbe', c.startupProbe),
      probeProblem('livenessProbe', c.livenessProbe, '/healthz'),
      probeProblem('readinessProbe', c.readinessProbe, '/readyz'),
    ].filter(Boolean)
    for (const p of problems) out.push(finding('probes', o, `container ${c.name} ${p}`))
    const env = literalEnv(c, objects, o.metadata.namespace)
    const ms = (key: string, fallback: number) => Number(env[key] ?? fallback)
    // The overall deadline bounds the attempts (each bounded by its own timeout).
    const external = env.EXTERNAL_API_URL
      ? Math.min(
          ms('EXTERNAL_API_TOTAL_TIMEOUT_MS', 8000),
          ms('EXTERNAL_API_TIMEOUT_MS', 5000) * (ms('EXTERNAL_API_RETRIES', 2) + 1),
        )
      : 0
    const needed =
      ms('SHUTDOWN_DRAIN_MS', 5000) + Math.max(ms('PROCESSING_DELAY_MS', 3000), external) + 2000
    const grace = (spec?.terminationGracePeriodSeconds ?? 30) * 1000
    if (grace < needed) {
      out.push(
        finding(
          'grace-period',
          o,
          `terminationGracePeriodSeconds must be at least ${needed / 1000} (drain + longest request + 2 s margin)`,
        ),
      )
    }
    const logDir = env.LOG_DIR ?? '/logs'
    const mount = c.volumeMounts?.find((m) => m.mountPath === logDir)
    const volume = spec?.volumes?.find((v) => v.name === mount?.name)
    const limit = volume?.emptyDir?.sizeLimit
    if (!limit) {
      out.push(
        finding(
          'log-volume',
          o,
          `container ${c.name} must mount ${logDir} (LOG_DIR) from an emptyDir with a sizeLimit`,
        ),
      )
    } else if (!(Number(env.LOG_RETENTION_BYTES) < quantityBytes(String(limit)))) {
      out.push(
        finding(
          'log-volume',
          o,
          `container ${c.name}: set LOG_RETENTION_BYTES below the ${logDir} sizeLimit ${limit} so retention deletes old log files before writes fail`,
        ),
      )
    }
  }
  return out
}

/** Seconds between runs for `*`, `*\/N` or fixed minutes with `*` / `*\/N` hours. */
function scheduleInterval(schedule: string): number | undefined {
  const [minute, hour, ...rest] = schedule.trim().split(/\s+/)
  if (rest.length !== 3 || rest.some((f) => f !== '*')) return undefined
  const step = (field?: string) =>
    field === '*' ? 1 : Number(/^\*\/(\d+)$/.exec(field ?? '')?.[1])
  if (hour === '*' && minute !== undefined && (minute === '*' || minute.startsWith('*/'))) {
    return step(minute) * 60 || undefined
  }
  if (/^\d+$/.test(minute ?? '')) return step(hour) * 3600 || undefined
  return undefined
}

function cronJobFindings(o: K8sObject): Finding[] {
  const spec = (o as unknown as ICronJob).spec
  const job = spec?.jobTemplate.spec
  const interval = scheduleInterval(spec?.schedule ?? '')
  const problems = [
    spec?.concurrencyPolicy !== 'Forbid' && 'concurrencyPolicy must be Forbid',
    spec?.startingDeadlineSeconds === undefined && 'set startingDeadlineSeconds',
    spec?.timeZone === undefined && 'set timeZone (Etc/UTC)',
    (spec?.successfulJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === undefined) &&
      'set successfulJobsHistoryLimit and failedJobsHistoryLimit',
    job?.backoffLimit === undefined && 'set jobTemplate.spec.backoffLimit',
    interval === undefined &&
      `cannot tell the interval of schedule "${spec?.schedule}": use * or */N minutes`,
    interval !== undefined &&
      !((job?.activeDeadlineSeconds ?? Infinity) < interval) &&
      `activeDeadlineSeconds must be set below the ${interval} s between runs`,
  ]
  return problems.filter((p): p is string => Boolean(p)).map((p) => finding('cronjob', o, p))
}

const imageRef = /^[^@]+(:(?!latest$)[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/

function containerFindings(owner: K8sObject, c: IContainer): Finding[] {
  const out: Finding[] = []
  const r = c.resources
  const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter(
    (path) => {
      const [group, name] = path.split('.') as ['requests' | 'limits', string]
      return r?.[group]?.[name] === undefined
    },
  )
  if (missing.length > 0) {
    out.push(
      finding(
        'resources',
        owner,
        `container ${c.name} lacks resources ${missing.join(', ')}: set them`,
      ),
    )
  }
  const lastSegment = (c.image ?? '').split('/').pop() ?? ''
  if (!imageRef.test(lastSegment)) {
    out.push(
      finding(
        'image-tag',
        owner,
        `container ${c.name} image "${c.image}" needs a pinned tag (not latest): set it with images: in the overlay`,
      ),
    )
  } else if (c.imagePullPolicy !== 'IfNotPresent') {
    out.push(
      finding(
        'image-tag',
        owner,
        `container ${c.name} must use imagePullPolicy: IfNotPresent (kind-loaded images cannot be pulled)`,
      ),
    )
  }
  return out
}

export const workloadRules = (objects: K8sObject[]): Finding[] => [
  ...ofKind(objects, 'Deployment').flatMap((d) => deploymentFindings(d, objects)),
  ...ofKind(objects, 'CronJob').flatMap(cronJobFindings),
  ...podTemplates(objects).flatMap(({ owner, spec }) => [
    ...containersOf(spec).flatMap((c) => containerFindings(owner, c)),
    ...(spec.volumes ?? [])
      .filter((v) => v.emptyDir && !v.emptyDir.sizeLimit)
      .map((v) => finding('log-volume', owner, `emptyDir ${v.name} needs a sizeLimit`)),
  ]),
]
