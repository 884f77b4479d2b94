// The command line: `health-check` runs the checks, `health-check show [--lines N]` prints the log.

export type Command = { name: 'run' } | { name: 'show'; lines: number } | { name: 'help' }

export const USAGE = [
  'usage: health-check              run every check once, append to HEALTH_LOG_FILE, print JSON lines',
  '       health-check show [--lines N]   print the last N log lines (default 50), rotated files included',
  'settings come from the environment: see the README section "Health check"',
].join('\n')

const DEFAULT_LINES = 50

function lineCount(raw: string | undefined): number {
  const value = Number(raw)
  if (raw === undefined || !/^\d+$/.test(raw) || value < 1) {
    throw new Error('--lines needs a whole number of at least 1, e.g. health-check show --lines 50')
  }
  return value
}

/** Throws an Error with a one-line message on anything it does not understand. */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv
  if (first === undefined) return { name: 'run' }
  if (first === 'help' || first === '--help' || first === '-h') return { name: 'help' }
  if (first !== 'show')
    throw new Error(
      `unknown command "${first}": use "health-check" or "health-check show --lines N"`,
    )
  let lines = DEFAULT_LINES
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string
    if (arg === '--lines' || arg === '-n') lines = lineCount(rest[++i])
    else if (arg.startsWith('--lines=')) lines = lineCount(arg.slice('--lines='.length))
    else throw new Error(`unknown option "${arg}" for show: use --lines N`)
  }
  return { name: 'show', lines }
}
