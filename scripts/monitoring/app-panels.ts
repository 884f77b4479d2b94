// Panels on the services' own metrics and on the health-check Jobs (kube-state-metrics).
import { APP_NAMESPACES, type Query, type Row } from './panel-model.ts'

function latencyQuantile(q: number): Query {
  return {
    expr: `histogram_quantile(${q}, sum by (app, route, le) (rate(http_request_duration_seconds_bucket{namespace=~"${APP_NAMESPACES}"}[5m])))`,
    legend: `p${q * 100} {{app}} {{route}}`,
  }
}

const HEALTH_CRONJOB = 'namespace="health-namespace", cronjob="health-check"'
const HEALTH_JOBS = 'namespace="health-namespace", job_name=~"health-check-.*"'

/**
 * A Job status series of the newest health-check Job only. Summing over every Job would count the
 * CronJob's history (at most 3 succeeded and 3 failed Jobs), not runs.
 */
function newestHealthJob(metric: string): string {
  return `max(${metric}{${HEALTH_JOBS}} and on (namespace, job_name) (kube_job_created{${HEALTH_JOBS}} == on (namespace) group_left () max by (namespace) (kube_job_created{${HEALTH_JOBS}})))`
}

export const appRows: Row[] = [
  {
    title: 'Services',
    panels: [
      {
        title: 'Request rate by route and status',
        description: 'Requests per second answered by each service, by route template and status.',
        unit: 'reqps',
        origin: 'app',
        queries: [
          {
            expr: `sum by (app, route, status) (rate(http_requests_total{namespace=~"${APP_NAMESPACES}"}[5m]))`,
            legend: '{{app}} {{route}} {{status}}',
          },
        ],
      },
      {
        title: '5xx ratio',
        description:
          'Share of user requests answered 5xx (probes and scrapes excluded); the alert SmallServiceHighErrorRatio fires above 5%.',
        unit: 'percentunit',
        origin: 'app',
        queries: [{ expr: 'namespace_app:http_server_errors:ratio_rate5m', legend: '{{app}}' }],
      },
      {
        title: 'Latency quantiles',
        description:
          'p50, p95 and p99 of the response time by route; GET / sits near the 3 s processing delay.',
        unit: 's',
        origin: 'app',
        queries: [latencyQuantile(0.5), latencyQuantile(0.95), latencyQuantile(0.99)],
      },
      {
        title: 'Log files written',
        description: 'Log files written per second, and failed writes by errno.',
        unit: 'ops',
        origin: 'app',
        queries: [
          {
            expr: `sum by (app) (rate(log_files_written_total{namespace=~"${APP_NAMESPACES}"}[5m]))`,
            legend: '{{app}} written',
          },
          {
            expr: `sum by (app, reason) (rate(log_write_failures_total{namespace=~"${APP_NAMESPACES}"}[5m]))`,
            legend: '{{app}} failed {{reason}}',
          },
        ],
      },
      {
        title: 'External API outcomes by env',
        description:
          'Calls from the backend to the external log API per second, by environment and outcome.',
        unit: 'ops',
        origin: 'app',
        queries: [
          {
            expr: 'sum by (env, outcome) (rate(external_api_requests_total{namespace="backend-namespace"}[5m]))',
            legend: '{{env}} {{outcome}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Health check',
    panels: [
      {
        title: 'Last health-check run',
        description:
          'Outcome of the newest health-check Job (kube-state-metrics): succeeded is 1 once it passed; failed counts its failed pods (backoffLimit 1 allows one retry). Both 0 while it runs. Older Jobs in the CronJob history are ignored.',
        unit: 'short',
        origin: 'kube-state-metrics',
        queries: [
          { expr: newestHealthJob('kube_job_status_succeeded'), legend: 'succeeded' },
          { expr: newestHealthJob('kube_job_status_failed'), legend: 'failed pods' },
        ],
      },
      {
        title: 'Time since last successful health check',
        description:
          'Seconds since the health-check CronJob last started a run and last completed one successfully; when the two drift apart the runs fail. SmallServiceHealthCheckFailed fires past 15 minutes without a success.',
        unit: 's',
        origin: 'kube-state-metrics',
        queries: [
          {
            expr: `time() - max(kube_cronjob_status_last_successful_time{${HEALTH_CRONJOB}})`,
            legend: 'since last success',
          },
          {
            expr: `time() - max(kube_cronjob_status_last_schedule_time{${HEALTH_CRONJOB}})`,
            legend: 'since last run started',
          },
        ],
      },
    ],
  },
]
