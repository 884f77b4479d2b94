import { beforeEach, expect, test } from 'bun:test'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { get, kitApp, readJson, type TestDeps, testDeps } from '../../../test/support/route-deps.ts'
import { workRoutes } from './work-routes.ts'

let ctx: TestDeps
const appOf = () => kitApp(ctx.deps, workRoutes(ctx.deps))

beforeEach(async () => {
  ctx = await testDeps({ PROCESSING_DELAY_MS: '50' })
})

test('GET / waits the delay, writes one file and answers with its name', async () => {
  const started = performance.now()
  const res = await appOf().handle(get('/'))
  expect(performance.now() - started).toBeGreaterThanOrEqual(45)
  expect(res.status).toBe(200)
  const body = await readJson(res)
  expect(['Success', 'Created', 'Retried', 'Failed']).toContain(body.message)
  expect(body.service).toBe('test-api')
  expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp)
  expect(await readdir(ctx.logDir)).toEqual([body.file])
  const record = JSON.parse(await readFile(join(ctx.logDir, body.file), 'utf8'))
  expect(record).toEqual({
    timestamp: body.timestamp,
    service: 'test-api',
    level: body.level,
    message: body.message,
  })
})

test('concurrent requests overlap (the delay does not block) and each gets its own file', async () => {
  const app = appOf()
  const started = performance.now()
  const bodies = await Promise.all(
    Array.from({ length: 50 }, () => app.handle(get('/')).then(readJson)),
  )
  expect(performance.now() - started).toBeLessThan(1000)
  expect(new Set(bodies.map((b) => b.file)).size).toBe(50)
  expect(await readdir(ctx.logDir)).toHaveLength(50)
})

test('an unwritable LOG_DIR -> 503 JSON with the errno, a failure metric, no partial file', async () => {
  await rm(ctx.logDir, { recursive: true })
  await writeFile(ctx.logDir, 'blocker')
  const app = appOf()
  const res = await app.handle(get('/'))
  expect(res.status).toBe(503)
  const body = await readJson(res)
  expect(body).toMatchObject({ reason: 'ENOTDIR' })
  expect(body.error).toContain(ctx.logDir)
  expect(body.hint).toContain('LOG_DIR')
  const metrics = await (await app.handle(get('/metrics'))).text()
  expect(metrics).toContain('log_write_failures_total{reason="ENOTDIR",app="test-api"} 1')
  expect(await readFile(ctx.logDir, 'utf8')).toBe('blocker')
})

test('written files are counted', async () => {
  const app = appOf()
  await app.handle(get('/'))
  await app.handle(get('/'))
  const metrics = await (await app.handle(get('/metrics'))).text()
  expect(metrics).toContain('log_files_written_total{app="test-api"} 2')
})
