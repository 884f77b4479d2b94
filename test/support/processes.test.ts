import { expect, test } from 'bun:test'
import { freePort, runProgram, startProgram } from './processes.ts'

const bun = process.execPath
const server = `
  const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT), fetch: () => new Response(process.env.GREETING ?? 'hi') })
  console.log('listening ' + server.port)
  process.on('SIGTERM', () => { server.stop(); process.exit(7) })
`

test('freePort returns a port nothing listens on', async () => {
  const port = await freePort()
  expect(port).toBeGreaterThan(1024)
  expect(await fetch(`http://127.0.0.1:${port}`).catch(() => 'refused')).toBe('refused')
})

test('startProgram waits until ready, passes env, captures output; stop returns the exit code', async () => {
  const program = await startProgram(bun, {
    args: ['-e', server],
    env: { GREETING: 'hello' },
    readyPath: '/',
  })
  expect(await (await fetch(program.url)).text()).toBe('hello')
  expect(program.output()).toContain(`listening ${program.port}`)
  expect(await program.stop()).toBe(7)
})

test('stop with SIGKILL reports 128 + 9', async () => {
  const program = await startProgram(bun, { args: ['-e', server], readyPath: '/' })
  expect(await program.stop('SIGKILL')).toBe(137)
})

test('startProgram fails with the output when the program exits early', async () => {
  const failing = startProgram(bun, {
    args: ['-e', 'console.error("bad config"); process.exit(1)'],
  })
  await expect(failing).rejects.toThrow(/exited \(1\) before ready:\nbad config/)
})

test('the test environment does not leak into programs', async () => {
  process.env.LEAKY_SECRET = 'x'
  const { stdout } = await runProgram(bun, {
    args: ['-e', 'console.log(process.env.LEAKY_SECRET ?? "none")'],
  })
  delete process.env.LEAKY_SECRET
  expect(stdout.trim()).toBe('none')
})

test('runProgram returns exit code, stdout, stderr and duration; kills at the timeout', async () => {
  const done = await runProgram(bun, {
    args: ['-e', 'console.log("out"); console.error("err"); process.exit(3)'],
  })
  expect(done).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' })
  const slow = await runProgram(bun, { args: ['-e', 'await Bun.sleep(10000)'], timeoutMs: 300 })
  expect(slow.exitCode).toBe(137)
  expect(slow.durationMs).toBeLessThan(5000)
})
