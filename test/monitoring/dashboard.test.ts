// The Grafana dashboard: generated from scripts/monitoring/dashboard.ts and committed up to date,
// every query parses, one datasource UID (the one the chart provisions), a sane Grafana model.
import { describe, expect, test } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DATASOURCE,
  dashboardPath,
  panels,
  renderDashboard,
} from '../../scripts/monitoring/dashboard.ts'
import { tempDir } from '../support/temp.ts'
import {
  kustomize,
  monitoringDir,
  promtool,
  readYaml,
  root,
  withKustomize,
  withPromtool,
  writeRulesFile,
} from './monitoring-files.ts'

const committed = await readFile(dashboardPath, 'utf8')

interface Target {
  refId: string
  expr: string
  legendFormat: string
  datasource: { type: string; uid: string }
}
interface GrafanaPanel {
  id: number
  type: string
  title: string
  datasource?: { type: string; uid: string }
  gridPos: { x: number; y: number; w: number; h: number }
  fieldConfig?: { defaults: { unit?: string } }
  targets?: Target[]
}
const model = JSON.parse(committed) as {
  uid: string
  title: string
  schemaVersion: number
  panels: GrafanaPanel[]
}
const graphs = model.panels.filter((p) => p.type !== 'row')
const exprs = graphs.flatMap((p) => p.targets ?? []).map((t) => t.expr)

describe('Grafana dashboard small-services', () => {
  test('the committed JSON is what scripts/monitoring/dashboard.ts generates', async () => {
    expect(committed).toBe(await renderDashboard())
  })

  withPromtool('every panel query is valid PromQL (promtool check rules)', async () => {
    const rules = graphs.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ record: `panel_${p.id}_${t.refId}`, expr: t.expr })),
    )
    expect(rules.length).toBe(panels.flatMap((p) => p.queries).length)
    const file = await writeRulesFile(await tempDir('panels'), [{ name: 'dashboard', rules }])
    const { code, output } = await promtool(['check', 'rules', file])
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`)
    expect(code).toBe(0)
  })

  test('contains every seed query, with working set instead of usage and real containers only', () => {
    const has = (pattern: RegExp) => exprs.some((e) => pattern.test(e))
    for (const ns of ['backend', 'data']) {
      expect(
        has(
          new RegExp(
            `rate\\(container_cpu_usage_seconds_total\\{namespace="${ns}-namespace", pod=~"${ns}-api\\.\\*"`,
          ),
        ),
      ).toBe(true)
      expect(
        has(
          new RegExp(
            `container_memory_working_set_bytes\\{namespace="${ns}-namespace", pod=~"${ns}-api\\.\\*"`,
          ),
        ),
      ).toBe(true)
    }
    expect(exprs).toContain(
      '100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)',
    )
    expect(has(/node_memory_MemAvailable_bytes \/ node_memory_MemTotal_bytes/)).toBe(true)
    expect(has(/sum by \(namespace, pod\) \(rate\(container_cpu_usage_seconds_total/)).toBe(true)
    expect(has(/sum by \(namespace, pod\) \(container_memory_working_set_bytes/)).toBe(true)
    expect(has(/container_fs_reads_bytes_total/)).toBe(true)
    expect(has(/container_fs_writes_bytes_total/)).toBe(true)
    expect(exprs.filter((e) => e.includes('container_memory_usage_bytes'))).toEqual([])
    for (const e of exprs.filter((e) => /\bcontainer_(cpu|memory|fs)_/.test(e))) {
      expect(e, 'drops the pod total and the pause container').toContain('container!="", image!=""')
    }
  })

  test('has the app panels: requests by route and status, 5xx ratio, quantiles, log files, upstream, health check', () => {
    const has = (pattern: RegExp) => exprs.some((e) => pattern.test(e))
    expect(has(/sum by \(app, route, status\) \(rate\(http_requests_total/)).toBe(true)
    expect(has(/^namespace_app:http_server_errors:ratio_rate5m$/)).toBe(true)
    for (const q of ['0.5', '0.95', '0.99'])
      expect(
        has(new RegExp(`histogram_quantile\\(${q}, .*http_request_duration_seconds_bucket`)),
      ).toBe(true)
    expect(has(/log_files_written_total/)).toBe(true)
    expect(has(/log_write_failures_total/)).toBe(true)
    expect(has(/sum by \(env, outcome\) \(rate\(external_api_requests_total/)).toBe(true)
    expect(has(/kube_job_status_failed\{namespace="health-namespace"/)).toBe(true)
    expect(has(/time\(\) - max\(kube_cronjob_status_last_successful_time/)).toBe(true)
    // newest Job only: a sum over Jobs would count the CronJob's history, not runs
    for (const e of exprs.filter((e) => e.includes('kube_job_status_')))
      expect(e, 'picks the newest Job').toContain('max by (namespace) (kube_job_created')
  })

  test('every panel and query uses the Prometheus datasource UID the chart provisions', async () => {
    const values = await readYaml<{ grafana: { sidecar: { datasources: { uid: string } } } }>(
      'kube-prometheus-stack.values.yaml',
    )
    expect(values.grafana.sidecar.datasources.uid).toBe(DATASOURCE.uid)
    for (const panel of graphs) {
      expect(panel.datasource).toEqual(DATASOURCE)
      for (const target of panel.targets ?? []) expect(target.datasource).toEqual(DATASOURCE)
    }
  })

  test('is a sane Grafana model: ids, grid, refIds, units, legends', () => {
    expect(model.uid).toMatch(/^[a-z0-9-]{1,40}$/)
    expect(model.title).toBeTruthy()
    expect(model.schemaVersion).toBeGreaterThanOrEqual(36)
    const ids = model.panels.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    const cells = new Set<string>()
    for (const p of model.panels) {
      const { x, y, w, h } = p.gridPos
      expect(x >= 0 && w > 0 && h > 0 && x + w <= 24, `${p.title} fits the 24-column grid`).toBe(
        true,
      )
      for (let i = x; i < x + w; i++)
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${p.title} overlaps another panel`).toBe(false)
          cells.add(`${i},${j}`)
        }
    }
    const units = ['short', 'bytes', 'percent', 'percentunit', 'Bps', 'reqps', 'ops', 's']
    for (const p of graphs) {
      expect(p.type).toBe('timeseries')
      expect(units).toContain(p.fieldConfig?.defaults.unit ?? '')
      const refIds = (p.targets ?? []).map((t) => t.refId)
      expect(refIds.length).toBeGreaterThan(0)
      expect(new Set(refIds).size).toBe(refIds.length)
      for (const t of p.targets ?? []) expect(t.legendFormat).toMatch(/\S/)
    }
  })

  withKustomize('kustomize ships it as a ConfigMap the Grafana sidecar loads', async () => {
    const objects = await kustomize(monitoringDir)
    const map = objects.find((o) => o.kind === 'ConfigMap')
    expect(map?.metadata.name).toBe('small-services-dashboard')
    expect(map?.metadata.namespace).toBe('monitoring')
    expect(map?.metadata.labels?.grafana_dashboard).toBe('1')
    expect(map?.data?.['small-services.json']).toBe(committed)
  })

  test('docs/monitoring.md says where each panel of the original assessment lives', async () => {
    const doc = await readFile(join(root, 'docs/monitoring.md'), 'utf8')
    const section = doc.split("\n## Where the original assessment's queries live now\n")[1] ?? ''
    for (const panel of panels.filter((p) => p.origin === 'seed'))
      expect(section).toContain(panel.title)
  })
})
