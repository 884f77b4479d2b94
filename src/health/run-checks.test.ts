import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import {
  type LoopbackServices,
  startLoopbackServices,
} from '../../test/support/loopback-services.ts'
import { freePort } from '../../test/support/processes.ts'
import { CONNECT_GRACE_MS, runChecks } from './run-checks.ts'
import type { Target } from './targets.ts'

let services: LoopbackServices
beforeAll(async () => {
  services = await startLoopbackServices()
})
afterAll(() => services.close())

const target = (name: string, url: string, critical = true): Target => ({
  name,
  url,
  critical,
  expect: [200],
})

describe('runChecks', () => {
  test('records status, JSON error shape, or the network error per check, in target order', async () => {
    const outcomes = await runChecks(
      [
        target('ok', services.url('/ok')),
        target('502 json', services.url('/upstream-502')),
        target('502 html', services.url('/upstream-502-html')),
        target('500', services.url('/error-500')),
        target('huge', services.url('/huge-502')),
        target('redirect', services.url('/redirect')),
        target('refused', services.refusedUrl),
      ],
      { timeoutMs: 1000 },
    )
    expect(outcomes.map((o) => [o.target.name, o.status, o.serviceError, o.error])).toEqual([
      ['ok', 200, undefined, undefined],
      ['502 json', 502, 'external log API failed', undefined],
      ['502 html', 502, undefined, undefined],
      ['500', 500, undefined, undefined],
      ['huge', 502, undefined, undefined],
      ['redirect', 302, undefined, undefined],
      ['refused', undefined, undefined, 'ECONNREFUSED'],
    ])
    expect(services.seen.at(-1)?.get('user-agent')).toStartWith('health-check/')
  })

  test('checks run concurrently, each under its own deadline (headers and body)', async () => {
    const started = performance.now()
    const outcomes = await runChecks(
      [
        target('slow 1', services.url('/slow?ms=400')),
        target('slow 2', services.url('/slow?ms=400')),
        target('slow 3', services.url('/slow?ms=400')),
        target('stall', services.url('/stall')),
        target('stall body', services.url('/stall-body')),
      ],
      { timeoutMs: 700 },
    )
    const took = performance.now() - started
    expect(outcomes.map((o) => o.status ?? o.error)).toEqual([200, 200, 200, 'timeout', 'timeout'])
    expect(outcomes[3]?.latencyMs).toBeGreaterThanOrEqual(690)
    // Sequential would be 3 x 400 + 2 x 700 ms; concurrent is about the slowest deadline.
    expect(took).toBeLessThan(1200)
  })

  test('a check that cannot connect yet is tried again until the service listens', async () => {
    const port = await freePort()
    let server: ReturnType<typeof Bun.serve> | undefined
    setTimeout(() => {
      server = Bun.serve({ hostname: '127.0.0.1', port, fetch: () => new Response('ok') })
    }, 400)
    try {
      const [outcome] = await runChecks([target('late', `http://127.0.0.1:${port}/`)], {
        timeoutMs: 5000,
      })
      expect(outcome?.status).toBe(200)
      expect(outcome?.attempts).toBeGreaterThan(1)
    } finally {
      server?.stop(true)
    }
  })

  test('connection retries stop at the grace period or the deadline, whichever is first', async () => {
    const [outcome] = await runChecks([target('refused', services.refusedUrl)], { timeoutMs: 800 })
    expect(outcome?.error).toBe('ECONNREFUSED')
    expect(outcome?.attempts).toBeGreaterThan(2)
    expect(outcome?.latencyMs).toBeLessThan(Math.min(CONNECT_GRACE_MS, 800) + 100)
  })

  test('an outside abort (SIGTERM) ends running checks as interrupted, not timeout', async () => {
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 100)
    const [outcome] = await runChecks([target('stall', services.url('/stall'))], {
      timeoutMs: 5000,
      signal: stop.signal,
    })
    expect(outcome?.error).toBe('interrupted')
    expect(outcome?.latencyMs).toBeLessThan(1000)
  })
})
