import { expect, test } from 'bun:test'
import { startService } from './harness.ts'

test('SIGTERM with requests in flight: readiness 503 at once, all answered 200, exit 0', async () => {
  const service = await startService('backend-api', {
    PROCESSING_DELAY_MS: '1500',
    SHUTDOWN_DRAIN_MS: '500',
  })
  const inFlight = Array.from({ length: 20 }, () => fetch(`${service.url}/`).then((r) => r.status))
  await Bun.sleep(200)
  const signalled = performance.now()
  service.proc.kill('SIGTERM')
  await Bun.sleep(50)
  expect((await service.get('/readyz')).status).toBe(503)
  // during the drain the listener still serves (endpoints take a moment to drop the pod)
  expect((await service.get('/healthz')).status).toBe(200)
  expect(await Promise.all(inFlight)).toEqual(Array(20).fill(200))
  expect(await service.proc.exited).toBe(0)
  expect(performance.now() - signalled).toBeGreaterThanOrEqual(1200)
  expect(await service.logFiles()).toHaveLength(20)
}, 60_000)

test('while draining, answers close their connection: a kept-alive client moves to another replica', async () => {
  const service = await startService('data-api', { SHUTDOWN_DRAIN_MS: '2000' })
  const port = Number(new URL(service.url).port)
  let received = ''
  let closed = false
  const socket = await Bun.connect({
    hostname: '127.0.0.1',
    port,
    socket: {
      data: (_, chunk) => {
        received += chunk.toString()
      },
      close: () => {
        closed = true
      },
    },
  })
  const ask = async () => {
    received = ''
    socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n')
    for (let i = 0; i < 50 && !received.includes('"ok"'); i++) await Bun.sleep(20)
    return received.toLowerCase()
  }
  expect(await ask()).not.toContain('connection: close')
  service.proc.kill('SIGTERM')
  await Bun.sleep(100)
  expect(await ask()).toContain('connection: close')
  for (let i = 0; i < 50 && !closed; i++) await Bun.sleep(20)
  expect(closed).toBe(true)
  expect(await service.proc.exited).toBe(0)
}, 60_000)

test('the listener closes after SHUTDOWN_DRAIN_MS', async () => {
  const service = await startService('data-api', { SHUTDOWN_DRAIN_MS: '400' })
  service.proc.kill('SIGTERM')
  await Bun.sleep(150)
  expect((await service.get('/healthz')).status).toBe(200)
  expect(await service.proc.exited).toBe(0)
  expect(await fetch(`${service.url}/healthz`).catch(() => 'closed')).toBe('closed')
}, 60_000)

test('a second signal exits at once', async () => {
  const service = await startService('data-api', { SHUTDOWN_DRAIN_MS: '30000' })
  service.proc.kill('SIGTERM')
  await Bun.sleep(100)
  const started = performance.now()
  expect(await service.stop('SIGINT')).toBe(130)
  expect(performance.now() - started).toBeLessThan(2000)
}, 60_000)

test('the default processing delay is 3 s', async () => {
  const service = await startService('data-api', { PROCESSING_DELAY_MS: '' })
  const started = performance.now()
  expect((await service.get('/')).status).toBe(200)
  const elapsed = performance.now() - started
  expect(elapsed).toBeGreaterThanOrEqual(3000)
  expect(elapsed).toBeLessThan(3500)
  expect(await service.stop()).toBe(0)
}, 60_000)
