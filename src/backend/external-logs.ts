import { Elysia, t } from 'elysia'
import { Counter } from 'prom-client'
import { LogWriteError } from '../kit/log-store.ts'
import { ErrorBody } from '../kit/schemas.ts'
import type { ServiceDeps } from '../kit/service.ts'
import { writeFailure } from '../kit/work-routes.ts'
import { type BackendConfig, ENV_ALIASES, ENVIRONMENTS, type ExternalEnv } from './config.ts'
import { type ExternalLogsClient, type FailedOutcome, MAX_BODY_BYTES } from './external-client.ts'

export interface ExternalDeps extends ServiceDeps {
  config: BackendConfig
  client: ExternalLogsClient
}

const ALLOWED = Object.keys(ENV_ALIASES)

type Failure = { code: 502 | 504; error: string; hint: string }

/** The answer for each failed download: status, what went wrong and what to do next. */
const FAILURES: Record<FailedOutcome, (env: ExternalEnv, upstream?: number) => Failure> = {
  rejected: (env) => ({
    code: 502,
    error: `external API rejected the integration key for ${env}`,
    hint: `check EXTERNAL_INTEGRATION_KEY_${env.toUpperCase()} (the Secret) and restart the pods`,
  }),
  upstream_error: (env, upstream) => ({
    code: 502,
    error: `external API answered ${upstream} for ${env}`,
    hint: 'retry later; if it persists, check the external API status',
  }),
  timeout: (env) => ({
    code: 504,
    error: `external API did not answer within the deadline for ${env}`,
    hint: 'retry later, or raise EXTERNAL_API_TIMEOUT_MS',
  }),
  oversize: (env) => ({
    code: 502,
    error: `external API response for ${env} exceeds ${MAX_BODY_BYTES} bytes`,
    hint: 'ask the external API for a smaller export',
  }),
  network_error: (env) => ({
    code: 502,
    error: `could not reach the external API for ${env}`,
    hint: 'check EXTERNAL_API_URL, DNS and egress network policy, then retry',
  }),
}

/** `GET /download_external_logs?env=`: fetch the external logs of one environment into a log file. */
export function externalLogsRoutes({ config, client, store, metrics }: ExternalDeps) {
  const calls = new Counter({
    name: 'external_api_requests_total',
    help: 'Calls to the external log API, by environment and outcome',
    labelNames: ['env', 'outcome'],
    registers: [metrics.registry],
  })
  return new Elysia({ name: 'external-logs' }).get(
    '/download_external_logs',
    async ({ query, status }) => {
      const env = ENV_ALIASES[(query.env ?? '').toLowerCase()]
      if (!env) {
        return status(400, {
          error: `Invalid environment "${query.env ?? ''}": use one of ${ALLOWED.join(', ')}`,
          allowed: ALLOWED,
          hint: 'call /download_external_logs?env=development',
        })
      }
      const target = config.external.targets[env]
      if (!target.key) {
        calls.inc({ env, outcome: 'not_configured' })
        return status(503, {
          error: `no integration key configured for ${env}`,
          env,
          variable: target.keyVariable,
          hint: `set ${target.keyVariable} (from a Secret) and restart the service`,
        })
      }
      const result = await client.download(target.url, target.key, env)
      calls.inc({ env, outcome: result.outcome })
      if (result.outcome !== 'ok') {
        const { attempts, upstreamStatus } = result
        const { code, ...body } = FAILURES[result.outcome](env, upstreamStatus)
        return status(code, { ...body, env, attempts, upstreamStatus })
      }
      try {
        const file = await store.write(`external-${env}`, result.body)
        return { env, file, bytes: result.body.byteLength, attempts: result.attempts }
      } catch (error) {
        if (error instanceof LogWriteError) return status(503, writeFailure(error))
        throw error
      }
    },
    {
      query: t.Object({
        env: t.Optional(
          t.String({
            description: `external environment: ${ALLOWED.join(', ')}`,
            examples: [...ENVIRONMENTS],
          }),
        ),
      }),
      response: {
        200: t.Object({
          env: t.UnionEnum([...ENVIRONMENTS]),
          file: t.String({
            examples: ['20261126T215244123Z-external-staging-000001-a1b2c3d4.log'],
          }),
          bytes: t.Integer({ examples: [5120] }),
          attempts: t.Integer({ examples: [1] }),
        }),
        400: ErrorBody,
        502: ErrorBody,
        503: ErrorBody,
        504: ErrorBody,
      },
      detail: {
        tags: ['work'],
        summary: 'Download the external logs of one environment into a new log file',
      },
    },
  )
}
