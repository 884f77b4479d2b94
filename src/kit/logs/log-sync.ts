// How a log file reaches the disk. A write is durable once its bytes are synced before the rename
// that publishes it, and the rename is synced after it. Two ways, chosen per LOG_DIR at start:
// - on a tmpfs (our pods' memory-backed emptyDir) a sync costs nothing: each file syncs its own
//   data, and concurrent renames share directory syncs;
// - on a disk (`just dev`, `docker run -v`, a PersistentVolume) the syncs are the cost, so a burst
//   shares them: one syncfs(2) flushes the data of every file written so far, another after the
//   renames flushes their directory entries. syncfs blocks, so it runs on a worker thread.
// docs/DESIGN.md "Durability of log files" has the argument; bench/load/durable.ts the figures.
import { dlopen } from 'bun:ffi'
import { openSync, statfsSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { constants } from 'node:os'

export interface Durability {
  /** Resolves once the bytes written to `handle` so far are on disk; rejects if they may not be. */
  dataWritten(handle: FileHandle): Promise<void>
  /** Resolves once the renames completed so far are on disk. A failure here is not reported. */
  renamed(): Promise<void>
}

/**
 * Syncs shared by concurrent callers (group commit). A caller needs a sync that STARTS after its
 * call: a sync makes durable what is written when it runs. With none running, one starts at once,
 * so a lone write waits no longer than with a sync of its own. With one running, it may have
 * started too early, so the caller waits for the next one, which starts when the running one ends
 * and is shared by every caller that arrived meanwhile: a burst of N writes pays a few syncs.
 * When a sync fails, the callers waiting for the next one fail with it: the failed pages may be
 * theirs (a filesystem's error is reported once, to whichever sync comes first).
 */
export class SharedSyncs {
  private running: Promise<void> | null = null
  private next: Promise<void> | null = null

  constructor(private readonly sync: () => Promise<void>) {}

  /** Resolves once a sync that started after this call has completed. */
  after(): Promise<void> {
    if (!this.running) return this.start()
    this.next ??= this.running.then(
      () => {
        this.next = null
        return this.start()
      },
      (error) => {
        this.next = null
        throw error
      },
    )
    return this.next
  }

  private start(): Promise<void> {
    const sync = this.sync().finally(() => {
      if (this.running === sync) this.running = null
    })
    this.running = sync
    return sync
  }
}

/** Each file's data synced on its own; directory syncs shared. */
export function perFileSyncs(dir: string): Durability {
  const directory = new SharedSyncs(async () => {
    // The files are complete and in place already, so a failed directory sync fails nothing.
    const handle = await open(dir, 'r').catch(() => null)
    await handle?.sync().catch(() => {})
    await handle?.close().catch(() => {})
  })
  return {
    dataWritten: (handle) => handle.datasync(),
    renamed: () => directory.after().catch(() => {}),
  }
}

/** One syncfs(2) of LOG_DIR's filesystem per batch, on a worker thread. */
class FileSystemSyncs implements Durability {
  private worker: Worker | null = null
  private readonly waiting: ((errno: number) => void)[] = []
  private readonly syncs = new SharedSyncs(() => this.syncfs())

  /**
   * `fd` is opened once, at start: syncfs reports a writeback error to the descriptors that were
   * open when it happened, so one long-lived descriptor sees every error after start.
   */
  constructor(private readonly fd: number) {}

  dataWritten(): Promise<void> {
    return this.syncs.after()
  }

  renamed(): Promise<void> {
    return this.syncs.after().catch(() => {})
  }

  private syncfs(): Promise<void> {
    if (!this.worker) {
      this.worker = new Worker(WORKER_ENTRY)
      this.worker.unref()
      this.worker.onmessage = (event: MessageEvent<number>) => this.waiting.shift()?.(event.data)
      // A worker that cannot start (its entry point missing from a build) fails the writes.
      this.worker.onerror = () => {
        for (const answer of this.waiting.splice(0)) answer(constants.errno.EIO)
        this.worker = null
      }
    }
    this.worker.postMessage(this.fd)
    return new Promise((resolve, reject) => {
      this.waiting.push((errno) => {
        if (errno === 0) return resolve()
        reject(
          Object.assign(new Error(`syncfs failed (errno ${errno})`), { code: errnoCode(errno) }),
        )
      })
    })
  }
}

/**
 * The worker's entry point: next to this file when run from source; in a compiled binary, where
 * scripts/build.ts embeds it, under the common directory of the entry points (src/).
 */
const WORKER_ENTRY = import.meta.url.startsWith('file:///$bunfs/')
  ? '/$bunfs/root/kit/logs/syncfs-worker.ts'
  : new URL('./syncfs-worker.ts', import.meta.url).href

const TMPFS_MAGIC = 0x01021994
const RAMFS_MAGIC = 0x858458f6

const errnoCode = (errno: number) =>
  Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? 'EIO'

/** Whether this process can call syncfs(2): Linux with glibc (our images, CI, most laptops). */
function hasSyncfs(): boolean {
  if (process.platform !== 'linux') return false
  try {
    dlopen('libc.so.6', { syncfs: { args: ['i32'], returns: 'i32' } }).close()
    return true
  } catch {
    return false
  }
}

/** The way to make writes in `dir` (which exists) durable; see the top of this file. */
export function durabilityFor(dir: string): Durability {
  try {
    const type = statfsSync(dir).type
    if (type !== TMPFS_MAGIC && type !== RAMFS_MAGIC && hasSyncfs()) {
      return new FileSystemSyncs(openSync(dir, 'r'))
    }
  } catch {
    // not statable or not openable now: the per-file syncs report the error on first write
  }
  return perFileSyncs(dir)
}
