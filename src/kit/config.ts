import { readFileSync } from 'node:fs'
import { parse } from 'dotenv'
import {
  DEFAULT_RETENTION,
  MAX_DOWNLOAD_BYTES,
  type RetentionLimits,
} from './logs/log-retention.ts'

export type Env = Record<string, string | undefined>

/** A start-up problem with one variable: the message names it, its value and what is allowed. */
export class ConfigError extends Error {}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LEVELS)[number]

export interface ServiceConfig {
  port: number
  logDir: string
  processingDelayMs: number
  serviceName: string
  shutdownDrainMs: number
  logLevel: LogLevel
  /** Oldest log files are deleted beyond these (see LogStore). */
  logRetention: RetentionLimits
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number) {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name}="${raw}" is invalid: use a whole number from ${min} to ${max}`)
  }
  return value
}

function readChoice<T extends string>(
  env: Env,
  name: string,
  fallback: T,
  allowed: readonly T[],
): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(`${name}="${raw}" is invalid: use one of ${allowed.join(', ')}`)
  }
  return raw as T
}

export function isHttpUrl(value: unknown): value is string {
  const url = typeof value === 'string' ? URL.parse(value) : null
  return url?.protocol === 'http:' || url?.protocol === 'https:'
}

/** Never echoes the value: a URL may carry credentials in its userinfo or query. */
export function readUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback
  if (!isHttpUrl(raw)) {
    throw new ConfigError(`${name} is invalid: use an http:// or https:// URL such as ${fallback}`)
  }
  return raw
}

function readString(env: Env, name: string, fallback: string): string {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(raw)) {
    throw new ConfigError(
      `${name}="${raw}" is invalid: use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  return raw
}

/** The settings both services share (docs/DESIGN.md, "Service environment"). */
export function readServiceConfig(env: Env, defaultName: string): ServiceConfig {
  return {
    port: readInt(env, 'PORT', 5000, 1, 65535),
    logDir: env.LOG_DIR || '/logs',
    processingDelayMs: readInt(env, 'PROCESSING_DELAY_MS', 3000, 0, 600_000),
    serviceName: readString(env, 'SERVICE_NAME', defaultName),
    shutdownDrainMs: readInt(env, 'SHUTDOWN_DRAIN_MS', 5000, 0, 600_000),
    logLevel: readChoice(env, 'LOG_LEVEL', 'info', LEVELS),
    logRetention: {
      files: readInt(env, 'LOG_RETENTION_FILES', DEFAULT_RETENTION.files, 1, 100_000_000),
      bytes: readInt(env, 'LOG_RETENTION_BYTES', DEFAULT_RETENTION.bytes, 4096, 2 ** 50),
      downloadBytes: readInt(
        env,
        'LOG_RETENTION_DOWNLOAD_BYTES',
        DEFAULT_RETENTION.downloadBytes,
        MAX_DOWNLOAD_BYTES,
        2 ** 50,
      ),
    },
  }
}

/**
 * The process environment, plus the dotenv file named by ENV_FILE for local runs. Variables
 * already set win over the file; the binaries never load a `.env` they were not pointed at.
 */
export function environment(env: Env = process.env): Env {
  const file = env.ENV_FILE
  if (!file) return env
  let text: Buffer
  try {
    text = readFileSync(file)
  } catch (error) {
    throw new ConfigError(`ENV_FILE="${file}" cannot be read (${envFileProblem(error)})`)
  }
  return { ...parse(text), ...env }
}

/** The errno of a failed read, and what to do about it. */
function envFileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'error'
  if (code === 'ENOENT') return `${code}: the file does not exist; fix the path or unset ENV_FILE`
  if (code === 'EISDIR') return `${code}: it is a directory; name a dotenv file or unset ENV_FILE`
  if (code === 'EACCES' || code === 'EPERM') {
    return `${code}: no permission; make the file readable for this user or unset ENV_FILE`
  }
  return `${code}: point ENV_FILE at a readable dotenv file or unset it`
}

/** Reads the configuration or ends the process with one line on stderr and exit code 1. */
export function loadConfig<T>(read: (env: Env) => T): T {
  try {
    return read(environment())
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`configuration error: ${error.message}\n`)
    process.exit(1)
  }
}
