// The integration key must stay out of the compiled backend's own output on the paths that log
// the most: retries after 429, 500 and a stalled upstream (debug logging on).
import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import { startFakeUpstream } from '../support/upstream.ts'
import { type RunningService, startService } from './harness.ts'

const KEY = 'e2e-retry-key-77aa88bb99cc'
const upstream = await startFakeUpstream({ key: KEY })
let service: RunningService

beforeAll(async () => {
  service = await startService('backend-api', {
    EXTERNAL_API_URL: upstream.url,
    EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
    EXTERNAL_API_TIMEOUT_MS: '300',
    EXTERNAL_API_RETRIES: '2',
    LOG_LEVEL: 'debug',
  })
}, 120_000)
afterAll(async () => {
  await service?.stop('SIGKILL')
  upstream.close()
})
beforeEach(() => {
  upstream.requests.length = 0
})

test.each([
  ['too-many', 502],
  ['server-error', 502],
  ['stall', 504],
] as const)(
  'upstream %s -> %d after retries; the key is sent, never printed or answered',
  async (mode, code) => {
    upstream.mode(mode)
    const before = service.output().length
    const res = await service.get('/download_external_logs?env=staging')
    expect(res.status).toBe(code)
    expect(res.text).not.toContain(KEY)
    expect(upstream.requests.length).toBeGreaterThanOrEqual(2)
    for (const seen of upstream.requests) expect(seen.headers.authorization).toBe(`Bearer ${KEY}`)
    await Bun.sleep(50) // let the last log lines reach the pipe
    const printed = service.output().slice(before)
    expect(printed).toContain('external API attempt failed, retrying')
    expect(printed).not.toContain(KEY)
  },
  30_000,
)
