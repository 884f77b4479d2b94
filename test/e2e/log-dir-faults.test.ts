import { describe, expect, test } from 'bun:test'
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises'
import { isRoot, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { type RunningService, startService } from './harness.ts'

/** Readiness re-probes at most every 3 s: poll until it reaches the wanted status. */
async function readyzBecomes(service: RunningService, status: number) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const res = await service.get('/readyz')
    if (res.status === status || Date.now() > deadline) {
      expect(res.status).toBe(status)
      return res.body
    }
    await Bun.sleep(250)
  }
}

describe('an unwritable LOG_DIR', () => {
  // chmod does not stop root, so the directory is swapped for a plain file: fails for everyone.
  test('-> / answers 503 and /readyz 503, the process stays up and recovers by itself', async () => {
    const service = await startService('data-api')
    expect((await service.get('/')).status).toBe(200)
    const aside = `${service.logDir}.aside`
    await rename(service.logDir, aside)
    await writeFile(service.logDir, 'in the way')

    const failed = await service.get('/')
    expect(failed.status).toBe(503)
    expect(failed.body.reason).toBe('ENOTDIR')
    expect((await readyzBecomes(service, 503)).error).toContain('not writable')
    expect((await service.get('/healthz')).status).toBe(200)
    expect((await service.get('/metrics')).text).toContain(
      'log_write_failures_total{reason="ENOTDIR"',
    )

    await Bun.file(service.logDir).delete()
    await rename(aside, service.logDir)
    expect((await service.get('/')).status).toBe(200)
    await readyzBecomes(service, 200)
    expect(await service.logFiles()).toHaveLength(2)
    expect(await service.stop()).toBe(0)
  }, 60_000)

  const mountable = testWhen(isRoot(), 'read-only and full filesystem tests need root (mount)')

  mountable(
    'on a read-only mount -> 503 EROFS, then 200 after remount read-write',
    async () => {
      const dir = await tempDir('ro-mount')
      mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir])
      try {
        const service = await startService('backend-api', { LOG_DIR: dir })
        mount(['-o', 'remount,ro', dir])
        expect(await service.get('/')).toMatchObject({ status: 503, body: { reason: 'EROFS' } })
        await readyzBecomes(service, 503)
        mount(['-o', 'remount,rw', dir])
        expect((await service.get('/')).status).toBe(200)
        await readyzBecomes(service, 200)
        expect(await service.stop()).toBe(0)
      } finally {
        umount(dir)
      }
    },
    60_000,
  )

  mountable(
    'on a full disk -> 503 ENOSPC and no partial file left',
    async () => {
      const dir = await tempDir('full-mount')
      mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir])
      try {
        const service = await startService('data-api', { LOG_DIR: `${dir}/logs` })
        await mkdir(`${dir}/logs`, { recursive: true })
        await writeFile(`${dir}/filler`, new Uint8Array(64 * 1024)).catch(() => {})
        const full = await service.get('/')
        expect(full).toMatchObject({ status: 503, body: { reason: 'ENOSPC' } })
        expect(await readdir(`${dir}/logs`)).toEqual([])
        expect((await service.get('/metrics')).text).toContain(
          'log_write_failures_total{reason="ENOSPC"',
        )
        expect(await service.stop()).toBe(0)
      } finally {
        umount(dir)
      }
    },
    60_000,
  )
})

function mount(args: string[]) {
  const proc = Bun.spawnSync(['mount', ...args], { stderr: 'pipe' })
  if (!proc.success) throw new Error(`mount ${args.join(' ')}: ${proc.stderr.toString()}`)
}

function umount(dir: string) {
  Bun.spawnSync(['umount', '-l', dir])
}
