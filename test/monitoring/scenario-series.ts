// What a `promtool test rules` scenario is: synthetic series at 1m intervals (`_` = missing
// sample), a time, and the alerts expected to be firing then.
import { seriesName } from './monitoring-files.ts'

export type Labels = Record<string, string>
export interface Series {
  series: string
  values: string
}
export interface AlertScenario {
  alert: string
  case: string
  series: Series[]
  at: string
  /** Alerts expected to be firing at `at` (severity comes from the rule); empty = quiet. */
  firing: { labels: Labels; summary: string }[]
}

export const s = (name: string, labels: Labels, values: string): Series => ({
  series: seriesName(name, labels),
  values,
})

export const backendPod = { namespace: 'backend-namespace', pod: 'backend-api-7d9f-abcde' }
export const backend = { namespace: 'backend-namespace', app: 'backend-api' }
export const data = { namespace: 'data-namespace', app: 'data-api' }
