// The order of the syscalls behind every 200 of `GET /`, traced with strace: kill -9 cannot prove
// durability (the page cache survives it), the order of the syncs can. For each file a response
// names: a sync of its data that started after its last write, then its rename, then a sync that
// started after that rename, all completed before the response was written to the socket; and the
// syncs shared by the burst. Both ways of src/kit/logs/log-sync.ts: on a disk, syncfs(2) per batch; on
// a tmpfs, each file's fdatasync and shared directory fsyncs.
import { describe, expect } from 'bun:test'
import { mkdtemp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
import { trackDir } from '../support/leftovers.ts'
import { startProgram } from '../support/processes.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'

const test = testWhen(hasCommand('strace'), 'durability order: strace is not installed')
const REQUESTS = 200

interface Call {
  name: string
  /** The call's text up to its result: arguments with strace's -y paths. */
  args: string
  start: number
  end: number
}

const LINE = /^(\d+) +(\d+\.\d+) (.*)$/
const DONE = /^(.*) = (-?\d+)(?: [A-Z]+ \(.*\))? <(\d+\.\d+)>$/

/** The completed calls of an `strace -f -ttt -T -y` log, unfinished/resumed halves joined. */
function parseTrace(text: string): Call[] {
  const calls: Call[] = []
  const pending = new Map<string, { name: string; args: string; start: number }>()
  for (const line of text.split('\n')) {
    const [, tid = '', at = '', rest = ''] = LINE.exec(line) ?? []
    if (!tid) continue
    const time = Number(at)
    const unfinished = /^(\w+)\((.*) <unfinished \.\.\.>$/.exec(rest)
    if (unfinished) {
      pending.set(tid, { name: unfinished[1] ?? '', args: unfinished[2] ?? '', start: time })
      continue
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(rest)
    const done = DONE.exec(resumed ? (resumed[2] ?? '') : rest)
    if (!done) continue // signals, exits
    if (resumed) {
      const begun = pending.get(tid)
      pending.delete(tid)
      if (!begun || begun.name !== resumed[1] || done[2]?.startsWith('-')) continue
      calls.push({ ...begun, args: begun.args + (done[1] ?? ''), end: time })
      continue
    }
    const whole = /^(\w+)\((.*)$/.exec(done[1] ?? '')
    if (!whole || Number(done[2]) < 0) continue
    calls.push({
      name: whole[1] ?? '',
      args: whole[2] ?? '',
      start: time,
      end: time + Number(done[3]),
    })
  }
  return calls
}

/** /var/tmp is on a disk wherever /tmp may be a tmpfs; /dev/shm is a tmpfs everywhere. */
const places = [
  { where: 'a disk', parent: '/var/tmp', batched: true },
  { where: 'a tmpfs', parent: '/dev/shm', batched: false },
]

describe.each(places)('LOG_DIR on $where', ({ parent, batched }) => {
  test(`${REQUESTS} concurrent GET /: every file a 200 names was synced, renamed and the rename synced before the answer`, async () => {
    const logDir = await mkdtemp(join(parent, 'durability-'))
    trackDir(logDir)
    const trace = join(await tempDir('durability-trace'), 'strace.log')
    const syscalls =
      'write,pwrite64,writev,fdatasync,fsync,syncfs,rename,renameat,renameat2,sendto,sendmsg'
    const service = await startProgram('strace', {
      args: [
        '-f',
        '-ttt',
        '-T',
        '-y',
        '-s',
        '1024',
        '-e',
        `trace=${syscalls}`,
        '-o',
        trace,
        '--',
        await compiledBinary('backend-api'),
      ],
      env: { LOG_DIR: logDir, PROCESSING_DELAY_MS: '50', SHUTDOWN_DRAIN_MS: '0' },
      readyTimeoutMs: 60_000,
    })
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, async () => {
        const res = await fetch(`${service.url}/`)
        return { status: res.status, body: (await res.json()) as { file?: string } }
      }),
    )
    // strace detaches on SIGTERM and leaves the service running: stop the service, strace follows.
    const children = await readFile(
      `/proc/${service.proc.pid}/task/${service.proc.pid}/children`,
      'utf8',
    )
    for (const pid of children.trim().split(/\s+/)) process.kill(Number(pid), 'SIGTERM')
    expect(await service.stop()).toBe(0)

    const files = answers.filter((a) => a.status === 200).map((a) => a.body.file as string)
    expect(files).toHaveLength(REQUESTS)
    const calls = parseTrace(await readFile(trace, 'utf8'))
    const ofDir = (c: Call) => c.args.endsWith(`<${logDir}>)`) || c.args.endsWith(`<${logDir}>`)
    const fileSystemSyncs = calls.filter((c) => c.name === 'syncfs' && ofDir(c))
    const directorySyncs = calls.filter((c) => c.name === 'fsync' && ofDir(c))
    const renameSyncs = [...fileSystemSyncs, ...directorySyncs]
    const problems: string[] = []
    for (const file of files) {
      const temp = join(logDir, `.${file}.tmp`)
      const answer = calls.find(
        (c) =>
          /^(sendto|write|writev|sendmsg)$/.test(c.name) &&
          c.args.includes(`\\"file\\":\\"${file}\\"`) &&
          c.args.includes('socket:['),
      )
      const lastWrite = calls.findLast(
        (c) => /^p?write/.test(c.name) && c.args.includes(`<${temp}>`),
      )
      const rename = calls.find(
        (c) =>
          c.name.startsWith('rename') &&
          c.args.includes(`"${temp}", `) &&
          c.args.includes(`"${join(logDir, file)}"`),
      )
      if (!answer || !lastWrite || !rename) {
        problems.push(
          `${file}: answer ${!!answer}, data write ${!!lastWrite}, rename ${!!rename} in the trace`,
        )
        continue
      }
      const dataSync = [
        ...fileSystemSyncs,
        ...calls.filter((c) => c.name === 'fdatasync' && c.args.includes(`<${temp}>`)),
      ].find((s) => s.start >= lastWrite.end && s.end <= rename.start)
      const renameSync = renameSyncs.find((s) => s.start >= rename.end && s.end <= answer.start)
      if (!dataSync)
        problems.push(
          `${file}: no data sync started after its last write and ended before its rename`,
        )
      if (!(rename.end <= answer.start))
        problems.push(`${file}: answered before its rename completed`)
      if (!renameSync)
        problems.push(`${file}: no sync started after its rename and completed before its answer`)
    }
    expect(problems).toEqual([])
    // Group commit: the burst shares its syncs, by the way the place calls for.
    // Log files' own data syncs; the readiness probe always syncs its own file (log-store.ts).
    const dataSyncs = calls.filter(
      (c) =>
        c.name === 'fdatasync' &&
        c.args.includes(`<${logDir}/.`) &&
        !c.args.includes(`<${logDir}/.probe-`),
    )
    console.info(
      `${files.length} files: ${fileSystemSyncs.length} syncfs, ${dataSyncs.length} fdatasync, ${directorySyncs.length} directory fsync`,
    )
    if (batched) {
      expect(fileSystemSyncs.length).toBeLessThan(files.length / 2)
      expect(dataSyncs).toHaveLength(0)
    } else {
      expect(fileSystemSyncs).toHaveLength(0)
      expect(directorySyncs.length).toBeLessThan(files.length / 2)
    }
  }, 120_000)
})
