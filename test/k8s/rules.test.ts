// A negative test per rule: one deliberate break in a rendered overlay, and the checker must name
// the broken object and the rule.
import { beforeAll, describe, expect } from 'bun:test'
import { peakRssFromResults } from '../../bench/report.ts'
import { checkObjects, ruleDescriptions } from '../../scripts/k8s/checks.ts'
import { type K8sObject, objectId, podTemplates } from '../../scripts/k8s/objects.ts'
import {
  type Environment,
  k8sRoot,
  renderOverlay,
  withExampleKeys,
} from '../../scripts/k8s/render.ts'
import { testWhen } from '../support/requirements.ts'
import { contractBreaks } from './contract-breaks.ts'
import { hasKustomize, kustomizeMissing } from './tree.ts'

const test = testWhen(hasKustomize, kustomizeMissing)
const breaks = contractBreaks
const rendered: Partial<Record<Environment, K8sObject[]>> = {}

beforeAll(async () => {
  if (!hasKustomize) return
  await withExampleKeys(k8sRoot, async (copy) => {
    for (const env of ['dev', 'prod'] as const) {
      rendered[env] = await renderOverlay(copy, env)
    }
  })
})

describe('every rule has a negative test', () => {
  test('the cases cover every rule of the checker', () => {
    expect(new Set(breaks.map((b) => b.rule))).toEqual(new Set(Object.keys(ruleDescriptions)))
  })

  test('the unbroken overlays pass and the helpers find the pods', () => {
    for (const objects of Object.values(rendered)) {
      expect(checkObjects(objects)).toEqual([])
      expect(podTemplates(objects).map((t) => objectId(t.owner))).toContain(
        'Deployment/backend-namespace/backend-api',
      )
    }
  })

  for (const b of breaks) {
    test(`${b.rule}: ${b.what}`, () => {
      const objects = structuredClone(rendered[b.env ?? 'dev'] ?? [])
      b.apply(objects)
      const found = checkObjects(objects)
      expect(found).toContainEqual(expect.objectContaining({ rule: b.rule, object: b.object }))
      if (b.message) {
        expect(found.find((f) => f.rule === b.rule && f.object === b.object)?.message).toContain(
          b.message,
        )
      }
    })
  }
})

describe('the peak RSS the memory requests are held to', () => {
  test('is read from the committed bench result, and a row or column missing reads as none', async () => {
    const page = await Bun.file(new URL('../../bench/results/latest.md', import.meta.url)).text()
    const peak = peakRssFromResults(page)
    expect(peak).toBeGreaterThan(0)
    expect(peakRssFromResults(page.replace(`${peak} MiB`, '300 MiB'))).toBe(300)
    expect(peakRssFromResults(page.replace('| ours |', '| mine |'))).toBeUndefined()
    expect(peakRssFromResults('')).toBeUndefined()
  })
})
