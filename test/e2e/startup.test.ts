import { expect, test } from 'bun:test'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
import { runProgram, startProgram } from '../support/processes.ts'
import { tempDir } from '../support/temp.ts'
import { SERVICES, startService } from './harness.ts'

const BUILD_SCRIPT = join(import.meta.dir, '../../scripts/build.ts')

test.each([
  ['PORT', 'http', 'PORT="http" is invalid: use a whole number from 1 to 65535'],
  ['PROCESSING_DELAY_MS', '-5', 'PROCESSING_DELAY_MS="-5" is invalid'],
  ['LOG_LEVEL', 'verbose', 'LOG_LEVEL="verbose" is invalid: use one of'],
  ['EXTERNAL_API_URL', 'not a url', 'EXTERNAL_API_URL is invalid: use an http'],
])(
  '%s=%s stops start-up: exit 1 and one line on stderr',
  async (name, value, message) => {
    const run = await runProgram(await compiledBinary('backend-api'), {
      env: { [name]: value },
      timeoutMs: 10_000,
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain(message)
  },
  120_000,
)

test.each(SERVICES)(
  '%s does not auto-load a stray .env or bunfig.toml from its working directory',
  async (name) => {
    const cwd = await tempDir('stray')
    await writeFile(join(cwd, '.env'), 'PROCESSING_DELAY_MS=-1\nSERVICE_NAME=from-dotenv\n')
    await writeFile(join(cwd, 'bunfig.toml'), 'preload = ["./missing.ts"]\n')
    const service = await startService(name, {}, cwd)
    expect((await service.get('/version')).body.service).toBe(name)
    expect(await service.stop()).toBe(0)
  },
  120_000,
)

test('ENV_FILE names a dotenv file explicitly; the environment still wins', async () => {
  const dir = await tempDir('envfile')
  const file = join(dir, 'local.env')
  await writeFile(file, 'SERVICE_NAME=from-file\nPROCESSING_DELAY_MS=0\n')
  const service = await startService('data-api', { ENV_FILE: file, PROCESSING_DELAY_MS: '10' })
  expect((await service.get('/version')).body.service).toBe('from-file')
  expect(await service.stop()).toBe(0)
}, 120_000)

test('a port already in use: exit 1 with a line that says what to do', async () => {
  const running = await startService('data-api')
  const run = await runProgram(await compiledBinary('data-api'), {
    env: { PORT: String(running.port), LOG_DIR: running.logDir },
    timeoutMs: 10_000,
  })
  expect(run.exitCode).toBe(1)
  expect(run.stderr).toContain(`cannot listen on port ${running.port}`)
  expect(run.stderr).toContain('set PORT to a free port')
  await running.stop()
}, 120_000)

test('scripts/build.ts bakes VERSION and GIT_COMMIT from the build environment', async () => {
  const outdir = await tempDir('build')
  const build = await runProgram(process.execPath, {
    args: ['run', BUILD_SCRIPT, 'data', '--outdir', outdir],
    env: { VERSION: '9.8.7-test', GIT_COMMIT: 'feedbee' },
    timeoutMs: 120_000,
  })
  expect(build.exitCode).toBe(0)
  expect(build.stdout).toContain(`built ${outdir}/data-api`)
  const program = await startProgram(join(outdir, 'data-api'), {
    env: { LOG_DIR: join(outdir, 'logs') },
  })
  const version = await (await fetch(`${program.url}/version`)).json()
  expect(version).toEqual({
    service: 'data-api',
    version: '9.8.7-test',
    commit: 'feedbee',
    bun: Bun.version,
  })
  expect(await program.stop()).toBe(0)
}, 120_000)

test('scripts/build.ts rejects an unknown program with what to use instead', async () => {
  const build = await runProgram(process.execPath, {
    args: ['run', BUILD_SCRIPT, 'frontend'],
  })
  expect(build.exitCode).toBe(1)
  expect(build.stderr).toContain(
    'unknown program "frontend": use one or more of backend, data, health',
  )
})
