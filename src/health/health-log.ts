// The log file on the claim: one line per check, appended by concurrent runs without ever
// interleaving inside a line, rotated to `.1` .. `.KEEP` before it would exceed its size.
import { constants } from 'node:fs'
import { type FileHandle, lstat, mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CheckReport } from './classify.ts'
import type { LogSettings } from './config.ts'
import { withLock } from './log-lock.ts'

/** One greppable line; the name is quoted because it may hold spaces. */
export function formatLogLine(report: CheckReport): string {
  const outcome = report.status === undefined ? `error=${report.error}` : `status=${report.status}`
  const detail = report.detail ? ` detail=${JSON.stringify(report.detail)}` : ''
  return (
    `${report.time} ${report.result} name=${JSON.stringify(report.name)} url=${report.url} ${outcome} ` +
    `latency_ms=${report.latencyMs} critical=${report.critical ? 'yes' : 'no'}${detail} ${report.message}`
  )
}

export const rotatedPath = (file: string, n: number) => `${file}.${n}`

/** The log path is a symlink, FIFO, directory or device: never followed, read or appended to. */
export class NotRegularFile extends Error {
  constructor(path: string, what: string) {
    super(`${path} ${what}: remove it or point HEALTH_LOG_FILE at a regular file`)
  }
}

/**
 * Opens the log, or one of its rotated files, only as a regular file: O_NOFOLLOW refuses a
 * symlink (ELOOP) and O_NONBLOCK keeps a FIFO from hanging the run past its deadline.
 */
export async function openLogFile(path: string, flags: number): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') {
      throw new NotRegularFile(path, 'is a symlink, which is never followed')
    }
    if (code === 'ENXIO') throw new NotRegularFile(path, 'is a FIFO')
    throw error
  }
  const info = await handle.stat().catch(async (error) => {
    await handle.close()
    throw error
  })
  if (info.isFile()) return handle
  await handle.close()
  throw new NotRegularFile(path, info.isFIFO() ? 'is a FIFO' : 'is not a regular file')
}

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

/** Shifts `.1`..`.KEEP-1` up by one (dropping the oldest) and moves the live file to `.1`. */
async function rotate(log: LogSettings): Promise<void> {
  if (log.keep === 0) {
    await rm(log.file, { force: true })
    return
  }
  for (let n = log.keep - 1; n >= 1; n--) {
    await rename(rotatedPath(log.file, n), rotatedPath(log.file, n + 1)).catch(ignoreMissing)
  }
  await rename(log.file, rotatedPath(log.file, 1)).catch(ignoreMissing)
}

/** One write() on an O_APPEND descriptor: the kernel places it whole at the end of the file. */
async function appendOnce(file: string, data: Buffer): Promise<void> {
  const { O_WRONLY, O_APPEND, O_CREAT } = constants
  const handle = await openLogFile(file, O_WRONLY | O_APPEND | O_CREAT)
  try {
    let written = 0
    while (written < data.length) {
      written += (await handle.write(data, written)).bytesWritten
    }
  } finally {
    await handle.close()
  }
}

export interface AppendResult {
  rotated: boolean
  /** The lock stayed taken, so the lines were appended without a size check. */
  unlocked: boolean
}

/** Appends all lines of a run at once, rotating first when the file would grow past its limit. */
export async function appendToHealthLog(log: LogSettings, lines: string[]): Promise<AppendResult> {
  const data = Buffer.from(lines.map((line) => `${line}\n`).join(''))
  await mkdir(dirname(log.file), { recursive: true })
  return withLock(`${log.file}.lock`, async (locked) => {
    let rotated = false
    if (locked) {
      const size = (await lstat(log.file).catch(() => undefined))?.size ?? 0
      if (size > 0 && size + data.length > log.maxBytes) {
        await rotate(log)
        rotated = true
      }
    }
    await appendOnce(log.file, data)
    return { rotated, unlocked: !locked }
  })
}
