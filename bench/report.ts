// Turns the measured figures into the one side-by-side table: absolute values per peer, ratios of
// ours against the baselines of the same run, and the issue's targets marked pass/fail.
import type { BurstResult } from './load/burst.ts'
import {
  DURABLE_BURST,
  type DurableFigures,
  type DurableServer,
  type Latency,
  SUSTAINED_IN_FLIGHT,
} from './load/durable.ts'
import type { HostileFigures } from './load/hostile.ts'

export type BurstFigures = BurstResult & {
  files: number
  completeFiles: number
  peakRssMiB: number
  /** connections the kernel dropped from a full accept queue during the burst (machine-wide) */
  overflows: number
}

export type PeerFigures = {
  healthzRps?: number
  bursts: Record<number, BurstFigures | undefined>
  readyMs?: number
}

export type HealthFigures = { wallMs: number; sumMs: number; slowestMs: number; checks: number }

export type Figures = {
  flaskDev: PeerFigures
  gunicorn: PeerFigures
  bareBun: PeerFigures
  ours: PeerFigures
  health?: HealthFigures
  hostile?: HostileFigures
  durable?: DurableFigures
}

type Row = { measure: string; cells: string[]; ratio: string; target: string; pass?: boolean }

/** The burst the targets are set for (5,000 in flight); its peak RSS also sizes the pods' requests. */
export const TARGET_BURST = 5000
const peakRssMeasure = (size: number) => `peak RSS in the x${size} burst`

/**
 * Our peak RSS (MiB) in the targeted burst, read back from a results page: the number the memory
 * requests of the manifests are checked against (scripts/k8s/runtime-rules.ts).
 */
export function peakRssFromResults(page: string): number | undefined {
  const cells = (line: string) => line.split('|').map((c) => c.trim())
  const lines = page.split('\n')
  const header = lines.find((l) => l.startsWith('| measure |'))
  const row = lines.find((l) => l.startsWith(`| ${peakRssMeasure(TARGET_BURST)} |`))
  if (!header || !row) return undefined
  const value = Number.parseFloat(cells(row)[cells(header).indexOf('ours')] ?? '')
  return Number.isFinite(value) ? value : undefined
}

const n0 = (v?: number) => (v === undefined ? 'n/a' : Math.round(v).toLocaleString('en-US'))
const s2 = (ms?: number) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`)
const x = (a?: number, b?: number) =>
  a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x`
/** A baseline whose slow requests hit the client timeout has a p99 that is only a lower bound. */
const atLeast = (r?: BurstFigures) => (r && r.errors > 0 ? '>= ' : '')
const peersOf = (f: Figures) => [f.flaskDev, f.gunicorn, f.bareBun, f.ours]

function burstRows(f: Figures, size: number, targeted: boolean): Row[] {
  const b = peersOf(f).map((p) => p.bursts[size])
  const ours = f.ours.bursts[size]
  const cell = (pick: (r: BurstFigures) => string) => b.map((r) => (r ? pick(r) : '-'))
  const rows: Row[] = [
    {
      measure: `\`/\` x${size} p50 / p99`,
      cells: cell((r) => `${s2(r.p50Ms)} / ${s2(r.p99Ms)}`),
      ratio: `p99 ${x(ours?.p99Ms, f.bareBun.bursts[size]?.p99Ms)} bare, ${atLeast(f.flaskDev.bursts[size])}${x(f.flaskDev.bursts[size]?.p99Ms, ours?.p99Ms)} lower than Flask dev`,
      target: targeted ? 'p99 <= 3.25 s' : '',
      pass: targeted && ours ? ours.p99Ms <= 3250 : undefined,
    },
    {
      measure: `\`/\` x${size} errors`,
      cells: cell((r) => `${r.errors}${r.errors ? ` (${topOutcomes(r)})` : ''}`),
      ratio: '',
      target: targeted ? '0' : '',
      pass: targeted && ours ? ours.errors === 0 : undefined,
    },
    {
      measure: `\`/\` x${size} files / requests`,
      cells: cell((r) => `${r.files} / ${r.requests}`),
      ratio: '',
      target: targeted ? `exactly ${size} complete` : '',
      pass: targeted && ours ? ours.files === size && ours.completeFiles === size : undefined,
    },
  ]
  rows.push({
    measure: `\`/\` x${size} accept-queue overflows`,
    cells: cell((r) => n0(r.overflows)),
    ratio: '',
    target: '',
  })
  if (targeted) {
    rows.push({
      measure: peakRssMeasure(size),
      cells: cell((r) => `${n0(r.peakRssMiB)} MiB`),
      ratio: `${x(ours?.peakRssMiB, f.bareBun.bursts[size]?.peakRssMiB)} bare, ${x(ours?.peakRssMiB, f.flaskDev.bursts[size]?.peakRssMiB)} Flask dev`,
      target: '<= 256 MB',
      pass: ours ? ours.peakRssMiB * 1.048576 <= 256 : undefined,
    })
  }
  return rows
}

function topOutcomes(r: BurstResult): string {
  return Object.entries(r.outcomes)
    .filter(([k]) => k !== '200')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')
}

export function rows(f: Figures): Row[] {
  const rps = peersOf(f).map((p) => (p.healthzRps === undefined ? '-' : n0(p.healthzRps)))
  const ours = f.ours.healthzRps ?? 0
  const h = f.health
  return [
    {
      measure: '`/healthz` req/s (wrk)',
      cells: rps,
      ratio: `${x(ours, f.bareBun.healthzRps)} bare, ${x(ours, f.flaskDev.healthzRps)} Flask dev`,
      target: '>= 0.8x bare, >= 50x Flask dev',
      pass: ours >= 0.8 * (f.bareBun.healthzRps ?? 0) && ours >= 50 * (f.flaskDev.healthzRps ?? 0),
    },
    ...burstRows(f, 1000, false),
    ...burstRows(f, TARGET_BURST, true),
    {
      measure: 'start to first ready 200 (median of 10)',
      cells: ['-', '-', `${f.bareBun.readyMs?.toFixed(1)} ms`, `${f.ours.readyMs?.toFixed(1)} ms`],
      ratio: `${x(f.ours.readyMs, f.bareBun.readyMs)} bare`,
      target: '<= 60 ms',
      pass: f.ours.readyMs !== undefined && f.ours.readyMs <= 60,
    },
    {
      measure: 'health run: wall / sum of checks / slowest',
      cells: [
        '-',
        '-',
        '-',
        h ? `${n0(h.wallMs)} / ${n0(h.sumMs)} / ${n0(h.slowestMs)} ms` : 'n/a',
      ],
      ratio: h ? `wall ${x(h.wallMs, h.sumMs)} the sum` : '',
      target: '<= slowest + 100 ms',
      pass: h ? h.wallMs <= h.slowestMs + 100 : false,
    },
    hostileRow(f.hostile),
  ]
}

/** The most memory the pod's cgroup charged under the hostile mix, against the pod's limit. */
function hostileRow(m?: HostileFigures): Row {
  const answers = Object.entries(m?.outcomes ?? {})
    .map(([status, n]) => `${n} ${status}`)
    .join(', ')
  return {
    measure: `hostile mix: peak memory charged (LOG_DIR tmpfs included) / ${m?.overlay ?? 'smallest'} limit`,
    cells: ['-', '-', '-', m ? `${n0(m.peakMiB)} / ${n0(m.limitMiB)} MiB` : 'n/a (needs root)'],
    ratio: m ? `${x(m.peakMiB, m.limitMiB)} the limit; answers: ${answers}` : '',
    target: '< 1x, none dropped or OOM-killed',
    pass: m
      ? m.peakMiB < m.limitMiB && !m.outcomes.dropped && !m.outcomes['OOM-killed']
      : undefined,
  }
}

export function markdownTable(f: Figures): string {
  const head = ['measure', 'Flask dev', 'gunicorn', 'bare Bun.serve', 'ours', 'ratio', 'target', '']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const r of rows(f)) {
    const mark = r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS'
    lines.push(`| ${[r.measure, ...r.cells, r.ratio, r.target, mark].join(' | ')} |`)
  }
  return lines.join('\n')
}

/** The group-commit target: on a disk, ours within this ratio of the plain floor (p99). */
export const DURABLE_TARGET = 1.05

/** Plain floor, durable one request at a time, and ours, on a disk and on tmpfs. */
export function durableTable(d: DurableFigures): string {
  const head = ['measure', 'plain Bun.write', 'durable per request', 'ours', 'ratio', 'target', '']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  const latencyRow = (measure: string, r: Record<DurableServer, Latency>, targeted: boolean) => {
    const cell = (l: Latency) =>
      `${s2(l.p50Ms)} / ${s2(l.p99Ms)}${l.errors ? ` (${l.errors} errors)` : ''}`
    const ratio = r.ours.p99Ms / r.plain.p99Ms
    const mark = targeted ? (ratio <= DURABLE_TARGET && r.ours.errors === 0 ? 'PASS' : 'MISS') : ''
    lines.push(
      `| ${[
        measure,
        cell(r.plain),
        cell(r.durable),
        cell(r.ours),
        `p99 ${x(r.ours.p99Ms, r.plain.p99Ms)} plain, ${x(r.durable.p99Ms, r.plain.p99Ms)} for durable per request`,
        targeted ? `p99 <= ${DURABLE_TARGET}x plain` : '',
        mark,
      ].join(' | ')} |`,
    )
  }
  const burst = `\`/\` x${DURABLE_BURST} p50 / p99 (median of 3)`
  latencyRow(`${burst}, disk, Bun client`, d.bun, true)
  if (d.hey) latencyRow(`${burst}, disk, hey`, d.hey, true)
  latencyRow(`${burst}, tmpfs, Bun client`, d.tmpfs, false)
  const t = d.sustained
  lines.push(
    `| \`/\` req/s at ${SUSTAINED_IN_FLIGHT} in flight, no delay, disk (wrk) | ${n0(t.plain)} | ${n0(t.durable)} | ${n0(t.ours)} | ${x(t.ours, t.plain)} plain, ${x(t.ours, t.durable)} durable per request |  |  |`,
  )
  return lines.join('\n')
}
