// `health-check show`: the tail of the log, reaching into rotated files when the live one is
// short. The runtime image has no shell or `cat`; this is how a person reads the claim.
import { constants } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import type { LogSettings } from './config.ts'
import { openLogFile, rotatedPath } from './health-log.ts'

/** The lines of one file (bounded by rotation at HEALTH_LOG_MAX_BYTES); undefined if absent. */
async function linesOf(path: string): Promise<string[] | undefined> {
  let handle: FileHandle
  try {
    handle = await openLogFile(path, constants.O_RDONLY)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const text = await handle.readFile('utf8')
    return text.split('\n').filter((line) => line !== '')
  } finally {
    await handle.close()
  }
}

/**
 * The last `count` lines, oldest first, from the live file then `.1`, `.2`, ...; undefined when
 * there is no log at all yet.
 */
export async function tailHealthLog(
  log: LogSettings,
  count: number,
): Promise<string[] | undefined> {
  const paths = [
    log.file,
    ...Array.from({ length: log.keep }, (_, i) => rotatedPath(log.file, i + 1)),
  ]
  const newestFirst: string[][] = []
  let collected = 0
  let found = false
  for (const path of paths) {
    if (collected >= count) break
    const lines = await linesOf(path)
    if (lines === undefined) continue
    found = true
    const wanted = lines.slice(Math.max(0, lines.length - (count - collected)))
    newestFirst.push(wanted)
    collected += wanted.length
  }
  return found ? newestFirst.reverse().flat() : undefined
}
