// ConfigMaps, Secrets and claims that exist in the referrer's namespace, generated so a change
// rolls the pods, and integration keys that come only from the Secret.
import {
  containersOf,
  type Finding,
  finding,
  type K8sObject,
  lookup,
  ofKind,
  type PodTemplate,
  podTemplates,
} from './objects.ts'

const generatedName = /-[a-z0-9]{10}$/
const integrationKey = /^EXTERNAL_INTEGRATION_KEY_/

function templateReferences({ owner, spec }: PodTemplate, objects: K8sObject[]): Finding[] {
  const out: Finding[] = []
  const ns = owner.metadata.namespace
  const check = (kind: string, name: string | undefined, key?: string, optional?: boolean) => {
    const target = lookup(objects, kind, ns, name)
    const what = `${kind} ${name}${key ? ` key ${key}` : ''}`
    if (!target) {
      out.push(
        finding(
          'config-reference',
          owner,
          `${what} does not exist in ${ns}: generate it in that namespace (a generator without namespace: leaves the reference unsubstituted)`,
        ),
      )
    } else if (kind !== 'PersistentVolumeClaim' && !generatedName.test(target.metadata.name)) {
      out.push(
        finding(
          'config-reference',
          owner,
          `${what} is not generated: use a configMapGenerator/secretGenerator so a change rolls the pods`,
        ),
      )
    } else if (key !== undefined && !optional) {
      const data = { ...(target.data as object), ...(target.stringData as object) }
      if (!(key in data))
        out.push(
          finding(
            'config-reference',
            owner,
            `${what} is missing and the reference is not optional: the pod would not start`,
          ),
        )
    }
  }
  for (const c of containersOf(spec)) {
    for (const e of c.env ?? []) {
      const { secretKeyRef: s, configMapKeyRef: m } = e.valueFrom ?? {}
      if (s) check('Secret', s.name, s.key, s.optional)
      if (m) check('ConfigMap', m.name, m.key, m.optional)
      if (integrationKey.test(e.name) && !s) {
        out.push(
          finding(
            'secret-source',
            owner,
            `${e.name} must come from the generated Secret through secretKeyRef`,
          ),
        )
      }
    }
    for (const source of c.envFrom ?? []) {
      if (source.secretRef) check('Secret', source.secretRef.name)
      if (source.configMapRef) check('ConfigMap', source.configMapRef.name)
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap) check('ConfigMap', v.configMap.name)
    if (v.secret) check('Secret', v.secret.secretName)
    if (v.persistentVolumeClaim) check('PersistentVolumeClaim', v.persistentVolumeClaim.claimName)
  }
  return out
}

function configMapFindings(objects: K8sObject[]): Finding[] {
  return ofKind(objects, 'ConfigMap').flatMap((o) =>
    Object.keys((o.data as object | undefined) ?? {})
      .filter((key) => integrationKey.test(key))
      .map((key) =>
        finding(
          'secret-source',
          o,
          `${key} is a key: move it to the overlay's integration-keys.env`,
        ),
      ),
  )
}

export const referenceRules = (objects: K8sObject[]): Finding[] => [
  ...podTemplates(objects).flatMap((t) => templateReferences(t, objects)),
  ...configMapFindings(objects),
]
