// Where and with what a run was measured, for the header of bench/results/latest.md.
import { cpus, totalmem } from 'node:os'

function firstLine(argv: string[]): string {
  const run = Bun.spawnSync(argv, { stdout: 'pipe', stderr: 'pipe' })
  const text = `${run.stdout.toString()}${run.stderr.toString()}`.trim()
  // wrk appends its copyright to the version line
  return (text.split('\n')[0] ?? 'unknown').replace(/ Copyright.*$/, '')
}

function debianVersion(): string {
  const run = Bun.spawnSync(['cat', '/etc/debian_version'], { stdout: 'pipe' })
  return run.success ? `Debian ${run.stdout.toString().trim()}` : 'not Debian'
}

export function describeMachine(): string[] {
  const cpu = cpus()
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${debianVersion()}, kernel ${firstLine(['uname', '-r'])}`,
    `- bun ${Bun.version}; ${firstLine(['/usr/bin/python3', '--version'])}; Flask ${firstLine(['/usr/bin/python3', '-c', 'import importlib.metadata as m; print(m.version("flask"))'])}; ${firstLine(['/usr/bin/gunicorn', '--version'])}; ${firstLine(['wrk', '--version'])}`,
  ]
}
