import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

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
const STALE_TEMP_MS = 60_000
/** /logs shows at most this much of one file; large external bodies stay readable on disk. */
export const MAX_SHOWN_BYTES = 64 * 1024

/**
 * Log files in one directory: unique sortable names (timestamp, per-process counter, random part),
 * written atomically and durably (temp file in the same directory, fsync, rename, fsync of the
 * directory), listed newest first.
 */
export class LogStore {
  private counter = 0
  private readonly instance = randomBytes(2).toString('hex')
  private state: Readiness = { ready: true }
  private checkedAt = 0
  private probing: Promise<Readiness> | null = null

  constructor(
    readonly dir: string,
    private readonly events: StoreEvents = {},
  ) {}

  /** Creates the directory and removes temp files a crashed writer left behind. */
  async init(): Promise<Readiness> {
    await mkdir(this.dir, { recursive: true }).catch(() => {})
    const names = await readdir(this.dir).catch(() => [] as string[])
    const now = Date.now()
    for (const name of names.filter((n) => n.startsWith('.') && n.endsWith('.tmp'))) {
      const path = join(this.dir, name)
      const info = await stat(path).catch(() => null)
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true })
    }
    return this.probe()
  }

  private nextName(label: string, at: Date): string {
    const stamp = at.toISOString().replace(/[-:.]/g, '')
    this.counter = (this.counter + 1) % 36 ** 6
    const seq = this.counter.toString(36).padStart(6, '0')
    const safeLabel = label.toLowerCase().replace(/[^a-z0-9.-]/g, '-')
    return `${stamp}-${safeLabel}-${seq}-${this.instance}${randomBytes(2).toString('hex')}.log`
  }

  private async writeAtomically(name: string, data: string | Uint8Array): Promise<void> {
    const temp = join(this.dir, `.${name}.tmp`)
    try {
      const handle = await open(temp, 'wx')
      try {
        await handle.writeFile(data)
        await handle.datasync()
      } finally {
        await handle.close()
      }
      await rename(temp, join(this.dir, name))
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {})
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
    this.remember({ ready: true })
    this.events.written?.()
    return name
  }

  /** The newest `limit` log files with their contents, newest first. */
  async list(limit: number): Promise<LogEntry[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((n) => LOG_FILE.test(n))
      .sort()
      .reverse()
      .slice(0, limit)
    const entries = await Promise.all(names.map((file) => this.read(file)))
    return entries.filter((e): e is LogEntry => e !== null)
  }

  private async read(file: string): Promise<LogEntry | null> {
    const bytes = await readFile(join(this.dir, file)).catch(() => null)
    if (!bytes) return null
    const truncated = bytes.length > MAX_SHOWN_BYTES
    const content = new TextDecoder().decode(truncated ? bytes.subarray(0, MAX_SHOWN_BYTES) : bytes)
    return { file, content, truncated }
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
      const temp = join(this.dir, `.probe-${process.pid}-${this.instance}.tmp`)
      try {
        await this.inDir(async () => {
          const handle = await open(temp, 'w')
          try {
            await handle.writeFile(PROBE_DATA)
            await handle.datasync()
          } finally {
            await handle.close()
          }
        })
        await rm(temp, { force: true })
        this.remember({ ready: true })
      } catch (error) {
        this.remember({ ready: false, reason: failureReason(error) })
        await rm(temp, { force: true }).catch(() => {})
      }
      this.probing = null
      return this.state
    })()
    return this.probing
  }
}
