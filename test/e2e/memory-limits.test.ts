// The compiled binaries inside a memory cgroup of the pod's own limit, read from the rendered
// overlays: the backend with LOG_DIR on a tmpfs of the manifest's sizeLimit charged to the same
// cgroup (as a memory-backed emptyDir is), the health check in the CronJob's limit. Gzip bombs,
// a crowd of 10 MiB downloads and a crowd of 500-entry listings: every request answered, nothing
// killed by the kernel.
import { afterAll, expect } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { smallestMemory } from '../../scripts/k8s/pod-memory.ts'
import { compiledBinary } from '../support/binaries.ts'
import {
  canLimitMemory,
  fillWorkLogs,
  MEMORY_LIMITS_MISSING,
  memoryCgroup,
} from '../support/memory-cgroup.ts'
import { runProgram, startProgram } from '../support/processes.ts'
import { testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { LARGE_BYTES, startFakeUpstream } from '../support/upstream.ts'

const test = testWhen(canLimitMemory(), MEMORY_LIMITS_MISSING)

const KEY = 'memory-test-key-3c2b1a09'
const upstream = await startFakeUpstream({ key: KEY })
afterAll(() => upstream.close())

/** Reads a response to its end without keeping it; the byte count and the last bytes. */
async function drain(res: Response): Promise<{ bytes: number; tail: string }> {
  let bytes = 0
  let tail = ''
  const decoder = new TextDecoder()
  for await (const chunk of res.body as ReadableStream<Uint8Array>) {
    bytes += chunk.length
    tail = (tail + decoder.decode(chunk.subarray(-64))).slice(-64)
  }
  return { bytes, tail }
}

interface Answer {
  status: number
  retryAfter: string | null
  json: Record<string, unknown>
}
const answerOf = async (res: Response): Promise<Answer> => ({
  status: res.status,
  retryAfter: res.headers.get('retry-after'),
  json: (await res.json()) as Record<string, unknown>,
})

const MiB = 1024 * 1024

/** Every answer is JSON; any that is not one of `ok` is 429/503 with Retry-After. */
function expectRefusedPolitely(answers: Answer[], ok: number[]): void {
  for (const a of answers) {
    expect(typeof (a.json.error ?? a.json.file ?? a.json.count)).not.toBe('undefined')
    if (ok.includes(a.status)) continue
    expect([429, 503]).toContain(a.status)
    expect(Number(a.retryAfter)).toBeGreaterThan(0)
    expect(typeof a.json.error).toBe('string')
  }
}

const count = (answers: Answer[], status: number) =>
  answers.filter((a) => a.status === status).length
const crowd = <T>(size: number, one: () => Promise<T>) =>
  Promise.all(Array.from({ length: size }, one))

test('backend in the smallest overlay limit survives gzip bombs, a crowd of downloads and of 500-entry listings', async () => {
  const pod = await smallestMemory('backend-api')
  expect(pod.logVolumeBytes).toBeGreaterThan(0)
  const cgroup = await memoryCgroup('backend', pod.limitBytes, pod.logVolumeBytes)
  try {
    const files = await fillWorkLogs(cgroup, Number(pod.env.LOG_RETENTION_BYTES))
    expect(files).toBeGreaterThanOrEqual(100)
    const [shell, ...args] = cgroup.wrap([await compiledBinary('backend-api')])
    const service = await startProgram(shell as string, {
      args,
      env: {
        ...pod.env,
        EXTERNAL_API_URL: upstream.url,
        EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
        LOG_DIR: cgroup.logDir,
        SHUTDOWN_DRAIN_MS: '200',
      },
    })
    const download = () => fetch(`${service.url}/download_external_logs?env=staging`).then(answerOf)

    upstream.mode('gzip-bomb')
    for (let round = 0; round < 5; round++) {
      const answers = await crowd(5, download)
      expectRefusedPolitely(answers, [502])
      // At most 4 at once hold a download slot: a refused one means 4 others were at work.
      expect(count(answers, 502)).toBeGreaterThanOrEqual(4)
      // Refused for their decoded size, not for anything else that answers 502.
      for (const a of answers.filter((b) => b.status === 502)) {
        expect(a.json.error).toContain(`exceeds ${LARGE_BYTES} bytes`)
      }
    }

    upstream.mode('large')
    const downloads = await crowd(20, download)
    expectRefusedPolitely(downloads, [200])
    expect(count(downloads, 200)).toBeGreaterThanOrEqual(4)
    for (const a of downloads.filter((d) => d.status === 200)) {
      expect(a.json.bytes).toBe(LARGE_BYTES)
    }

    const listings = await crowd(20, async () => {
      const res = await fetch(`${service.url}/logs?limit=500`)
      if (res.status !== 200) return { answer: await answerOf(res), tail: '' }
      const { tail } = await drain(res)
      return { answer: { status: 200, retryAfter: null, json: { count: 500 } }, tail }
    })
    expectRefusedPolitely(
      listings.map((l) => l.answer),
      [200],
    )
    const served = listings.filter((l) => l.answer.status === 200)
    expect(served.length).toBeGreaterThanOrEqual(4)
    for (const l of served) expect(l.tail).toEndWith(`],"count":${Math.min(500, files + 4)}}`)

    // Still alive and ready, never killed by the kernel.
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200)
    expect(await cgroup.oomKills()).toBe(0)
    const peak = await cgroup.peakBytes()
    console.info(
      `backend in ${pod.overlay}'s ${pod.limitBytes / MiB} MiB (LOG_DIR tmpfs ${pod.logVolumeBytes / MiB} MiB): ` +
        `peak ${(peak / MiB).toFixed(0)} MiB, ${((100 * peak) / pod.limitBytes).toFixed(0)}% of the limit`,
    )
    expect(await service.stop()).toBe(0)
    expect(service.output()).not.toContain(KEY)
  } finally {
    await cgroup.remove()
  }
}, 180_000)

test("health-check in the CronJob's limit survives a target answering a gzip bomb", async () => {
  const pod = await smallestMemory('health-check')
  const cgroup = await memoryCgroup('health', pod.limitBytes)
  try {
    upstream.mode('gzip-bomb')
    const logFile = join(await tempDir('memory-health'), 'health_check.log')
    const [shell, ...args] = cgroup.wrap([await compiledBinary('health-check')])
    const result = await runProgram(shell as string, {
      args,
      env: {
        ...pod.env,
        HEALTH_TARGETS: JSON.stringify([{ name: 'bomb', url: upstream.url }]),
        HEALTH_LOG_FILE: logFile,
      },
    })
    // A 200 is healthy whatever its body: at most 64 KiB of it, decoded, is read to look for an
    // error text; the other 1 GiB is never inflated.
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('"bomb"')
    expect(await readFile(logFile, 'utf8')).toContain('bomb')
    expect(await cgroup.oomKills()).toBe(0)
    const peak = await cgroup.peakBytes()
    console.info(
      `health-check in ${pod.overlay}'s ${pod.limitBytes / MiB} MiB: peak ${(peak / MiB).toFixed(0)} MiB, ` +
        `${((100 * peak) / pod.limitBytes).toFixed(0)}% of the limit`,
    )
  } finally {
    await cgroup.remove()
  }
}, 60_000)
