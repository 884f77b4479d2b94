// Every overlay renders with the example keys and passes every rule; the checker's CLI fails on a
// broken tree with the object and the rule named.
import { afterAll, describe, expect } from 'bun:test'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { checkOverlays, ruleDescriptions } from '../../scripts/k8s/checks.ts'
import { environments, k8sRoot, overlayDir, renderText } from '../../scripts/k8s/render.ts'
import { testWhen } from '../support/requirements.ts'
import {
  copyK8sTree,
  edit,
  hasKustomize,
  kustomizeMissing,
  removeCopies,
  runScript,
} from './tree.ts'

afterAll(removeCopies)
const test = testWhen(hasKustomize, kustomizeMissing)

describe('overlays', () => {
  test('dev, staging and prod render and break no rule', async () => {
    const results = await checkOverlays(k8sRoot)
    expect(results.map((r) => r.env)).toEqual([...environments])
    for (const { env, findings, counts } of results) {
      expect({ env, findings }).toEqual({ env, findings: [] })
      expect(counts).toMatchObject({
        Namespace: 3,
        Deployment: 2,
        Service: 2,
        CronJob: 1,
        Secret: 1,
        Pod: 1,
      })
    }
    const [dev, staging, prod] = results.map((r) => r.counts)
    expect(dev?.HorizontalPodAutoscaler).toBeUndefined()
    expect(staging?.PodDisruptionBudget).toBe(2)
    expect(prod).toMatchObject({ PodDisruptionBudget: 2, HorizontalPodAutoscaler: 2 })
  }, 30_000)

  test('no overlay carries operator CRDs (they must apply on a cluster without them)', async () => {
    const root = await copyK8sTree()
    for (const env of environments)
      await Bun.write(join(overlayDir(root, env), 'integration-keys.env'), 'X=y\n')
    for (const env of environments) {
      expect(await renderText(overlayDir(root, env))).not.toMatch(/monitoring\.coreos\.com/)
    }
  }, 30_000)

  test('a missing env file fails with what to run instead of a bare kustomize error', async () => {
    const root = await copyK8sTree()
    await expect(renderText(overlayDir(root, 'dev'))).rejects.toThrow('run `just secrets ENV`')
  }, 30_000)

  test('each overlay has an example env file, and the real one is git-ignored', async () => {
    for (const env of environments) {
      const example = join(overlayDir(k8sRoot, env), 'integration-keys.env.example')
      expect((await stat(example)).isFile()).toBe(true)
      const ignored = Bun.spawnSync([
        'git',
        'check-ignore',
        '-q',
        example.slice(0, -'.example'.length),
      ])
      expect(ignored.exitCode).toBe(0)
    }
  })

  test('check-manifests passes on the repository and reports counts and rules', async () => {
    const { exitCode, stdout, stderr } = await runScript('check-manifests.ts', [])
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(stdout).toMatch(/^dev: \d+ objects \(/m)
    expect(stdout).toContain(
      `ok: ${Object.keys(ruleDescriptions).length} rules hold for dev, staging, prod`,
    )
  }, 30_000)

  test('a secretGenerator without namespace leaves the Deployment pointing at nothing', async () => {
    const root = await copyK8sTree()
    await edit(
      root,
      'overlays/prod/kustomization.yaml',
      '    namespace: backend-namespace\n    envs:',
      '    envs:',
    )
    const { exitCode, stderr } = await runScript('check-manifests.ts', ['--k8s', root, 'prod'])
    expect(exitCode).toBe(1)
    expect(stderr).toContain(
      'prod: Deployment/backend-namespace/backend-api: [config-reference] Secret backend-api-integration-keys key EXTERNAL_INTEGRATION_KEY_DEVELOPMENT does not exist in backend-namespace',
    )
  }, 30_000)

  test('an unknown environment is refused with the valid ones', async () => {
    const { exitCode, stderr } = await runScript('check-manifests.ts', ['qa'])
    expect(exitCode).toBe(2)
    expect(stderr).toContain('use dev, staging, prod')
  })
})
