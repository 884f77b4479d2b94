import { type Env, readInt, readServiceConfig, readUrl, type ServiceConfig } from '../kit/config.ts'

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const
export type ExternalEnv = (typeof ENVIRONMENTS)[number]

/** Short names people type, mapped to the canonical environment. */
export const ENV_ALIASES: Record<string, ExternalEnv> = {
  development: 'development',
  dev: 'development',
  staging: 'staging',
  stage: 'staging',
  production: 'production',
  prod: 'production',
}

export interface ExternalTarget {
  url: string
  /** Secret: never logged, returned, used as a metric label or documented. */
  key: string | undefined
  keyVariable: string
}

export interface BackendConfig extends ServiceConfig {
  external: {
    targets: Record<ExternalEnv, ExternalTarget>
    timeoutMs: number
    retries: number
  }
}

export const DEFAULT_EXTERNAL_URL = 'https://external-logs.example.invalid/v1/logs'

export function readBackendConfig(env: Env): BackendConfig {
  const fallbackUrl = readUrl(env, 'EXTERNAL_API_URL', DEFAULT_EXTERNAL_URL)
  const target = (name: ExternalEnv): ExternalTarget => {
    const suffix = name.toUpperCase()
    const keyVariable = `EXTERNAL_INTEGRATION_KEY_${suffix}`
    return {
      url: readUrl(env, `EXTERNAL_API_URL_${suffix}`, fallbackUrl),
      key: env[keyVariable]?.trim() || undefined,
      keyVariable,
    }
  }
  return {
    ...readServiceConfig(env, 'backend-api'),
    external: {
      targets: {
        development: target('development'),
        staging: target('staging'),
        production: target('production'),
      },
      timeoutMs: readInt(env, 'EXTERNAL_API_TIMEOUT_MS', 5000, 1, 600_000),
      retries: readInt(env, 'EXTERNAL_API_RETRIES', 2, 0, 10),
    },
  }
}
