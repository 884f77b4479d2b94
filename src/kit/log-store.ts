import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_RETENTION, Retention, type RetentionLimits } from './log-retention.ts'

/** errno codes worth their own metric label; anything else is `other`. */
const KNOWN_REASONS = [
  'ENOSPC',
  'EACCES',
  'EROFS',
  'EPERM',
  'ENOENT',
  'ENOTDIR',
  'EDQUOT',
  'EEXIST',
  'EMFILE',
  'EIO',
]

/** Every `reason` label of log_write_failures_total. */
export const WRITE_FAILURE_REASONS = [...KNOWN_REASONS, 'other']

export function failureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code && KNOWN_REASONS.includes(code) ? code : 'other'
}

export class LogWriteError extends Error {
  constructor(
    readonly reason: string,
    readonly dir: string,
  ) {
    super(`cannot write to log directory ${dir} (${reason})`)
  }
}

export interface LogEntry {
  file: string
  content: string
  truncated: boolean
}

export interface StoreEvents {
  written?: () => void
  failed?: (reason: string) => void
}

export type Readiness = { ready: true } | { ready: false; reason: string }

const LOG_FILE = /^\d{8}T\d{9}Z-[a-z0-9.-]+-[0-9a-z]{6}-[0-9a-f]{8}\.log$/
const PROBE_EVERY_MS = 3000
/**
 * What the readiness probe writes and syncs. An empty file still gets created on a full disk, so
 * only real bytes tell whether a log entry would fit.
 */
const PROBE_DATA = new Uint8Array(64 * 1024)
/** /logs shows at most this much of one file; large external bodies stay readable on disk. */
export const MAX_SHOWN_BYTES = 64 * 1024
/** Stateless between calls (no `stream` option), so one serves every read. */
const UTF8 = new TextDecoder()

/**
 * Log files in one directory: unique sortable names (timestamp, per-process counter, random part),
 * written atomically and durably (temp file in the same directory, fsync, rename, fsync of the
 * directory), listed newest first, the oldest deleted once the retention limits are exceeded.
 */
export class LogStore {
  private counter = 0
  private readonly instance = randomBytes(2).toString('hex')
  private state: Readiness = { ready: true }
  private checkedAt = 0
  private probing: Promise<Readiness> | null = null
  readonly retention: Retention

  constructor(
    readonly dir: string,
    private readonly events: StoreEvents = {},
    limits: RetentionLimits = DEFAULT_RETENTION,
  ) {
    this.retention = new Retention(dir, limits)
  }

  /** Creates the directory, indexes the files already there and prunes them to the limits. */
  async init(): Promise<Readiness> {
    await mkdir(this.dir, { recursive: true }).catch(() => {})
    await this.retention.load((name) => LOG_FILE.test(name))
    return this.probe()
  }

  private nextName(label: string, at: Date): string {
    const stamp = at.toISOString().replace(/[-:.]/g, '')
    this.counter = (this.counter + 1) % 36 ** 6
    const seq = this.counter.toString(36).padStart(6, '0')
    const safeLabel = label.toLowerCase().replace(/[^a-z0-9.-]/g, '-')
    return `${stamp}-${safeLabel}-${seq}-${this.instance}${randomBytes(2).toString('hex')}.log`
  }

  /** Writes, syncs and closes `path` (a temp file only this process knows about). */
  private async writeTemp(name: string, data: string | Uint8Array, flags: string): Promise<void> {
    this.retention.ownTemps.add(name)
    try {
      const handle = await open(join(this.dir, name), flags)
      try {
        await handle.writeFile(data)
        await handle.datasync()
      } finally {
        await handle.close()
      }
    } finally {
      this.retention.ownTemps.delete(name)
    }
  }

  private async writeAtomically(name: string, data: string | Uint8Array): Promise<void> {
    const temp = `.${name}.tmp`
    try {
      await this.writeTemp(temp, data, 'wx')
      await rename(join(this.dir, temp), join(this.dir, name))
    } catch (error) {
      await rm(join(this.dir, temp), { force: true }).catch(() => {})
      throw error
    }
    // The rename must reach the disk too, or a power cut could forget the file. The file is
    // complete and in place already, so a failure here does not fail the write.
    const dir = await open(this.dir, 'r').catch(() => null)
    await dir?.sync().catch(() => {})
    await dir?.close()
  }

  /** Runs `work`; if the directory vanished (ENOENT), creates it and runs `work` once more. */
  private async inDir(work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      await mkdir(this.dir, { recursive: true })
      await work()
    }
  }

  /** Writes one new file; `label` goes into the name (e.g. `info`, `external-staging`). */
  async write(label: string, data: string | Uint8Array, at = new Date()): Promise<string> {
    const name = this.nextName(label, at)
    try {
      await this.inDir(() => this.writeAtomically(name, data))
    } catch (error) {
      const reason = failureReason(error)
      this.remember({ ready: false, reason })
      this.events.failed?.(reason)
      throw new LogWriteError(reason, this.dir)
    }
    this.retention.added(name, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength)
    this.remember({ ready: true })
    this.events.written?.()
    return name
  }

  /** The newest `limit` log files with (the start of) their contents, newest first. */
  async list(limit: number): Promise<LogEntry[]> {
    const entries = await Promise.all(
      this.retention.index.newest(limit).map((file) => this.read(file)),
    )
    return entries.filter((e): e is LogEntry => e !== null)
  }

  /** Reads at most MAX_SHOWN_BYTES, however large the file: /logs may list 500 10 MiB bodies. */
  private async read(file: string): Promise<LogEntry | null> {
    const handle = await open(join(this.dir, file), 'r').catch(() => null)
    if (!handle) {
      this.retention.index.remove(file) // deleted by hand, or the directory was replaced
      return null
    }
    try {
      const { size } = await handle.stat()
      const { buffer, bytesRead } = await handle.read({
        buffer: Buffer.allocUnsafe(Math.min(size, MAX_SHOWN_BYTES)),
        position: 0,
      })
      const content = UTF8.decode(buffer.subarray(0, bytesRead))
      return { file, content, truncated: size > MAX_SHOWN_BYTES }
    } catch {
      return null
    } finally {
      await handle.close()
    }
  }

  private remember(state: Readiness) {
    this.state = state
    this.checkedAt = Date.now()
  }

  /**
   * Whether files can be written now. Cheap for probes: answers from the last write or probe and
   * re-probes (one 64 KiB temp file, written, synced and removed) at most every few seconds.
   */
  readiness(): Readiness | Promise<Readiness> {
    if (Date.now() - this.checkedAt < PROBE_EVERY_MS) return this.state
    return this.probe()
  }

  private probe(): Promise<Readiness> {
    this.probing ??= (async () => {
      const temp = `.probe-${process.pid}-${this.instance}.tmp`
      try {
        await this.inDir(() => this.writeTemp(temp, PROBE_DATA, 'w'))
        await rm(join(this.dir, temp), { force: true })
        this.remember({ ready: true })
      } catch (error) {
        this.remember({ ready: false, reason: failureReason(error) })
        await rm(join(this.dir, temp), { force: true }).catch(() => {})
      }
      this.probing = null
      return this.state
    })()
    return this.probing
  }
}
