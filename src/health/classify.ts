// Turns what a check saw into PASS / DEGRADED / FAIL and the record that is printed and logged.
import { publicUrl } from './public-url.ts'
import type { CheckOutcome } from './run-checks.ts'

export type Verdict = 'PASS' | 'DEGRADED' | 'FAIL'

export interface CheckReport {
  time: string
  result: Verdict
  name: string
  url: string
  critical: boolean
  status?: number
  error?: string
  latencyMs: number
  /** Why it did not pass, in a few words. */
  detail?: string
  message: `Health check ${'passed' | 'degraded' | 'failed'}`
}

/** Statuses with which our services report that something behind them failed. */
const UPSTREAM_FAILURE = new Set([502, 503, 504])

const MESSAGES = {
  PASS: 'Health check passed',
  DEGRADED: 'Health check degraded',
  FAIL: 'Health check failed',
} as const

/** What an operator should look at when a service did not answer at all. */
function noAnswer(error: string | undefined, timeoutMs: number): string {
  if (error === 'timeout') return `no answer within ${timeoutMs} ms (HEALTH_TIMEOUT_MS)`
  if (error === 'interrupted') return 'the run was stopped (SIGTERM) before an answer came'
  if (error === 'ECONNREFUSED')
    return 'connection refused: is the service running, is the port right?'
  if (error === 'ENOTFOUND') return 'host not found: check the service DNS name in the URL'
  return 'no answer: check the URL and the network path to the service'
}

/** Our services' error texts name no secret; still, a long one is cut so the line stays a line. */
const said = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text)

function judge(outcome: CheckOutcome, timeoutMs: number): { result: Verdict; detail?: string } {
  const { target, status, error, serviceError } = outcome
  if (status === undefined) {
    const tries = outcome.attempts > 1 ? ` (${outcome.attempts} attempts)` : ''
    return { result: 'FAIL', detail: `${noAnswer(error, timeoutMs)}${tries}` }
  }
  if (target.expect.includes(status)) return { result: 'PASS' }
  const expected = `expected ${target.expect.join(' or ')}`
  if (serviceError === undefined) {
    return {
      result: 'FAIL',
      detail: status >= 500 ? `${expected}, body is not a JSON error` : expected,
    }
  }
  // A 502/503/504 in the service's own error format: the service is up, what is behind it is not.
  const degraded = UPSTREAM_FAILURE.has(status) && !target.critical
  return {
    result: degraded ? 'DEGRADED' : 'FAIL',
    detail: `${expected}; the service says: ${said(serviceError)}`,
  }
}

export function classify(outcome: CheckOutcome, timeoutMs: number): CheckReport {
  const { result, detail } = judge(outcome, timeoutMs)
  return {
    time: outcome.startedAt.toISOString(),
    result,
    name: outcome.target.name,
    url: publicUrl(outcome.target.url),
    critical: outcome.target.critical,
    ...(outcome.status === undefined
      ? { error: outcome.error ?? 'network error' }
      : { status: outcome.status }),
    latencyMs: outcome.latencyMs,
    ...(detail ? { detail } : {}),
    message: MESSAGES[result],
  }
}

/** 0 when every critical check passed, else 1 (what `kubectl get jobs` and alerts go by). */
export function exitCodeFor(reports: CheckReport[]): 0 | 1 {
  return reports.every((r) => !r.critical || r.result === 'PASS') ? 0 : 1
}
