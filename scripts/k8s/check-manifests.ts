// `just check-manifests`: renders every overlay with the example keys and checks it offline.
//   bun run scripts/k8s/check-manifests.ts [--k8s DIR] [ENV ...]
import { checkOverlays, ruleDescriptions } from './checks.ts'
import { environmentsArgs } from './cli.ts'
import { formatFinding } from './objects.ts'

const { root, envs } = environmentsArgs()

try {
  let failed = 0
  for (const { env, counts, findings } of await checkOverlays(root, envs)) {
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
