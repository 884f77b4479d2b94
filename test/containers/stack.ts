// The two service containers plus the loopback stand-in for the external log API, as the services
// and health container suites both need them.
import { type FakeUpstream, startFakeUpstream } from '../support/upstream.ts'
import { removeTestContainers, type ServiceContainer, startService } from './containers.ts'
import type { BuiltImages } from './images.ts'

/** A made-up integration key for the loopback fake; not a secret. */
export const TEST_KEY = 'container-test-key'

export interface Stack {
  upstream: FakeUpstream
  backend: ServiceContainer
  data: ServiceContainer
}

const upstreams: FakeUpstream[] = []

/** For each test file's afterAll: the containers and the fake upstreams go (tempDir clears the dirs). */
export async function stopStacks(): Promise<void> {
  await removeTestContainers()
  for (const upstream of upstreams) upstream.close()
  upstreams.length = 0
}

/** Starts backend-api and data-api from the built images; `env` goes to both. */
export async function startStack(images: BuiltImages, env: Record<string, string>): Promise<Stack> {
  const upstream = await startFakeUpstream({ key: TEST_KEY })
  upstreams.push(upstream)
  const [backend, data] = await Promise.all([
    startService(images.tags.backend, {
      ...env,
      EXTERNAL_API_URL_DEVELOPMENT: upstream.url,
      EXTERNAL_INTEGRATION_KEY_DEVELOPMENT: TEST_KEY,
    }),
    startService(images.tags.data, env),
  ])
  return { upstream, backend, data }
}
