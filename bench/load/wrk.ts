// Throughput of a cheap route with wrk: fixed threads, connections and duration, loopback only.
import { runToEnd } from '../../scripts/process.ts'

export type WrkResult = { requestsPerSec: number; non2xx: number; socketErrors: number }

export const wrkSettings = { threads: 2, connections: 64, seconds: 5 }

export async function runWrk(
  url: string,
  connections = wrkSettings.connections,
): Promise<WrkResult> {
  if (!new URL(url).hostname.startsWith('127.'))
    throw new Error(`wrk only targets loopback: ${url}`)
  const { threads, seconds } = wrkSettings
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runToEnd(['wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, url])
  if (code !== 0)
    throw new Error(`wrk exited ${code}: ${err.trim()} (install it: apt-get install wrk)`)
  const rate = out.match(/Requests\/sec:\s+([\d.]+)/)
  if (!rate) throw new Error(`wrk printed no Requests/sec line:\n${out}`)
  const socket = out.match(/connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
  return {
    requestsPerSec: Number(rate[1]),
    non2xx: Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  }
}
