// Pod Security Standards `restricted` (the parts a manifest decides), checked per pod template,
// and the namespace labels that make the API server enforce them.
import {
  containersOf,
  type Finding,
  finding,
  type K8sObject,
  ofKind,
  type PodTemplate,
  podTemplates,
} from './objects.ts'

const allowedVolumeTypes = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
])
const fix = 'set it in the pod securityContext or the container securityContext'

function templateFindings({ owner, spec }: PodTemplate): Finding[] {
  const out: Finding[] = []
  const report = (rule: string, message: string) => out.push(finding(rule, owner, message))
  const pod = spec.securityContext ?? {}
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) {
    report('pss-host-namespaces', 'hostNetwork/hostPID/hostIPC must be false: remove them')
  }
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown'
    if (!allowedVolumeTypes.has(type)) {
      report(
        'pss-volume-types',
        `volume ${volume.name} is ${type}: use emptyDir, a PVC, configMap or secret`,
      )
    }
  }
  for (const c of containersOf(spec)) {
    const sc = c.securityContext ?? {}
    const name = `container ${c.name}`
    if (sc.privileged) report('pss-privileged', `${name} is privileged: remove privileged: true`)
    if (c.ports?.some((p) => p.hostPort)) {
      report('pss-host-ports', `${name} uses a hostPort: expose it through a Service instead`)
    }
    if (sc.allowPrivilegeEscalation !== false) {
      report('pss-privilege-escalation', `${name} must set allowPrivilegeEscalation: false`)
    }
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
      report('pss-run-as-non-root', `${name} must run with runAsNonRoot: true: ${fix}`)
    }
    if ((sc.runAsUser ?? pod.runAsUser) === 0) {
      report('pss-run-as-user', `${name} runs as UID 0: use runAsUser: 65532`)
    }
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      report('pss-seccomp', `${name} needs seccompProfile.type RuntimeDefault: ${fix}`)
    }
    const caps = sc.capabilities ?? {}
    const added = (caps.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE')
    if (!caps.drop?.includes('ALL') || added.length > 0) {
      report(
        'pss-capabilities',
        `${name} must drop ALL capabilities and add none but NET_BIND_SERVICE`,
      )
    }
    if (sc.readOnlyRootFilesystem !== true) {
      report(
        'read-only-root-filesystem',
        `${name} must set readOnlyRootFilesystem: true; mount an emptyDir where it writes`,
      )
    }
  }
  if (spec.automountServiceAccountToken !== false) {
    report(
      'service-account-token',
      'set automountServiceAccountToken: false: the programs never call the API server',
    )
  }
  return out
}

const pssModes = ['enforce', 'warn', 'audit']

function namespaceFindings(namespace: K8sObject): Finding[] {
  const labels = namespace.metadata.labels ?? {}
  const missing = pssModes.filter((m) => labels[`pod-security.kubernetes.io/${m}`] !== 'restricted')
  if (missing.length === 0) return []
  const wanted = missing.map((m) => `pod-security.kubernetes.io/${m}: restricted`).join(', ')
  return [finding('namespace-pss-labels', namespace, `add the labels ${wanted}`)]
}

export const podSecurityRules = (objects: K8sObject[]): Finding[] => [
  ...podTemplates(objects).flatMap(templateFindings),
  ...ofKind(objects, 'Namespace').flatMap(namespaceFindings),
]
