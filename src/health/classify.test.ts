import { describe, expect, test } from 'bun:test'
import { classify, exitCodeFor } from './classify.ts'
import type { CheckOutcome } from './run-checks.ts'

const outcome = (part: Partial<CheckOutcome>, critical = true): CheckOutcome => ({
  target: { name: 'Backend API', url: 'http://u:pw@backend/', critical, expect: [200] },
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  latencyMs: 12,
  attempts: 1,
  ...part,
})

describe('classify', () => {
  test.each([
    ['expected status', { status: 200 }, true, 'PASS'],
    [
      '502 JSON error on a non-critical check',
      { status: 502, serviceError: 'external API answered 500' },
      false,
      'DEGRADED',
    ],
    [
      '504 JSON error on a non-critical check',
      { status: 504, serviceError: 'external API answered 500' },
      false,
      'DEGRADED',
    ],
    [
      '502 JSON error on a critical check',
      { status: 502, serviceError: 'external API answered 500' },
      true,
      'FAIL',
    ],
    ['502 without JSON error', { status: 502 }, false, 'FAIL'],
    [
      '500 JSON error (not an upstream status)',
      { status: 500, serviceError: 'external API answered 500' },
      false,
      'FAIL',
    ],
    ['unexpected 404', { status: 404, serviceError: 'external API answered 500' }, false, 'FAIL'],
    ['refused', { error: 'ECONNREFUSED' }, false, 'FAIL'],
    ['timeout', { error: 'timeout' }, true, 'FAIL'],
  ] as const)('%s -> %s', (_, part, critical, result) => {
    expect(classify(outcome(part, critical), 1000).result).toBe(result)
  })

  test('the report carries the phrase, the status or the error, and no credentials', () => {
    const passed = classify(outcome({ status: 200 }), 1000)
    expect(passed).toEqual({
      time: '2026-01-02T03:04:05.678Z',
      result: 'PASS',
      name: 'Backend API',
      url: 'http://backend/',
      critical: true,
      status: 200,
      latencyMs: 12,
      message: 'Health check passed',
    })
    const failed = classify(outcome({ error: 'timeout' }), 1500)
    expect(failed).toMatchObject({ error: 'timeout', message: 'Health check failed' })
    expect(failed.detail).toContain('1500 ms')
    expect(failed).not.toHaveProperty('status')
    expect(
      classify(outcome({ status: 503, serviceError: 'external API answered 500' }, false), 1)
        .message,
    ).toBe('Health check degraded')
  })

  test("a failure in the service's own JSON format is quoted, cut to one short line", () => {
    const short = classify(outcome({ status: 503, serviceError: 'no integration key' }, false), 1)
    expect(short.detail).toBe('expected 200; the service says: no integration key')
    const long = classify(outcome({ status: 502, serviceError: 'x'.repeat(500) }, false), 1)
    expect(long.detail?.length).toBeLessThan(160)
    expect(long.detail).toEndWith('...')
  })

  test('exit code 0 needs every critical check passed; degraded non-critical is fine', () => {
    const pass = classify(outcome({ status: 200 }), 1)
    const degraded = classify(
      outcome({ status: 502, serviceError: 'external API answered 500' }, false),
      1,
    )
    const optionalFail = classify(outcome({ error: 'ECONNREFUSED' }, false), 1)
    const criticalFail = classify(outcome({ status: 500 }), 1)
    expect(exitCodeFor([pass, degraded, optionalFail])).toBe(0)
    expect(exitCodeFor([pass, criticalFail])).toBe(1)
  })
})
