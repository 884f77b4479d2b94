// `just check-manifests`: renders every overlay with the example keys and checks it offline.
//   bun run scripts/k8s/check-manifests.ts [--k8s DIR] [ENV ...]
import { parseArgs } from 'node:util'
import { checkOverlays, ruleDescriptions } from './checks.ts'
import { formatFinding } from './objects.ts'
import { environments, isEnvironment, k8sRoot } from './render.ts'

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  options: { k8s: { type: 'string', default: k8sRoot } },
  allowPositionals: true,
})
const unknown = positionals.filter((p) => !isEnvironment(p))
if (unknown.length > 0) {
  console.error(`unknown environment ${unknown.join(', ')}: use ${environments.join(', ')}`)
  process.exit(2)
}
const envs = positionals.length > 0 ? positionals.filter(isEnvironment) : environments

try {
  let failed = 0
  for (const { env, counts, findings } of await checkOverlays(values.k8s, envs)) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    const summary = Object.entries(counts)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')
    console.log(`${env}: ${total} objects (${summary})`)
    for (const f of findings) console.error(`${env}: ${formatFinding(f)}`)
    failed += findings.length
  }
  if (failed > 0) {
    console.error(`${failed} problem(s): fix the manifests under k8s/ as each line says`)
    process.exit(1)
  }
  console.log(`ok: ${Object.keys(ruleDescriptions).length} rules hold for ${envs.join(', ')}`)
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
