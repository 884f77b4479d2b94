// Scenarios for the alerts on the health-check CronJob and its log claim: each fires and stays
// quiet in a near miss (run by rules.test.ts through `promtool test rules`).
import type { AlertScenario } from './scenario-series.ts'
import { s } from './scenario-series.ts'

const ksm = { job: 'kube-state-metrics', instance: '10.244.0.9:8080' }
const cronjob = { namespace: 'health-namespace', cronjob: 'health-check' }
const failedJob = { namespace: 'health-namespace', job_name: 'health-check-29012345', ...ksm }
const kubelet = { job: 'kubelet', instance: '172.18.0.2:10250', node: 'dev-cluster-control-plane' }
const claim = { namespace: 'health-namespace', persistentvolumeclaim: 'health-check-logs' }

/** kube-state-metrics' CronJob series: created at 0 s, suspended or not, last success per minute. */
const cronjobSeries = (lastSuccess: string | null, suspend = '0x40') => [
  s('kube_cronjob_created', { ...cronjob, ...ksm }, '0x40'),
  s('kube_cronjob_spec_suspend', { ...cronjob, ...ksm }, suspend),
  ...(lastSuccess === null
    ? []
    : [s('kube_cronjob_status_last_successful_time', { ...cronjob, ...ksm }, lastSuccess)]),
]

/** A sample every 5 minutes (the volume is only measured while a run mounts it), else missing. */
const everyFiveMinutes = (value: number, minutes = 30) =>
  Array.from({ length: minutes + 1 }, (_, i) => (i % 5 === 0 ? String(value) : '_')).join(' ')

export const healthAlertScenarios: AlertScenario[] = [
  {
    alert: 'SmallServiceHealthCheckFailed',
    case: 'every run has failed since the success at 60 s',
    series: [...cronjobSeries('60x40'), s('kube_job_status_failed', failedJob, '1x40')],
    at: '25m',
    firing: [{ labels: cronjob, summary: 'Health check: no successful run for 24m 0s' }],
  },
  {
    alert: 'SmallServiceHealthCheckFailed',
    case: 'a run succeeds after 24 failing minutes, the failed Job still in history',
    series: [...cronjobSeries('60x24 1500x15'), s('kube_job_status_failed', failedJob, '1x40')],
    at: '26m',
    firing: [],
  },
  {
    alert: 'SmallServiceHealthCheckFailed',
    case: 'created 20 minutes ago and never succeeded',
    series: cronjobSeries(null),
    at: '20m',
    firing: [{ labels: cronjob, summary: 'Health check: no successful run for 20m 0s' }],
  },
  {
    alert: 'SmallServiceHealthCheckFailed',
    case: 'created 10 minutes ago, first runs not done yet',
    series: cronjobSeries(null),
    at: '10m',
    firing: [],
  },
  {
    alert: 'SmallServiceHealthCheckFailed',
    case: 'suspended on purpose',
    series: cronjobSeries('60x40', '1x40'),
    at: '25m',
    firing: [],
  },
  {
    alert: 'SmallServiceHealthLogVolumeFilling',
    case: 'the claim is 90% full, measured only while runs mount it',
    series: [
      s('kubelet_volume_stats_used_bytes', { ...claim, ...kubelet }, everyFiveMinutes(900_000_000)),
      s(
        'kubelet_volume_stats_capacity_bytes',
        { ...claim, ...kubelet },
        everyFiveMinutes(1_000_000_000),
      ),
    ],
    at: '22m',
    firing: [{ labels: claim, summary: 'Health log claim health-check-logs is 90% full' }],
  },
  {
    alert: 'SmallServiceHealthLogVolumeFilling',
    case: 'rotated logs at half the claim, and a full claim that is not ours',
    series: [
      s('kubelet_volume_stats_used_bytes', { ...claim, ...kubelet }, everyFiveMinutes(5_000_000)),
      s(
        'kubelet_volume_stats_capacity_bytes',
        { ...claim, ...kubelet },
        everyFiveMinutes(10_000_000),
      ),
      s(
        'kubelet_volume_stats_used_bytes',
        { ...kubelet, namespace: 'data-namespace', persistentvolumeclaim: 'data-logs' },
        everyFiveMinutes(990),
      ),
      s(
        'kubelet_volume_stats_capacity_bytes',
        { ...kubelet, namespace: 'data-namespace', persistentvolumeclaim: 'data-logs' },
        everyFiveMinutes(1000),
      ),
    ],
    at: '22m',
    firing: [],
  },
]
