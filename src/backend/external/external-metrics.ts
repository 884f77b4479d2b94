import { Counter, type Registry } from 'prom-client'
import { EXTERNAL_ENVS, EXTERNAL_OUTCOMES } from '../../kit/external-envs.ts'

const NAME = 'external_api_requests_total'

/**
 * `external_api_requests_total{env, outcome}` on the backend's registry, every env x outcome at 0
 * from the start (rates and alerts see 0 rather than no series). Registered once per registry:
 * building the app twice on the same dependencies (tests) gets the same counter.
 */
export function externalCallsCounter(registry: Registry): Counter<'env' | 'outcome'> {
  const existing = registry.getSingleMetric(NAME)
  if (existing) return existing as Counter<'env' | 'outcome'>
  const counter = new Counter({
    name: NAME,
    help: 'Calls to the external log API, by environment and outcome',
    labelNames: ['env', 'outcome'] as const,
    registers: [registry],
  })
  for (const env of EXTERNAL_ENVS) {
    for (const outcome of EXTERNAL_OUTCOMES) counter.labels({ env, outcome }).inc(0)
  }
  return counter
}
