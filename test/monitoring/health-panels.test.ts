// The "Health check" row of the dashboard evaluated by promtool on synthetic kube-state-metrics
// series: it reports the newest run and the time since the last success, not the size of the
// CronJob's Job history.
import { describe, expect } from 'bun:test'
import { panels } from '../../scripts/monitoring/dashboard.ts'
import { seriesName, withPromtool } from './monitoring-files.ts'
import { promtoolTest } from './promtool-tests.ts'

const ksm = {
  namespace: 'health-namespace',
  job: 'kube-state-metrics',
  instance: '10.244.0.9:8080',
}
const cronjob = { ...ksm, cronjob: 'health-check' }

/** One CronJob run, created at minute `createdAt` (missing before), with its final outcome. */
function run(name: string, createdAt: number, outcome: 'succeeded' | 'failed', minutes = 20) {
  const labels = { ...ksm, job_name: name }
  const from = (value: string) =>
    Array.from({ length: minutes + 1 }, (_, i) => (i < createdAt ? '_' : value)).join(' ')
  return [
    { series: seriesName('kube_job_created', labels), values: from(String(createdAt * 60)) },
    {
      series: seriesName('kube_job_status_succeeded', labels),
      values: from(outcome === 'succeeded' ? '1' : '0'),
    },
    {
      series: seriesName('kube_job_status_failed', labels),
      values: from(outcome === 'failed' ? '2' : '0'),
    },
  ]
}

const queries = (title: string) => {
  const panel = panels.find((p) => p.title === title)
  if (!panel) throw new Error(`the dashboard lost its panel "${title}"`)
  return panel.queries.map((q) => q.expr)
}
const sample = (expr: string, at: string, value: number) => ({
  expr,
  eval_time: at,
  exp_samples: [{ labels: '{}', value }],
})

describe('dashboard row "Health check"', () => {
  withPromtool(
    'the last run panel follows the newest Job, whatever the history holds',
    async () => {
      const [succeeded = '', failed = ''] = queries('Last health-check run')
      const { code, output } = await promtoolTest([
        {
          interval: '1m',
          input_series: [
            ...run('health-check-1', 0, 'failed'),
            ...run('health-check-2', 5, 'succeeded'),
            ...run('health-check-3', 10, 'failed'),
            ...run('health-check-4', 15, 'succeeded'),
          ],
          promql_expr_test: [
            sample(succeeded, '12m', 0),
            sample(failed, '12m', 2),
            sample(succeeded, '17m', 1),
            sample(failed, '17m', 0),
          ],
        },
      ])
      expect(output).toContain('SUCCESS')
      expect(code).toBe(0)
    },
  )

  withPromtool(
    'the time panel shows seconds since the last success and the last start',
    async () => {
      const [sinceSuccess = '', sinceStart = ''] = queries(
        'Time since last successful health check',
      )
      const { code, output } = await promtoolTest([
        {
          interval: '1m',
          input_series: [
            {
              series: seriesName('kube_cronjob_status_last_successful_time', cronjob),
              values: '300x15',
            },
            {
              series: seriesName('kube_cronjob_status_last_schedule_time', cronjob),
              values: '600x15',
            },
          ],
          promql_expr_test: [sample(sinceSuccess, '12m', 420), sample(sinceStart, '12m', 120)],
        },
      ])
      expect(output).toContain('SUCCESS')
      expect(code).toBe(0)
    },
  )
})
