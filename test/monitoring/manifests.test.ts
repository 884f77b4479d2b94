// Our ServiceMonitors and PrometheusRule against the Prometheus Operator schema, the chart values
// they rely on, and the Services, pods and NetworkPolicies the app overlays render.
import { describe, expect, test } from 'bun:test'
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import {
  type Environment,
  environments,
  k8sRoot,
  overlayDir,
  withExampleKeys,
} from '../../scripts/k8s/render.ts'
import { hasKustomize } from '../k8s/tree.ts'
import {
  kustomize,
  type Manifest,
  monitoringDir,
  readYaml,
  withKustomize,
} from './monitoring-files.ts'

const RELEASE = 'kind-prometheus'
const rendered = hasKustomize ? await kustomize(monitoringDir) : []
const monitors = rendered.filter((o) => o.kind === 'ServiceMonitor')

// The overlays need their git-ignored env files: one copy holding the examples renders them all.
let overlays: Promise<Map<Environment, Manifest[]>> | undefined
async function overlay(env: Environment): Promise<Manifest[]> {
  overlays ??= withExampleKeys(k8sRoot, async (copy) => {
    const renders = environments.map(
      async (e) => [e, await kustomize(overlayDir(copy, e))] as const,
    )
    return new Map(await Promise.all(renders))
  })
  const app = (await overlays).get(env)
  if (!app) throw new Error(`the ${env} overlay was not rendered`)
  return app
}
const matches = (labels: Record<string, string> = {}, wanted: Record<string, string> = {}) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v)

describe('monitoring objects', () => {
  withKustomize(
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

  withKustomize(
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
    withKustomize(
      `the monitors find the ${env} overlay's Services, pods and a NetworkPolicy door`,
      async () => {
        const app = await overlay(env)
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
