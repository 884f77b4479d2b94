// N concurrent GETs fired at the same instant from one process: the burst figures of `just bench`
// and the load of the stress suite. Bun's fetch allows only 256 requests in flight unless
// BUN_CONFIG_MAX_HTTP_REQUESTS is set when the process STARTS (setting it later has no effect), so
// callers use runBurst(), which runs this file as a child with that variable and a raised
// descriptor limit.

import { runToEnd } from '../../scripts/process.ts'
import { withDescriptorLimit } from './limits.ts'
import { percentile } from './stats.ts'

export type BurstOptions = {
  count: number
  timeoutMs: number
  /** keep the JSON bodies of the 200 answers (the stress suite checks each file they name) */
  bodies?: boolean
}

export type BurstResult = {
  requests: number
  /** `200`, `503`, ... or `error:<name>` for requests that got no answer */
  outcomes: Record<string, number>
  ok: number
  errors: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  wallMs: number
  bodies: unknown[]
}

async function one(url: string, timeoutMs: number, keepBody: boolean) {
  const started = performance.now()
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    const text = await response.text()
    const body = keepBody && response.status === 200 ? JSON.parse(text) : undefined
    return { outcome: String(response.status), ms: performance.now() - started, body }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const name = typeof code === 'string' ? code : (error as Error).name
    return { outcome: `error:${name}`, ms: performance.now() - started, body: undefined }
  }
}

/** Runs the burst in THIS process: only correct when BUN_CONFIG_MAX_HTTP_REQUESTS >= count. */
export async function burstHere(url: string, options: BurstOptions): Promise<BurstResult> {
  const started = performance.now()
  const results = await Promise.all(
    Array.from({ length: options.count }, () => one(url, options.timeoutMs, !!options.bodies)),
  )
  const wallMs = performance.now() - started
  const outcomes: Record<string, number> = {}
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b)
  const ok = outcomes['200'] ?? 0
  return {
    requests: options.count,
    outcomes,
    ok,
    errors: options.count - ok,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    wallMs,
    bodies: results.flatMap((r) => (r.body === undefined ? [] : [r.body])),
  }
}

/** Runs the burst in a child process that may hold `count` requests in flight. */
export async function runBurst(url: string, options: BurstOptions): Promise<BurstResult> {
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runToEnd(
    withDescriptorLimit([process.execPath, import.meta.path, url, JSON.stringify(options)]),
    { env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.max(options.count, 256)) } },
  )
  if (code !== 0) throw new Error(`burst client exited ${code}: ${err.trim() || out.slice(0, 500)}`)
  return JSON.parse(out) as BurstResult
}

if (import.meta.main) {
  const [url, json] = process.argv.slice(2)
  if (!url || !json)
    throw new Error('usage: bun bench/load/burst.ts URL \'{"count":N,"timeoutMs":M}\'')
  console.log(JSON.stringify(await burstHere(url, JSON.parse(json) as BurstOptions)))
}
