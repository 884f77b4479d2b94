// The order of the syscalls behind every 200 of `GET /`, traced with strace: kill -9 cannot prove
// durability (the page cache survives it), the order of the syncs can. For each file a response
// names: its data sync, then its rename, then a directory sync that started after that rename,
// all completed before the response was written to the socket; and the directory syncs shared.
import { expect } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { compiledBinary } from '../support/binaries.ts'
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

test(`${REQUESTS} concurrent GET /: every file a 200 names was synced, renamed and its directory synced before the answer`, async () => {
  const logDir = join(await tempDir('durability'), 'logs')
  const trace = join(await tempDir('durability-trace'), 'strace.log')
  const syscalls = 'fdatasync,fsync,rename,renameat,renameat2,sendto,write,writev,sendmsg'
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
  const dirSyncs = calls.filter((c) => c.name === 'fsync' && c.args.endsWith(`<${logDir}>)`))
  const problems: string[] = []
  for (const file of files) {
    const temp = join(logDir, `.${file}.tmp`)
    const answer = calls.find(
      (c) =>
        /^(sendto|write|writev|sendmsg)$/.test(c.name) &&
        c.args.includes(`\\"file\\":\\"${file}\\"`) &&
        c.args.includes('socket:['),
    )
    const dataSync = calls.find((c) => c.name === 'fdatasync' && c.args.includes(`<${temp}>`))
    const rename = calls.find(
      (c) =>
        c.name.startsWith('rename') &&
        c.args.includes(`"${temp}", `) &&
        c.args.includes(`"${join(logDir, file)}"`),
    )
    if (!answer || !dataSync || !rename) {
      problems.push(
        `${file}: answer ${!!answer}, data sync ${!!dataSync}, rename ${!!rename} in the trace`,
      )
      continue
    }
    const dirSync = dirSyncs.find((s) => s.start >= rename.end && s.end <= answer.start)
    if (!(dataSync.end <= rename.start))
      problems.push(`${file}: renamed before its data sync completed`)
    if (!(rename.end <= answer.start))
      problems.push(`${file}: answered before its rename completed`)
    if (!dirSync)
      problems.push(
        `${file}: no directory sync started after its rename and completed before its answer`,
      )
  }
  expect(problems).toEqual([])
  // Group commit: the burst's writes share their directory syncs.
  const probes = calls.filter((c) => c.name === 'fdatasync' && c.args.includes('/.probe-')).length
  console.info(
    `${files.length} files, ${dirSyncs.length} directory syncs (${probes} readiness probes)`,
  )
  expect(dirSyncs.length).toBeLessThan(files.length / 2)
}, 120_000)
