import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import { WRITE_FAILURE_REASONS } from './logs/log-store.ts'

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 3.25, 3.5, 5, 10]
const HTTP_LABELS = ['method', 'route', 'status'] as const

/**
 * The metrics both services export (docs/DESIGN.md), every series labelled `app="<SERVICE_NAME>"`.
 * The backend adds its external API counter (src/backend/external/external-metrics.ts).
 */
export function createMetrics(app: string) {
  const registry = new Registry()
  registry.setDefaultLabels({ app })
  collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: HTTP_LABELS,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by method, route template and status',
    labelNames: HTTP_LABELS,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  })
  const filesWritten = new Counter({
    name: 'log_files_written_total',
    help: 'Log files written to LOG_DIR',
    registers: [registry],
  })
  const writeFailures = new Counter({
    name: 'log_write_failures_total',
    help: 'Failed log file writes, by errno (ENOSPC, EACCES, EROFS, ... or other)',
    labelNames: ['reason'],
    registers: [registry],
  })
  // Every known label value starts at 0, so that rates and alerts see 0 rather than no series
  // before the first failure. (HTTP series appear with their first request: their statuses are
  // not a closed set.)
  for (const reason of WRITE_FAILURE_REASONS) writeFailures.labels({ reason }).inc(0)
  // Label children are looked up once per (method, route, status), not per request.
  const children = new Map<string, { count: Counter; time: Histogram }>()

  return {
    registry,
    filesWritten,
    writeFailures,
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const key = `${method} ${route} ${status}`
      let child = children.get(key)
      if (!child) {
        const labels = { method, route, status: String(status) }
        child = {
          count: requests.labels(labels) as unknown as Counter,
          time: duration.labels(labels) as unknown as Histogram,
        }
        children.set(key, child)
      }
      child.count.inc()
      child.time.observe(seconds)
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>
