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
import { constants, release } from 'node:os'

export interface Durability {
  /** Called before a file is opened for writing; what it returns goes to `dataWritten`. */
  begin(): number
  /**
   * Resolves once the bytes written to `handle` so far are on disk; rejects if they may not be:
   * the sync failed, or (syncfs) any sync failed since `begin`, whoever's pages it reported.
   */
  dataWritten(handle: FileHandle, since: number): Promise<void>
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
    // fdatasync reports the errors of this file's own pages: nothing to remember.
    begin: () => 0,
    dataWritten: (handle) => handle.datasync(),
    renamed: () => directory.after().catch(() => {}),
  }
}

/**
 * Writes that share the syncs of their whole filesystem (`sync`: one syncfs(2), rejecting when it
 * fails), each waiting for one that started after its last byte.
 */
export class FileSystemSyncs implements Durability {
  private readonly syncs: SharedSyncs
  /**
   * Failed syncs so far. A writeback error is reported once, to the next syncfs, which may be one
   * that a write did not wait for (it ran while the write was still writing, or was a rename's).
   * So a write fails if any sync failed since it began. `sync` runs one
   * syncfs at a time, in order (one worker thread): a failure is counted before any later sync
   * resolves.
   */
  private failures = 0

  constructor(sync: () => Promise<void>) {
    this.syncs = new SharedSyncs(() =>
      sync().catch((error) => {
        this.failures++
        throw error
      }),
    )
  }

  begin(): number {
    return this.failures
  }

  async dataWritten(_handle: FileHandle, since: number): Promise<void> {
    await this.syncs.after()
    if (this.failures > since) {
      throw Object.assign(new Error('a sync of the filesystem failed during this write'), {
        code: 'EIO',
      })
    }
  }

  renamed(): Promise<void> {
    return this.syncs.after().catch(() => {})
  }
}

/**
 * syncfs(2) of the filesystem holding `fd`, on a worker thread started at the first call; one
 * call at a time, answered in order. `fd` is opened once, at start: syncfs reports a writeback
 * error to the descriptors that were open when it happened, so one long-lived descriptor sees
 * every error after start.
 */
function workerSyncfs(fd: number): () => Promise<void> {
  let worker: Worker | null = null
  const waiting: ((errno: number) => void)[] = []
  return () => {
    if (!worker) {
      worker = new Worker(WORKER_ENTRY)
      worker.unref()
      worker.onmessage = (event: MessageEvent<number>) => waiting.shift()?.(event.data)
      // A worker that cannot start (its entry point missing from a build) fails the writes.
      worker.onerror = () => {
        for (const answer of waiting.splice(0)) answer(constants.errno.EIO)
        worker = null
      }
    }
    worker.postMessage(fd)
    return new Promise((resolve, reject) => {
      waiting.push((errno) => {
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

/**
 * Whether this process can rely on syncfs(2): Linux with glibc (our images, CI, most laptops),
 * from 5.8 on, where syncfs reports writeback errors (before, it returns 0 whatever happened).
 */
function hasSyncfs(): boolean {
  if (process.platform !== 'linux') return false
  const [major = 0, minor = 0] = release()
    .split('.')
    .map((part) => Number.parseInt(part, 10))
  if (major < 5 || (major === 5 && minor < 8)) return false
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
      return new FileSystemSyncs(workerSyncfs(openSync(dir, 'r')))
    }
  } catch {
    // not statable or not openable now: the per-file syncs report the error on first write
  }
  return perFileSyncs(dir)
}
