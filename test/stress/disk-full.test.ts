// A tiny tmpfs as LOG_DIR, filled until ENOSPC: `/` answers 503 JSON, readiness turns 503, no
// partial file is left, and both recover by themselves once space is freed.
import { afterAll, expect } from 'bun:test'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { countLogFiles } from '../../bench/load/files.ts'
import { eventually } from '../monitoring/prometheus-server.ts'
import { hasCommand, isRoot, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { startBackend } from './backend.ts'

const mounted: string[] = []
// tempDir removes the directory at the end of the run; the mount must be gone before that.
afterAll(() => {
  for (const path of mounted) Bun.spawnSync(['umount', '-l', path])
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
const until = (url: string, status: number, withinMs: number) =>
  eventually(async () => {
    const response = await fetch(url)
    await response.arrayBuffer()
    expect({ url, status: response.status }).toEqual({ url, status })
  }, withinMs)

const canMount = isRoot() && hasCommand('mount')

testWhen(canMount, 'the disk-full test mounts a tmpfs and needs root (run as root or CI=true)')(
  'LOG_DIR on a full tmpfs -> 503 JSON, /readyz 503, no partial files, recovery after freeing space',
  async () => {
    const dir = await tempDir('stress-disk-full')
    mountTmpfs(dir, 64 * 1024)
    const backend = await startBackend(dir, { PROCESSING_DELAY_MS: '0' })

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

    const onDisk = await countLogFiles(dir)
    expect(onDisk.temp).toBe(0)
    expect(onDisk.complete).toBe(onDisk.files)

    const files = (await readdir(dir)).sort()
    await Promise.all(files.slice(0, files.length / 2).map((f) => rm(join(dir, f))))
    await until(`${backend.url}/`, 200, 5000)
    await until(`${backend.url}/readyz`, 200, 5000)
    expect(await backend.stop()).toBe(0)
  },
  60_000,
)
