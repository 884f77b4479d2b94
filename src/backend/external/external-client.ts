import { setTimeout as sleep } from 'node:timers/promises'
import {
  ACCEPT_ENCODING,
  BodyTooLarge,
  decodedBody,
  RAW_BODY,
  UnsupportedEncoding,
} from '../../kit/body-reader.ts'
import type { ExternalOutcome } from '../../kit/external-envs.ts'
import type { Logger } from '../../kit/logger.ts'
import { MAX_DOWNLOAD_BYTES } from '../../kit/logs/log-retention.ts'
import { LogWriteError } from '../../kit/logs/log-store.ts'

export const MAX_BODY_BYTES = MAX_DOWNLOAD_BYTES

export type Outcome = ExternalOutcome

/** What a download can end in (`not_configured` and `busy` are decided before any download). */
export type FailedOutcome = Exclude<Outcome, 'ok' | 'not_configured' | 'busy'>

export interface Failed {
  outcome: FailedOutcome
  upstreamStatus?: number
  /** The upstream's Retry-After, in seconds, on the answer we gave up on. */
  retryAfterSeconds?: number
  /** A content-coding the upstream used though we did not offer it. */
  encoding?: string
}

/** How one attempt ended; `T` is what `save` made of the body. */
type Ending<T> = { outcome: 'ok'; saved: T } | Failed

export type DownloadResult<T> = Ending<T> & { attempts: number }

type Attempt<T> = Ending<T> & { retry: boolean; retryAfterMs?: number }

/** Stores a body as it arrives; what it throws that is not the body's own error is rethrown. */
export type Save<T> = (body: AsyncIterable<Uint8Array>) => Promise<T>

export interface ClientOptions {
  timeoutMs: number
  /** Budget across all attempts and backoffs: each attempt gets min(timeoutMs, what is left). */
  totalTimeoutMs: number
  retries: number
  maxBytes?: number
  /** First backoff; doubles per retry (plus jitter), capped at 2 s. */
  backoffMs?: number
}

/** An attempt with less time than this left would only add load on a struggling upstream. */
const MIN_ATTEMPT_MS = 100

const failed = <T>(failure: Failed, retry: boolean): Attempt<T> => ({ ...failure, retry })

/** IMF-fixdate, the HTTP-date senders must use (RFC 9110): `Wed, 02 Dec 2026 00:00:30 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** The longest Retry-After we pass on: beyond a week, a value says only "much later". */
const MAX_RETRY_AFTER_MS = 7 * 86_400_000

/**
 * Retry-After as milliseconds from now, at most a week: delay-seconds or an HTTP-date; undefined
 * if absent or not one of those.
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  let ms: number
  if (/^\d+$/.test(text))
    ms = Number(text) * 1000 // 400 digits: Infinity, capped below
  else if (HTTP_DATE.test(text)) ms = Date.parse(text) - now
  else return undefined
  if (Number.isNaN(ms)) return undefined
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}

/**
 * Downloads from the external log API, streaming the body into `save`. Retries (network errors,
 * timeouts, 429, 5xx) run in this loop, each attempt with a fresh `AbortSignal.timeout()`, and
 * honour the upstream's Retry-After: when it asks for longer than the budget has left, the
 * download ends at once instead of retrying early. The whole download stays within
 * `totalTimeoutMs`, so it ends before the health check's deadline and the shutdown deadline.
 * The body is counted after decoding (gzip only, inflated in bounded steps) and abandoned past
 * `maxBytes`.
 */
export class ExternalLogsClient {
  private readonly maxBytes: number
  private readonly backoffMs: number

  constructor(
    private readonly options: ClientOptions,
    private readonly logger: Logger,
  ) {
    this.maxBytes = options.maxBytes ?? MAX_BODY_BYTES
    this.backoffMs = options.backoffMs ?? 200
  }

  /** `signal`: the incoming request's; a caller who hangs up stops the attempts and retries. */
  async download<T>(
    target: { url: string; key: string; env: string },
    save: Save<T>,
    signal?: AbortSignal,
  ): Promise<DownloadResult<T>> {
    const { url, key, env } = target
    const host = URL.parse(url)?.host
    const deadline = performance.now() + this.options.totalTimeoutMs
    for (let attempt = 1; ; attempt++) {
      // At least 1 ms: a late timer after the wait must not make the attempt's timeout negative.
      const budget = Math.max(1, Math.min(this.options.timeoutMs, deadline - performance.now()))
      const result = await this.attempt(url, key, budget, save, signal)
      const backoff = Math.min(2000, this.backoffMs * 2 ** (attempt - 1)) * (1 + Math.random() / 2)
      const delay = Math.max(backoff, result.retryAfterMs ?? 0)
      const leftAfterDelay = deadline - performance.now() - delay
      if (
        !result.retry ||
        attempt > this.options.retries ||
        leftAfterDelay < MIN_ATTEMPT_MS ||
        signal?.aborted
      ) {
        const { retry: _, retryAfterMs: wait, ...final } = result
        // The upstream asked for time we did not wait: pass it on, so the caller can wait instead.
        const after = wait === undefined ? {} : { retryAfterSeconds: Math.ceil(wait / 1000) }
        return { ...final, attempts: attempt, ...after }
      }
      this.logger.warn(
        { env, host, attempt, outcome: result.outcome, status: statusOf(result), delayMs: delay },
        'external API attempt failed, retrying',
      )
      // A caller who hangs up ends the wait early, and gets what there is: no further attempt.
      await sleep(delay, undefined, { signal }).catch(() => {})
      if (signal?.aborted) {
        const { retry: _, retryAfterMs: __, ...final } = result
        return { ...final, attempts: attempt }
      }
    }
  }

  private async attempt<T>(
    url: string,
    key: string,
    timeoutMs: number,
    save: Save<T>,
    caller: AbortSignal | undefined,
  ): Promise<Attempt<T>> {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = caller ? AbortSignal.any([deadline, caller]) : deadline
    let response: Response
    try {
      response = await fetch(url, {
        ...RAW_BODY,
        headers: {
          authorization: `Bearer ${key}`,
          accept: 'application/json, text/plain, */*',
          'accept-encoding': ACCEPT_ENCODING,
        },
        signal,
        redirect: 'manual', // a redirect must not carry the key to another host
      })
    } catch {
      // A caller who hung up gets no answer; `timeout` is the closest outcome for the metric.
      return failed({ outcome: signal.aborted ? 'timeout' : 'network_error' }, true)
    }
    const { status } = response
    if (status < 200 || status > 299) {
      await response.body?.cancel().catch(() => {})
      if (status === 401 || status === 403) {
        return failed({ outcome: 'rejected', upstreamStatus: status }, false)
      }
      const retry = status === 429 || status >= 500
      const after = retry ? retryAfterMs(response.headers.get('retry-after')) : undefined
      return {
        ...failed({ outcome: 'upstream_error', upstreamStatus: status }, retry),
        retryAfterMs: after,
      }
    }
    const declared = Number(response.headers.get('content-length') ?? 0)
    const coding = response.headers.get('content-encoding')
    if (declared > this.maxBytes && !coding) {
      await response.body?.cancel().catch(() => {})
      return failed({ outcome: 'oversize' }, false)
    }
    try {
      return {
        outcome: 'ok',
        saved: await save(decodedBody(response, this.maxBytes)),
        retry: false,
      }
    } catch (error) {
      if (error instanceof BodyTooLarge) return failed({ outcome: 'oversize' }, false)
      if (error instanceof UnsupportedEncoding) {
        return failed(
          { outcome: 'upstream_error', upstreamStatus: status, encoding: error.encoding },
          false,
        )
      }
      // A body the save never started reading (its file could not be opened) is cancelled here;
      // one it was reading, by the save closing its stream.
      await response.body?.cancel().catch(() => {})
      if (error instanceof LogWriteError) throw error // answered 503 by the error handler
      // The body itself failed: a cut connection, the deadline, corrupt gzip.
      return failed({ outcome: signal.aborted ? 'timeout' : 'network_error' }, true)
    }
  }
}

const statusOf = (result: Failed | { outcome: 'ok' }) =>
  'upstreamStatus' in result ? result.upstreamStatus : undefined
