// `just kube-score`: the field's linter (kube-score, pinned in tools/kube-score) on every overlay
// rendered with the example keys, scored together with its log reader (the pod lands in the
// overlay's namespace, under its NetworkPolicies). Fails on any WARNING or CRITICAL. Exceptions are
// made only on the object, with a `kube-score/ignore` annotation and a comment saying why.
//   bun run scripts/k8s/kube-score.ts [--k8s DIR] [ENV ...]
import { join } from 'node:path'
import { runToEnd } from '../process.ts'
import { environmentsArgs } from './cli.ts'
import { overlayDir, renderText, repoRoot, withExampleKeys } from './render.ts'

const { root, envs } = environmentsArgs()

const run = (command: string[], stdin?: string) => runToEnd(command, { stdin })

/** The pinned binary, built into the cache on first use (about a minute). */
async function kubeScore(): Promise<string> {
  if (process.env.KUBE_SCORE) return process.env.KUBE_SCORE
  const built = await run(['bash', join(repoRoot, 'tools/go-tool.sh'), 'kube-score'])
  if (built.code !== 0) throw new Error(`could not build kube-score:\n${built.stderr.trim()}`)
  return join(built.stdout.trim(), 'kube-score')
}

// The deprecated-API check judges against the Kubernetes the e2e suite proves the manifests on.
const goMod = await Bun.file(join(repoRoot, 'tools/kubernetes/go.mod')).text()
const kubernetesVersion = goMod.match(/^\s*k8s\.io\/kubernetes (v\d+\.\d+)/m)?.[1] ?? 'v1.34'

try {
  const binary = await kubeScore()
  let problems = 0
  await withExampleKeys(root, async (copy) => {
    for (const env of envs) {
      const overlay = overlayDir(copy, env)
      const text = [await renderText(overlay), await renderText(join(overlay, 'log-reader'))]
      const flags = ['--output-format', 'ci', '--exit-one-on-warning']
      flags.push('--kubernetes-version', kubernetesVersion)
      const score = await run([binary, 'score', ...flags, '-'], text.join('\n---\n'))
      const findings = score.stdout.split('\n').filter((l) => /^\[(WARNING|CRITICAL)\]/.test(l))
      for (const line of findings) console.error(`${env}: ${line}`)
      problems += findings.length
      if (score.code !== 0 && findings.length === 0) {
        throw new Error(`kube-score failed on ${env}:\n${score.stderr.trim()}`)
      }
      if (findings.length === 0) console.log(`${env}: kube-score: no warning, no critical`)
    }
  })
  if (problems > 0) {
    console.error(
      `${problems} kube-score finding(s): fix the manifests under k8s/; an exception is a ` +
        '`kube-score/ignore: CHECK` annotation on that object with a comment saying why',
    )
    process.exit(1)
  }
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
