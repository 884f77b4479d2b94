import { Elysia, t } from 'elysia'
import { ENV_NAMES, EXTERNAL_ENVS } from '../../kit/external-envs.ts'
import { sideEffects } from '../../kit/http/methods.ts'
import {
  errorSchema,
  responses,
  retryAfterFields,
  writeFailureFields,
} from '../../kit/http/schemas.ts'
import type { ServiceDeps } from '../../kit/http/service.ts'
import { downloadsAtOnce } from '../../kit/logs/log-retention.ts'
import type { BackendConfig } from '../config.ts'
import { busy, chooseEnv, FAILURES, noKey } from './download-answers.ts'
import type { ExternalLogsClient } from './external-client.ts'
import { externalCallsCounter } from './external-metrics.ts'

const env = t.String({ examples: ['staging'] })

/** The errors of a download, each with the fields it carries (download-answers.ts builds them). */
const InvalidEnvBody = errorSchema({ allowed: t.Optional(t.Array(t.String())) })
const UpstreamErrorBody = errorSchema({
  env: t.Optional(env),
  attempts: t.Optional(t.Integer({ examples: [3] })),
  upstreamStatus: t.Optional(t.Integer({ examples: [500] })),
  ...retryAfterFields,
})
/** No key for the environment, every download slot taken, or the body could not be stored. */
const UnavailableBody = errorSchema({
  env: t.Optional(env),
  variable: t.Optional(t.String({ examples: ['EXTERNAL_INTEGRATION_KEY_STAGING'] })),
  ...retryAfterFields,
  ...writeFailureFields,
})

export interface ExternalDeps extends ServiceDeps {
  config: BackendConfig
  client: ExternalLogsClient
}

/**
 * `GET /download_external_logs?env=`: fetch the external logs of one environment into a log file.
 * Each download reserves its maximum size in its own retention budget, which bounds how many run
 * at once (memory and /logs volume alike); beyond that: 503 with Retry-After.
 */
export function externalLogsRoutes({ config, client, store, metrics }: ExternalDeps) {
  const calls = externalCallsCounter(metrics.registry)
  const atOnce = downloadsAtOnce(config.logRetention)
  // A slot frees within one download's budget at the latest.
  const busyFor = Math.ceil(config.external.totalTimeoutMs / 1000)
  return new Elysia({ name: 'external-logs' }).use(sideEffects).get(
    '/download_external_logs',
    async ({ request, status, set }) => {
      const choice = chooseEnv(request.url)
      if ('invalid' in choice) return status(400, choice.invalid)
      const { env } = choice
      const target = config.external.targets[env]
      if (!target.key) {
        calls.inc({ env, outcome: 'not_configured' })
        return status(503, noKey(env, target))
      }
      const slot = await store.reserveDownload()
      if (!slot) {
        calls.inc({ env, outcome: 'busy' })
        set.headers['retry-after'] = String(busyFor)
        return status(503, { ...busy(atOnce, busyFor), env })
      }
      const { key, url } = target
      const result = await client
        .download({ url, key, env }, (body) => slot.save(`external-${env}`, body), request.signal)
        .finally(() => slot.release())
      calls.inc({ env, outcome: result.outcome })
      if (result.outcome !== 'ok') {
        const { attempts, upstreamStatus, retryAfterSeconds } = result
        const { code, ...body } = FAILURES[result.outcome](env, target, result)
        if (retryAfterSeconds !== undefined) set.headers['retry-after'] = String(retryAfterSeconds)
        return status(code, { ...body, env, attempts, upstreamStatus, retryAfterSeconds })
      }
      return { env, ...result.saved, attempts: result.attempts }
    },
    {
      sideEffects: true,
      // Documentation only: the handler reads `env` from the URL to catch repeats (see chooseEnv).
      query: t.Object({
        env: t.Optional(
          t.String({
            description: `external environment, exactly once: ${ENV_NAMES.join(', ')}`,
            examples: [...EXTERNAL_ENVS],
          }),
        ),
      }),
      response: responses({
        200: t.Object({
          env: t.UnionEnum([...EXTERNAL_ENVS]),
          file: t.String({
            examples: ['20261126T215244123Z-external-staging-000001-a1b2c3d4.log'],
          }),
          bytes: t.Integer({ examples: [5120] }),
          attempts: t.Integer({ examples: [1] }),
        }),
        400: InvalidEnvBody,
        502: UpstreamErrorBody,
        503: UnavailableBody,
        504: UpstreamErrorBody,
      }),
      detail: {
        tags: ['work'],
        summary: 'Download the external logs of one environment into a new log file',
      },
    },
  )
}
