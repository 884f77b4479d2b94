// Breaks of the schema and Pod Security rules: each one what a hurried edit of the manifests does.
import {
  type Break,
  backend,
  container,
  cron,
  data,
  deployment,
  get,
  pod,
  reader,
} from './break-helpers.ts'

export const podBreaks: Break[] = [
  {
    rule: 'schema',
    what: 'replicas as a word',
    object: data,
    apply: (o) => Object.assign(deployment(o, data), { replicas: 'two' }),
  },
  {
    rule: 'schema',
    what: 'an upper-case name',
    object: 'NetworkPolicy/data-namespace/Allow-DNS',
    apply: (o) => {
      get(o, 'NetworkPolicy/data-namespace/allow-dns').metadata.name = 'Allow-DNS'
    },
  },
  {
    rule: 'unknown-field',
    what: 'readinessprobe in lower case',
    object: backend,
    message: 'readinessprobe',
    apply: (o) => Object.assign(container(o, backend), { readinessprobe: {} }),
  },
  {
    rule: 'kind-allowed',
    what: 'a ServiceMonitor in an overlay',
    object: 'ServiceMonitor/backend-namespace/backend-api',
    message: 'k8s/monitoring',
    apply: (o) =>
      o.push({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'backend-api', namespace: 'backend-namespace' },
      }),
  },
  {
    rule: 'namespace-pss-labels',
    what: 'no enforce label',
    object: 'Namespace/backend-namespace',
    message: 'enforce',
    apply: (o) => {
      delete get(o, 'Namespace/backend-namespace').metadata.labels?.[
        'pod-security.kubernetes.io/enforce'
      ]
    },
  },
  {
    rule: 'pss-host-namespaces',
    what: 'hostNetwork',
    object: data,
    apply: (o) => {
      pod(o, data).hostNetwork = true
    },
  },
  {
    rule: 'pss-volume-types',
    what: 'a hostPath volume like the seed PV',
    object: cron,
    message: 'hostPath',
    apply: (o) => pod(o, cron).volumes?.push({ name: 'host', hostPath: { path: '/data' } }),
  },
  {
    rule: 'pss-privileged',
    what: 'a privileged container',
    object: backend,
    apply: (o) => Object.assign(container(o, backend).securityContext ?? {}, { privileged: true }),
  },
  {
    rule: 'pss-host-ports',
    what: 'a hostPort',
    object: backend,
    apply: (o) => Object.assign(container(o, backend).ports?.[0] ?? {}, { hostPort: 5000 }),
  },
  {
    rule: 'pss-privilege-escalation',
    what: 'allowPrivilegeEscalation left out',
    object: reader,
    apply: (o) => {
      delete container(o, reader).securityContext?.allowPrivilegeEscalation
    },
  },
  {
    rule: 'pss-run-as-non-root',
    what: 'runAsNonRoot false on the container',
    object: data,
    apply: (o) => Object.assign(container(o, data).securityContext ?? {}, { runAsNonRoot: false }),
  },
  {
    rule: 'pss-run-as-user',
    what: 'UID 0',
    object: cron,
    apply: (o) => Object.assign(container(o, cron).securityContext ?? {}, { runAsUser: 0 }),
  },
  {
    rule: 'pss-seccomp',
    what: 'no seccomp profile',
    object: backend,
    apply: (o) => {
      delete pod(o, backend).securityContext?.seccompProfile
    },
  },
  {
    rule: 'pss-capabilities',
    what: 'an added capability',
    object: backend,
    apply: (o) =>
      Object.assign(container(o, backend).securityContext?.capabilities ?? {}, {
        add: ['SYS_ADMIN'],
      }),
  },
  {
    rule: 'read-only-root-filesystem',
    what: 'a writable root',
    object: cron,
    apply: (o) =>
      Object.assign(container(o, cron).securityContext ?? {}, { readOnlyRootFilesystem: false }),
  },
  {
    rule: 'service-account-token',
    what: 'the token mounted',
    object: data,
    apply: (o) => {
      delete pod(o, data).automountServiceAccountToken
    },
  },
]
