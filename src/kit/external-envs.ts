// The external log API's environments: one list for the backend (routes, keys) and the health
// check (HEALTH_EXTERNAL_ENV). Plain data, so the health program pulls in nothing of Elysia.
import { ConfigError, type Env } from './config.ts'

export const EXTERNAL_ENVS = ['development', 'staging', 'production'] as const
export type ExternalEnv = (typeof EXTERNAL_ENVS)[number]

/** How a call to the external log API ends (the `outcome` label of external_api_requests_total). */
export const EXTERNAL_OUTCOMES = [
  'ok',
  'rejected',
  'upstream_error',
  'network_error',
  'timeout',
  'oversize',
  'not_configured',
  'busy',
] as const
export type ExternalOutcome = (typeof EXTERNAL_OUTCOMES)[number]

/** Short names people type, mapped to the canonical environment. */
export const ENV_ALIASES: Readonly<Record<string, ExternalEnv>> = {
  development: 'development',
  dev: 'development',
  staging: 'staging',
  stage: 'staging',
  production: 'production',
  prod: 'production',
}

/** Every name accepted (lower case), canonical ones and aliases, for messages and docs. */
export const ENV_NAMES = Object.keys(ENV_ALIASES)

/** The canonical environment for a name or alias (any case), or undefined. */
export function externalEnvOf(name: string): ExternalEnv | undefined {
  const lower = name.toLowerCase()
  return Object.hasOwn(ENV_ALIASES, lower) ? ENV_ALIASES[lower] : undefined
}

/** Reads an environment name or alias from the variable `name`; empty means `fallback`. */
export function readExternalEnv(env: Env, name: string, fallback: ExternalEnv): ExternalEnv {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = externalEnvOf(raw)
  if (!value) {
    throw new ConfigError(`${name}="${raw}" is invalid: use one of ${ENV_NAMES.join(', ')}`)
  }
  return value
}
