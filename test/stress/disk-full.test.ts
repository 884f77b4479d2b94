// A tiny tmpfs as LOG_DIR, filled until ENOSPC: `/` answers 503 JSON, readiness turns 503, no
// partial file is left, and both recover by themselves once space is freed.
import { afterAll, expect } from 'bun:test'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { countLogFiles } from '../../bench/load/files.ts'
import { hasCommand, isRoot, testWhen } from '../support/requirements.ts'
import { startBackend, tempDir } from './backend.ts'

const dirs: Awaited<ReturnType<typeof tempDir>>[] = []
const mounted: string[] = []
afterAll(async () => {
  for (const path of mounted) Bun.spawnSync(['umount', '-l', path])
  await Promise.all(dirs.map((d) => d.remove()))
})

function mountTmpfs(path: string, bytes: number): void {
  const mount = Bun.spawnSync(['mount', '-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path])
  if (!mount.success) {
    throw new Error(
      `mount -t tmpfs failed (${mount.stderr.toString().trim()}): run as root with CAP_SYS_ADMIN (e.g. not inside an unprivileged container)`,
    )
  }
  mounted.push(path)
}

/** Polls `url` until it answers `status` (recovery is by the service's own re-probing). */
async function until(url: string, status: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const response = await fetch(url)
    await response.arrayBuffer()
    if (response.status === status || Date.now() > deadline) {
      expect({ url, status: response.status }).toEqual({ url, status })
      return
    }
    await Bun.sleep(100)
  }
}

const canMount = isRoot() && hasCommand('mount')

testWhen(canMount, 'the disk-full test mounts a tmpfs and needs root (run as root or CI=true)')(
  'LOG_DIR on a full tmpfs -> 503 JSON, /readyz 503, no partial files, recovery after freeing space',
  async () => {
    const dir = await tempDir('disk-full')
    dirs.push(dir)
    mountTmpfs(dir.path, 64 * 1024)
    const backend = await startBackend(dir.path, { PROCESSING_DELAY_MS: '0' })

    let refused: Response | null = null
    for (let i = 0; i < 200 && !refused; i++) {
      const response = await fetch(`${backend.url}/`)
      if (response.status === 503) refused = response
      else expect(response.status).toBe(200)
    }
    if (!refused) throw new Error('a 64 KiB tmpfs never filled up after 200 files')
    expect(refused.headers.get('content-type')).toContain('application/json')
    expect((await refused.json()) as object).toHaveProperty('error')
    const readiness = await fetch(`${backend.url}/readyz`)
    expect(readiness.status).toBe(503)
    expect(await readiness.json()).toHaveProperty('error')

    // readiness must not flip back while the disk is still full (it re-probes every few seconds)
    await Bun.sleep(3500)
    expect((await fetch(`${backend.url}/readyz`)).status).toBe(503)

    const onDisk = await countLogFiles(dir.path)
    expect(onDisk.temp).toBe(0)
    expect(onDisk.complete).toBe(onDisk.files)

    const files = (await readdir(dir.path)).sort()
    await Promise.all(files.slice(0, files.length / 2).map((f) => rm(join(dir.path, f))))
    await until(`${backend.url}/`, 200, 5000)
    await until(`${backend.url}/readyz`, 200, 5000)
    expect(await backend.stop()).toBe(0)
  },
  60_000,
)
