import { expect, test } from 'bun:test'
import { WRITE_FAILURE_REASONS } from './logs/log-store.ts'
import { createMetrics } from './metrics.ts'

test('every known reason of the write failure counter is exported as 0 from the start', async () => {
  const text = await createMetrics('test-api').registry.metrics()
  const zero = (name: string) =>
    text.split('\n').filter((line) => line.startsWith(`${name}{`) && line.endsWith('} 0'))
  expect(zero('log_write_failures_total').length).toBe(WRITE_FAILURE_REASONS.length)
  expect(text).toContain('log_write_failures_total{reason="ENOSPC",app="test-api"} 0')
  expect(text).toContain('log_write_failures_total{reason="other",app="test-api"} 0')
  // The external API counter is the backend's alone (src/backend/external/external-metrics.ts).
  expect(text).not.toContain('external_api_requests_total')
})
