// `just monitoring` runs against a cluster and helm, which are outside the project: here helm and
// kubectl are stand-ins on PATH that record their arguments, so the test sees the exact calls.
import { describe, expect } from 'bun:test'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { root, scratchDir } from './monitoring-files.ts'

const withJust = testWhen(hasCommand('just'), 'just is not installed (npm i -g rust-just)')

/** A directory with recording stand-ins; `kubectl cluster-info` exits with `clusterExit`. */
async function fakeTools(tools: string[], clusterExit = 0): Promise<{ bin: string; log: string }> {
  const bin = await scratchDir('fake-tools')
  const log = join(bin, 'calls.log')
  for (const tool of tools) {
    const script = `#!/bin/sh\necho "${tool} $*" >> "${log}"\n[ "$1" = cluster-info ] && exit ${clusterExit}\nexit 0\n`
    await writeFile(join(bin, tool), script)
    await chmod(join(bin, tool), 0o755)
  }
  return { bin, log }
}

async function justMonitoring(path: string): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn([Bun.which('just') ?? 'just', 'monitoring'], {
    cwd: root,
    env: { PATH: path, HOME: process.env.HOME ?? '/root' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()])
  return { code, stderr }
}

const calls = async (log: string) =>
  existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n') : []

describe('just monitoring', () => {
  withJust(
    'installs both charts with upgrade --install, waits for the CRDs, then applies k8s/monitoring; twice alike',
    async () => {
      const { bin, log } = await fakeTools(['helm', 'kubectl'])
      const first = await justMonitoring(`${bin}:${process.env.PATH}`)
      expect(first.stderr).not.toContain('error')
      expect(first.code).toBe(0)
      const once = await calls(log)
      const second = await justMonitoring(`${bin}:${process.env.PATH}`)
      expect(second.code).toBe(0)
      expect(await calls(log)).toEqual([...once, ...once])

      const index = (pattern: RegExp) => once.findIndex((line) => pattern.test(line))
      const stack = index(
        /^helm upgrade --install kind-prometheus prometheus-community\/kube-prometheus-stack .*--namespace monitoring --create-namespace/,
      )
      const metricsServer = index(
        /^helm upgrade --install metrics-server metrics-server\/metrics-server .*--namespace kube-system/,
      )
      const crds = index(
        /^kubectl wait --for condition=Established .*crd\/servicemonitors\.monitoring\.coreos\.com/,
      )
      const apply = index(/^kubectl apply -k k8s\/monitoring$/)
      expect([stack, metricsServer, crds, apply].every((i) => i >= 0)).toBe(true)
      expect(stack < crds && metricsServer < crds && crds < apply).toBe(true)
      expect(
        index(/^helm repo add prometheus-community \S+ --force-update$/),
      ).toBeGreaterThanOrEqual(0)
      for (const values of once.flatMap((line) =>
        [...line.matchAll(/--values (\S+)/g)].map((m) => m[1] as string),
      )) {
        expect(existsSync(join(root, values)), values).toBe(true)
      }
      expect(
        once.filter(
          (line) => /^helm (install|upgrade) /.test(line) && !line.includes('upgrade --install'),
        ),
      ).toEqual([])
    },
  )

  withJust('without a reachable cluster it stops before helm and says what to do', async () => {
    const { bin, log } = await fakeTools(['helm', 'kubectl'], 1)
    const { code, stderr } = await justMonitoring(`${bin}:${process.env.PATH}`)
    expect(code).not.toBe(0)
    expect(stderr).toContain('just cluster')
    expect((await calls(log)).filter((line) => line.startsWith('helm'))).toEqual([])
  })

  withJust('without helm it says how to install it', async () => {
    const { bin } = await fakeTools(['kubectl'])
    const path = `${bin}:/usr/bin:/bin`
    if (Bun.which('helm', { PATH: path })) return
    const { code, stderr } = await justMonitoring(path)
    expect(code).not.toBe(0)
    expect(stderr).toContain('helm is not installed')
    expect(stderr).toContain('https://helm.sh')
  })
})
