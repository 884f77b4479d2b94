import { setTimeout as sleep } from 'node:timers/promises'
import { ofetch } from 'ofetch'
import { readCappedBody } from '../kit/capped-body.ts'
import type { ExternalOutcome } from '../kit/external-envs.ts'
import type { Logger } from '../kit/logger.ts'

export const MAX_BODY_BYTES = 10 * 1024 * 1024

export type Outcome = ExternalOutcome

/** What a download can end in (`not_configured` is decided before any download). */
export type FailedOutcome = Exclude<Outcome, 'ok' | 'not_configured'>

/** How one attempt ended. */
type Ending =
  | { outcome: 'ok'; body: Uint8Array }
  | { outcome: FailedOutcome; upstreamStatus?: number }

export type DownloadResult = Ending & { attempts: number }

type Attempt = Ending & { retry: boolean }

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

const failed = (outcome: FailedOutcome, retry: boolean, upstreamStatus?: number): Attempt => ({
  outcome,
  retry,
  upstreamStatus,
})

/**
 * Downloads from the external log API. Retries (network errors, timeouts, 429, 5xx) run in this
 * loop, each attempt with a fresh `AbortSignal.timeout()`: ofetch 1.5's own timeout+retry reuses
 * the aborted signal. The whole download stays within `totalTimeoutMs`, so it ends before the
 * health check's deadline and the shutdown deadline. The body is abandoned past `maxBytes`.
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
  async download(
    url: string,
    key: string,
    env: string,
    signal?: AbortSignal,
  ): Promise<DownloadResult> {
    const host = URL.parse(url)?.host
    const deadline = performance.now() + this.options.totalTimeoutMs
    for (let attempt = 1; ; attempt++) {
      const budget = Math.min(this.options.timeoutMs, deadline - performance.now())
      const result = await this.attempt(url, key, budget, signal)
      const delay = Math.min(2000, this.backoffMs * 2 ** (attempt - 1)) * (1 + Math.random() / 2)
      const leftAfterBackoff = deadline - performance.now() - delay
      if (
        !result.retry ||
        attempt > this.options.retries ||
        leftAfterBackoff < MIN_ATTEMPT_MS ||
        signal?.aborted
      ) {
        const { retry: _, ...final } = result
        return { ...final, attempts: attempt }
      }
      this.logger.warn(
        { env, host, attempt, outcome: result.outcome, status: statusOf(result) },
        'external API attempt failed, retrying',
      )
      // A caller who hangs up ends the backoff early; the loop then returns what it has.
      await sleep(delay, undefined, { signal }).catch(() => {})
    }
  }

  private async attempt(
    url: string,
    key: string,
    timeoutMs: number,
    caller: AbortSignal | undefined,
  ): Promise<Attempt> {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = caller ? AbortSignal.any([deadline, caller]) : deadline
    try {
      const response = await ofetch.raw(url, {
        headers: { authorization: `Bearer ${key}`, accept: 'application/json, text/plain, */*' },
        signal,
        retry: 0,
        redirect: 'manual', // a redirect must not carry the key to another host
        responseType: 'stream',
        ignoreResponseError: true,
      })
      const { status } = response
      if (status < 200 || status > 299) {
        await response.body?.cancel().catch(() => {})
        if (status === 401 || status === 403) return failed('rejected', false, status)
        return failed('upstream_error', status === 429 || status >= 500, status)
      }
      return await this.readCapped(response)
    } catch {
      // A caller who hung up gets no answer; `timeout` is the closest outcome for the metric.
      return signal.aborted ? failed('timeout', true) : failed('network_error', true)
    }
  }

  private async readCapped(response: Response): Promise<Attempt> {
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > this.maxBytes) {
      await response.body?.cancel().catch(() => {})
      return failed('oversize', false)
    }
    const body = await readCappedBody(response.body, this.maxBytes)
    return body ? ok(body) : failed('oversize', false)
  }
}

const statusOf = (result: Attempt) =>
  'upstreamStatus' in result ? result.upstreamStatus : undefined

const ok = (body: Uint8Array): Attempt => ({ outcome: 'ok', body, retry: false })
