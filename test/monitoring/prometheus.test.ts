// A real Prometheus scrapes the compiled services after real traffic, with our rules loaded: the
// dashboard's app queries and the alerts see the names and labels the code exports.
import { afterAll, beforeAll, describe, expect } from 'bun:test'
import { panels } from '../../scripts/monitoring/dashboard.ts'
import { WRITE_FAILURE_REASONS } from '../../src/kit/logs/log-store.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { ruleGroups, writeRulesFile } from './monitoring-files.ts'
import { eventually, type Prometheus, type Sample, startPrometheus } from './prometheus-server.ts'
import { startServices, wave } from './services-under-test.ts'

const available = hasCommand('prometheus') && hasCommand('promtool')
const withPrometheus = testWhen(
  available,
  'prometheus is not installed (apt-get install prometheus)',
)
let prometheus: Prometheus
let running: Awaited<ReturnType<typeof startServices>>

if (available) {
  beforeAll(async () => {
    const dir = await tempDir('prometheus-e2e')
    running = await startServices(dir)
    const { services, targets } = running
    prometheus = await startPrometheus(dir, targets, await writeRulesFile(dir, await ruleGroups()))
    await eventually(async () => expect((await prometheus.query('up == 1')).length).toBe(4))

    // rate() only sees increments between two scrapes of an existing series: two rounds.
    await wave(services)
    await prometheus.scrapedAfter(Date.now())
    await services.dataC.stop('SIGKILL')
    await wave(services)
    await prometheus.scrapedAfter(Date.now())
  }, 180_000)
  afterAll(() => running?.close())
}

const find = (samples: Sample[], labels: Record<string, string>) =>
  samples.find((s) => Object.entries(labels).every(([k, v]) => s.metric[k] === v))

describe('real Prometheus scraping the compiled services', () => {
  for (const panel of panels.filter((p) => p.origin === 'app')) {
    withPrometheus(
      `panel "${panel.title}": every query returns series carrying its legend's labels`,
      async () => {
        for (const query of panel.queries) {
          const samples = await eventually(async () => {
            const found = await prometheus.query(query.expr)
            expect(found.length).toBeGreaterThan(0)
            return found
          })
          const legendLabels = [...query.legend.matchAll(/\{\{(\w+)\}\}/g)].map(
            (m) => m[1] as string,
          )
          for (const sample of samples)
            for (const label of legendLabels)
              expect(sample.metric[label], `${query.expr}: ${label}`).toBeTruthy()
        }
      },
    )
  }

  withPrometheus(
    'request rate has route templates and statuses, unmatched paths collapsed',
    async () => {
      const samples = await prometheus.query(
        panels.find((p) => p.title === 'Request rate by route and status')?.queries[0]?.expr ?? '',
      )
      for (const labels of [
        { app: 'backend-api', route: '/', status: '200' },
        { app: 'backend-api', route: '/download_external_logs', status: '502' },
        { app: 'backend-api', route: '/download_external_logs', status: '503' },
        { app: 'backend-api', route: 'unmatched', status: '404' },
        { app: 'data-api', route: '/records', status: '200' },
        { app: 'data-api', route: '/', status: '503' },
      ]) {
        expect(find(samples, labels)?.value, JSON.stringify(labels)).toBeGreaterThan(0)
      }
      expect(samples.some((s) => s.metric.route?.includes('no-such-route'))).toBe(false)
    },
  )

  withPrometheus(
    'upstream outcomes by env, failed log writes by reason, p95 of / per app',
    async () => {
      const outcomes = await prometheus.query(
        panels.find((p) => p.title === 'External API outcomes by env')?.queries[0]?.expr ?? '',
      )
      expect(find(outcomes, { env: 'development', outcome: 'ok' })?.value).toBeGreaterThan(0)
      expect(find(outcomes, { env: 'staging', outcome: 'upstream_error' })?.value).toBeGreaterThan(
        0,
      )
      expect(
        find(outcomes, { env: 'production', outcome: 'not_configured' })?.value,
      ).toBeGreaterThan(0)
      const failures = await prometheus.query(
        'sum by (app, reason) (log_write_failures_total{namespace="data-namespace"})',
      )
      // Every reason is there from the start at 0; only the one that happened has moved.
      expect(new Set(failures.map((s) => s.metric.app))).toEqual(new Set(['data-api']))
      expect(failures.length).toBe(WRITE_FAILURE_REASONS.length)
      const happened = failures.filter((s) => s.value > 0)
      expect(happened.length).toBe(1)
      expect(happened[0]?.metric.reason).toMatch(/^[A-Z]+$|^other$/)
      const p95 = await prometheus.query(
        panels.find((p) => p.title === 'Latency quantiles')?.queries[1]?.expr ?? '',
      )
      expect(find(p95, { app: 'backend-api', route: '/' })?.value).toBeGreaterThan(4)
      expect(find(p95, { app: 'data-api', route: '/' })?.value).toBeLessThan(1)
    },
  )

  withPrometheus(
    'exactly the alerts the traffic deserves are pending, with their labels',
    async () => {
      const key = (a: { labels: Record<string, string> }) => {
        const { alertname, app, env, pod, job } = a.labels
        return [alertname, app ?? job, env ?? pod ?? ''].join(' ')
      }
      const expected = [
        'SmallServiceExternalApiFailing backend-api production',
        'SmallServiceExternalApiFailing backend-api staging',
        'SmallServiceHighErrorRatio backend-api ',
        'SmallServiceHighErrorRatio data-api ',
        'SmallServiceLogWriteFailures data-api ',
        'SmallServiceSlowRoot backend-api ',
        'SmallServiceTargetDown data-api-service-unique data-api-2',
      ]
      const alerts = await eventually(async () => {
        const found = await prometheus.alerts()
        expect(found.map(key).sort()).toEqual(expected)
        return found
      }, 20_000)
      for (const alert of alerts) {
        expect(alert.labels.severity).toMatch(/^(warning|critical)$/)
        expect(alert.labels.namespace).toMatch(/^(backend|data)-namespace$/)
        // every label the summary and description name is on the alert
        expect(`${alert.annotations.summary} ${alert.annotations.description}`).not.toContain(
          '<no value>',
        )
      }
    },
  )
})
