import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_RETENTION, Retention, type RetentionLimits } from './log-retention.ts'
import { type Durability, durabilityFor, perFileSyncs } from './log-sync.ts'
import { Redactor } from './redact.ts'

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

export interface DownloadSlot {
  save(label: string, body: AsyncIterable<Uint8Array>): Promise<{ file: string; bytes: number }>
  /** Gives the room back without a file (the download failed); `save` releases by itself. */
  release(): void
}

export interface StoreEvents {
  written?: () => void
  failed?: (reason: string) => void
}

export type Readiness = { ready: true } | { ready: false; reason: string }

export interface StoreOptions {
  /** Values never to store or serve (the integration keys): replaced by `[REDACTED]`. */
  secrets?: readonly (string | undefined)[]
}

/** What a write stores: bytes, or a stream of them (a download, read as it arrives). */
type Data = string | Uint8Array | AsyncIterable<Uint8Array>

/** Marks an error of the stream being stored (the network, its size), not of the disk. */
class SourceFailed {
  constructor(readonly error: unknown) {}
}

/** Open errors that say the name is gone or is not a file we read (a symlink: ELOOP). */
const NOT_A_LOG_FILE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENXIO'])

/**
 * Opens a file for reading only if it is a regular file: O_NOFOLLOW refuses a symlink, and
 * O_NONBLOCK keeps a FIFO from blocking the open (and with it a thread of the I/O pool). Null
 * when the name is gone or is not a regular file; other errors (EMFILE, EIO) are thrown.
 */
export async function openRegularFile(path: string): Promise<FileHandle | null> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
  let handle: FileHandle
  try {
    handle = await open(path, flags)
  } catch (error) {
    if (NOT_A_LOG_FILE.has((error as NodeJS.ErrnoException).code ?? '')) return null
    throw error
  }
  try {
    if ((await handle.stat()).isFile()) return handle
  } catch (error) {
    await handle.close()
    throw error
  }
  await handle.close()
  return null
}

/**
 * Writes a stream chunk by chunk; its own failure is thrown as SourceFailed. When the disk
 * fails instead, the stream is closed, so that its source (the upstream's body) is cancelled.
 */
async function writeStream(handle: FileHandle, data: AsyncIterable<Uint8Array>): Promise<number> {
  const chunks = data[Symbol.asyncIterator]()
  let size = 0
  try {
    for (;;) {
      const next = await chunks.next().catch((error) => {
        throw new SourceFailed(error)
      })
      if (next.done) return size
      await handle.write(next.value)
      size += next.value.byteLength
    }
  } catch (error) {
    if (!(error instanceof SourceFailed)) await chunks.return?.(undefined)?.catch(() => {})
    throw error
  }
}

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
 * written atomically and durably (temp file in the same directory, its data synced, rename, the
 * rename synced: how, log-sync.ts), listed newest first, the oldest deleted once the retention
 * limits are exceeded.
 */
export class LogStore {
  private counter = 0
  private readonly instance = randomBytes(2).toString('hex')
  private state: Readiness = { ready: true }
  private checkedAt = 0
  private probing: Promise<Readiness> | null = null
  readonly retention: Retention
  private readonly redactor: Redactor
  /** Each file syncing its own data: the readiness probe always, any write before `init`. */
  private readonly perFile: Durability
  /** How log files are made durable, chosen by `init` for LOG_DIR's filesystem (log-sync.ts). */
  private durability: Durability

  constructor(
    readonly dir: string,
    private readonly events: StoreEvents = {},
    limits: RetentionLimits = DEFAULT_RETENTION,
    options: StoreOptions = {},
  ) {
    this.retention = new Retention(dir, limits)
    this.redactor = new Redactor(options.secrets ?? [])
    this.perFile = perFileSyncs(dir)
    this.durability = this.perFile
  }

  /** Creates the directory, indexes the files already there and prunes them to the limits. */
  async init(): Promise<Readiness> {
    await mkdir(this.dir, { recursive: true }).catch(() => {})
    this.durability = durabilityFor(this.dir)
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

  /**
   * Writes, syncs and closes `path` (a temp file only this process knows about); returns the
   * bytes written. A stream is written chunk by chunk, never held whole; its own failure is
   * thrown as SourceFailed.
   */
  private async writeTemp(
    name: string,
    data: Data,
    flags: string,
    durability = this.durability,
  ): Promise<number> {
    this.retention.ownTemps.add(name)
    const since = durability.begin()
    try {
      const handle = await open(join(this.dir, name), flags)
      try {
        let size = 0
        if (typeof data === 'string' || data instanceof Uint8Array) {
          await handle.writeFile(data)
          size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
        } else {
          size = await writeStream(handle, data)
        }
        await durability.dataWritten(handle, since)
        return size
      } finally {
        await handle.close()
      }
    } finally {
      this.retention.ownTemps.delete(name)
    }
  }

  private async writeAtomically(name: string, data: Data): Promise<number> {
    const temp = `.${name}.tmp`
    let size: number
    try {
      size = await this.writeTemp(temp, data, 'wx')
      await rename(join(this.dir, temp), join(this.dir, name))
    } catch (error) {
      await rm(join(this.dir, temp), { force: true }).catch(() => {})
      throw error
    }
    // The rename must reach the disk too, or a power cut could forget the file.
    await this.durability.renamed()
    return size
  }

  /** Runs `work`; if the directory vanished (ENOENT), creates it and runs `work` once more. */
  private async inDir<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      await mkdir(this.dir, { recursive: true })
      return await work()
    }
  }

  /** Stores `data` under a new name with `label` in it; returns the name and the bytes stored. */
  private async store(label: string, data: Data, at: Date): Promise<[string, number]> {
    const name = this.nextName(label, at)
    try {
      // A stream cannot be read twice: its directory is made before, not after a failure.
      const size =
        typeof data === 'string' || data instanceof Uint8Array
          ? await this.inDir(() => this.writeAtomically(name, data))
          : await this.writeAtomically(name, data)
      this.remember({ ready: true })
      this.events.written?.()
      return [name, size]
    } catch (error) {
      if (error instanceof SourceFailed) throw error.error
      const reason = failureReason(error)
      this.remember({ ready: false, reason })
      this.events.failed?.(reason)
      throw new LogWriteError(reason, this.dir)
    }
  }

  /** Writes one new work log file; `label` goes into the name (e.g. `info`). */
  async write(label: string, data: string | Uint8Array, at = new Date()): Promise<string> {
    const [name, size] = await this.store(label, data, at)
    this.retention.added(name, size)
    return name
  }

  /**
   * Room for one download (MAX_DOWNLOAD_BYTES of its own retention budget), or null when as many
   * downloads as the budget holds are in progress. The slot's `save` stores the body as it
   * arrives, secrets redacted, and throws the stream's own error (network, size) as it came.
   */
  async reserveDownload(): Promise<DownloadSlot | null> {
    if (!(await this.retention.reserveDownload())) return null
    let open = true
    const release = (name?: string, size?: number) => {
      if (open) this.retention.releaseDownload(name, size)
      open = false
    }
    return {
      save: async (label, body) => {
        await mkdir(this.dir, { recursive: true }).catch(() => {})
        const [file, bytes] = await this.store(label, this.redactor.stream(body), new Date())
        release(file, bytes)
        return { file, bytes }
      },
      release: () => release(),
    }
  }

  /** The newest `limit` log files with (the start of) their contents, newest first. */
  async *entries(limit: number): AsyncGenerator<LogEntry> {
    for (const file of this.retention.newest(limit)) {
      const entry = await this.read(file)
      if (entry) yield entry
    }
  }

  /** `entries`, collected. */
  async list(limit: number): Promise<LogEntry[]> {
    return Array.fromAsync(this.entries(limit))
  }

  /**
   * Reads at most MAX_SHOWN_BYTES, however large the file (/logs may list 500 10 MiB bodies),
   * with secrets redacted. A name that is no longer a regular file is forgotten, never followed.
   */
  private async read(file: string): Promise<LogEntry | null> {
    // A passing failure (no descriptor free, EIO) skips the file this time and keeps it indexed.
    const handle = await openRegularFile(join(this.dir, file)).catch(() => undefined)
    if (handle === undefined) return null
    if (handle === null) {
      this.retention.forget(file) // deleted by hand, replaced, or not a regular file
      return null
    }
    try {
      const { size } = await handle.stat()
      // Enough past the cut that a secret starting before it is read whole, and redacted.
      const wanted = Math.min(size, MAX_SHOWN_BYTES + this.redactor.overlap)
      const { buffer, bytesRead } = await handle.read({
        buffer: Buffer.allocUnsafe(wanted),
        position: 0,
      })
      // Cut at MAX_SHOWN_BYTES of the file, not of the redacted text (shorter), so nothing from
      // past the cut moves in; a secret that crosses the cut goes whole.
      const { out, used } = this.redactor.prefix(buffer.subarray(0, bytesRead), MAX_SHOWN_BYTES)
      return { file, content: UTF8.decode(out), truncated: size > used }
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
        // Its own data sync: a probe on a disk must not flush the whole filesystem every few
        // seconds while the service is idle, and it only asks whether 64 KiB still fit.
        await this.inDir(() => this.writeTemp(temp, PROBE_DATA, 'w', this.perFile))
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
