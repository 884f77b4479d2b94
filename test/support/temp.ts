import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { trackDir } from './leftovers.ts'

/** A fresh directory under the system temp dir, removed at the end of the run (test/preload.ts). */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`))
  trackDir(dir)
  return dir
}
