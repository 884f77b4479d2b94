// Runs every check at once, each under its own deadline, so a run lasts as long as its slowest
// check rather than the sum of them.

import { ACCEPT_ENCODING, RAW_BODY, readCappedBody } from '../kit/body-reader.ts'
import { buildInfo } from '../kit/build-info.ts'
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
  /** Connection attempts made (more than 1 when the first could not connect; see CONNECT_GRACE_MS). */
  attempts: number
}

export interface RunOptions {
  timeoutMs: number
  /** Aborts every check still running (SIGTERM from the Job controller). */
  signal?: AbortSignal
}

/**
 * Errors that mean the request never reached the service, so trying again cannot repeat any work
 * (`/` writes a log file). A Job's pod is started before the network plugin has programmed the
 * NetworkPolicy rules that admit it: seen on the e2e cluster (kube-router) as ECONNREFUSED from
 * both services for the first second of the pod's life, failing every run. Such checks are tried
 * again, for at most CONNECT_GRACE_MS after the check started and within its deadline.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND'])
export const CONNECT_GRACE_MS = 5000
const FIRST_BACKOFF_MS = 100

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
  const graceEnds = Math.min(CONNECT_GRACE_MS, options.timeoutMs)
  for (let attempts = 1; ; attempts++) {
    try {
      const response = await fetch(target.url, {
        ...RAW_BODY,
        signal,
        redirect: 'manual',
        headers: {
          'user-agent': userAgent,
          accept: 'application/json, */*',
          'accept-encoding': ACCEPT_ENCODING,
        },
      })
      // The body counts against the same deadline: a service that stalls mid-answer is not
      // healthy. Decoded bytes count against the limit: a compressing target cannot inflate more.
      const body = await readCappedBody(response, BODY_LIMIT)
      const { status } = response
      return {
        target,
        startedAt,
        latencyMs: elapsed(),
        status,
        serviceError: serviceErrorOf(response, body),
        attempts,
      }
    } catch (error) {
      const interrupted = options.signal?.aborted === true && !deadline.aborted
      const name = errorName(error, interrupted)
      const backoff = FIRST_BACKOFF_MS * 2 ** (attempts - 1)
      if (!NOT_CONNECTED.has(name) || elapsed() + backoff >= graceEnds || signal.aborted) {
        return { target, startedAt, latencyMs: elapsed(), error: name, attempts }
      }
      await Bun.sleep(backoff)
    }
  }
}

export function runChecks(targets: Target[], options: RunOptions): Promise<CheckOutcome[]> {
  return Promise.all(targets.map((target) => check(target, options)))
}
