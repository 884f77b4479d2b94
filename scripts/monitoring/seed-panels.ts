// The seed's hand-typed monitoring queries (cAdvisor and node-exporter), now dashboard rows.
import { OUR_NAMESPACES, type Query, type Row } from './panel-model.ts'

// cAdvisor also reports a pod-level total (container="") and the pause container (image=""):
// without this filter every pod is counted two or three times.
const REAL_CONTAINERS = 'container!="", image!=""'

function containerCpu(namespace: string, app: string): Query {
  return {
    expr: `sum by (pod, container) (rate(container_cpu_usage_seconds_total{namespace="${namespace}", pod=~"${app}.*", ${REAL_CONTAINERS}}[5m]))`,
    legend: '{{pod}} {{container}}',
  }
}

function containerMemory(namespace: string, app: string): Query {
  return {
    expr: `sum by (pod, container) (container_memory_working_set_bytes{namespace="${namespace}", pod=~"${app}.*", ${REAL_CONTAINERS}})`,
    legend: '{{pod}} {{container}}',
  }
}

export const seedRows: Row[] = [
  {
    title: 'Containers (seed queries)',
    panels: [
      {
        title: 'Backend container CPU by pod',
        description:
          'CPU cores used by each backend-api pod (the seed query, without the pod total and pause container).',
        unit: 'short',
        origin: 'seed',
        queries: [containerCpu('backend-namespace', 'backend-api')],
      },
      {
        title: 'Data container CPU by pod',
        description: 'CPU cores used by each data-api pod.',
        unit: 'short',
        origin: 'seed',
        queries: [containerCpu('data-namespace', 'data-api')],
      },
      {
        title: 'Backend container memory by pod',
        description:
          'Working set (what kubectl top and the OOM killer look at) of each backend-api pod; the seed used container_memory_usage_bytes, which includes reclaimable page cache.',
        unit: 'bytes',
        origin: 'seed',
        queries: [containerMemory('backend-namespace', 'backend-api')],
      },
      {
        title: 'Data container memory by pod',
        description: 'Working set of each data-api pod.',
        unit: 'bytes',
        origin: 'seed',
        queries: [containerMemory('data-namespace', 'data-api')],
      },
    ],
  },
  {
    title: 'Nodes (seed queries)',
    panels: [
      {
        title: 'Node CPU usage',
        description: 'Busy share of all CPUs per node (node-exporter).',
        unit: 'percent',
        origin: 'seed',
        queries: [
          {
            expr: '100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)',
            legend: '{{instance}}',
          },
        ],
      },
      {
        title: 'Node memory usage',
        description: 'Share of memory in use per node: 1 - MemAvailable / MemTotal.',
        unit: 'percent',
        origin: 'seed',
        queries: [
          {
            expr: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
            legend: '{{instance}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Pods by namespace (seed queries)',
    panels: [
      {
        title: 'Pod CPU by namespace',
        description: 'CPU cores per pod in our namespaces.',
        unit: 'short',
        origin: 'seed',
        queries: [
          {
            expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace=~"${OUR_NAMESPACES}", ${REAL_CONTAINERS}}[5m]))`,
            legend: '{{namespace}} {{pod}}',
          },
        ],
      },
      {
        title: 'Pod memory by namespace',
        description: 'Working set per pod in our namespaces.',
        unit: 'bytes',
        origin: 'seed',
        queries: [
          {
            expr: `sum by (namespace, pod) (container_memory_working_set_bytes{namespace=~"${OUR_NAMESPACES}", ${REAL_CONTAINERS}})`,
            legend: '{{namespace}} {{pod}}',
          },
        ],
      },
      {
        title: 'Container disk reads',
        description:
          'Bytes per second read by each container (cAdvisor; some container runtimes do not report it).',
        unit: 'Bps',
        origin: 'seed',
        queries: [
          {
            expr: `sum by (namespace, pod, container) (rate(container_fs_reads_bytes_total{namespace=~"${OUR_NAMESPACES}", ${REAL_CONTAINERS}}[5m]))`,
            legend: '{{pod}} {{container}}',
          },
        ],
      },
      {
        title: 'Container disk writes',
        description: 'Bytes per second written by each container, e.g. the log files.',
        unit: 'Bps',
        origin: 'seed',
        queries: [
          {
            expr: `sum by (namespace, pod, container) (rate(container_fs_writes_bytes_total{namespace=~"${OUR_NAMESPACES}", ${REAL_CONTAINERS}}[5m]))`,
            legend: '{{pod}} {{container}}',
          },
        ],
      },
    ],
  },
]
