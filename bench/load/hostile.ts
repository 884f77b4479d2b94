// The worst mix of hostile input we know, against our backend inside the memory of the overlay
// that gives it the least (its cgroup limit, LOG_DIR on a tmpfs of the emptyDir's sizeLimit): a
// crowd of 500-entry listings over a full log directory with a crowd of 10 MiB downloads, then
// more listings with rounds of gzip bombs. The peak the cgroup charged, as a share of the limit,
// is the headroom the manifests leave. Needs root (test/e2e/memory-limits.test.ts asserts the
// same mix's answers in CI).
import { smallestMemory } from '../../scripts/k8s/pod-memory.ts'
import { canLimitMemory, fillWorkLogs, memoryCgroup } from '../../test/support/memory-cgroup.ts'
import { startFakeUpstream } from '../../test/support/upstream.ts'
import { type PeerCommands, startPeer } from '../peers.ts'

export type HostileFigures = {
  overlay: string
  /** memory.max_usage_in_bytes of the pod's cgroup, the tmpfs LOG_DIR included */
  peakMiB: number
  limitMiB: number
  /** answers by status over every request of the mix; a failed connection counts as `dropped` */
  outcomes: Record<string, number>
}

const MiB = 1024 * 1024
const KEY = 'bench-hostile-key-0a1b2c3d'

const crowd = (size: number, one: () => Promise<string>) =>
  Promise.all(Array.from({ length: size }, one))

/** Reads a response to its end without keeping it; resolves its status, or `dropped`. */
const answered = (url: string) => async () => {
  try {
    const res = await fetch(url)
    for await (const _ of res.body as ReadableStream<Uint8Array>);
    return String(res.status)
  } catch {
    return 'dropped'
  }
}

/** undefined where memory cgroups cannot be made (not root, no cgroup v1 memory controller). */
export async function hostileMix(
  cmds: PeerCommands,
  dir: string,
): Promise<HostileFigures | undefined> {
  if (!canLimitMemory()) return undefined
  const pod = await smallestMemory('backend-api')
  const cgroup = await memoryCgroup('bench-backend', pod.limitBytes, pod.logVolumeBytes)
  const upstream = await startFakeUpstream({ key: KEY })
  try {
    await fillWorkLogs(cgroup, Number(pod.env.LOG_RETENTION_BYTES))
    const peer = await startPeer('backend', cmds, dir, {
      wrap: cgroup.wrap,
      env: {
        ...pod.env,
        LOG_DIR: cgroup.logDir,
        EXTERNAL_API_URL: upstream.url,
        EXTERNAL_INTEGRATION_KEY_STAGING: KEY,
      },
    })
    try {
      const listing = answered(`${peer.url}/logs?limit=500`)
      const download = answered(`${peer.url}/download_external_logs?env=staging`)
      upstream.mode('large')
      const first = await Promise.all([crowd(20, listing), crowd(20, download)])
      upstream.mode('gzip-bomb')
      const listings = crowd(20, listing)
      const bombs: string[] = []
      for (let round = 0; round < 5; round++) bombs.push(...(await crowd(5, download)))
      const outcomes: Record<string, number> = {}
      for (const status of [...first.flat(), ...(await listings), ...bombs]) {
        outcomes[status] = (outcomes[status] ?? 0) + 1
      }
      if ((await cgroup.oomKills()) > 0) outcomes['OOM-killed'] = await cgroup.oomKills()
      return {
        overlay: pod.overlay,
        peakMiB: (await cgroup.peakBytes()) / MiB,
        limitMiB: pod.limitBytes / MiB,
        outcomes,
      }
    } finally {
      await peer.stop()
    }
  } finally {
    upstream.close()
    await cgroup.remove()
  }
}
