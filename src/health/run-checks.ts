// Runs every check at once, each under its own deadline, so a run lasts as long as its slowest
// check rather than the sum of them.
import { buildInfo } from '../kit/build-info.ts'
import { readCappedBody } from '../kit/capped-body.ts'
import type { Target } from './targets.ts'

export interface CheckOutcome {
  target: Target
  startedAt: Date
  latencyMs: number
  /** Present when the service answered in time. */
  status?: number
  /** The `error` text when the body is a JSON object with one: how our services report a failure. */
  serviceError?: string
  /** Why no answer arrived in time: `timeout`, `interrupted`, or the network error code. */
  error?: string
}

export interface RunOptions {
  timeoutMs: number
  /** Aborts every check still running (SIGTERM from the Job controller). */
  signal?: AbortSignal
}

/** Enough for an error JSON; a larger body is drained no further. */
const BODY_LIMIT = 64 * 1024

const userAgent = `health-check/${buildInfo.version}`

function serviceErrorOf(response: Response, body: Uint8Array | undefined): string | undefined {
  if (body === undefined || !response.headers.get('content-type')?.includes('json'))
    return undefined
  try {
    const error: unknown = (
      JSON.parse(Buffer.from(body).toString('utf8')) as { error?: unknown } | null
    )?.error
    return typeof error === 'string' ? error : undefined
  } catch {
    return undefined
  }
}

function errorName(error: unknown, interrupted: boolean): string {
  if (interrupted) return 'interrupted'
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout'
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code !== '' ? code : 'network error'
}

async function check(target: Target, options: RunOptions): Promise<CheckOutcome> {
  const startedAt = new Date()
  const started = performance.now()
  const deadline = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const response = await fetch(target.url, {
      signal,
      redirect: 'manual',
      headers: { 'user-agent': userAgent, accept: 'application/json, */*' },
    })
    // The body counts against the same deadline: a service that stalls mid-answer is not healthy.
    const body = await readCappedBody(response.body, BODY_LIMIT)
    const { status } = response
    return {
      target,
      startedAt,
      latencyMs: elapsed(),
      status,
      serviceError: serviceErrorOf(response, body),
    }
  } catch (error) {
    const interrupted = options.signal?.aborted === true && !deadline.aborted
    return { target, startedAt, latencyMs: elapsed(), error: errorName(error, interrupted) }
  }
}

export function runChecks(targets: Target[], options: RunOptions): Promise<CheckOutcome[]> {
  return Promise.all(targets.map((target) => check(target, options)))
}
