// The kernel's count of connections dropped because a listener's accept queue was full. Bun
// listens with a fixed backlog of 512, so a burst of thousands of new connections overflows it and
// those clients retry their SYN after the 1 s initial retransmission timeout: this explains a p99
// of about delay + 1 s. The counter is machine-wide, so other load on the machine adds to it.
import { readFileSync } from 'node:fs'

export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n')
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = (lines[i] as string).split(/\s+/)
    const values = (lines[i + 1] as string).split(/\s+/)
    const at = names.indexOf('ListenOverflows')
    if (at > 0) return Number(values[at])
  }
  return 0
}
