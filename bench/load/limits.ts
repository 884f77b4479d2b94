/**
 * 5,000 sockets plus the runtime's own files exceed the common default of 1,024 descriptors.
 * Asks for 65,536; where the hard limit is lower and cannot be raised (no CAP_SYS_RESOURCE, as in
 * many containers) takes the hard limit instead.
 */
export const wantedDescriptors = 65_536

export function withDescriptorLimit(argv: string[]): string[] {
  const raise = `ulimit -n ${wantedDescriptors} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`
  return ['bash', '-c', raise, argv[0] ?? 'program', ...argv]
}

/** The descriptor limit the wrapped programs actually get on this machine. */
export function effectiveDescriptorLimit(): number {
  const probe = Bun.spawnSync(withDescriptorLimit(['bash', '-c', 'ulimit -n']), { stdout: 'pipe' })
  return Number(probe.stdout.toString().trim())
}
