import { expect, test } from 'bun:test'
import { ConfigError } from '../kit/config.ts'
import { DEFAULT_EXTERNAL_URL, readBackendConfig } from './config.ts'

test('defaults: dummy URL for every env, no keys, 5 s deadline, 2 retries', () => {
  const { external, serviceName } = readBackendConfig({})
  expect(serviceName).toBe('backend-api')
  expect(external.timeoutMs).toBe(5000)
  expect(external.retries).toBe(2)
  for (const target of Object.values(external.targets)) {
    expect(target.url).toBe(DEFAULT_EXTERNAL_URL)
    expect(target.key).toBeUndefined()
  }
})

test('per-environment URL and key override the shared URL; keys are trimmed', () => {
  const { external } = readBackendConfig({
    EXTERNAL_API_URL: 'http://shared.example/logs',
    EXTERNAL_API_URL_PRODUCTION: 'https://prod.example/logs',
    EXTERNAL_INTEGRATION_KEY_PRODUCTION: 'k-prod\n',
  })
  expect(external.targets.production).toEqual({
    url: 'https://prod.example/logs',
    key: 'k-prod',
    keyVariable: 'EXTERNAL_INTEGRATION_KEY_PRODUCTION',
    urlVariable: 'EXTERNAL_API_URL_PRODUCTION',
  })
  expect(external.targets.staging.url).toBe('http://shared.example/logs')
  expect(external.targets.staging.urlVariable).toBe('EXTERNAL_API_URL')
})

test('a bad URL is not echoed: it may carry credentials', () => {
  expect(() => readBackendConfig({ EXTERNAL_API_URL: 'ftp://user:hunter2@x' })).not.toThrow(
    /hunter2/,
  )
  expect(() => readBackendConfig({ EXTERNAL_API_URL: 'ftp://user:hunter2@x' })).toThrow(ConfigError)
})

test.each([
  [{ EXTERNAL_API_URL: 'ftp://x' }, 'EXTERNAL_API_URL is invalid: use an http:// or https:// URL'],
  [{ EXTERNAL_API_URL_STAGING: 'nope' }, 'EXTERNAL_API_URL_STAGING is invalid'],
  [
    { EXTERNAL_API_TIMEOUT_MS: '0' },
    'EXTERNAL_API_TIMEOUT_MS="0" is invalid: use a whole number from 1',
  ],
  [
    { EXTERNAL_API_RETRIES: 'many' },
    'EXTERNAL_API_RETRIES="many" is invalid: use a whole number from 0 to 10',
  ],
])('%o is rejected: %s', (env, message) => {
  expect(() => readBackendConfig(env)).toThrow(ConfigError)
  expect(() => readBackendConfig(env)).toThrow(message)
})
