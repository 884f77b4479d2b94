// The compiled health-check binary against loopback servers that misbehave in each way it must
// tell apart: refused, stalled past the deadline, 500, well-formed 502 JSON, 502 HTML.
import { describe, expect, test } from 'bun:test'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
import {
  allLogLines,
  LOG_LINE,
  linesOf,
  runHealth,
  targetsEnv,
  withLoopbackHealth,
} from './health-runs.ts'

const suite = withLoopbackHealth()

describe('health-check run', () => {
  test('one result per check, printed and logged; a run lasts about its slowest check', async () => {
    const targets = [
      { name: 'ok', url: suite.services.url('/ok') },
      { name: 'slow', url: suite.services.url('/slow?ms=1500') },
      { name: 'upstream down', url: suite.services.url('/upstream-502'), critical: false },
      { name: 'critical upstream down', url: suite.services.url('/upstream-502'), critical: true },
      { name: 'gateway html', url: suite.services.url('/upstream-502-html'), critical: false },
      { name: 'crashing', url: suite.services.url('/error-500') },
      { name: 'refused', url: suite.services.refusedUrl },
      { name: 'stalled', url: suite.services.url('/stall') },
    ]
    const run = await runHealth({
      ...targetsEnv(targets),
      HEALTH_TIMEOUT_MS: '2000',
      HEALTH_LOG_FILE: suite.log.file,
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe('')
    expect(run.reports.map((r) => [r.name, r.result, r.status ?? r.error])).toEqual([
      ['ok', 'PASS', 200],
      ['slow', 'PASS', 200],
      ['upstream down', 'DEGRADED', 502],
      ['critical upstream down', 'FAIL', 502],
      ['gateway html', 'FAIL', 502],
      ['crashing', 'FAIL', 500],
      ['refused', 'FAIL', 'ECONNREFUSED'],
      ['stalled', 'FAIL', 'timeout'],
    ])
    const lines = await linesOf(suite.log.file)
    expect(lines).toHaveLength(targets.length)
    for (const line of lines) expect(line).toMatch(LOG_LINE)
    expect(lines[0]).toContain(`PASS name="ok" url=${suite.services.url('/ok')} status=200`)
    expect(lines[0]).toEndWith('critical=yes Health check passed')
    expect(lines[2]).toEndWith('Health check degraded')
    expect(lines[6]).toContain('error=ECONNREFUSED')
    expect(lines[7]).toMatch(/error=timeout latency_ms=(19|20)\d\d .*Health check failed$/)
    // Sequentially this would take at least 1500 + 2000 ms; concurrently about the 2000 ms deadline.
    const slowest = Math.max(...run.reports.map((r) => r.latencyMs))
    console.log(`run took ${Math.round(run.durationMs)} ms, slowest check ${slowest} ms`)
    expect(run.durationMs).toBeGreaterThanOrEqual(2000)
    expect(run.durationMs).toBeLessThan(3200)
  }, 30_000)

  test('exit 0 when every critical check passed, even with a non-critical one down', async () => {
    const run = await runHealth({
      ...targetsEnv([
        { name: 'api', url: suite.services.url('/ok') },
        { name: 'external logs', url: suite.services.url('/upstream-502'), critical: false },
        { name: 'optional', url: suite.services.refusedUrl, critical: false },
      ]),
      HEALTH_LOG_FILE: suite.log.file,
    })
    expect(run.exitCode).toBe(0)
    expect(run.reports.map((r) => r.result)).toEqual(['PASS', 'DEGRADED', 'FAIL'])
  }, 30_000)

  test('credentials in a URL are used for the request but never printed or logged', async () => {
    const url = suite.services
      .url('/ok?api_key=k3y-value')
      .replace('http://', 'http://probe:pa55-word@')
    const run = await runHealth({
      ...targetsEnv([{ name: 'auth', url }]),
      HEALTH_LOG_FILE: suite.log.file,
    })
    expect(run.exitCode).toBe(0)
    const logged = await readFile(suite.log.file, 'utf8')
    for (const text of [run.stdout, run.stderr, logged]) {
      expect(text).not.toContain('pa55-word')
      expect(text).not.toContain('k3y-value')
    }
    expect(run.reports[0]?.url).toBe(suite.services.url('/ok?api_key=redacted'))
    expect(suite.services.seen.at(-1)?.get('authorization')).toBe(
      `Basic ${btoa('probe:pa55-word')}`,
    )
  }, 30_000)

  test.each([
    [
      'unparseable HEALTH_TARGETS',
      { HEALTH_TARGETS: '[{"name": "api", "url": ' },
      /HEALTH_TARGETS is not valid JSON/,
    ],
    ['a non-URL base', { BACKEND_URL: 'backend-api:5000' }, /BACKEND_URL is invalid/],
    ['a negative timeout', { HEALTH_TIMEOUT_MS: '-1' }, /HEALTH_TIMEOUT_MS="-1" is invalid/],
    [
      'ENV_FILE naming a directory',
      { ENV_FILE: tmpdir() },
      /ENV_FILE=".*" cannot be read \(EISDIR: it is a directory; name a dotenv file/,
    ],
    [
      'a target URL that is not one',
      { HEALTH_TARGETS: '[{"name":"a","url":"127.0.0.1:80"}]' },
      /url must be/,
    ],
  ])(
    'bad configuration (%s): one line, exit 2, nothing appended',
    async (_, env, message) => {
      await writeFile(suite.log.file, 'an earlier line\n')
      const run = await runHealth({ ...env, HEALTH_LOG_FILE: suite.log.file })
      expect(run.exitCode).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toMatch(message)
      expect(run.stderr).toStartWith('health-check: bad configuration: ')
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(await readFile(suite.log.file, 'utf8')).toBe('an earlier line\n')
      expect(await readdir(suite.log.dir)).toEqual(['health_check.log'])
    },
    30_000,
  )

  test('an unwritable log: results still on stdout, the error on stderr, exit 1', async () => {
    await writeFile(join(suite.log.dir, 'not-a-directory'), '')
    const file = join(suite.log.dir, 'not-a-directory', 'health_check.log')
    const run = await runHealth({
      ...targetsEnv([{ name: 'api', url: suite.services.url('/ok') }]),
      HEALTH_LOG_FILE: file,
    })
    expect(run.exitCode).toBe(1)
    expect(run.reports.map((r) => r.result)).toEqual(['PASS'])
    expect(run.stderr).toContain(`cannot write the health log ${file}`)
    expect(run.stderr).toContain('HEALTH_LOG_FILE')
  }, 30_000)

  test('SIGTERM ends the checks still running, logs them as interrupted and exits 1', async () => {
    const proc = Bun.spawn([await compiledBinary('health-check')], {
      env: {
        ...targetsEnv([{ name: 'stalled', url: suite.services.url('/stall') }]),
        HEALTH_LOG_FILE: suite.log.file,
      },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    await Bun.sleep(500)
    const sent = performance.now()
    proc.kill('SIGTERM')
    const [code, stdout] = await Promise.all([proc.exited, new Response(proc.stdout).text()])
    expect(performance.now() - sent).toBeLessThan(1000)
    expect(code).toBe(1)
    expect(JSON.parse(stdout)).toMatchObject({ result: 'FAIL', error: 'interrupted' })
    expect(await allLogLines(suite.log.file)).toEqual([
      expect.stringContaining('error=interrupted'),
    ])
  }, 30_000)
})

describe('health-check show and usage errors', () => {
  test('show with no log yet says where it looked and exits 1', async () => {
    const run = await runHealth({ HEALTH_LOG_FILE: suite.log.file }, ['show'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(`no health log at ${suite.log.file} yet`)
  }, 30_000)

  test.each([[['show', '--lines', 'many']], [['status']]])(
    '%j: usage on stderr, exit 2',
    async (args) => {
      const run = await runHealth({}, args)
      expect(run.exitCode).toBe(2)
      expect(run.stdout).toBe('')
      expect(run.stderr).toContain('usage: health-check')
    },
    30_000,
  )
})
