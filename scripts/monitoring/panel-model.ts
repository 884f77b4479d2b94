// The shape of a dashboard panel, and the namespaces the panels look at.

/** Where a panel's data comes from: the seed's hand-typed queries (cAdvisor, node-exporter), our services' /metrics, or kube-state-metrics. */
export type Origin = 'seed' | 'app' | 'kube-state-metrics'

export interface Query {
  expr: string
  legend: string
}

export interface Panel {
  title: string
  description: string
  unit: string
  origin: Origin
  queries: Query[]
}

export interface Row {
  title: string
  panels: Panel[]
}

/** Namespaces of the two services and of the health check. */
export const APP_NAMESPACES = 'backend-namespace|data-namespace'
export const OUR_NAMESPACES = `${APP_NAMESPACES}|health-namespace`
