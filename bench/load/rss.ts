// Peak resident memory of a process and its children (gunicorn forks workers), sampled from /proc.
// VmHWM is the kernel's own peak for one process; for a tree we add up VmRSS at each sample, so a
// multi-process peer is judged by what it actually held at once.
import { readdirSync, readFileSync } from 'node:fs'

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? 0)
  } catch {
    return 0
  }
}

export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  const found = [root]
  for (let i = 0; i < found.length; i++) found.push(...(parents.get(found[i] as number) ?? []))
  return found
}

/** Starts sampling every `everyMs`; stop() returns the peak in MiB. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peakKb = 0
  const take = () => {
    const pids = processTree(pid)
    const sum = pids.reduce((total, p) => total + statusKb(p, 'VmRSS'), 0)
    peakKb = Math.max(peakKb, sum, pids.length === 1 ? statusKb(pid, 'VmHWM') : 0)
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      return peakKb / 1024
    },
  }
}
