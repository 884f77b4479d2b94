// The `/` burst where durability costs something: LOG_DIR on a disk, against the plain floor.
// Three servers measured in the same run: framework-free Bun writing a plain file, the same
// paying for a durable write per request, and ours (group commit); bursts of 2,000 from our Bun
// client and from hey, the median of three each; the same on tmpfs, where a sync is free; and
// sustained `/` throughput at 200 in flight.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type PeerCommands, startPeer } from '../peers.ts'
import { runBurst } from './burst.ts'
import { hasHey, runHey } from './hey.ts'
import { median } from './stats.ts'
import { runWrk } from './wrk.ts'

export const DURABLE_BURST = 2000
const BURSTS = 3
const TIMEOUT_MS = 20_000
export const SUSTAINED_IN_FLIGHT = 200

export const durableServers = ['plain', 'durable', 'ours'] as const
export type DurableServer = (typeof durableServers)[number]
export type Latency = { p50Ms: number; p99Ms: number; errors: number }
export type DurableFigures = {
  /** where the disk runs happened, and on which file system */
  disk: string
  bun: Record<DurableServer, Latency>
  hey?: Record<DurableServer, Latency>
  tmpfs: Record<DurableServer, Latency>
  /** `/` req/s with no processing delay, LOG_DIR on the disk */
  sustained: Record<DurableServer, number>
}

const say = (line: string) => console.error(`bench: ${line}`)

function start(server: DurableServer, cmds: PeerCommands, dir: string, delayMs?: number) {
  if (server === 'ours') return startPeer('backend', cmds, dir, { raiseLimit: true, delayMs })
  const env: Record<string, string> = server === 'durable' ? { DURABLE: '1' } : {}
  return startPeer('bare-bun', cmds, dir, { raiseLimit: true, delayMs, env })
}

const medianOf = (runs: Latency[]): Latency => ({
  p50Ms: median(runs.map((r) => r.p50Ms)),
  p99Ms: median(runs.map((r) => r.p99Ms)),
  errors: Math.max(...runs.map((r) => r.errors)),
})

/** Three bursts per server, the servers taking turns so that drift hits them alike. */
async function bursts(
  cmds: PeerCommands,
  dir: string,
  client: 'bun' | 'hey',
): Promise<Record<DurableServer, Latency>> {
  const runs: Record<DurableServer, Latency[]> = { plain: [], durable: [], ours: [] }
  for (let round = 0; round < BURSTS; round++) {
    for (const server of durableServers) {
      const peer = await start(server, cmds, dir)
      try {
        const url = `${peer.url}/`
        const r =
          client === 'bun'
            ? await runBurst(url, { count: DURABLE_BURST, timeoutMs: TIMEOUT_MS })
            : await runHey(url, DURABLE_BURST, TIMEOUT_MS / 1000).then((h) => ({
                ...h,
                errors: h.requests - h.ok,
              }))
        runs[server].push({ p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors })
      } finally {
        await peer.stop()
      }
    }
  }
  const figures = Object.fromEntries(durableServers.map((s) => [s, medianOf(runs[s])])) as Record<
    DurableServer,
    Latency
  >
  say(
    `durable writes, ${client} client, ${dir}: p99 ${durableServers.map((s) => `${s} ${Math.round(figures[s].p99Ms)} ms`).join(', ')}`,
  )
  return figures
}

async function fileSystemOf(dir: string): Promise<string> {
  const df = Bun.spawnSync(['df', '--output=fstype', dir], { stdout: 'pipe' })
  return df.stdout.toString().trim().split('\n').at(-1) ?? 'unknown'
}

export async function durableWrites(cmds: PeerCommands): Promise<DurableFigures> {
  // /var/tmp is on a disk wherever /tmp may be a tmpfs; /dev/shm is a tmpfs everywhere.
  const diskDir = await mkdtemp('/var/tmp/bench-durable-')
  const tmpfsDir = await mkdtemp('/dev/shm/bench-durable-')
  try {
    await mkdir(join(diskDir, 'logs'), { recursive: true })
    const disk = `${diskDir} (${await fileSystemOf(diskDir)})`
    const tmpfsType = await fileSystemOf(tmpfsDir)
    if (tmpfsType !== 'tmpfs') throw new Error(`/dev/shm is ${tmpfsType}, not a tmpfs`)
    const bun = await bursts(cmds, diskDir, 'bun')
    const hey = hasHey() ? await bursts(cmds, diskDir, 'hey') : undefined
    if (!hey)
      say('durable writes: hey is not installed (apt-get install hey): its rows are skipped')
    const tmpfs = await bursts(cmds, tmpfsDir, 'bun')
    const sustained = {} as Record<DurableServer, number>
    for (const server of durableServers) {
      const peer = await start(server, cmds, diskDir, 0)
      try {
        sustained[server] = (await runWrk(`${peer.url}/`, SUSTAINED_IN_FLIGHT)).requestsPerSec
      } finally {
        await peer.stop()
      }
    }
    say(`durable writes, sustained at ${SUSTAINED_IN_FLIGHT}: ${JSON.stringify(sustained)}`)
    return { disk, bun, hey, tmpfs, sustained }
  } finally {
    await rm(diskDir, { recursive: true, force: true })
    await rm(tmpfsDir, { recursive: true, force: true })
  }
}
