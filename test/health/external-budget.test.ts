// The default timing budgets fit together: a stalled external API makes the backend give up
// (EXTERNAL_API_TOTAL_TIMEOUT_MS, 8 s) before the health check does (HEALTH_TIMEOUT_MS, 10 s),
// so the run reports DEGRADED (a well-formed 504) rather than FAIL (timeout).
import { afterAll, expect, test } from 'bun:test'
import { compiledBinary } from '../support/binaries.ts'
import { startProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'
import { startFakeUpstream } from '../support/upstream.ts'
import { logDir, runHealth, targetsEnv } from './health-runs.ts'

const KEY = 'budget-test-integration-key'
const upstream = await startFakeUpstream({ key: KEY })
const serviceLogs = await tempDir('health-budget')
afterAll(() => upstream.close())

test('stalled upstream with every default timing: DEGRADED 504 within the health deadline', async () => {
  upstream.mode('stall')
  const backend = await startProgram(await compiledBinary('backend-api'), {
    env: {
      LOG_DIR: serviceLogs,
      EXTERNAL_API_URL_DEVELOPMENT: upstream.url,
      EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
      LOG_LEVEL: 'error',
    },
  })
  const log = await logDir()
  try {
    const run = await runHealth({
      ...targetsEnv([
        {
          name: 'Download External Logs API',
          url: `${backend.url}/download_external_logs?env=development`,
          critical: false,
        },
      ]),
      HEALTH_LOG_FILE: log.file,
    })
    expect(run.reports).toMatchObject([{ result: 'DEGRADED', status: 504 }])
    expect(run.reports[0]?.latencyMs).toBeLessThan(10_000)
    expect(run.exitCode).toBe(0)
  } finally {
    await backend.stop()
  }
}, 60_000)
