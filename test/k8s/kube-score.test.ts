// kube-score (pinned in tools/kube-score) passes on the shipped overlays and fails `just lint`
// when an overlay breaks one of its checks, naming the environment, the object and the finding.
import { afterAll, describe, expect } from 'bun:test'
import { hasCommand, testWhen } from '../support/requirements.ts'
import { copyK8sTree, edit, hasKustomize, removeCopies, runScript } from './tree.ts'

afterAll(removeCopies)
const test = testWhen(
  hasKustomize && (hasCommand('go') || process.env.KUBE_SCORE !== undefined),
  'kube-score needs Go (to build tools/kube-score) and kubectl or kustomize',
)
// The first run builds kube-score into the cache: about a minute on 2 cores.
const build = 300_000

describe('kube-score', () => {
  test(
    'every overlay with its log reader: no warning, no critical',
    async () => {
      const result = await runScript('kube-score.ts', [])
      expect(result.stderr).toBe('')
      expect(result.stdout.trim().split('\n')).toEqual([
        'dev: kube-score: no warning, no critical',
        'staging: kube-score: no warning, no critical',
        'prod: kube-score: no warning, no critical',
      ])
      expect(result.exitCode).toBe(0)
    },
    build,
  )

  test(
    "prod sizing its containers without ephemeral-storage, staging's pods without anti-affinity",
    async () => {
      const root = await copyK8sTree()
      // The patch that once replaced the base's whole resources block.
      await edit(
        root,
        'overlays/prod/kustomization.yaml',
        '- { op: replace, path: /spec/template/spec/containers/0/resources/limits/memory, value: 384Mi }',
        '- { op: replace, path: /spec/template/spec/containers/0/resources/limits, value: { cpu: "1", memory: 384Mi } }',
      )
      // The availability component without its last patch, the anti-affinity.
      const component = `${root}/overlays/components/availability/kustomization.yaml`
      const text = await Bun.file(component).text()
      const antiAffinity = text.indexOf(
        '      - op: add\n        path: /spec/template/spec/affinity',
      )
      expect(antiAffinity).toBeGreaterThan(0)
      await Bun.write(component, text.slice(0, antiAffinity))
      const result = await runScript('kube-score.ts', ['--k8s', root, 'staging', 'prod'])
      const findings = result.stderr.split('\n').filter((l) => /^\w+: \[/.test(l))
      expect(findings.sort()).toEqual(
        [
          'prod: [CRITICAL] backend-api/backend-namespace apps/v1/Deployment: (backend-api) Ephemeral Storage limit is not set',
          'prod: [CRITICAL] data-api/data-namespace apps/v1/Deployment: (data-api) Ephemeral Storage limit is not set',
          'prod: [WARNING] backend-api/backend-namespace apps/v1/Deployment: Deployment does not have a host podAntiAffinity set',
          'prod: [WARNING] data-api/data-namespace apps/v1/Deployment: Deployment does not have a host podAntiAffinity set',
          'staging: [WARNING] backend-api/backend-namespace apps/v1/Deployment: Deployment does not have a host podAntiAffinity set',
          'staging: [WARNING] data-api/data-namespace apps/v1/Deployment: Deployment does not have a host podAntiAffinity set',
        ].sort(),
      )
      expect(result.stderr).toContain('6 kube-score finding(s)')
      expect(result.exitCode).toBe(1)
    },
    build,
  )
})
