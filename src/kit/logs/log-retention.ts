// What LOG_DIR holds, kept in memory so that pruning and /logs never scan the directory: built
// once at start-up from readdir + stat, then updated by every write and every deletion.
import { lstat, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** The most one downloaded body may hold: each download in progress reserves this much. */
export const MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024

export interface RetentionLimits {
  /** LOG_RETENTION_FILES: most work log files (`GET /`) kept. */
  files: number
  /** LOG_RETENTION_BYTES: most bytes the work log files may occupy. */
  bytes: number
  /**
   * LOG_RETENTION_DOWNLOAD_BYTES: most bytes downloaded bodies may occupy, downloads in progress
   * included (MAX_DOWNLOAD_BYTES each), so it also sets how many may run at once. A budget of
   * its own: downloads never evict work logs, nor work logs downloads.
   */
  downloadBytes: number
}

/** The retention limits when unset. */
export const DEFAULT_RETENTION: RetentionLimits = {
  files: 10_000,
  bytes: 256 * 1024 * 1024,
  downloadBytes: 4 * MAX_DOWNLOAD_BYTES,
}

/** How many downloads fit in the budget at once. */
export const downloadsAtOnce = (limits: RetentionLimits) =>
  Math.floor(limits.downloadBytes / MAX_DOWNLOAD_BYTES)

/** Downloaded bodies are stored under the label `external-<env>`. */
export const isDownload = (name: string) => /^\d{8}T\d{9}Z-external-/.test(name)

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

  get size(): number {
    return this.names.length
  }

  /**
   * Takes the oldest files out of the index until they number at most `files` and occupy at most
   * `bytes`, and returns them for deletion. Unless `keepNewest` is false, the newest file always
   * stays, so a request never gets a name that is already gone.
   */
  takeExcess(files: number, bytes: number, keepNewest = true): string[] {
    const excess: string[] = []
    const floor = keepNewest ? 1 : 0
    while (this.names.length > floor && (this.names.length > files || this.total > bytes)) {
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
  /** Files written whole: `GET /`'s entries. */
  readonly work = new LogIndex()
  /** Downloaded bodies, with the space reserved for the downloads in progress. */
  readonly downloads = new LogIndex()
  private reserved = 0
  /** Temp files this process is writing right now: never swept. */
  readonly ownTemps = new Set<string>()
  private running: Promise<void> | null = null
  private again = false
  private sweptAt = 0

  constructor(
    private readonly dir: string,
    private readonly limits: RetentionLimits,
  ) {}

  private indexOf(name: string): LogIndex {
    return isDownload(name) ? this.downloads : this.work
  }

  /**
   * Indexes the log files already there and sweeps stale temps (one directory scan), then prunes.
   * Only regular files count: a symlink, FIFO or directory named like a log file is left alone.
   */
  async load(isLogFile: (name: string) => boolean): Promise<void> {
    const listing = await readdir(this.dir).catch(() => [] as string[])
    const names = listing.filter(isLogFile)
    const sizes = await Promise.all(
      names.map((name) =>
        lstat(join(this.dir, name)).then(
          (s) => (s.isFile() ? s.size : undefined),
          () => undefined,
        ),
      ),
    )
    for (const [i, name] of names.entries()) {
      const size = sizes[i]
      if (size !== undefined) this.indexOf(name).add(name, size)
    }
    await this.sweepTemps(listing)
    this.prune()
    await this.settled()
  }

  /** Records a new file and prunes in the background. */
  added(name: string, size: number): void {
    this.indexOf(name).add(name, size)
    this.prune()
  }

  /** Forgets a file that is gone (deleted by hand) or must not be read. */
  forget(name: string): void {
    this.indexOf(name).remove(name)
  }

  /** The newest `limit` log files of both kinds, newest first. */
  newest(limit: number): string[] {
    const merged = [...this.work.newest(limit), ...this.downloads.newest(limit)]
    return merged.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, limit)
  }

  /**
   * Reserves MAX_DOWNLOAD_BYTES for a download about to start, deleting the oldest downloaded
   * bodies to make room; false when the downloads in progress already fill the budget.
   * Resolves once the room is free on disk.
   */
  async reserveDownload(): Promise<boolean> {
    if (this.reserved + MAX_DOWNLOAD_BYTES > this.limits.downloadBytes) return false
    this.reserved += MAX_DOWNLOAD_BYTES
    this.prune()
    await this.settled()
    return true
  }

  /** Gives a reservation back; with the downloaded file's `name`, records it in the same step. */
  releaseDownload(name?: string, size = 0): void {
    this.reserved -= MAX_DOWNLOAD_BYTES
    if (name) this.added(name, size)
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
    // `finally` runs after the assignment even when nothing had to be awaited. A prune asked for
    // in the ticks between the loop's last check and this callback would be lost: start it here.
    this.running = this.pruneUntilWithin().finally(() => {
      this.running = null
      if (this.again) this.prune()
    })
  }

  private async pruneUntilWithin(): Promise<void> {
    do {
      this.again = false
      const { files, bytes, downloadBytes } = this.limits
      const excess = [
        ...this.work.takeExcess(files, bytes),
        // With downloads in progress, their reservations may take the place of the newest body.
        ...this.downloads.takeExcess(
          Number.POSITIVE_INFINITY,
          downloadBytes - this.reserved,
          this.reserved === 0,
        ),
      ]
      for (const name of excess) await rm(join(this.dir, name), { force: true }).catch(() => {})
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
      const info = await lstat(path).catch(() => null)
      if (info && this.sweptAt - info.mtimeMs > STALE_TEMP_MS) {
        await rm(path, { force: true }).catch(() => {})
      }
    }
  }
}
