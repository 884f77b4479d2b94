// The README's quick start, run as written, offline: inside a network namespace of its own that
// has only loopback (so nothing it does can reach a registry), every command that works offline
// runs and must succeed; the others are named here with where they are run instead.
import { expect } from 'bun:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runToEnd } from '../../scripts/process.ts'
import { hasCommand, isRoot, testWhen } from '../support/requirements.ts'

const root = join(import.meta.dir, '../..')
const test = testWhen(
  isRoot() && hasCommand('unshare') && hasCommand('ip') && hasCommand('curl'),
  'README quick start offline: needs root, unshare, ip and curl',
)

/** Commands of the quick start that cannot run offline inside a test, and where they do run. */
const RUN_ELSEWHERE: Record<string, string> = {
  'just test': 'the suite this test belongs to (CI runs it)',
  'just up': 'needs docker, kind and image pulls: `just e2e` runs it on a real cluster',
}

/** How a long-running command is proven to work: it answers, then stops on Ctrl-C. */
const SERVERS: Record<string, string[]> = {
  'just dev': ['http://127.0.0.1:5000/healthz', 'http://127.0.0.1:5001/healthz'],
}

async function quickStartCommands(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const section = readme.split('\n## Quick start\n')[1]?.split('\n## ')[0] ?? ''
  const fences = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)]
  // Every command block is `sh`, so that none escapes this test.
  expect(fences.map((m) => m[1])).toEqual(fences.map(() => 'sh'))
  return fences
    .map((m) => m[2] ?? '')
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
}

/** The shell lines that run `command` and check it. */
function script(command: string): string {
  const urls = SERVERS[command]
  if (!urls) return `${command}\n`
  const waits = urls.map(
    (url) =>
      `for i in $(seq 300); do curl -fs ${url} >/dev/null && break; sleep 0.1; done; curl -fs ${url} >/dev/null || { echo "${command}: ${url} never answered" >&2; exit 1; }`,
  )
  // Ctrl-C as a terminal sends it: SIGINT to the command's whole process group (set -m gives the
  // background job a group of its own); then every port must be closed.
  const stopped = urls.map(
    (url) =>
      `! curl -fs --max-time 2 ${url} >/dev/null || { echo "${command}: ${url} still answers after Ctrl-C" >&2; exit 1; }`,
  )
  return [
    `${command} & pid=$!`,
    ...waits,
    'kill -INT -- "-$pid"',
    'wait "$pid" || [ $? = 130 ]',
    ...stopped,
    '',
  ].join('\n')
}

test('every command of the quick start runs offline and succeeds, or is run elsewhere', async () => {
  const commands = await quickStartCommands()
  expect(commands).toContain('bun install --frozen-lockfile')
  const here = commands.filter((c) => !(c in RUN_ELSEWHERE))
  expect(commands.filter((c) => c in RUN_ELSEWHERE).sort()).toEqual(
    Object.keys(RUN_ELSEWHERE).sort(),
  )
  const body = ['set -euo pipefail -m', 'ip link set lo up', ...here.map(script)].join('\n')
  const run = await runToEnd(['unshare', '--net', '--', 'bash', '-c', body], { cwd: root })
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0)
  expect(here).toContain('just dev')
}, 120_000)
