// A burst from hey (Debian's `hey`): N requests on N connections, all at once, from a Go client,
// so the figures do not hinge on one Bun client. Loopback only.
import { runToEnd } from '../../scripts/process.ts'

export type HeyResult = { p50Ms: number; p99Ms: number; ok: number; requests: number }

export const hasHey = (): boolean => Bun.which('hey') !== null

export async function runHey(url: string, count: number, timeoutS: number): Promise<HeyResult> {
  if (!new URL(url).hostname.startsWith('127.'))
    throw new Error(`hey only targets loopback: ${url}`)
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runToEnd(['hey', '-n', String(count), '-c', String(count), '-t', String(timeoutS), url])
  if (code !== 0)
    throw new Error(`hey exited ${code}: ${err.trim()} (install it: apt-get install hey)`)
  const at = (p: number) => Number(new RegExp(`${p}%+ in ([\\d.]+) secs`).exec(out)?.[1]) * 1000
  const ok = Number(/\[200\]\s+(\d+) responses/.exec(out)?.[1] ?? 0)
  const result = { p50Ms: at(50), p99Ms: at(99), ok, requests: count }
  if (!Number.isFinite(result.p99Ms))
    throw new Error(`hey printed no latency distribution:\n${out}`)
  return result
}
