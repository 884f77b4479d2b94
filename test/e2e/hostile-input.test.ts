// The compiled backend against a hostile upstream and a tampered LOG_DIR: keys never stored or
// served, FIFOs and symlinks skipped, Retry-After honoured, downloads kept from evicting `/` logs.
import { afterAll, expect, test } from 'bun:test'
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { render } from '../../scripts/k8s/render.ts'
import { tempDir } from '../support/temp.ts'
import { LARGE_BYTES, startFakeUpstream } from '../support/upstream.ts'
import { startService } from './harness.ts'

const KEY = 'hostile-test-key-7a6b5c4d'
const OTHER_KEY = 'other-env-key-1f2e3d4c'
const upstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

const backend = (env: Record<string, string> = {}) =>
  startService('backend-api', {
    EXTERNAL_API_URL: upstream.url,
    EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
    EXTERNAL_INTEGRATION_KEY_PRODUCTION: OTHER_KEY,
    ...env,
  })

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

test('an upstream that echoes our request gets no key stored, and /logs serves none', async () => {
  upstream.mode('echo')
  const service = await backend()
  const { status, body } = await service.get('/download_external_logs?env=staging')
  expect(status).toBe(200)
  const stored = await readFile(join(service.logDir, body.file as string), 'utf8')
  expect(stored).toContain('"authorization":"Bearer [REDACTED]"')
  expect(stored).not.toContain(KEY)
  // A file with both keys put in LOG_DIR by something else: /logs redacts it too.
  await writeFile(
    join(service.logDir, '20260101T000000000Z-external-staging-000001-dddddddd.log'),
    `${KEY} ${OTHER_KEY}`,
  )
  const restarted = await backend({ LOG_DIR: service.logDir })
  const listing = await restarted.get('/logs?limit=500')
  expect(listing.status).toBe(200)
  expect(listing.text).toContain('[REDACTED] [REDACTED]')
  expect(listing.text).not.toContain(KEY)
  expect(listing.text).not.toContain(OTHER_KEY)
  expect(restarted.output()).not.toContain(KEY)
  expect(await service.stop()).toBe(0)
  expect(await restarted.stop()).toBe(0)
}, 30_000)

test('a FIFO and a symlink named like log files are skipped; /logs, / and /readyz keep answering', async () => {
  const logDir = join(await tempDir('hostile-logdir'), 'logs')
  const service = await backend({ LOG_DIR: logDir, PROCESSING_DELAY_MS: '0' })
  expect((await service.get('/')).status).toBe(200)
  const outside = join(await tempDir('outside'), 'passwd')
  await writeFile(outside, 'outside LOG_DIR: never served')
  const names = (await service.logFiles()).sort()
  // One of each named like log files, one replacing a file the service has indexed.
  expect(
    Bun.spawnSync(['mkfifo', join(logDir, '20260101T000000000Z-info-000001-aaaaaaaa.log')])
      .exitCode,
  ).toBe(0)
  await symlink(outside, join(logDir, '20260101T000000001Z-info-000002-bbbbbbbb.log'))
  const indexed = join(logDir, names[0] as string)
  Bun.spawnSync(['rm', indexed])
  expect(Bun.spawnSync(['mkfifo', indexed]).exitCode).toBe(0)
  const restarted = await backend({ LOG_DIR: logDir, PROCESSING_DELAY_MS: '0' })
  for (const running of [service, restarted]) {
    for (let i = 0; i < 3; i++) {
      const { value, ms } = await timed(() => running.get('/logs?limit=500'))
      expect(value.status).toBe(200)
      expect(value.text).not.toContain('outside LOG_DIR')
      expect(ms).toBeLessThan(2000)
    }
    for (const path of ['/', '/readyz']) {
      const { value, ms } = await timed(() => running.get(path))
      expect(value.status).toBe(200)
      expect(ms).toBeLessThan(2000)
    }
  }
  expect(await service.stop()).toBe(0)
  expect(await restarted.stop()).toBe(0)
}, 30_000)

test('429 with Retry-After: 100000 is not retried early: one attempt, 502 JSON passing the wait on', async () => {
  upstream.mode('rate-limited')
  upstream.requests.length = 0
  const service = await backend()
  const started = performance.now()
  const res = await fetch(`${service.url}/download_external_logs?env=staging`)
  const body = (await res.json()) as { hint: string }
  expect(performance.now() - started).toBeLessThan(1000)
  expect(res.status).toBe(502)
  expect(res.headers.get('retry-after')).toBe('100000')
  expect(body).toMatchObject({ upstreamStatus: 429, attempts: 1, retryAfterSeconds: 100000 })
  expect(body.hint).toContain('100000 s')
  expect(upstream.requests).toHaveLength(1)
  expect(await service.stop()).toBe(0)
}, 30_000)

test('downloads never evict `/` logs under the Kubernetes retention settings', async () => {
  const objects = await render('k8s/base/backend')
  const config = objects.find((o) => o.kind === 'ConfigMap')?.data as Record<string, string>
  const retention = {
    LOG_RETENTION_BYTES: config.LOG_RETENTION_BYTES as string,
    LOG_RETENTION_DOWNLOAD_BYTES: config.LOG_RETENTION_DOWNLOAD_BYTES as string,
  }
  expect(Number(retention.LOG_RETENTION_DOWNLOAD_BYTES)).toBeGreaterThanOrEqual(LARGE_BYTES)
  const service = await backend({ ...retention, PROCESSING_DELAY_MS: '0' })
  for (let i = 0; i < 20; i++) expect((await service.get('/')).status).toBe(200)
  upstream.mode('large')
  for (let i = 0; i < 6; i++) {
    const { status, body } = await service.get('/download_external_logs?env=staging')
    expect(status).toBe(200)
    expect(body.bytes).toBe(LARGE_BYTES)
  }
  await Bun.sleep(200) // pruning runs after the answer
  const files = await readdir(service.logDir)
  const downloads = files.filter((f) => f.includes('-external-'))
  expect(files.filter((f) => f.endsWith('.log')).length - downloads.length).toBe(20)
  const budget = Number(retention.LOG_RETENTION_DOWNLOAD_BYTES)
  expect(downloads.length).toBe(Math.floor(budget / LARGE_BYTES))
  expect(await service.stop()).toBe(0)
}, 60_000)
