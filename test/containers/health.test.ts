// The health-check image run like the CronJob runs it, against the two service containers, with
// its log on a mounted volume (the PVC at /var/log in the cluster).
import { afterAll, beforeAll, describe, expect } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { testWhen } from '../support/requirements.ts'
import { runOnce, writableDir } from './containers.ts'
import { BUILD_TIMEOUT_MS, type BuiltImages, builtImages, containerEngine } from './images.ts'
import { type Stack, startStack, stopStacks } from './stack.ts'

const engine = await containerEngine()
const test = testWhen(engine.ok, engine.reason)
let images: BuiltImages
let stack: Stack
let volume: string

beforeAll(async () => {
  if (!engine.ok) return
  images = await builtImages()
  stack = await startStack(images, { PROCESSING_DELAY_MS: '100' })
  volume = await writableDir('health-log')
}, BUILD_TIMEOUT_MS)
afterAll(stopStacks)

const healthCheck = (args: string[] = [], readOnly = false) =>
  runOnce(images.tags.health, {
    env: { BACKEND_URL: stack.backend.url, DATA_URL: stack.data.url, HEALTH_TIMEOUT_MS: '5000' },
    mount: { source: volume, target: '/var/log', readOnly },
    args,
  })

describe('health-check container', () => {
  test('passes against both service containers and writes its log to the volume', async () => {
    const run = await healthCheck()
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const reports = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(reports.map((r) => r.name).sort()).toEqual([
      'Backend API',
      'Backend readiness',
      'Data API',
      'Data readiness',
      'Download External Logs API',
    ])
    expect(reports.filter((r) => r.result !== 'PASS')).toEqual([])
    const log = await readFile(join(volume, 'health_check.log'), 'utf8')
    expect(log.trim().split('\n')).toHaveLength(reports.length)
    expect(log).toContain(stack.data.url)
  }, 60_000)

  test('`show` prints the log from the volume mounted read-only (as the log-reader pod does)', async () => {
    const log = await readFile(join(volume, 'health_check.log'), 'utf8')
    const shown = await healthCheck(['show', '--lines', '50'], true)
    expect(shown.exitCode).toBe(0)
    expect(shown.stdout.trim()).toBe(log.trim())
  }, 60_000)
})
