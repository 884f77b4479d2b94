import { ofetch } from 'ofetch'
import type { Logger } from '../kit/logger.ts'

export const MAX_BODY_BYTES = 10 * 1024 * 1024

export type Outcome =
  | 'ok'
  | 'rejected'
  | 'upstream_error'
  | 'network_error'
  | 'timeout'
  | 'oversize'
  | 'not_configured'

/** What a download can end in (`not_configured` is decided before any download). */
export type FailedOutcome = Exclude<Outcome, 'ok' | 'not_configured'>

export type DownloadResult =
  | { outcome: 'ok'; body: Uint8Array; attempts: number }
  | { outcome: FailedOutcome; attempts: number; upstreamStatus?: number }

type Attempt = DownloadResult & { retry: boolean }

export interface ClientOptions {
  timeoutMs: number
  retries: number
  maxBytes?: number
  /** First backoff; doubles per retry (plus jitter), capped at 2 s. */
  backoffMs?: number
}

const failed = (outcome: FailedOutcome, retry: boolean, upstreamStatus?: number): Attempt => ({
  outcome,
  retry,
  attempts: 0,
  upstreamStatus,
})

/**
 * Downloads from the external log API. Retries (network errors, timeouts, 429, 5xx) run in this
 * loop, each attempt with a fresh `AbortSignal.timeout()`: ofetch 1.5's own timeout+retry reuses
 * the aborted signal. The body is read as a stream and abandoned past `maxBytes`.
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

  async download(url: string, key: string, env: string): Promise<DownloadResult> {
    const host = URL.parse(url)?.host
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(url, key)
      if (!result.retry || attempt > this.options.retries) {
        const { retry: _, ...final } = result
        return { ...final, attempts: attempt }
      }
      const delay = Math.min(2000, this.backoffMs * 2 ** (attempt - 1)) * (1 + Math.random() / 2)
      this.logger.warn(
        { env, host, attempt, outcome: result.outcome, status: statusOf(result) },
        'external API attempt failed, retrying',
      )
      await Bun.sleep(delay)
    }
  }

  private async attempt(url: string, key: string): Promise<Attempt> {
    const signal = AbortSignal.timeout(this.options.timeoutMs)
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
      return signal.aborted ? failed('timeout', true) : failed('network_error', true)
    }
  }

  private async readCapped(response: Response): Promise<Attempt> {
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > this.maxBytes || !response.body) {
      await response.body?.cancel().catch(() => {})
      return declared > this.maxBytes ? failed('oversize', false) : ok(new Uint8Array())
    }
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of response.body) {
      size += chunk.byteLength
      // Leaving the loop early cancels the stream, so the rest of the body is never downloaded.
      if (size > this.maxBytes) return failed('oversize', false)
      chunks.push(chunk)
    }
    return ok(Buffer.concat(chunks))
  }
}

const statusOf = (result: Attempt) =>
  'upstreamStatus' in result ? result.upstreamStatus : undefined

const ok = (body: Uint8Array): Attempt => ({ outcome: 'ok', body, attempts: 0, retry: false })
