import { expect, test } from 'bun:test'
import { createLogger } from '../logger.ts'
import { shutdownHandler } from './shutdown.ts'

function harness(stopServer: () => Promise<void>, drainMs = 30, stopDeadlineMs = 200) {
  const events: string[] = []
  const lifecycle = { draining: false }
  const logger = createLogger('t', 'silent')
  const exited = Promise.withResolvers<number>()
  const onSignal = shutdownHandler({
    lifecycle,
    logger,
    drainMs,
    stopDeadlineMs,
    stopServer: async () => {
      events.push(`stop (draining=${lifecycle.draining})`)
      await stopServer()
    },
    exit: (code) => exited.resolve(code),
  })
  return { onSignal, lifecycle, events, exited: exited.promise }
}

test('SIGTERM: readiness off at once, the listener closes only after the drain, exit 0', async () => {
  const h = harness(async () => {})
  const started = performance.now()
  const done = h.onSignal('SIGTERM')
  expect(h.lifecycle.draining).toBe(true)
  expect(h.events).toEqual([])
  expect(await h.exited).toBe(0)
  await done
  expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  expect(h.events).toEqual(['stop (draining=true)'])
})

test('requests still running at the hard deadline -> exit 1 instead of hanging', async () => {
  const h = harness(() => new Promise(() => {}), 0, 50)
  void h.onSignal('SIGTERM')
  expect(await h.exited).toBe(1)
})

test('a second signal exits at once', async () => {
  const h = harness(async () => {}, 10_000)
  void h.onSignal('SIGTERM')
  void h.onSignal('SIGINT')
  expect(await h.exited).toBe(130)
})
