// Our ServiceMonitors and PrometheusRule against the Prometheus Operator schema, the chart values
// they rely on, and the Services, pods and NetworkPolicies the app overlays render.
import { describe, expect, test } from 'bun:test'
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { environments, k8sRoot, overlayDir, withExampleKeys } from '../../scripts/k8s/render.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { kustomize, type Manifest, monitoringDir, readYaml } from './monitoring-files.ts'

const RELEASE = 'kind-prometheus'
const withKubectl = testWhen(
  hasCommand('kubectl'),
  'kubectl is not installed (it embeds kustomize)',
)
const rendered = hasCommand('kubectl') ? await kustomize(monitoringDir) : []
const monitors = rendered.filter((o) => o.kind === 'ServiceMonitor')
const matches = (labels: Record<string, string> = {}, wanted: Record<string, string> = {}) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v)

describe('monitoring objects', () => {
  withKubectl(
    'kustomize renders the monitors, the rule and the dashboard into monitoring, labelled for the release',
    () => {
      expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'ConfigMap/small-services-dashboard',
        'PrometheusRule/small-services',
        'ServiceMonitor/backend-api',
        'ServiceMonitor/data-api',
      ])
      for (const o of rendered) {
        expect(o.metadata.namespace).toBe('monitoring')
        expect(o.metadata.labels?.release).toBe(RELEASE)
        expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('small-services')
      }
    },
  )

  withKubectl(
    'ServiceMonitor and PrometheusRule validate against the Prometheus Operator schema',
    () => {
      for (const o of monitors)
        expect(() => new ServiceMonitor(o as never).validate()).not.toThrow()
      const rule = rendered.find((o) => o.kind === 'PrometheusRule')
      expect(() => new PrometheusRule(rule as never).validate()).not.toThrow()
      const broken = {
        ...monitors[0],
        spec: { ...monitors[0]?.spec, endpoints: [{ port: 'http', interval: 'often' }] },
      }
      expect(() => new ServiceMonitor(broken as never).validate()).toThrow()
    },
  )

  test('the chart values: seed NodePorts, dashboard sidecar, release-label selection', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a Helm values tree
    const v = await readYaml<any>('kube-prometheus-stack.values.yaml')
    expect([
      v.prometheus.service,
      v.grafana.service,
      v.alertmanager.service,
      v['prometheus-node-exporter'].service,
    ]).toEqual([
      { type: 'NodePort', nodePort: 30000 },
      { type: 'NodePort', nodePort: 31000 },
      { type: 'NodePort', nodePort: 32000 },
      { type: 'NodePort', nodePort: 32001 },
    ])
    expect(v.grafana.sidecar.dashboards).toMatchObject({
      enabled: true,
      label: 'grafana_dashboard',
      labelValue: '1',
      searchNamespace: 'ALL',
    })
    // Selection by `release: kind-prometheus`: the switches keep the chart's release selectors.
    const spec = v.prometheus.prometheusSpec
    expect([
      spec.serviceMonitorSelectorNilUsesHelmValues,
      spec.ruleSelectorNilUsesHelmValues,
    ]).toEqual([true, true])
    expect(spec.serviceMonitorNamespaceSelector).toEqual({})
    const metricsServer = await readYaml<{ args: string[] }>('metrics-server.values.yaml')
    expect(metricsServer.args).toContain('--kubelet-insecure-tls')
  })

  for (const env of environments) {
    withKubectl(
      `the monitors find the ${env} overlay's Services, pods and a NetworkPolicy door`,
      async () => {
        // The overlays need their git-ignored env files: render a copy holding the examples.
        const app = await withExampleKeys(k8sRoot, (copy) => kustomize(overlayDir(copy, env)))
        expect(monitors.length).toBe(2)
        for (const monitor of monitors) {
          const namespaces: string[] = monitor.spec.namespaceSelector.matchNames
          const services = app.filter(
            (o) =>
              o.kind === 'Service' &&
              namespaces.includes(o.metadata.namespace ?? '') &&
              matches(o.metadata.labels, monitor.spec.selector.matchLabels),
          )
          expect(
            services.map((s) => s.metadata.name),
            `${monitor.metadata.name} selects one Service`,
          ).toHaveLength(1)
          const service = services[0] as Manifest
          const endpoint = monitor.spec.endpoints[0]
          expect(endpoint.path).toBe('/metrics')
          const port = service.spec.ports.find((p: { name: string }) => p.name === endpoint.port)
          expect(port, `${service.metadata.name} has a port named ${endpoint.port}`).toBeDefined()
          const workload = app.find(
            (o) =>
              o.kind === 'Deployment' &&
              o.metadata.namespace === service.metadata.namespace &&
              matches(o.spec.template.metadata.labels, service.spec.selector),
          )
          const containerPort = workload?.spec.template.spec.containers
            .flatMap((c: { ports?: object[] }) => c.ports ?? [])
            .find(
              (p: { name: string; containerPort: number }) =>
                p.name === port.targetPort || p.containerPort === port.targetPort,
            )
          expect(containerPort, `${service.metadata.name} targets a container port`).toBeDefined()
          const door = app.some(
            (o) =>
              o.kind === 'NetworkPolicy' &&
              o.metadata.namespace === service.metadata.namespace &&
              matches(workload?.spec.template.metadata.labels, o.spec.podSelector.matchLabels) &&
              (o.spec.ingress ?? []).some(
                (rule: {
                  from?: { namespaceSelector?: { matchLabels?: Record<string, string> } }[]
                  ports?: { port: number | string }[]
                }) =>
                  (rule.from ?? []).some(
                    (f) =>
                      f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ===
                      'monitoring',
                  ) &&
                  (!rule.ports ||
                    rule.ports.some(
                      (p) =>
                        p.port === containerPort.containerPort || p.port === containerPort.name,
                    )),
              ),
          )
          expect(
            door,
            `a NetworkPolicy in ${service.metadata.namespace} admits the monitoring namespace`,
          ).toBe(true)
        }
      },
    )
  }
})
