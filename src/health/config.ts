// The health program's settings, all from the environment (names and defaults: docs/DESIGN.md).
import { resolve } from 'node:path'
import { ConfigError, type Env, readInt, readUrl } from '../kit/config.ts'
import { readExternalEnv } from '../kit/external-envs.ts'
import { defaultTargets, parseTargets, type Target } from './targets.ts'

export interface LogSettings {
  file: string
  maxBytes: number
  keep: number
}

export interface HealthConfig {
  targets: Target[]
  timeoutMs: number
  log: LogSettings
}

/** Where the log lives and how it rotates: all that `health-check show` needs. */
export function loadLogSettings(env: Env): LogSettings {
  const file = env.HEALTH_LOG_FILE || '/var/log/health_check.log'
  if (file.endsWith('/')) {
    throw new ConfigError(
      `HEALTH_LOG_FILE="${file}" is invalid: name a file, not a directory, e.g. /var/log/health_check.log`,
    )
  }
  return {
    file: resolve(file),
    maxBytes: readInt(env, 'HEALTH_LOG_MAX_BYTES', 1024 * 1024, 1, 2 ** 40),
    keep: readInt(env, 'HEALTH_LOG_KEEP', 5, 0, 1000),
  }
}

/** Throws the kit's ConfigError, with one line saying what to change, on any bad value. */
export function loadHealthConfig(env: Env): HealthConfig {
  const timeoutMs = readInt(env, 'HEALTH_TIMEOUT_MS', 10_000, 1, 3_600_000)
  const log = loadLogSettings(env)
  if (env.HEALTH_TARGETS?.trim()) {
    return { targets: parseTargets(env.HEALTH_TARGETS), timeoutMs, log }
  }
  const externalEnv = readExternalEnv(env, 'HEALTH_EXTERNAL_ENV', 'development')
  const backend = readUrl(env, 'BACKEND_URL', 'http://backend-api-service-unique.backend-namespace')
  const data = readUrl(env, 'DATA_URL', 'http://data-api-service-unique.data-namespace')
  return { targets: defaultTargets(backend, data, externalEnv), timeoutMs, log }
}
