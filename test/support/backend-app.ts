import { expect } from 'bun:test'
import { createBackendApp } from '../../src/backend/app.ts'
import { readBackendConfig } from '../../src/backend/config.ts'
import { ExternalLogsClient } from '../../src/backend/external/external-client.ts'
import { get, type TestDeps } from './route-deps.ts'

/**
 * The backend app on a test's dependencies, its config read from the same settings plus `env`
 * (backoffs kept short).
 */
export function backendApp(ctx: TestDeps, env: Record<string, string> = {}) {
  const config = readBackendConfig({ ...ctx.settings, ...env })
  const client = new ExternalLogsClient({ ...config.external, backoffMs: 5 }, ctx.deps.logger)
  return createBackendApp({ ...ctx.deps, config, client })
}

/** `GET /download_external_logs<query>`, checking the answer never carries `key`. */
export async function download(app: ReturnType<typeof backendApp>, query: string, key: string) {
  const res = await app.handle(get(`/download_external_logs${query}`))
  const text = await res.text()
  expect(text).not.toContain(key)
  return { status: res.status, body: JSON.parse(text), text }
}
