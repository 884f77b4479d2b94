// Reads the monitoring objects of k8s/monitoring/ and runs promtool on them (shared by the tests).
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { render } from '../../scripts/k8s/render.ts'
import { runToEnd } from '../../scripts/process.ts'
import { hasKustomize, kustomizeMissing } from '../k8s/tree.ts'
import { hasCommand, testWhen } from '../support/requirements.ts'

export const root = resolve(import.meta.dir, '../..')
export const monitoringDir = join(root, 'k8s/monitoring')

export interface Rule {
  alert?: string
  record?: string
  expr: string
  for?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

export interface RuleGroup {
  name: string
  rules: Rule[]
}

export type Manifest = {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Record<string, string> }
  // biome-ignore lint/suspicious/noExplicitAny: the spec differs per kind; each test narrows it
  spec?: any
  data?: Record<string, string>
}

export async function readYaml<T>(file: string): Promise<T> {
  return parse(await readFile(join(monitoringDir, file), 'utf8')) as T
}

export async function readManifests(file: string): Promise<Manifest[]> {
  const text = await readFile(join(monitoringDir, file), 'utf8')
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest)
}

/** The rule groups of the PrometheusRule: what the operator hands to Prometheus. */
export async function ruleGroups(): Promise<RuleGroup[]> {
  const [rule] = await readManifests('prometheusrule.yaml')
  return (rule?.spec?.groups ?? []) as RuleGroup[]
}

export const alertRules = (groups: RuleGroup[]): Rule[] =>
  groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined)

/** `test` for what needs promtool: skips with one line on a laptop without it, fails under CI. */
export const withPromtool = testWhen(
  hasCommand('promtool'),
  'promtool is not installed (apt-get install prometheus)',
)

/** Writes a plain Prometheus rules file (promtool rejects the PrometheusRule manifest itself). */
export async function writeRulesFile(dir: string, groups: RuleGroup[], name = 'rules.yaml') {
  const file = join(dir, name)
  await writeFile(file, stringify({ groups }))
  return file
}

export async function promtool(
  args: string[],
  cwd = root,
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runToEnd(['promtool', ...args], { cwd })
  return { code, output: `${stdout}${stderr}` }
}

/** `name{a="b", ...}` as PromQL and promtool's series notation write it. */
export function seriesName(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  return `${name}{${pairs.join(', ')}}`
}

/** `test` for what renders a kustomization: standalone kustomize or kubectl's, as render() uses. */
export const withKustomize = testWhen(hasKustomize, kustomizeMissing)

/** A kustomization rendered by the k8s area's renderer (standalone kustomize or kubectl's). */
export const kustomize = async (dir: string): Promise<Manifest[]> =>
  (await render(dir)) as Manifest[]
