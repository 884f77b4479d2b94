// Scenarios for the alerts on kube-state-metrics and cAdvisor series: each fires once and stays
// quiet in a near miss (run by rules.test.ts through `promtool test rules`).
import { type AlertScenario, backendPod, s } from './scenario-series.ts'

const ksm = { job: 'kube-state-metrics' }
const container = { ...backendPod, container: 'backend-api' }
const deployment = { namespace: 'data-namespace', deployment: 'data-api', ...ksm }

export const clusterAlertScenarios: AlertScenario[] = [
  {
    alert: 'SmallServiceNoReadyPods',
    case: 'the only data-api pod becomes unavailable',
    series: [
      s('kube_deployment_status_replicas_available', deployment, '1 0 0 0 0 0'),
      s('kube_deployment_spec_replicas', deployment, '1 1 1 1 1 1'),
    ],
    at: '5m',
    firing: [
      { labels: deployment, summary: 'data-api has no ready pod: its Service answers nothing' },
    ],
  },
  {
    alert: 'SmallServiceNoReadyPods',
    case: 'scaled to zero on purpose',
    series: [
      s('kube_deployment_status_replicas_available', deployment, '1 0 0 0 0 0'),
      s('kube_deployment_spec_replicas', deployment, '1 0 0 0 0 0'),
    ],
    at: '5m',
    firing: [],
  },
  {
    alert: 'SmallServiceMemoryNearLimit',
    case: 'working set at 95% of the limit',
    series: [
      s(
        'container_memory_working_set_bytes',
        { ...container, image: 'backend-api:v1', id: '/kubepods/x' },
        '190000000x20',
      ),
      s(
        'container_memory_working_set_bytes',
        { ...backendPod, container: '', image: '', id: '/kubepods' },
        '400000000x20',
      ),
      s(
        'kube_pod_container_resource_limits',
        { ...container, ...ksm, resource: 'memory', unit: 'byte' },
        '200000000x20',
      ),
    ],
    at: '15m',
    firing: [
      {
        labels: container,
        summary: 'backend-api-7d9f-abcde/backend-api uses 95% of its memory limit',
      },
    ],
  },
  {
    alert: 'SmallServiceMemoryNearLimit',
    case: 'working set at 75% of the limit',
    series: [
      s(
        'container_memory_working_set_bytes',
        { ...container, image: 'backend-api:v1', id: '/kubepods/x' },
        '150000000x20',
      ),
      s(
        'kube_pod_container_resource_limits',
        { ...container, ...ksm, resource: 'memory', unit: 'byte' },
        '200000000x20',
      ),
    ],
    at: '15m',
    firing: [],
  },
  {
    alert: 'SmallServicePodRestarting',
    case: 'three restarts in a few minutes',
    series: [
      s(
        'kube_pod_container_status_restarts_total',
        { ...container, ...ksm },
        '0 0 0 0 0 1 2 3 3 3 3',
      ),
    ],
    at: '8m',
    firing: [
      {
        labels: { ...container, ...ksm },
        summary: 'backend-api-7d9f-abcde/backend-api restarted 3 times in 15 minutes',
      },
    ],
  },
  {
    alert: 'SmallServicePodRestarting',
    case: 'a single restart',
    series: [
      s(
        'kube_pod_container_status_restarts_total',
        { ...container, ...ksm },
        '0 0 0 0 0 1 1 1 1 1 1',
      ),
    ],
    at: '8m',
    firing: [],
  },
]
