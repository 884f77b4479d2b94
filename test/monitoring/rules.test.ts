// The PrometheusRule, checked by promtool: syntax (`check rules`) and behaviour (`test rules`
// with the synthetic series of *-alert-scenarios.ts).
import { describe, expect, test } from 'bun:test'
import { tempDir } from '../support/temp.ts'
import { promtool, seriesName, withPromtool, writeRulesFile } from './monitoring-files.ts'
import { alertScenarios, alerts, groups, promtoolTest, unitTest } from './promtool-tests.ts'

describe('PrometheusRule small-services', () => {
  withPromtool('promtool check rules accepts the extracted groups', async () => {
    const dir = await tempDir('rules-check')
    const file = await writeRulesFile(dir, groups)
    const { code, output } = await promtool(['check', 'rules', file])
    expect(output).toContain(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`)
    expect(code).toBe(0)
  })

  withPromtool('promtool rejects a broken expression (the check can fail)', async () => {
    const dir = await tempDir('rules-broken')
    const file = await writeRulesFile(dir, [
      { name: 'broken', rules: [{ alert: 'X', expr: 'sum by (app (up)' }] },
    ])
    expect((await promtool(['check', 'rules', file])).code).not.toBe(0)
  })

  const expected = [
    'SmallServiceTargetDown',
    'SmallServiceNoScrapeTarget',
    'SmallServiceNoReadyPods',
    'SmallServiceHighErrorRatio',
    'SmallServiceSlowRoot',
    'SmallServiceLogWriteFailures',
    'SmallServiceExternalApiFailing',
    'SmallServiceHealthCheckFailed',
    'SmallServiceHealthLogVolumeFilling',
    'SmallServiceMemoryNearLimit',
    'SmallServicePodRestarting',
  ]

  test('has the alerts of the issue, each with for, severity and a runbook-style description', () => {
    expect(alerts.map((r) => r.alert)).toEqual(expected)
    for (const rule of alerts) {
      expect(rule.for, `${rule.alert} for`).toMatch(/^[1-9]\d*m$/)
      expect(['warning', 'critical'], `${rule.alert} severity`).toContain(
        rule.labels?.severity ?? '',
      )
      expect(rule.annotations?.summary, `${rule.alert} summary`).toBeTruthy()
      const description = rule.annotations?.description ?? ''
      // what to run next, quoted as a command
      expect(description, `${rule.alert} description`).toMatch(/`(kubectl|just) [^`]+`/)
      expect(
        description.replace(/\{\{ \$labels\.\w+ \}\}/g, ''),
        `${rule.alert}: only $labels templates`,
      ).not.toContain('{{')
    }
  })

  test('every alert has a firing and a quiet scenario', () => {
    for (const name of expected) {
      const mine = alertScenarios.filter((s) => s.alert === name)
      expect(
        mine.some((s) => s.firing.length > 0),
        `${name} fires somewhere`,
      ).toBe(true)
      expect(
        mine.some((s) => s.firing.length === 0),
        `${name} stays quiet somewhere`,
      ).toBe(true)
    }
    for (const scenario of alertScenarios) expect(expected).toContain(scenario.alert)
  })

  for (const name of expected) {
    withPromtool(`promtool test rules: ${name} fires and stays quiet`, async () => {
      const { code, output } = await promtoolTest(
        alertScenarios.filter((s) => s.alert === name).map(unitTest),
      )
      expect(output).toContain('SUCCESS')
      expect(code).toBe(0)
    })
  }

  withPromtool(
    'promtool test rules fails when an alert does not fire as the scenario says',
    async () => {
      const quiet = alertScenarios.find(
        (s) => s.alert === 'SmallServiceSlowRoot' && s.firing.length === 0,
      )
      if (!quiet) throw new Error('missing quiet SlowRoot scenario')
      const wrong = {
        ...quiet,
        firing: [{ labels: { namespace: 'data-namespace', app: 'data-api' }, summary: 'x' }],
      }
      expect((await promtoolTest([unitTest(wrong)])).code).not.toBe(0)
    },
  )

  withPromtool('the ratio recordings are 0, not missing, while nothing fails', async () => {
    const labels = { namespace: 'backend-namespace', app: 'backend-api' }
    const http = seriesName('http_requests_total', {
      ...labels,
      method: 'GET',
      route: '/',
      status: '200',
    })
    const calls = seriesName('external_api_requests_total', {
      ...labels,
      env: 'staging',
      outcome: 'ok',
    })
    const exprTest = {
      interval: '1m',
      input_series: [
        { series: http, values: '0+10x15' },
        { series: calls, values: '0+10x15' },
      ],
      promql_expr_test: [
        {
          expr: 'namespace_app:http_server_errors:ratio_rate5m',
          eval_time: '12m',
          exp_samples: [
            {
              labels: seriesName('namespace_app:http_server_errors:ratio_rate5m', labels),
              value: 0,
            },
          ],
        },
        {
          expr: 'namespace_app_env:external_api_failures:ratio_rate10m',
          eval_time: '12m',
          exp_samples: [
            {
              labels: seriesName('namespace_app_env:external_api_failures:ratio_rate10m', {
                ...labels,
                env: 'staging',
              }),
              value: 0,
            },
          ],
        },
      ],
    }
    const { code, output } = await promtoolTest([exprTest])
    expect(output).toContain('SUCCESS')
    expect(code).toBe(0)
  })
})
