// Every error answer of `GET /download_external_logs`, one constructor each, with what to do next.
import { ENV_NAMES, type ExternalEnv, externalEnvOf } from '../../kit/external-envs.ts'
import type { ExternalTarget } from '../config.ts'
import { type Failed, type FailedOutcome, MAX_BODY_BYTES } from './external-client.ts'

/** A value short and plain enough to quote back; anything else is described, never echoed. */
const PLAIN = /^[\w.~-]{1,32}$/

const invalid = (problem: string) => ({
  error: `Invalid environment ${problem}: use one of ${ENV_NAMES.join(', ')}`,
  allowed: ENV_NAMES,
  hint: 'call /download_external_logs?env=development (env exactly once)',
})

/**
 * The environment a request asks for, or the 400 body saying why there is none. Read from the URL
 * itself: Elysia's parsed query keeps only the last of repeated keys, and `env=dev&env=prod` must
 * not silently pick one.
 */
export function chooseEnv(
  url: string,
): { env: ExternalEnv } | { invalid: ReturnType<typeof invalid> } {
  const given = new URL(url).searchParams.getAll('env')
  const [value = ''] = given
  if (given.length > 1) return { invalid: invalid(`(env is given ${given.length} times)`) }
  if (value === '') return { invalid: invalid('(env is missing)') }
  const env = externalEnvOf(value)
  if (env) return { env }
  const shown = PLAIN.test(value) ? `"${value}"` : `(value of length ${value.length}, not shown)`
  return { invalid: invalid(shown) }
}

type Failure = { code: 502 | 504; error: string; hint: string }

function upstreamHint(target: ExternalTarget, failure: Failed): string {
  const upstream = failure.upstreamStatus
  if (failure.encoding) {
    return `the external API (${target.urlVariable}) must answer uncompressed or gzip, the only coding we accept`
  }
  if (failure.retryAfterSeconds !== undefined) {
    return `the external API asks to wait ${failure.retryAfterSeconds} s (Retry-After): retry after that`
  }
  if (upstream !== undefined && upstream >= 300 && upstream < 400) {
    return `set ${target.urlVariable} to the final URL: redirects are not followed, so the key never leaves the configured host`
  }
  if (upstream === 404 || upstream === 405 || upstream === 410) {
    return `check ${target.urlVariable}: the external API has no log export at that URL`
  }
  return 'retry later; if it persists, check the external API status'
}

/** The answer for each failed download: status, what went wrong and what to do next. */
export const FAILURES: Record<
  FailedOutcome,
  (env: ExternalEnv, target: ExternalTarget, failure: Failed) => Failure
> = {
  rejected: (env, target) => ({
    code: 502,
    error: `external API rejected the integration key for ${env}`,
    hint: `check ${target.keyVariable} (the Secret) and restart the pods`,
  }),
  upstream_error: (env, target, failure) => ({
    code: 502,
    error: failure.encoding
      ? `external API answered ${env}'s logs with content-encoding ${failure.encoding}, which we did not ask for`
      : `external API answered ${failure.upstreamStatus} for ${env}`,
    hint: upstreamHint(target, failure),
  }),
  timeout: (env) => ({
    code: 504,
    error: `external API did not answer within the deadline for ${env}`,
    hint: 'retry later, or raise EXTERNAL_API_TIMEOUT_MS (per attempt) and EXTERNAL_API_TOTAL_TIMEOUT_MS',
  }),
  oversize: (env) => ({
    code: 502,
    error: `external API response for ${env} exceeds ${MAX_BODY_BYTES} bytes`,
    hint: 'ask the external API for a smaller export',
  }),
  network_error: (env, target) => ({
    code: 502,
    error: `could not reach the external API for ${env}`,
    hint: `check ${target.urlVariable}, DNS and the egress network policy, then retry`,
  }),
}

/** The 503 for an environment whose integration key is not set. */
export const noKey = (env: ExternalEnv, target: ExternalTarget) => ({
  error: `no integration key configured for ${env}`,
  env,
  variable: target.keyVariable,
  hint: `set ${target.keyVariable} (from a Secret) and restart the service`,
})

/** The 503 for a download beyond the ones the retention budget holds at once. */
export function busy(atOnce: number, retryAfterSeconds: number) {
  return {
    error: `${atOnce} external log downloads are in progress, as many as LOG_RETENTION_DOWNLOAD_BYTES holds`,
    hint: `retry after ${retryAfterSeconds} s (Retry-After), or raise LOG_RETENTION_DOWNLOAD_BYTES with the /logs volume`,
    retryAfterSeconds,
  }
}
