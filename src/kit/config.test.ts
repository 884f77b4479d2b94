import { expect, test } from 'bun:test'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tempDir } from '../../test/support/temp.ts'
import { ConfigError, environment, readServiceConfig } from './config.ts'

test('defaults match docs/DESIGN.md', () => {
  expect(readServiceConfig({}, 'data-api')).toEqual({
    port: 5000,
    logDir: '/logs',
    processingDelayMs: 3000,
    serviceName: 'data-api',
    shutdownDrainMs: 5000,
    logLevel: 'info',
    logRetention: { files: 10_000, bytes: 268_435_456, downloadBytes: 41_943_040 },
  })
})

test('values from the environment are parsed', () => {
  const config = readServiceConfig(
    {
      PORT: '8080',
      LOG_DIR: '/tmp/x',
      PROCESSING_DELAY_MS: '0',
      SERVICE_NAME: 'b-2',
      LOG_LEVEL: 'debug',
    },
    'data-api',
  )
  expect(config).toMatchObject({
    port: 8080,
    logDir: '/tmp/x',
    processingDelayMs: 0,
    serviceName: 'b-2',
  })
})

test.each([
  ['PORT', 'abc', 'PORT="abc" is invalid: use a whole number from 1 to 65535'],
  ['PORT', '70000', 'PORT="70000" is invalid: use a whole number from 1 to 65535'],
  ['PROCESSING_DELAY_MS', '-1', 'PROCESSING_DELAY_MS="-1" is invalid: use a whole number from 0'],
  ['SHUTDOWN_DRAIN_MS', '1.5', 'SHUTDOWN_DRAIN_MS="1.5" is invalid'],
  ['LOG_LEVEL', 'loud', 'LOG_LEVEL="loud" is invalid: use one of fatal, error, warn, info, debug'],
  ['SERVICE_NAME', 'a b', 'SERVICE_NAME="a b" is invalid'],
])(
  '%s=%s is rejected with one line naming variable, value and what is allowed',
  (name, value, msg) => {
    const error = (() => {
      try {
        readServiceConfig({ [name]: value }, 'x')
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error?.message).toStartWith(msg)
    expect(error?.message).not.toContain('\n')
  },
)

const dir = await tempDir('config')

test('ENV_FILE is read with dotenv; variables already set win', async () => {
  const file = join(dir, 'local.env')
  await writeFile(file, 'PORT=6001\nLOG_LEVEL="debug" # comment\n')
  const env = environment({ ENV_FILE: file, PORT: '7000' })
  expect(env.PORT).toBe('7000')
  expect(env.LOG_LEVEL).toBe('debug')
})

test('a missing ENV_FILE is a configuration error saying what to do', () => {
  expect(() => environment({ ENV_FILE: join(dir, 'nope.env') })).toThrow(
    /ENOENT: the file does not exist; fix the path or unset ENV_FILE/,
  )
})

test('an ENV_FILE that is a directory is a configuration error naming the errno', () => {
  expect(() => environment({ ENV_FILE: dir })).toThrow(ConfigError)
  expect(() => environment({ ENV_FILE: dir })).toThrow(
    /cannot be read \(EISDIR: it is a directory; name a dotenv file or unset ENV_FILE\)/,
  )
})

test('LOG_RETENTION_FILES, _BYTES and _DOWNLOAD_BYTES are read and checked', () => {
  const env = {
    LOG_RETENTION_FILES: '50',
    LOG_RETENTION_BYTES: '25165824',
    LOG_RETENTION_DOWNLOAD_BYTES: '20971520',
  }
  expect(readServiceConfig(env, 'x').logRetention).toEqual({
    files: 50,
    bytes: 25_165_824,
    downloadBytes: 20_971_520,
  })
  expect(() => readServiceConfig({ LOG_RETENTION_DOWNLOAD_BYTES: '1048576' }, 'x')).toThrow(
    'LOG_RETENTION_DOWNLOAD_BYTES="1048576" is invalid: use a whole number from 10485760',
  )
  expect(() => readServiceConfig({ LOG_RETENTION_FILES: '0' }, 'x')).toThrow(
    'LOG_RETENTION_FILES="0" is invalid: use a whole number from 1',
  )
  expect(() => readServiceConfig({ LOG_RETENTION_BYTES: '1MiB' }, 'x')).toThrow(
    'LOG_RETENTION_BYTES="1MiB" is invalid',
  )
})

test('without ENV_FILE nothing is loaded', () => {
  const env = { PORT: '1' }
  expect(environment(env)).toBe(env)
})
