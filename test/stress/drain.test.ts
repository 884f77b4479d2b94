// SIGTERM with hundreds of requests in flight: readiness turns 503 at once, every request that was
// accepted still gets its 200 and its file, and the process exits 0 before the hard deadline.
import { expect, test } from 'bun:test'
import { runBurst } from '../../bench/load/burst.ts'
import { countLogFiles } from '../../bench/load/files.ts'
import { tempDir } from '../support/temp.ts'
import { fileOf, startBackend } from './backend.ts'

const IN_FLIGHT = 500
const DELAY_MS = 3000
const DRAIN_MS = 1000
/** Generous: the service's own hard deadline is what must fire first, never this. */
const EXIT_WITHIN_MS = DELAY_MS + DRAIN_MS + 5000

test(`SIGTERM with ${IN_FLIGHT} requests in flight -> all 200, /readyz 503 while draining, exit 0`, async () => {
  const dir = await tempDir('stress-drain')
  const backend = await startBackend(dir, {
    PROCESSING_DELAY_MS: String(DELAY_MS),
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
  })
  const burst = runBurst(`${backend.url}/`, { count: IN_FLIGHT, timeoutMs: 30_000, bodies: true })
  // the burst client needs a moment to start and connect; the 3 s delay keeps them all in flight
  await Bun.sleep(1200)
  const signalledAt = performance.now()
  backend.proc.kill('SIGTERM')
  await Bun.sleep(50)

  const readiness = await fetch(`${backend.url}/readyz`)
  expect(readiness.status).toBe(503)
  expect(await readiness.json()).toHaveProperty('error')
  const health = await fetch(`${backend.url}/healthz`)
  expect(health.status).toBe(200)

  const result = await burst
  expect(result.outcomes).toEqual({ '200': IN_FLIGHT })
  expect(result.p50Ms).toBeGreaterThan(DELAY_MS - 100)
  const code = await backend.proc.exited
  expect(performance.now() - signalledAt).toBeLessThan(EXIT_WITHIN_MS)
  expect(code).toBe(0)

  const onDisk = await countLogFiles(dir)
  expect(onDisk.files).toBe(IN_FLIGHT)
  expect(onDisk.complete).toBe(IN_FLIGHT)
  expect(new Set(result.bodies.map(fileOf))).toEqual(new Set(onDisk.names))
}, 60_000)
