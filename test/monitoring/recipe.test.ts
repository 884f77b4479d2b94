// `just monitoring` runs against a cluster and helm, which are outside the project: here helm and
// kubectl are stand-ins that record their arguments, alone on a PATH that holds nothing else but
// bash (and node for an npm-installed just), so the test sees the exact calls even on a machine
// with the real tools installed.
import { describe, expect } from 'bun:test'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runToEnd } from '../../scripts/process.ts'
import { fakeBin } from '../cluster/fake-tools.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { root } from './monitoring-files.ts'

const withJust = testWhen(
  hasCommand('just') && hasCommand('bash'),
  'just or bash is not installed (npm i -g rust-just)',
)

/** The chart version the fake helm reports when asked for none (the recipe always asks for one). */
const LATEST = '1.4.0'

/** A variable of the justfile, as just evaluates it. */
const evaluate = (name: string) =>
  Bun.spawnSync([Bun.which('just') ?? 'just', '--evaluate', name], { cwd: root })
    .stdout.toString()
    .trim()

// Shell builtins only: the PATH has nothing else. The fake keeps each release's chart in a file
// named after the release, as `helm list -o json` reports it.
const fakeHelm = `case "$1" in
  list)
    name=\${5#^}; name=\${name%\\$}
    if [ -f "$fake_dir/release-$name" ]; then
      read -r chart < "$fake_dir/release-$name"
      printf '[{"name":"%s","namespace":"%s","status":"deployed","chart":"%s"}]\\n' "$name" "$3" "$chart"
    else echo '[]'; fi ;;
  upgrade)
    name=$3; chart=\${4#*/}; version=${LATEST}; shift 4
    while [ $# -gt 0 ]; do [ "$1" = --version ] && version=$2; shift; done
    echo "$chart-$version" > "$fake_dir/release-$name" ;;
esac
exit 0`
const fakeKubectl = (clusterExit: number) =>
  `[ "$1" = cluster-info ] && exit ${clusterExit}\nexit 0`

interface Fakes {
  bin: string
  calls(): Promise<string[]>
  /** Pretends a release already runs this chart (e.g. `kube-prometheus-stack-1.4.0`). */
  installed(release: string, chart: string): Promise<void>
}

/** A PATH directory with bash, node and the chosen stand-ins; `kubectl cluster-info` exits `clusterExit`. */
async function fakeTools(tools: ('helm' | 'kubectl')[], clusterExit = 0): Promise<Fakes> {
  const bodies: Record<string, string> = {}
  for (const tool of tools) bodies[tool] = tool === 'helm' ? fakeHelm : fakeKubectl(clusterExit)
  // node runs just's launcher when just comes from npm (rust-just); bash is always there.
  const fakes = await fakeBin(bodies, hasCommand('node') ? ['node'] : [])
  return {
    bin: fakes.barePath,
    calls: fakes.calls,
    installed: (release, chart) => writeFile(join(fakes.dir, `release-${release}`), `${chart}\n`),
  }
}

async function justMonitoring(bin: string, env: Record<string, string> = {}) {
  return runToEnd([Bun.which('just') ?? 'just', 'monitoring'], {
    cwd: root,
    env: { PATH: bin, HOME: process.env.HOME ?? '/root', ...env },
  })
}

describe('just monitoring', () => {
  withJust(
    'installs both charts with upgrade --install, waits for the CRDs, then applies k8s/monitoring; twice alike',
    async () => {
      const { bin, calls } = await fakeTools(['helm', 'kubectl'])
      const kps = evaluate('kps_chart_version')
      const metricsServerChart = evaluate('metrics_server_chart_version')
      expect([kps, metricsServerChart]).toEqual([
        expect.stringMatching(/^\d+\.\d+\.\d+$/),
        expect.stringMatching(/^\d+\.\d+\.\d+$/),
      ])
      const first = await justMonitoring(bin)
      expect(first.stderr).not.toContain('error')
      expect(first.code).toBe(0)
      expect(first.stdout).toContain(
        `release kind-prometheus runs chart kube-prometheus-stack ${kps}\n`,
      )
      expect(first.stdout).toContain(
        `release metrics-server runs chart metrics-server ${metricsServerChart}\n`,
      )
      const once = await calls()
      const second = await justMonitoring(bin)
      expect(second.code).toBe(0)
      expect(second.stdout).toContain(`kube-prometheus-stack ${kps} (was ${kps})`)
      expect(second.stderr).not.toContain('WARNING')
      expect(await calls()).toEqual([...once, ...once])

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
      // The CRDs of exactly the pinned chart, applied server-side before it is installed.
      const crdsOfChart = index(
        new RegExp(`^helm show crds prometheus-community/kube-prometheus-stack --version ${kps}$`),
      )
      const applyCrds = index(/^kubectl apply --server-side --force-conflicts -f -$/)
      expect([stack, metricsServer, crds, apply, crdsOfChart, applyCrds].every((i) => i >= 0)).toBe(
        true,
      )
      expect(crdsOfChart < applyCrds && applyCrds < stack).toBe(true)
      expect(stack < crds && metricsServer < crds && crds < apply).toBe(true)
      expect(once[stack]).toContain(` --version ${kps} `)
      expect(once[metricsServer]).toContain(` --version ${metricsServerChart} `)
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

  withJust(
    "an upgrade across a major version applies that version's CRDs, prints both versions, points at the notes",
    async () => {
      const fakes = await fakeTools(['helm', 'kubectl'])
      await fakes.installed('kind-prometheus', `kube-prometheus-stack-${LATEST}`)
      await fakes.installed('metrics-server', `metrics-server-${LATEST}`)
      const { code, stdout, stderr } = await justMonitoring(fakes.bin, {
        KPS_CHART_VERSION: '2.0.0',
        METRICS_SERVER_CHART_VERSION: '1.5.0',
      })
      expect(code).toBe(0)
      const calls = await fakes.calls()
      expect(calls).toContainEqual(
        expect.stringMatching(/^helm upgrade --install kind-prometheus \S+ --version 2\.0\.0 /),
      )
      expect(calls).toContainEqual(
        'helm show crds prometheus-community/kube-prometheus-stack --version 2.0.0',
      )
      expect(stdout).toContain(`kube-prometheus-stack 2.0.0 (was ${LATEST})`)
      expect(stdout).toContain(`metrics-server 1.5.0 (was ${LATEST})`)
      const warnings = stderr.split('\n').filter((line) => line.includes('WARNING'))
      expect(warnings).toEqual([
        expect.stringContaining(`kind-prometheus went from chart ${LATEST} to 2.0.0`),
      ])
      expect(stderr).toContain('its CRDs were applied first')
      expect(stderr).toContain('Pinning and upgrading the charts')
    },
  )

  withJust('without a reachable cluster it stops before helm and says what to do', async () => {
    const { bin, calls } = await fakeTools(['helm', 'kubectl'], 1)
    const { code, stderr } = await justMonitoring(bin)
    expect(code).not.toBe(0)
    expect(stderr).toContain('just cluster')
    expect((await calls()).filter((line) => line.startsWith('helm'))).toEqual([])
  })

  withJust('without helm it says how to install it', async () => {
    const { bin, calls } = await fakeTools(['kubectl'])
    const { code, stderr } = await justMonitoring(bin)
    expect(code).not.toBe(0)
    expect(stderr).toContain('helm is not installed')
    expect(stderr).toContain('https://helm.sh')
    expect(await calls()).toEqual([])
  })
})

withJust('docs/monitoring.md names the pinned chart versions', async () => {
  const readme = await Bun.file(join(root, 'docs/monitoring.md')).text()
  expect(readme).toContain(`kube-prometheus-stack **${evaluate('kps_chart_version')}**`)
  expect(readme).toContain(`metrics-server **${evaluate('metrics_server_chart_version')}**`)
  expect(readme).toContain(`--version\n     ${evaluate('kps_chart_version')} -n monitoring`)
  expect(readme).toContain(`--version ${evaluate('metrics_server_chart_version')} -n kube-system`)
})
