// What the manifests must agree on with the programs, computed by the programs' own code from the
// environment each container gets (its ConfigMaps and literal env): the grace period against the
// exit deadline after SIGTERM, the log volume against retention, the health Job's deadline against
// its check timeout and schedule; and each service's memory request against its peak RSS measured
// by `just bench` (bench/results/latest.md) plus its memory-backed log volume. Generic workload hygiene (probes, resources, images, Pod
// Security, schema) is left to the API server (e2e suite) and to kube-score.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob'
import { peakRssFromResults, TARGET_BURST } from '../../bench/report.ts'
import { longestRequestMs, readBackendConfig } from '../../src/backend/config.ts'
import { loadHealthConfig } from '../../src/health/config.ts'
import { type Env, readServiceConfig, type ServiceConfig } from '../../src/kit/config.ts'
import { exitDeadlineMs } from '../../src/kit/http/runtime.ts'
import {
  type Finding,
  finding,
  type K8sObject,
  literalEnv,
  ofKind,
  quantityBytes,
} from './objects.ts'

const benchResults = 'bench/results/latest.md'
const peakRssMiB = peakRssFromResults(
  await Bun.file(new URL(`../../${benchResults}`, import.meta.url)).text(),
)
const MiB = 2 ** 20

interface Program {
  config: ServiceConfig
  longestMs: number
  /** What retention lets LOG_DIR hold, and the variables that set it. */
  stored: { bytes: number; variables: string }
}

/** Each service's configuration as its program reads it, its longest request and its storage. */
const programs: Record<string, (env: Env) => Program> = {
  'backend-api': (env) => {
    const config = readBackendConfig(env)
    const { bytes, downloadBytes } = config.logRetention
    return {
      config,
      longestMs: longestRequestMs(config),
      stored: {
        bytes: bytes + downloadBytes,
        variables: 'LOG_RETENTION_BYTES + LOG_RETENTION_DOWNLOAD_BYTES',
      },
    }
  },
  'data-api': (env) => {
    const config = readServiceConfig(env, 'data-api')
    const stored = { bytes: config.logRetention.bytes, variables: 'LOG_RETENTION_BYTES' }
    return { config, longestMs: 0, stored }
  },
}

function deploymentFindings(o: K8sObject, objects: K8sObject[]): Finding[] {
  const spec = (o as unknown as IDeployment).spec?.template.spec
  const out: Finding[] = []
  for (const c of spec?.containers ?? []) {
    const program = programs[c.name]
    if (!program) continue
    const { config, longestMs, stored } = program(literalEnv(c, objects, o.metadata.namespace))
    const needed = exitDeadlineMs(config, longestMs)
    const grace = (spec?.terminationGracePeriodSeconds ?? 30) * 1000
    if (grace <= needed) {
      out.push(
        finding(
          'grace-period',
          o,
          `terminationGracePeriodSeconds must be above ${needed / 1000}: the program may take that long to exit after SIGTERM (drain + longest request + margin, src/kit/http/runtime.ts)`,
        ),
      )
    }
    const mount = c.volumeMounts?.find((m) => m.mountPath === config.logDir)
    const limit = spec?.volumes?.find((v) => v.name === mount?.name)?.emptyDir?.sizeLimit
    if (!limit) {
      out.push(
        finding(
          'log-volume',
          o,
          `container ${c.name} must mount ${config.logDir} (LOG_DIR) from an emptyDir with a sizeLimit`,
        ),
      )
    } else {
      const request = c.resources?.requests?.memory
      const needed = Math.ceil((peakRssMiB ?? Number.NaN) + quantityBytes(String(limit)) / MiB)
      if (!(request && quantityBytes(String(request)) >= needed * MiB)) {
        out.push(
          finding(
            'memory-request',
            o,
            peakRssMiB === undefined
              ? `${benchResults} has no peak RSS of ours at x${TARGET_BURST}: run \`just bench\``
              : `container ${c.name}: requests.memory ${request ?? 'unset'} is below its measured peak RSS (${peakRssMiB} MiB at ${TARGET_BURST} in flight, ${benchResults}) plus ${config.logDir}'s memory-backed sizeLimit ${limit}: request at least ${needed}Mi`,
          ),
        )
      }
    }
    if (limit && !(stored.bytes < quantityBytes(String(limit)))) {
      out.push(
        finding(
          'log-volume',
          o,
          `container ${c.name}: set ${stored.variables} (${stored.bytes / MiB} MiB) below the ${config.logDir} sizeLimit ${limit} so retention deletes old log files before writes fail`,
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

/** Runs never overlap (they append to one log) and each has time to finish its checks. */
function cronJobFindings(o: K8sObject, objects: K8sObject[]): Finding[] {
  const spec = (o as unknown as ICronJob).spec
  const job = spec?.jobTemplate.spec
  const container = job?.template.spec?.containers[0]
  const { timeoutMs } = loadHealthConfig(
    container ? literalEnv(container, objects, o.metadata.namespace) : {},
  )
  const interval = scheduleInterval(spec?.schedule ?? '')
  const deadline = job?.activeDeadlineSeconds ?? Infinity
  const problems = [
    spec?.concurrencyPolicy !== 'Forbid' && 'concurrencyPolicy must be Forbid',
    interval === undefined &&
      `cannot tell the interval of schedule "${spec?.schedule}": use * or */N minutes`,
    interval !== undefined &&
      !(deadline < interval) &&
      `activeDeadlineSeconds must be set below the ${interval} s between runs`,
    !(deadline * 1000 > timeoutMs) &&
      `activeDeadlineSeconds must be above HEALTH_TIMEOUT_MS (${timeoutMs} ms): a run needs that long`,
  ]
  return problems.filter((p): p is string => Boolean(p)).map((p) => finding('cronjob', o, p))
}

export const runtimeRules = (objects: K8sObject[]): Finding[] => [
  ...ofKind(objects, 'Deployment').flatMap((d) => deploymentFindings(d, objects)),
  ...ofKind(objects, 'CronJob').flatMap((c) => cronJobFindings(c, objects)),
]
