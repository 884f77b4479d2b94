// What LOG_DIR holds, kept in memory so that pruning and /logs never scan the directory: built
// once at start-up from readdir + stat, then updated by every write and every deletion.
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

export interface RetentionLimits {
  /** LOG_RETENTION_FILES: most log files kept. */
  files: number
  /** LOG_RETENTION_BYTES: most bytes the log files may occupy. */
  bytes: number
}

/** LOG_RETENTION_FILES / LOG_RETENTION_BYTES when unset. */
export const DEFAULT_RETENTION: RetentionLimits = { files: 10_000, bytes: 256 * 1024 * 1024 }

/**
 * What a file of `size` bytes occupies: tmpfs (an emptyDir with `medium: Memory`) and the usual
 * disks allocate whole 4 KiB pages, and even an empty file costs an inode, so a 100-byte log
 * entry counts as 4 KiB.
 */
export const occupied = (size: number) => Math.max(1, Math.ceil(size / 4096)) * 4096

/** Log file names, oldest first (names start with their UTC timestamp, so they sort by time). */
export class LogIndex {
  private readonly names: string[] = []
  private readonly sizes = new Map<string, number>()
  private total = 0

  add(name: string, size: number): void {
    if (this.sizes.has(name)) return
    // New files nearly always carry the newest timestamp, so the search from the end is short.
    let at = this.names.length
    while (at > 0 && (this.names[at - 1] as string) > name) at--
    this.names.splice(at, 0, name)
    const bytes = occupied(size)
    this.sizes.set(name, bytes)
    this.total += bytes
  }

  remove(name: string): void {
    const bytes = this.sizes.get(name)
    if (bytes === undefined) return
    this.sizes.delete(name)
    this.total -= bytes
    this.names.splice(this.names.indexOf(name), 1)
  }

  newest(limit: number): string[] {
    return this.names.slice(Math.max(0, this.names.length - limit)).reverse()
  }

  /**
   * Takes the oldest files out of the index until both limits hold, and returns them for
   * deletion. The newest file always stays, so a request never gets a name that is already gone.
   */
  takeExcess(limits: RetentionLimits): string[] {
    const excess: string[] = []
    while (
      this.names.length > 1 &&
      (this.names.length > limits.files || this.total > limits.bytes)
    ) {
      const oldest = this.names.shift() as string
      this.total -= this.sizes.get(oldest) ?? 0
      this.sizes.delete(oldest)
      excess.push(oldest)
    }
    return excess
  }
}

/** Temp files younger than this may belong to a write in progress in another process. */
const STALE_TEMP_MS = 60_000

const isTempName = (name: string) => name.startsWith('.') && name.endsWith('.tmp')

/**
 * Keeps a log directory within its limits by deleting the oldest files after writes, in the
 * background (a request never waits for it), and sweeps the temp files a killed writer left.
 * This is pruning by policy (LOG_RETENTION_FILES / LOG_RETENTION_BYTES), documented as such.
 */
export class Retention {
  readonly index = new LogIndex()
  /** Temp files this process is writing right now: never swept. */
  readonly ownTemps = new Set<string>()
  private running: Promise<void> | null = null
  private again = false
  private sweptAt = 0

  constructor(
    private readonly dir: string,
    private readonly limits: RetentionLimits,
  ) {}

  /** Indexes the log files already there and sweeps stale temps (one directory scan), then prunes. */
  async load(isLogFile: (name: string) => boolean): Promise<void> {
    const listing = await readdir(this.dir).catch(() => [] as string[])
    const names = listing.filter(isLogFile)
    const sizes = await Promise.all(
      names.map((name) =>
        stat(join(this.dir, name)).then(
          (s) => s.size,
          () => undefined,
        ),
      ),
    )
    for (const [i, name] of names.entries()) {
      const size = sizes[i]
      if (size !== undefined) this.index.add(name, size)
    }
    await this.sweepTemps(listing)
    this.prune()
    await this.settled()
  }

  /** Records a new file and prunes in the background. */
  added(name: string, size: number): void {
    this.index.add(name, size)
    this.prune()
  }

  /** Resolves once the pruning started so far has finished. */
  async settled(): Promise<void> {
    while (this.running) await this.running
  }

  private prune(): void {
    if (this.running) {
      this.again = true
      return
    }
    // `finally` runs after the assignment even when nothing had to be awaited.
    this.running = this.pruneUntilWithin().finally(() => {
      this.running = null
    })
  }

  private async pruneUntilWithin(): Promise<void> {
    do {
      this.again = false
      for (const name of this.index.takeExcess(this.limits)) {
        await rm(join(this.dir, name), { force: true }).catch(() => {})
      }
      if (Date.now() - this.sweptAt >= STALE_TEMP_MS) await this.sweepTemps()
    } while (this.again)
  }

  /**
   * Removes temps of writers that died (a previous container of this pod, a killed local run).
   * Another live process may share the directory locally, so only temps older than
   * STALE_TEMP_MS go; at most one directory scan per STALE_TEMP_MS (`listing` spares it).
   */
  private async sweepTemps(listing?: string[]): Promise<void> {
    this.sweptAt = Date.now()
    const names = listing ?? (await readdir(this.dir).catch(() => [] as string[]))
    const temps = names.filter((name) => isTempName(name) && !this.ownTemps.has(name))
    for (const name of temps) {
      const path = join(this.dir, name)
      const info = await stat(path).catch(() => null)
      if (info && this.sweptAt - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path, { force: true }).catch(() => {})
      }
    }
  }
}
