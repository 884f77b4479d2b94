import { expect, test } from 'bun:test'
import { Registry } from 'prom-client'
import { EXTERNAL_ENVS, EXTERNAL_OUTCOMES } from '../../kit/external-envs.ts'
import { externalCallsCounter } from './external-metrics.ts'

test('every env x outcome is exported at 0 from the start, and a second call reuses the counter', async () => {
  const registry = new Registry()
  registry.setDefaultLabels({ app: 'backend-api' })
  const counter = externalCallsCounter(registry)
  expect(externalCallsCounter(registry)).toBe(counter)
  const zeros = (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith('external_api_requests_total{') && line.endsWith('} 0'))
  expect(zeros).toHaveLength(EXTERNAL_ENVS.length * EXTERNAL_OUTCOMES.length)
  expect(zeros).toContain(
    'external_api_requests_total{env="production",outcome="timeout",app="backend-api"} 0',
  )
})
