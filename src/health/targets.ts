// The set of checks: the default one built from the service base URLs, or HEALTH_TARGETS.
import { ConfigError, isHttpUrl } from '../kit/config.ts'
import type { ExternalEnv } from '../kit/external-envs.ts'

export interface Target {
  name: string
  url: string
  /** A failing critical check makes the run exit 1; a non-critical one may only degrade. */
  critical: boolean
  /** HTTP statuses that count as passed. */
  expect: number[]
}

/** Resolves `path` below `base`, keeping a path prefix (`http://gw/backend` + `readyz`). */
function below(base: string, path: string): string {
  const url = new URL(base)
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return new URL(path, url).href
}

export function defaultTargets(backendUrl: string, dataUrl: string, env: ExternalEnv): Target[] {
  const ok = [200]
  return [
    { name: 'Backend API', url: below(backendUrl, ''), critical: true, expect: ok },
    { name: 'Backend readiness', url: below(backendUrl, 'readyz'), critical: true, expect: ok },
    {
      name: 'Download External Logs API',
      url: below(backendUrl, `download_external_logs?env=${env}`),
      critical: false,
      expect: ok,
    },
    { name: 'Data API', url: below(dataUrl, ''), critical: true, expect: ok },
    { name: 'Data readiness', url: below(dataUrl, 'readyz'), critical: true, expect: ok },
  ]
}

const EXAMPLE = '[{"name":"Backend API","url":"http://backend/","critical":true,"expect":200}]'
const KNOWN_KEYS = new Set(['name', 'url', 'critical', 'expect'])

const isStatus = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599

/**
 * Parses HEALTH_TARGETS. Throws a ConfigError whose message is one line saying what to fix; values are
 * never echoed since a URL may carry credentials.
 */
export function parseTargets(json: string): Target[] {
  let list: unknown
  try {
    list = JSON.parse(json)
  } catch {
    throw new ConfigError(`HEALTH_TARGETS is not valid JSON: give a list such as ${EXAMPLE}`)
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(`HEALTH_TARGETS must be a non-empty JSON list such as ${EXAMPLE}`)
  }
  const names = new Set<string>()
  return list.map((item: unknown, i): Target => {
    const where = `HEALTH_TARGETS[${i}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ConfigError(`${where} must be an object such as ${EXAMPLE.slice(1, -1)}`)
    }
    const entry = item as Record<string, unknown>
    const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.has(k))
    if (unknown.length > 0) {
      throw new ConfigError(
        `${where} has unknown key(s) ${unknown.join(', ')}: use name, url, critical, expect`,
      )
    }
    const { name, url, critical = true, expect = 200 } = entry
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ConfigError(`${where}.name must be a non-empty string`)
    }
    if (names.has(name))
      throw new ConfigError(`${where}.name "${name}" is used twice: names must be unique`)
    names.add(name)
    if (!isHttpUrl(url)) throw new ConfigError(`${where}.url must be an http:// or https:// URL`)
    if (typeof critical !== 'boolean')
      throw new ConfigError(`${where}.critical must be true or false`)
    const statuses = Array.isArray(expect) ? expect : [expect]
    if (statuses.length === 0 || !statuses.every(isStatus)) {
      throw new ConfigError(
        `${where}.expect must be an HTTP status (100-599) or a list of them, e.g. 200`,
      )
    }
    return { name, url, critical, expect: statuses }
  })
}
