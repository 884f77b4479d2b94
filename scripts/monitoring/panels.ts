// The Grafana dashboard's rows in order: seed-panels.ts and app-panels.ts are the one place that
// states every PromQL query, legend and unit. dashboard.ts turns them into
// k8s/monitoring/dashboards/small-services.json; the tests parse every query with promtool and run
// the app queries against a real Prometheus.
import { appRows } from './app-panels.ts'
import type { Panel, Row } from './panel-model.ts'
import { seedRows } from './seed-panels.ts'

export const rows: Row[] = [...seedRows, ...appRows]

export const panels: Panel[] = rows.flatMap((row) => row.panels)
