import { type Env, readInt, readServiceConfig, readUrl, type ServiceConfig } from '../kit/config.ts'
import type { ExternalEnv } from '../kit/external-envs.ts'

export interface ExternalTarget {
  url: string
  /** Secret: never logged, returned, used as a metric label or documented. */
  key: string | undefined
  keyVariable: string
  /** The variable this URL came from, for hints: the per-environment one or the shared one. */
  urlVariable: string
}

export interface BackendConfig extends ServiceConfig {
  external: {
    targets: Record<ExternalEnv, ExternalTarget>
    timeoutMs: number
    /** Budget of one download across all attempts and backoffs. */
    totalTimeoutMs: number
    retries: number
  }
}

export const DEFAULT_EXTERNAL_URL = 'https://external-logs.example.invalid/v1/logs'

export function readBackendConfig(env: Env): BackendConfig {
  const fallbackUrl = readUrl(env, 'EXTERNAL_API_URL', DEFAULT_EXTERNAL_URL)
  const target = (name: ExternalEnv): ExternalTarget => {
    const suffix = name.toUpperCase()
    const keyVariable = `EXTERNAL_INTEGRATION_KEY_${suffix}`
    const ownUrl = `EXTERNAL_API_URL_${suffix}`
    return {
      url: readUrl(env, ownUrl, fallbackUrl),
      key: env[keyVariable]?.trim() || undefined,
      keyVariable,
      urlVariable: env[ownUrl] ? ownUrl : 'EXTERNAL_API_URL',
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
      totalTimeoutMs: readInt(env, 'EXTERNAL_API_TOTAL_TIMEOUT_MS', 8000, 1, 600_000),
      retries: readInt(env, 'EXTERNAL_API_RETRIES', 2, 0, 10),
    },
  }
}

/** The backend's longest request: a download, bounded by its budget across all attempts. */
export const longestRequestMs = (config: BackendConfig): number => config.external.totalTimeoutMs
