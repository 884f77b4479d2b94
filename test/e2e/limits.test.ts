// The compiled services under their limits: log retention, the external download budget against
// the shutdown deadline, and an ENV_FILE that cannot be read.
import { afterAll, expect, test } from 'bun:test'
import { readdir } from 'node:fs/promises'
import { compiledBinary } from '../support/binaries.ts'
import { runProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'
import { startFakeUpstream } from '../support/upstream.ts'
import { SERVICES, startService } from './harness.ts'

const KEY = 'limits-test-key-5f4e3d'
const upstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

test.each(SERVICES)(
  '%s keeps LOG_DIR within LOG_RETENTION_FILES, newest kept, and /logs agrees',
  async (name) => {
    const service = await startService(name, { PROCESSING_DELAY_MS: '0', LOG_RETENTION_FILES: '5' })
    for (let i = 0; i < 12; i++) expect((await service.get('/')).status).toBe(200)
    // Pruning runs after the answer: give it a moment.
    for (let i = 0; i < 50 && (await service.logFiles()).length > 5; i++) await Bun.sleep(20)
    const files = (await service.logFiles()).sort()
    expect(files).toHaveLength(5)
    const listed = (await service.get('/logs?limit=20')).body.entries as { file: string }[]
    expect(listed.map((e) => e.file)).toEqual([...files].reverse())
    expect(await service.stop()).toBe(0)
  },
  60_000,
)

test('a download that uses its whole budget still finishes when SIGTERM comes: 504, exit 0', async () => {
  // 11 s is longer than the old fixed shutdown deadline (processing delay + 10 s).
  upstream.mode('stall')
  const service = await startService('backend-api', {
    EXTERNAL_API_URL: upstream.url,
    EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
    EXTERNAL_API_TIMEOUT_MS: '11000',
    EXTERNAL_API_TOTAL_TIMEOUT_MS: '11000',
    EXTERNAL_API_RETRIES: '0',
  })
  const started = performance.now()
  const answer = fetch(`${service.url}/download_external_logs?env=staging`)
  await Bun.sleep(300)
  service.proc.kill('SIGTERM')
  const response = await answer
  expect(response.status).toBe(504)
  expect(performance.now() - started).toBeGreaterThanOrEqual(10_900)
  expect(await service.stop()).toBe(0)
  expect(service.output()).not.toContain(KEY)
}, 60_000)

test.each(SERVICES)(
  '%s with ENV_FILE naming a directory: exit 1, one line naming EISDIR, no stack trace',
  async (name) => {
    const dir = await tempDir('envfile-dir')
    const run = await runProgram(await compiledBinary(name), {
      env: { ENV_FILE: dir },
      timeoutMs: 10_000,
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(`configuration error: ENV_FILE="${dir}" cannot be read (EISDIR`)
    expect(await readdir(dir)).toEqual([])
  },
  120_000,
)
