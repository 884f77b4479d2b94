// The compiled services as the Prometheus test scrapes them: one slow backend, three data pods
// (one healthy, one with a broken log volume, one that will die), two fake external APIs.
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
import { type RunningProgram, startProgram } from '../support/processes.ts'
import { startFakeUpstream } from '../support/upstream.ts'
import type { Target } from './prometheus-server.ts'

const KEY = 'test-integration-key'
// Above the SmallServiceSlowRoot threshold (4 s), so that GET / on the backend is "far too slow".
const SLOW_MS = '4200'

export interface Services {
  backend: RunningProgram
  dataA: RunningProgram
  dataB: RunningProgram
  dataC: RunningProgram
}

/** The labels the Prometheus Operator attaches to a pod scraped through its Service. */
const operatorLabels = (app: 'backend' | 'data', pod: string) => ({
  namespace: `${app}-namespace`,
  service: `${app}-api-service-unique`,
  pod,
  container: `${app}-api`,
  endpoint: 'http',
})

export async function startServices(dir: string) {
  const [backendBinary, dataBinary] = await Promise.all([
    compiledBinary('backend-api'),
    compiledBinary('data-api'),
  ])
  const [ok, failing] = await Promise.all([
    startFakeUpstream({ key: KEY }),
    startFakeUpstream({ key: KEY }),
  ])
  failing.mode('server-error')
  const common = { PROCESSING_DELAY_MS: '10', SHUTDOWN_DRAIN_MS: '0', LOG_LEVEL: 'warn' }
  const startData = (name: string) =>
    startProgram(dataBinary, { env: { ...common, LOG_DIR: join(dir, `${name}-logs`) } })
  const [backend, dataA, dataB, dataC] = await Promise.all([
    startProgram(backendBinary, {
      env: {
        ...common,
        PROCESSING_DELAY_MS: SLOW_MS,
        LOG_DIR: join(dir, 'backend-logs'),
        EXTERNAL_API_URL_DEVELOPMENT: ok.url,
        EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: KEY,
        EXTERNAL_API_URL_STAGING: failing.url,
        EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
        EXTERNAL_API_RETRIES: '0',
      },
    }),
    startData('dataA'),
    startData('dataB'),
    startData('dataC'),
  ])
  const services: Services = { backend, dataA, dataB, dataC }
  // dataB's log volume breaks: its LOG_DIR becomes a plain file.
  await rm(join(dir, 'dataB-logs'), { recursive: true, force: true })
  await writeFile(join(dir, 'dataB-logs'), '')

  const pods: [keyof Services, 'backend' | 'data', string][] = [
    ['backend', 'backend', 'backend-api-0'],
    ['dataA', 'data', 'data-api-0'],
    ['dataB', 'data', 'data-api-1'],
    ['dataC', 'data', 'data-api-2'],
  ]
  const targets: Target[] = pods.map(([name, app, pod]) => ({
    job: `${app}-api-service-unique`,
    url: services[name].url,
    labels: operatorLabels(app, pod),
  }))
  const close = async () => {
    await Promise.all(Object.values(services).map((s: RunningProgram) => s.stop('SIGKILL')))
    ok.close()
    failing.close()
  }
  return { services, targets, close }
}

async function get(base: RunningProgram, path: string): Promise<number> {
  const response = await fetch(base.url + path, { signal: AbortSignal.timeout(15_000) })
  await response.arrayBuffer()
  return response.status
}

/** One round of traffic; every answer is checked so a change in the services shows up here first. */
export async function wave({ backend, dataA, dataB }: Services): Promise<void> {
  const calls: [RunningProgram, string, number][] = [
    [backend, '/', 200],
    [backend, '/', 200],
    [backend, '/download_external_logs?env=development', 200],
    [backend, '/download_external_logs?env=development', 200],
    [backend, '/download_external_logs?env=staging', 502],
    [backend, '/download_external_logs?env=production', 503],
    [backend, '/no-such-route', 404],
    [dataA, '/', 200],
    [dataA, '/', 200],
    [dataA, '/records', 200],
    [dataB, '/', 503],
  ]
  const statuses = await Promise.all(calls.map(([service, path]) => get(service, path)))
  const wrong = calls.flatMap(([service, path, expected], i) =>
    statuses[i] === expected
      ? []
      : [`${service.url}${path}: ${statuses[i]} (expected ${expected})`],
  )
  if (wrong.length > 0) {
    throw new Error(
      `the services answered differently than the monitoring test expects:\n${wrong.join('\n')}`,
    )
  }
}
