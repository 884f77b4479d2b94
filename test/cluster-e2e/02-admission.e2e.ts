// The API server's own validation and admission: every overlay is accepted as it is, and Pod
// Security "restricted" refuses what it should in each of our namespaces.
import { describe, expect } from 'bun:test'
import { kubectlJson, onCluster, sh } from './cluster.ts'

const namespaces = ['backend-namespace', 'data-namespace', 'health-namespace']

/** A pod that is fine except for what `securityContext` leaves out or adds. */
const pod = (namespace: string, name: string, securityContext: Record<string, unknown>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{ name: 'c', image: 'backend-api:v1', securityContext }],
    },
  })

const dryRun = (manifest: string) =>
  sh(['kubectl', 'apply', '--dry-run=server', '-f', '-'], { stdin: manifest })

describe('validation and admission by the real API server', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    onCluster(`k8s/overlays/${env} passes a server-side dry run, with no warning`, async () => {
      const result = await sh([
        'kubectl',
        'apply',
        '--server-side',
        '--force-conflicts',
        '--dry-run=server',
        '-k',
        `k8s/overlays/${env}`,
      ])
      expect(result.code, result.tail).toBe(0)
      // Objects that `just up` applied client-side get a note about moving kubectl's
      // last-applied annotation to server-side ownership; anything else would be about our YAML.
      const warnings = result.stderr
        .split('\n')
        .filter(
          (line) =>
            /warning/i.test(line) &&
            !line.includes('failed to migrate kubectl.kubernetes.io/last-applied-configuration'),
        )
      expect(warnings).toEqual([])
      expect(result.stdout).toContain(
        'deployment.apps/backend-api serverside-applied (server dry run)',
      )
    })
  }

  onCluster('a misspelled field is refused by the API server, with its path', async () => {
    const manifest = JSON.parse(pod('backend-namespace', 'typo', {}))
    manifest.spec.containers[0].readinessprobe = { httpGet: { path: '/readyz', port: 5000 } }
    const result = await dryRun(JSON.stringify(manifest))
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('unknown field "spec.containers[0].readinessprobe"')
  })

  for (const namespace of namespaces) {
    onCluster(
      `${namespace}: Pod Security "restricted" refuses a pod without runAsNonRoot, seccomp and drop ALL`,
      async () => {
        const result = await dryRun(pod(namespace, 'lax', { allowPrivilegeEscalation: false }))
        expect(result.code).not.toBe(0)
        expect(result.stderr).toContain('violates PodSecurity "restricted:latest"')
        for (const missing of ['runAsNonRoot', 'seccompProfile', 'capabilities']) {
          expect(result.stderr).toContain(missing)
        }
      },
    )

    onCluster(`${namespace}: a privileged pod is refused by Pod Security`, async () => {
      const result = await dryRun(pod(namespace, 'privileged', { privileged: true }))
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain('violates PodSecurity "restricted:latest": privileged')
    })
  }

  onCluster('our own pods were admitted under enforce=restricted and are running', async () => {
    for (const namespace of namespaces) {
      const ns = await kubectlJson<{ metadata: { labels: Record<string, string> } }>(
        'get',
        'namespace',
        namespace,
      )
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted')
    }
    for (const [namespace, app] of [
      ['backend-namespace', 'backend-api'],
      ['data-namespace', 'data-api'],
    ] as const) {
      const pods = await kubectlJson<{ items: { status: { phase: string } }[] }>(
        'get',
        'pods',
        '-n',
        namespace,
        '-l',
        `app=${app}`,
      )
      expect(pods.items.map((p) => p.status.phase)).toEqual(['Running'])
    }
  })
})
