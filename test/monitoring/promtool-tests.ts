// Turns the scenarios into `promtool test rules` files and runs them against the rule groups of
// k8s/monitoring/prometheusrule.yaml.
import { join } from 'node:path'
import { stringify } from 'yaml'
import { tempDir } from '../support/temp.ts'
import { appAlertScenarios } from './app-alert-scenarios.ts'
import { clusterAlertScenarios } from './cluster-alert-scenarios.ts'
import { healthAlertScenarios } from './health-alert-scenarios.ts'
import { alertRules, promtool, type Rule, ruleGroups, writeRulesFile } from './monitoring-files.ts'
import type { AlertScenario } from './scenario-series.ts'

export const alertScenarios: AlertScenario[] = [
  ...appAlertScenarios,
  ...clusterAlertScenarios,
  ...healthAlertScenarios,
]
export const groups = await ruleGroups()
export const alerts = alertRules(groups)
const ruleNamed = (name: string): Rule => {
  const rule = alerts.find((r) => r.alert === name)
  if (!rule) throw new Error(`a scenario names ${name}, which prometheusrule.yaml lacks`)
  return rule
}

/** Descriptions only use `{{ $labels.x }}`, so the expected text is a plain substitution. */
function renderDescription(rule: Rule, labels: Record<string, string>): string {
  return (rule.annotations?.description ?? '').replace(
    /\{\{ \$labels\.(\w+) \}\}/g,
    (_, name: string) => {
      const value = labels[name]
      if (value === undefined)
        throw new Error(`${rule.alert}'s description uses $labels.${name}, which the alert lacks`)
      return value
    },
  )
}

export function unitTest(scenario: AlertScenario) {
  const rule = ruleNamed(scenario.alert)
  return {
    name: `${scenario.alert}: ${scenario.case}`,
    interval: '1m',
    input_series: scenario.series,
    alert_rule_test: [
      {
        eval_time: scenario.at,
        alertname: scenario.alert,
        exp_alerts: scenario.firing.map(({ labels, summary }) => {
          const all = { ...labels, ...rule.labels }
          return {
            exp_labels: all,
            exp_annotations: { summary, description: renderDescription(rule, all) },
          }
        }),
      },
    ],
  }
}

export async function promtoolTest(tests: object[]): Promise<{ code: number; output: string }> {
  const dir = await tempDir('rules-test')
  await writeRulesFile(dir, groups)
  await Bun.write(
    join(dir, 'tests.yaml'),
    stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }),
  )
  return promtool(['test', 'rules', 'tests.yaml'], dir)
}
