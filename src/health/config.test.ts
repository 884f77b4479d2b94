import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../kit/config.ts'
import { loadHealthConfig, loadLogSettings } from './config.ts'

const configError = (env: Record<string, string>): string => {
  try {
    loadHealthConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('loadHealthConfig', () => {
  test('defaults are the in-cluster service names and the documented settings', () => {
    const config = loadHealthConfig({})
    expect(config.timeoutMs).toBe(10_000)
    expect(config.log).toEqual({ file: '/var/log/health_check.log', maxBytes: 1048576, keep: 5 })
    expect(config.targets.map((t) => [t.name, t.url, t.critical])).toEqual([
      ['Backend API', 'http://backend-api-service-unique.backend-namespace/', true],
      ['Backend readiness', 'http://backend-api-service-unique.backend-namespace/readyz', true],
      [
        'Download External Logs API',
        'http://backend-api-service-unique.backend-namespace/download_external_logs?env=development',
        false,
      ],
      ['Data API', 'http://data-api-service-unique.data-namespace/', true],
      ['Data readiness', 'http://data-api-service-unique.data-namespace/readyz', true],
    ])
    expect(config.targets.every((t) => t.expect.join() === '200')).toBe(true)
  })

  test('base URLs keep a path prefix and the external env is passed on', () => {
    const config = loadHealthConfig({
      BACKEND_URL: 'http://127.0.0.1:5000/api',
      DATA_URL: 'http://127.0.0.1:5001/',
      HEALTH_EXTERNAL_ENV: 'staging',
      HEALTH_TIMEOUT_MS: '1500',
    })
    expect(config.timeoutMs).toBe(1500)
    expect(config.targets.map((t) => t.url)).toEqual([
      'http://127.0.0.1:5000/api/',
      'http://127.0.0.1:5000/api/readyz',
      'http://127.0.0.1:5000/api/download_external_logs?env=staging',
      'http://127.0.0.1:5001/',
      'http://127.0.0.1:5001/readyz',
    ])
  })

  test('HEALTH_EXTERNAL_ENV takes the aliases the backend takes (dev, stage, prod)', () => {
    const urlFor = (value: string) =>
      loadHealthConfig({ HEALTH_EXTERNAL_ENV: value }).targets[2]?.url
    expect(urlFor('prod')).toEndWith('/download_external_logs?env=production')
    expect(urlFor('Stage')).toEndWith('/download_external_logs?env=staging')
    expect(urlFor('dev')).toEndWith('/download_external_logs?env=development')
  })

  test('an empty value (as Kubernetes renders an optional one) means the default', () => {
    const config = loadHealthConfig({ HEALTH_TIMEOUT_MS: '', HEALTH_TARGETS: ' ', BACKEND_URL: '' })
    expect(config.timeoutMs).toBe(10_000)
    expect(config.targets).toHaveLength(5)
  })

  test('HEALTH_TARGETS replaces the defaults; critical defaults to true, expect to 200', () => {
    const config = loadHealthConfig({
      BACKEND_URL: 'not a url, but unused',
      HEALTH_TARGETS: JSON.stringify([
        { name: 'a', url: 'http://127.0.0.1:1/' },
        { name: 'b', url: 'https://127.0.0.1:2/x', critical: false, expect: [200, 204] },
      ]),
    })
    expect(config.targets).toEqual([
      { name: 'a', url: 'http://127.0.0.1:1/', critical: true, expect: [200] },
      { name: 'b', url: 'https://127.0.0.1:2/x', critical: false, expect: [200, 204] },
    ])
  })

  test.each([
    [{ HEALTH_TIMEOUT_MS: '-5' }, /^HEALTH_TIMEOUT_MS="-5" is invalid: use a whole number from 1/],
    [{ HEALTH_TIMEOUT_MS: '0' }, /HEALTH_TIMEOUT_MS/],
    [{ HEALTH_TIMEOUT_MS: '1.5' }, /HEALTH_TIMEOUT_MS/],
    [{ HEALTH_LOG_MAX_BYTES: 'lots' }, /HEALTH_LOG_MAX_BYTES/],
    [{ HEALTH_LOG_KEEP: '-1' }, /HEALTH_LOG_KEEP/],
    [{ HEALTH_LOG_FILE: '/var/log/' }, /HEALTH_LOG_FILE="\/var\/log\/" is invalid: name a file/],
    [
      { HEALTH_EXTERNAL_ENV: 'qa' },
      /HEALTH_EXTERNAL_ENV="qa" is invalid: use one of development, dev, staging, stage/,
    ],
    [{ BACKEND_URL: 'backend:5000' }, /BACKEND_URL is invalid: use an http/],
    [{ DATA_URL: 'ftp://data' }, /DATA_URL is invalid: use an http/],
    [{ HEALTH_TARGETS: '[{"name":' }, /HEALTH_TARGETS is not valid JSON/],
    [{ HEALTH_TARGETS: '[]' }, /non-empty JSON list/],
    [{ HEALTH_TARGETS: '{"name":"a"}' }, /non-empty JSON list/],
    [{ HEALTH_TARGETS: '["http://a/"]' }, /HEALTH_TARGETS\[0\] must be an object/],
    [{ HEALTH_TARGETS: '[{"name":"a","url":"nope"}]' }, /HEALTH_TARGETS\[0\]\.url must be/],
    [{ HEALTH_TARGETS: '[{"name":"","url":"http://a/"}]' }, /\.name must be a non-empty/],
    [
      { HEALTH_TARGETS: '[{"name":"a","url":"http://a/","critcal":true}]' },
      /unknown key\(s\) critcal/,
    ],
    [
      { HEALTH_TARGETS: '[{"name":"a","url":"http://a/","critical":"yes"}]' },
      /critical must be true/,
    ],
    [{ HEALTH_TARGETS: '[{"name":"a","url":"http://a/","expect":"200"}]' }, /expect must be/],
    [{ HEALTH_TARGETS: '[{"name":"a","url":"http://a/","expect":[]}]' }, /expect must be/],
    [
      { HEALTH_TARGETS: '[{"name":"a","url":"http://a/"},{"name":"a","url":"http://b/"}]' },
      /HEALTH_TARGETS\[1\]\.name "a" is used twice/,
    ],
  ])('rejects %j with one line saying what to fix', (env, message) => {
    const text = configError(env as Record<string, string>)
    expect(text).toMatch(message)
    expect(text).not.toContain('\n')
  })

  test('a rejected URL or JSON is never echoed, since it may carry a credential', () => {
    const secret = 's3cr3t-token'
    expect(configError({ BACKEND_URL: `backend:${secret}@x` })).not.toContain(secret)
    expect(configError({ HEALTH_TARGETS: `[{"name":"a","url":"${secret}"}]` })).not.toContain(
      secret,
    )
    expect(configError({ HEALTH_TARGETS: `[${secret}]` })).not.toContain(secret)
  })
})

describe('loadLogSettings', () => {
  test('resolves a relative file and ignores the check settings, so `show` works alone', () => {
    const log = loadLogSettings({
      HEALTH_LOG_FILE: 'h.log',
      HEALTH_LOG_KEEP: '0',
      HEALTH_TARGETS: '[',
    })
    expect(log).toEqual({ file: `${process.cwd()}/h.log`, maxBytes: 1048576, keep: 0 })
  })
})
