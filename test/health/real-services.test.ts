// The compiled health-check against the real compiled backend-api and data-api (short processing
// delay), with the fake external log API behind the backend.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
import { type RunningProgram, startProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'
import { type FakeUpstream, startFakeUpstream } from '../support/upstream.ts'
import { allLogLines, LOG_LINE, logDir, runHealth } from './health-runs.ts'

const DELAY_MS = 1000
const KEY = 'health-test-integration-key'
let upstream: FakeUpstream
let backend: RunningProgram
let data: RunningProgram

beforeAll(async () => {
  const [backendBinary, dataBinary] = await Promise.all([
    compiledBinary('backend-api'),
    compiledBinary('data-api'),
    compiledBinary('health-check'),
  ])
  const serviceLogs = await tempDir('health-services')
  upstream = await startFakeUpstream({ key: KEY })
  const common = {
    PROCESSING_DELAY_MS: String(DELAY_MS),
    SHUTDOWN_DRAIN_MS: '0',
    LOG_LEVEL: 'warn',
  }
  ;[backend, data] = await Promise.all([
    startProgram(backendBinary, {
      env: {
        ...common,
        LOG_DIR: join(serviceLogs, 'backend'),
        EXTERNAL_API_URL_DEVELOPMENT: upstream.url,
        EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
        EXTERNAL_API_RETRIES: '0',
        EXTERNAL_API_TIMEOUT_MS: '2000',
      },
    }),
    startProgram(dataBinary, { env: { ...common, LOG_DIR: join(serviceLogs, 'data') } }),
  ])
}, 180_000)

afterAll(async () => {
  await Promise.all([backend?.stop(), data?.stop()])
  upstream?.close()
})

const healthEnv = (file: string) => ({
  BACKEND_URL: backend.url,
  DATA_URL: data.url,
  HEALTH_LOG_FILE: file,
  HEALTH_TIMEOUT_MS: '5000',
})

test('all five default checks pass against the real services, concurrently', async () => {
  const log = await logDir()
  upstream.mode('ok')
  const run = await runHealth(healthEnv(log.file))
  expect(run.stderr).toBe('')
  expect(run.exitCode).toBe(0)
  expect(run.reports.map((r) => [r.name, r.result, r.status])).toEqual([
    ['Backend API', 'PASS', 200],
    ['Backend readiness', 'PASS', 200],
    ['Download External Logs API', 'PASS', 200],
    ['Data API', 'PASS', 200],
    ['Data readiness', 'PASS', 200],
  ])
  const lines = await allLogLines(log.file)
  expect(lines).toHaveLength(5)
  for (const line of lines) expect(line).toMatch(LOG_LINE)
  expect(lines.filter((l) => l.endsWith('Health check passed'))).toHaveLength(5)
  // Two `/` checks of DELAY_MS each: sequential would exceed 2 x DELAY_MS.
  const slowest = Math.max(...run.reports.map((r) => r.latencyMs))
  console.log(
    `real services: run took ${Math.round(run.durationMs)} ms, slowest check ${slowest} ms`,
  )
  expect(slowest).toBeGreaterThanOrEqual(DELAY_MS)
  expect(run.durationMs).toBeLessThan(2 * DELAY_MS)
}, 60_000)

test('the external API failing degrades the run but does not fail it', async () => {
  const log = await logDir()
  upstream.mode('server-error')
  const run = await runHealth(healthEnv(log.file))
  expect(run.exitCode).toBe(0)
  const external = run.reports.find((r) => r.name === 'Download External Logs API')
  expect(external).toMatchObject({ result: 'DEGRADED', status: 502, critical: false })
  expect(await allLogLines(log.file)).toContainEqual(
    expect.stringMatching(
      /DEGRADED name="Download External Logs API" .* status=502 .*Health check degraded$/,
    ),
  )
  upstream.mode('ok')
}, 60_000)

test('a stopped data service fails its critical checks: exit 1', async () => {
  const log = await logDir()
  await data.stop()
  const run = await runHealth(healthEnv(log.file))
  expect(run.exitCode).toBe(1)
  expect(run.reports.filter((r) => r.result === 'FAIL').map((r) => [r.name, r.error])).toEqual([
    ['Data API', 'ECONNREFUSED'],
    ['Data readiness', 'ECONNREFUSED'],
  ])
  expect(run.reports.filter((r) => r.name.startsWith('Backend')).map((r) => r.result)).toEqual([
    'PASS',
    'PASS',
  ])
}, 60_000)
