// What the cluster recipes read besides themselves: the kind config (its NodePorts must be the
// monitoring Services' ones, published on loopback only; its node image the one the minimum kind
// release ships) and the README.
import { describe, expect, test } from 'bun:test'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { realJust, repoRoot, run } from './fake-tools.ts'

interface PortMapping {
  containerPort: number
  hostPort: number
  listenAddress?: string
  protocol?: string
}

const read = (path: string) => readFile(join(repoRoot, path), 'utf8')

describe('k8s/kind/cluster.yaml', () => {
  test('a kind v1alpha4 Cluster named dev-cluster', async () => {
    const config = parse(await read('k8s/kind/cluster.yaml'))
    expect(config.kind).toBe('Cluster')
    expect(config.apiVersion).toBe('kind.x-k8s.io/v1alpha4')
    expect(config.name).toBe('dev-cluster')
    expect(config.nodes.map((n: { role: string }) => n.role)).toEqual(['control-plane'])
  })

  testWhen(hasCommand('go'), 'Go is needed to read the kind release from the module proxy')(
    "pins by digest the node image that preflight's minimum kind release ships as its default",
    async () => {
      const preflight = await read('scripts/cluster/preflight.sh')
      const minimum = /kind\)\n(?:\s*#.*\n)*\s*minimum=(\S+)/.exec(preflight)?.[1]
      expect(minimum).toMatch(/^\d+\.\d+\.\d+$/)
      const config = parse(await read('k8s/kind/cluster.yaml'))
      const image: string = config.nodes[0].image
      expect(image).toMatch(/^kindest\/node:v1\.\d+\.\d+@sha256:[0-9a-f]{64}$/)
      // That release's own source, from the Go module proxy: the default image it creates nodes with.
      const download = await run(
        ['go', 'mod', 'download', '-json', `sigs.k8s.io/kind@v${minimum}`],
        {
          cwd: await tempDir('kind-module'),
          env: { PATH: process.env.PATH ?? '', GOFLAGS: '-mod=mod' },
          timeoutMs: 100_000,
        },
      )
      expect(download.code, download.stderr).toBe(0)
      const dir: string = JSON.parse(download.stdout).Dir
      const defaults = await readFile(join(dir, 'pkg/apis/config/defaults/image.go'), 'utf8')
      expect(/const Image = "([^"]+)"/.exec(defaults)?.[1]).toBe(image)
      // Its Kubernetes minor is the one the e2e node runs (tools/kubernetes).
      const e2e = /k8s\.io\/kubernetes v(\d+\.\d+)\./.exec(
        await read('tools/kubernetes/go.mod'),
      )?.[1]
      expect(image).toContain(`:v${e2e}.`)
      expect(await read('README.md')).toContain(
        `[kind](https://kind.sigs.k8s.io/) ${String(minimum).replace(/\.0$/, '')}+`,
      )
    },
    120_000,
  )

  test('publishes 30000, 31000, 32000 and 32001 on 127.0.0.1 only, same port inside and out', async () => {
    const config = parse(await read('k8s/kind/cluster.yaml'))
    const mappings: PortMapping[] = config.nodes[0].extraPortMappings
    expect(mappings).toEqual(
      [30000, 31000, 32000, 32001].map((port) => ({
        containerPort: port,
        hostPort: port,
        listenAddress: '127.0.0.1',
        protocol: 'TCP',
      })),
    )
  })

  test("the mapped ports are exactly the monitoring Services' NodePorts", async () => {
    const values = parse(await read('k8s/monitoring/kube-prometheus-stack.values.yaml'))
    const nodePorts = [
      values.prometheus.service.nodePort,
      values.grafana.service.nodePort,
      values.alertmanager.service.nodePort,
      values['prometheus-node-exporter'].service.nodePort,
    ]
    const config = parse(await read('k8s/kind/cluster.yaml'))
    const mapped = config.nodes[0].extraPortMappings.map((m: PortMapping) => m.containerPort)
    expect(nodePorts).toEqual(mapped)
  })
})

test('every `just RECIPE` anywhere in the README or docs/ is a recipe of the justfile', async () => {
  const docs = (await readdir(join(repoRoot, 'docs'))).filter((name) => name.endsWith('.md'))
  const section = (
    await Promise.all(['README.md', ...docs.map((d) => `docs/${d}`)].map(read))
  ).join('\n')
  const mentioned = new Set([...section.matchAll(/`just ([a-z][a-z0-9-]*)/g)].map((m) => m[1]))
  expect(mentioned.size).toBeGreaterThanOrEqual(20)
  const summary = await run([await realJust(), '--summary'], {
    env: { PATH: process.env.PATH ?? '' },
  })
  const recipes = new Set(summary.stdout.trim().split(/\s+/))
  expect([...mentioned].filter((name) => !recipes.has(name as string))).toEqual([])
})
