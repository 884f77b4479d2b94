// A real Prometheus (Debian's /usr/bin/prometheus) on 127.0.0.1 with a temp config and data dir,
// scraping loopback targets every second and evaluating our rules every second.
import { join } from 'node:path'
import { stringify } from 'yaml'
import { freePort, type RunningProgram, startProgram } from '../support/processes.ts'

export interface Target {
  /** The `job` label; the operator sets it to the Kubernetes Service name. */
  job: string
  url: string
  /** What the Prometheus Operator would attach from Kubernetes: namespace, service, pod, ... */
  labels: Record<string, string>
}

export interface Sample {
  metric: Record<string, string>
  value: number
}

export interface ActiveAlert {
  labels: Record<string, string>
  annotations: Record<string, string>
  state: 'pending' | 'firing'
}

export interface Prometheus {
  url: string
  query(expr: string): Promise<Sample[]>
  alerts(): Promise<ActiveAlert[]>
  /** Resolves once every target still up has been scraped after `since` (ms epoch). */
  scrapedAfter(since: number, timeoutMs?: number): Promise<void>
  stop(): Promise<number>
}

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
  const body = (await response.json()) as { status: string; data: T; error?: string }
  if (body.status !== 'success') throw new Error(`Prometheus ${url}: ${body.error}`)
  return body.data
}

export async function startPrometheus(
  dir: string,
  targets: Target[],
  ruleFile: string,
): Promise<Prometheus> {
  const port = await freePort()
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    rule_files: [ruleFile],
    scrape_configs: [...new Set(targets.map((t) => t.job))].map((job) => ({
      job_name: job,
      static_configs: targets
        .filter((t) => t.job === job)
        .map((t) => ({ targets: [new URL(t.url).host], labels: t.labels })),
    })),
  }
  const configFile = join(dir, 'prometheus.yml')
  await Bun.write(configFile, stringify(config))
  const server: RunningProgram = await startProgram('/usr/bin/prometheus', {
    env: { PORT: String(port) },
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    readyPath: '/-/ready',
    readyTimeoutMs: 30_000,
  })
  const base = server.url
  return {
    url: base,
    async query(expr) {
      const data = await api<{
        result: { metric: Record<string, string>; value: [number, string] }[]
      }>(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`)
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }))
    },
    async alerts() {
      return (await api<{ alerts: ActiveAlert[] }>(`${base}/api/v1/alerts`)).alerts
    },
    async scrapedAfter(since, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const { activeTargets } = await api<{
          activeTargets: { health: string; lastScrape: string }[]
        }>(`${base}/api/v1/targets`)
        const live = activeTargets.filter((t) => t.health !== 'down')
        if (live.length > 0 && live.every((t) => Date.parse(t.lastScrape) > since)) return
        if (Date.now() > deadline)
          throw new Error(
            `Prometheus did not scrape every target within ${timeoutMs} ms:\n${server.output()}`,
          )
        await Bun.sleep(200)
      }
    },
    stop: () => server.stop(),
  }
}

/** Polls `check` until it returns without throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await Bun.sleep(250)
    }
  }
}
