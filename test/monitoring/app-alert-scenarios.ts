// Scenarios for the alerts on the services' own metrics: each fires once and stays quiet in a
// near miss (run by rules.test.ts through `promtool test rules`).
import { type AlertScenario, backend, backendPod, data, type Labels, s } from './scenario-series.ts'

const backendTarget = {
  ...backendPod,
  job: 'backend-api-service-unique',
  service: 'backend-api-service-unique',
  instance: '10.244.0.7:5000',
}
const dataTarget = {
  namespace: 'data-namespace',
  pod: 'data-api-5c6d-fghij',
  job: 'data-api-service-unique',
  service: 'data-api-service-unique',
  instance: '10.244.0.8:5000',
}
const ksmDeployment = { job: 'kube-state-metrics', instance: '10.244.0.9:8080' }
const backendDeployment = { namespace: 'backend-namespace', deployment: 'backend-api' }
const http = (labels: Labels, route: string, status: string, values: string) =>
  s('http_requests_total', { ...labels, method: 'GET', route, status }, values)
const bucket = (labels: Labels, le: string, values: string) =>
  s(
    'http_request_duration_seconds_bucket',
    { ...labels, method: 'GET', route: '/', status: '200', le },
    values,
  )
const calls = (env: string, outcome: string, values: string) =>
  s('external_api_requests_total', { ...backend, env, outcome }, values)

export const appAlertScenarios: AlertScenario[] = [
  {
    alert: 'SmallServiceTargetDown',
    case: 'a backend pod stops answering scrapes',
    series: [s('up', backendTarget, '1 1 0 0 0 0')],
    at: '5m',
    firing: [
      {
        labels: backendTarget,
        summary: 'backend-api-service-unique: pod backend-api-7d9f-abcde does not answer /metrics',
      },
    ],
  },
  {
    alert: 'SmallServiceTargetDown',
    case: 'one missed scrape, and a target that is not ours',
    series: [
      s('up', backendTarget, '1 1 0 1 1 1'),
      s('up', { job: 'kube-state-metrics', instance: 'x' }, '0 0 0 0 0 0'),
    ],
    at: '5m',
    firing: [],
  },
  {
    alert: 'SmallServiceNoScrapeTarget',
    case: "the backend's ServiceMonitor selects nothing",
    series: [
      s('up', dataTarget, '1x10'),
      s('kube_deployment_spec_replicas', { ...ksmDeployment, ...backendDeployment }, '1x10'),
    ],
    at: '8m',
    firing: [
      {
        labels: { job: 'backend-api-service-unique', namespace: 'backend-namespace' },
        summary: 'backend-api-service-unique: Prometheus has no target to scrape',
      },
    ],
  },
  {
    alert: 'SmallServiceNoScrapeTarget',
    case: 'a discovered backend target that is down, and data scaled to zero',
    series: [
      s('up', backendTarget, '0x10'),
      s(
        'kube_deployment_spec_replicas',
        { ...ksmDeployment, namespace: 'data-namespace', deployment: 'data-api' },
        '0x10',
      ),
    ],
    at: '8m',
    firing: [],
  },
  {
    alert: 'SmallServiceHighErrorRatio',
    case: '10% of backend requests answer 502',
    series: [
      http(backend, '/download_external_logs', '502', '0+6x15'),
      http(backend, '/', '200', '0+54x15'),
    ],
    at: '10m',
    firing: [{ labels: backend, summary: 'backend-api: 10% of requests answer 5xx' }],
  },
  {
    alert: 'SmallServiceHighErrorRatio',
    case: 'under 5% once readiness 503s during a drain are left out',
    series: [
      http(backend, '/', '500', '0+2x15'),
      http(backend, '/', '200', '0+58x15'),
      http(backend, '/readyz', '503', '0+60x15'),
    ],
    at: '10m',
    firing: [],
  },
  {
    alert: 'SmallServiceSlowRoot',
    case: 'every GET / takes between 3.5 s and 5 s',
    series: [
      bucket(backend, '3.5', '0x20'),
      bucket(backend, '5', '0+10x20'),
      bucket(backend, '+Inf', '0+10x20'),
    ],
    at: '15m',
    firing: [
      { labels: backend, summary: 'backend-api: p95 of GET / is 4.925s, far above the 3 s delay' },
    ],
  },
  {
    alert: 'SmallServiceSlowRoot',
    case: 'GET / takes the configured 3 s plus a little',
    series: [
      bucket(data, '3', '0x20'),
      bucket(data, '3.5', '0+10x20'),
      bucket(data, '+Inf', '0+10x20'),
    ],
    at: '15m',
    firing: [],
  },
  {
    alert: 'SmallServiceLogWriteFailures',
    case: 'the first failure of a pod (a new counter, invisible to increase())',
    series: [
      s(
        'log_write_failures_total',
        { ...data, pod: 'data-api-1', reason: 'ENOSPC' },
        '_ _ _ _ _ 1 1 1 1 1 1',
      ),
    ],
    at: '7m',
    firing: [
      {
        labels: { ...data, reason: 'ENOSPC' },
        summary: 'data-api cannot write log files (ENOSPC)',
      },
    ],
  },
  {
    alert: 'SmallServiceLogWriteFailures',
    case: 'an old counter that increases again',
    series: [
      s(
        'log_write_failures_total',
        { ...backend, pod: 'backend-api-1', reason: 'EROFS' },
        '1 1 1 1 1 1 1 1 2 3 4 5',
      ),
    ],
    at: '11m',
    firing: [
      {
        labels: { ...backend, reason: 'EROFS' },
        summary: 'backend-api cannot write log files (EROFS)',
      },
    ],
  },
  {
    alert: 'SmallServiceLogWriteFailures',
    case: 'failures long ago, none since',
    series: [
      s('log_write_failures_total', { ...backend, pod: 'backend-api-1', reason: 'EACCES' }, '3x20'),
    ],
    at: '15m',
    firing: [],
  },
  {
    alert: 'SmallServiceExternalApiFailing',
    case: 'production rejects three calls in four',
    series: [calls('production', 'rejected', '0+3x30'), calls('production', 'ok', '0+1x30')],
    at: '25m',
    firing: [
      {
        labels: { ...backend, env: 'production' },
        summary: 'External log API (production): 75% of calls fail',
      },
    ],
  },
  {
    alert: 'SmallServiceExternalApiFailing',
    case: 'one timeout in ten calls, and an env with no failure at all',
    series: [
      calls('development', 'ok', '0+9x30'),
      calls('development', 'timeout', '0+1x30'),
      calls('staging', 'ok', '0+5x30'),
    ],
    at: '25m',
    firing: [],
  },
]
