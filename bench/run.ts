// `just bench`: measures our compiled backend side by side with what a user would otherwise run
// (the seed's Flask app under its dev server and under gunicorn, and a bare Bun.serve), prints one
// table and writes bench/results/latest.md. Targets are marked, never enforced: machines are noisy
// and the ratios of one run are what we compare. Loopback only; a full run takes about 2 minutes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { compiledBinary } from '../test/support/binaries.ts'
import { runBurst } from './load/burst.ts'
import { durableWrites, SUSTAINED_IN_FLIGHT } from './load/durable.ts'
import { countLogFiles } from './load/files.ts'
import { hostileMix } from './load/hostile.ts'
import { effectiveDescriptorLimit } from './load/limits.ts'
import { listenOverflows } from './load/netstat.ts'
import { sampleRss } from './load/rss.ts'
import { median } from './load/stats.ts'
import { runWrk, wrkSettings } from './load/wrk.ts'
import { describeMachine } from './machine.ts'
import { type PeerCommands, type PeerName, startPeer } from './peers.ts'
import {
  type BurstFigures,
  durableTable,
  type Figures,
  type HealthFigures,
  markdownTable,
  TARGET_BURST,
} from './report.ts'

const BURST_TIMEOUT_MS = 20_000
const READY_STARTS = 10
const HEALTH_RUNS = 3
const say = (line: string) => console.error(`bench: ${line}`)

async function compileBareBun(workDir: string): Promise<string> {
  const out = join(workDir, 'bare-bun')
  const entry = resolve(import.meta.dir, 'peers/bare-bun.ts')
  const build = Bun.spawnSync([process.execPath, 'build', entry, '--compile', '--outfile', out], {
    env: { ...process.env, NODE_ENV: 'production' },
    stderr: 'pipe',
  })
  if (!build.success) throw new Error(`compiling the bare Bun.serve peer failed: ${build.stderr}`)
  return out
}

async function throughput(name: PeerName, cmds: PeerCommands, dir: string): Promise<number> {
  const peer = await startPeer(name, cmds, dir, { raiseLimit: true })
  try {
    const result = await runWrk(`${peer.url}/healthz`)
    say(`${name} /healthz ${Math.round(result.requestsPerSec)} req/s`)
    return result.requestsPerSec
  } finally {
    await peer.stop()
  }
}

async function burst(
  name: PeerName,
  cmds: PeerCommands,
  dir: string,
  size: number,
): Promise<BurstFigures> {
  const peer = await startPeer(name, cmds, dir, { raiseLimit: true })
  const rss = sampleRss(peer.pid)
  const overflowsBefore = listenOverflows()
  try {
    const result = await runBurst(`${peer.url}/`, { count: size, timeoutMs: BURST_TIMEOUT_MS })
    const peakRssMiB = rss.stop()
    const overflows = listenOverflows() - overflowsBefore
    // requests the client gave up on may still be writing: give them a moment before counting
    await Bun.sleep(result.errors > 0 ? 500 : 100)
    const files = await countLogFiles(peer.logDir)
    say(
      `${name} x${size}: p99 ${Math.round(result.p99Ms)} ms, ${result.errors} errors, ${files.files} files`,
    )
    return { ...result, files: files.files, completeFiles: files.complete, peakRssMiB, overflows }
  } finally {
    rss.stop()
    await peer.stop()
  }
}

async function readyMedian(name: PeerName, cmds: PeerCommands, dir: string): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < READY_STARTS; i++) {
    const peer = await startPeer(name, cmds, dir)
    times.push(peer.readyMs)
    await peer.stop()
  }
  say(`${name} ready: ${times.map((t) => t.toFixed(1)).join(', ')} ms`)
  return median(times)
}

/** The health program against our two services, default 3 s delay: wall time vs its checks. */
async function healthRun(cmds: PeerCommands, dir: string): Promise<HealthFigures> {
  const health = await compiledBinary('health-check')
  const backend = await startPeer('backend', cmds, dir)
  const dataApi = await startPeer('data', cmds, dir)
  try {
    const runs: HealthFigures[] = []
    for (let i = 0; i < HEALTH_RUNS; i++) {
      const started = performance.now()
      const run = Bun.spawnSync([health], {
        env: {
          PATH: process.env.PATH ?? '/usr/bin',
          BACKEND_URL: backend.url,
          DATA_URL: dataApi.url,
          HEALTH_LOG_FILE: join(dir, 'health', 'health_check.log'),
        },
        stdout: 'pipe',
        stderr: 'pipe',
        timeout: 30_000,
      })
      const wallMs = performance.now() - started
      const latencies = run.stdout
        .toString()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { latencyMs?: unknown }).latencyMs)
        .filter((ms): ms is number => typeof ms === 'number')
      if (latencies.length === 0) throw new Error(`health-check printed no checks: ${run.stderr}`)
      const sumMs = latencies.reduce((a, b) => a + b, 0)
      runs.push({ wallMs, sumMs, slowestMs: Math.max(...latencies), checks: latencies.length })
    }
    const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs)
    const mid = byWall[Math.floor(byWall.length / 2)] as HealthFigures
    say(`health run: wall ${Math.round(mid.wallMs)} ms, sum ${Math.round(mid.sumMs)} ms`)
    return mid
  } finally {
    await Promise.all([backend.stop(), dataApi.stop()])
  }
}

/** The peers and the load generator are Debian packages; say which ones before measuring anything. */
function checkTools() {
  const flask =
    Bun.which('python3', { PATH: '/usr/bin' }) !== null &&
    Bun.spawnSync(['/usr/bin/python3', '-c', 'import flask'], { stderr: 'ignore' }).success
  const missing = [
    Bun.which('wrk') ? '' : 'wrk',
    flask ? '' : 'python3-flask',
    Bun.which('gunicorn', { PATH: '/usr/bin' }) ? '' : 'gunicorn',
  ].filter(Boolean)
  if (missing.length > 0) {
    throw new Error(
      `just bench needs ${missing.join(', ')}: apt-get install -y ${missing.join(' ')}`,
    )
  }
}

async function main() {
  checkTools()
  const started = performance.now()
  const dir = await mkdtemp(join(tmpdir(), 'bench-'))
  try {
    say(`compiling (work dir ${dir})`)
    const cmds: PeerCommands = {
      backend: await compiledBinary('backend-api'),
      data: await compiledBinary('data-api'),
      bareBun: await compileBareBun(dir),
    }
    const figures: Figures = {
      flaskDev: { bursts: {} },
      gunicorn: { bursts: {} },
      bareBun: { bursts: {} },
      ours: { bursts: {} },
    }
    const peers: [PeerName, keyof Omit<Figures, 'health' | 'hostile' | 'durable'>][] = [
      ['flask-dev', 'flaskDev'],
      ['gunicorn', 'gunicorn'],
      ['bare-bun', 'bareBun'],
      ['backend', 'ours'],
    ]
    for (const [name, key] of peers) figures[key].healthzRps = await throughput(name, cmds, dir)
    for (const [name, key] of peers) {
      for (const size of [1000, TARGET_BURST]) {
        figures[key].bursts[size] = await burst(name, cmds, dir, size)
      }
    }
    figures.bareBun.readyMs = await readyMedian('bare-bun', cmds, dir)
    figures.ours.readyMs = await readyMedian('backend', cmds, dir)
    figures.health = await healthRun(cmds, dir)
    figures.hostile = await hostileMix(cmds, dir)
    figures.durable = await durableWrites(cmds)
    say(
      figures.hostile
        ? `hostile mix: peak ${Math.round(figures.hostile.peakMiB)} MiB charged`
        : 'hostile mix: skipped (needs root and the cgroup v1 memory controller)',
    )
    const table = markdownTable(figures)
    const durable = figures.durable ? durableTable(figures.durable) : ''
    console.log(`${table}\n\n${durable}`)
    await writeFile(
      resolve(import.meta.dir, 'results/latest.md'),
      resultsPage(table, durable, figures.durable?.disk ?? ''),
    )
    say(`wrote bench/results/latest.md after ${Math.round((performance.now() - started) / 1000)} s`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function resultsPage(table: string, durable: string, disk: string): string {
  const { threads, connections, seconds } = wrkSettings
  return [
    '# Benchmark results (`just bench`)',
    '',
    ...describeMachine(),
    `- settings: wrk -t${threads} -c${connections} -d${seconds}s on \`/healthz\`; bursts of concurrent \`GET /\` with the default 3 s delay from one Bun client (${BURST_TIMEOUT_MS / 1000} s client timeout = error; files are counted when the burst ends, then the peer is killed); descriptor limit raised with \`ulimit -n\` to ${effectiveDescriptorLimit().toLocaleString('en-US')} (asks for 65,536; capped by the hard limit); ready = spawn to first 200 of \`/readyz\` (ours) or \`/healthz\`, both compiled with \`bun build --compile\`; health = median of ${HEALTH_RUNS} runs of the compiled \`health-check\` against our backend and data API; hostile mix (\`bench/load/hostile.ts\`) = 20 listings of 500 entries over a full LOG_DIR with 20 downloads of 10 MiB, then 20 more listings with 5 rounds of 5 gzip bombs (1 GiB inflated each), settings of the overlay with the smallest memory limit`,
    '- peers: Flask app shaped like the backend of the original assessment (`bench/peers/flask_app.py`) under the Werkzeug dev server (threaded) and under gunicorn (`gthread`, workers = 2 x cores + 1, 4 threads each: `bench/peers/gunicorn_conf.py`); bare `Bun.serve` (`/healthz` hello-world, `/` = sleep + one plain file write: the floor), compiled; our compiled `backend-api`',
    '',
    table,
    '',
    '## Durable writes',
    '',
    `LOG_DIR on a disk (${disk}) and on tmpfs (/dev/shm). plain = bare Bun.serve writing one plain file (not durable: the floor); durable per request = the same writing temp file, datasync, rename, directory sync for each request on its own; ours = our backend, whose concurrent writes share their syncs (group commit: syncfs on a worker thread on a disk, per-file data syncs and shared directory syncs on tmpfs). Bursts alternate between the servers, three rounds; sustained = wrk -c${SUSTAINED_IN_FLIGHT} on \`/\` with PROCESSING_DELAY_MS=0.`,
    '',
    durable,
    '',
    'Ratios compare figures of this one run. "accept-queue overflows" is the kernel\'s machine-wide `ListenOverflows` delta during the burst: Bun listens with a fixed backlog of 512, and every dropped connection retries after a 1 s SYN timeout. What limits us: see docs/benchmarks.md.',
    '',
  ].join('\n')
}

await main()
