// A pod's memory as the kubelet sets it up, for a program run by a test or `just bench`: a cgroup
// v1 memory controller with the container's limit and, for LOG_DIR, a tmpfs of the emptyDir's
// sizeLimit whose pages are charged to that cgroup (they are written from inside it).
import { existsSync } from 'node:fs'
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isRoot } from './requirements.ts'
import { tempDir } from './temp.ts'

const MEMORY_CGROUPS = '/sys/fs/cgroup/memory'

export const canLimitMemory = (): boolean =>
  isRoot() && existsSync(join(MEMORY_CGROUPS, 'memory.limit_in_bytes'))
export const MEMORY_LIMITS_MISSING =
  'memory limits: needs root and the cgroup v1 memory controller at /sys/fs/cgroup/memory'

export interface MemoryCgroup {
  /** The tmpfs LOG_DIR, when one was asked for. */
  logDir: string
  /** argv that runs `command` inside the cgroup: a shell moves itself in, then execs it. */
  wrap(command: string[]): string[]
  /** Most memory charged at once (memory.max_usage_in_bytes), the tmpfs pages included. */
  peakBytes(): Promise<number>
  /** Processes the kernel's OOM killer ended in this cgroup. */
  oomKills(): Promise<number>
  /** Unmounts the tmpfs and removes the cgroup once its processes are gone. */
  remove(): Promise<void>
}

async function run(argv: string[]): Promise<void> {
  const proc = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe' })
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited])
  if (code !== 0) throw new Error(`${argv.join(' ')} failed (${code}): ${stderr.trim()}`)
}

export async function memoryCgroup(
  name: string,
  limitBytes: number,
  tmpfsBytes = 0,
): Promise<MemoryCgroup> {
  const dir = join(MEMORY_CGROUPS, `small-services-${process.pid}-${name}`)
  const read = (file: string) => readFile(join(dir, file), 'utf8')
  await mkdir(dir)
  await writeFile(join(dir, 'memory.limit_in_bytes'), String(limitBytes))
  const logDir = join(await tempDir(`${name}-memory`), 'logs')
  await mkdir(logDir)
  if (tmpfsBytes > 0) {
    await run(['mount', '-t', 'tmpfs', '-o', `size=${tmpfsBytes},mode=0700`, 'pod-memory', logDir])
  }
  return {
    logDir,
    wrap: (command) => [
      '/bin/sh',
      '-c',
      `echo $$ > ${join(dir, 'cgroup.procs')} && exec "$@"`,
      'in-cgroup',
      ...command,
    ],
    peakBytes: async () => Number(await read('memory.max_usage_in_bytes')),
    async oomKills() {
      return Number(/^oom_kill (\d+)$/m.exec(await read('memory.oom_control'))?.[1] ?? Number.NaN)
    },
    async remove() {
      if (tmpfsBytes > 0) await run(['umount', logDir])
      for (let i = 0; i < 50 && (await read('cgroup.procs')).trim() !== ''; i++)
        await Bun.sleep(100)
      await rmdir(dir)
    },
  }
}

/** Each work log of fillWorkLogs: 32 KiB of control bytes, the costliest to escape as JSON. */
export const WORK_LOG_BYTES = 32 * 1024

/**
 * Fills the cgroup's LOG_DIR with as many work logs as `retentionBytes` holds, up to 500 (the most
 * one listing shows), written from inside the cgroup so that their pages are charged to it.
 * Returns how many it wrote.
 */
export async function fillWorkLogs(cgroup: MemoryCgroup, retentionBytes: number): Promise<number> {
  const files = Math.min(500, Math.floor(retentionBytes / WORK_LOG_BYTES))
  const template = join(await tempDir('work-log'), 'entry')
  await writeFile(template, Buffer.alloc(WORK_LOG_BYTES, 1))
  const names = Array.from({ length: files }, (_, i) => {
    const n = String(i).padStart(6, '0')
    return `20260101T000${n}Z-info-${n}-0000abcd.log`
  })
  const copyAll = 'cd "$1" && t="$2" && shift 2 && for n in "$@"; do cp "$t" "$n"; done'
  await run(cgroup.wrap(['/bin/sh', '-c', copyAll, 'fill', cgroup.logDir, template, ...names]))
  return files
}
