// Entry of the `health-check` binary (run by the CronJob). No exports: see docs/DESIGN.md.
import { ConfigError, environment } from '../kit/config.ts'
import { parseCommand, USAGE } from './cli-args.ts'
import { loadHealthConfig, loadLogSettings } from './config.ts'
import { NotRegularFile } from './health-log.ts'
import { type Io, runHealthCheck } from './health-run.ts'
import { tailHealthLog } from './show.ts'

const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
}

async function show(lines: number): Promise<number> {
  const log = loadLogSettings(environment())
  const tail = await tailHealthLog(log, lines).catch((error: Error) => {
    if (error instanceof NotRegularFile) {
      io.err(`health-check: cannot read the health log: ${error.message}\n`)
      return null
    }
    io.err(
      `health-check: cannot read the health log ${log.file} (${error.message}): ` +
        'check that the claim is mounted and readable by this user\n',
    )
    return null
  })
  if (tail === null) return 1
  if (tail === undefined) {
    io.err(
      `health-check: no health log at ${log.file} yet: it appears after the first run; ` +
        'check HEALTH_LOG_FILE and that the claim is mounted\n',
    )
    return 1
  }
  io.out(tail.map((line) => `${line}\n`).join(''))
  return 0
}

/** SIGTERM (Job deadline, node drain) ends the checks still running; their lines say so. */
async function run(): Promise<number> {
  const config = loadHealthConfig(environment())
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  try {
    return await runHealthCheck(config, io, stop.signal)
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseCommand>
  try {
    command = parseCommand(argv)
  } catch (error) {
    io.err(`health-check: ${(error as Error).message}\n${USAGE}\n`)
    return 2
  }
  try {
    if (command.name === 'help') {
      io.out(`${USAGE}\n`)
      return 0
    }
    return command.name === 'show' ? await show(command.lines) : await run()
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`health-check: bad configuration: ${error.message}\n`)
      return 2
    }
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    io.err(`health-check: unexpected error (${reason}); run again, and report it if it persists\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
