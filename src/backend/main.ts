import { loadConfig } from '../kit/config.ts'
import { createServiceDeps, startService } from '../kit/runtime.ts'
import { createBackendApp } from './app.ts'
import { longestRequestMs, readBackendConfig } from './config.ts'
import { ExternalLogsClient } from './external-client.ts'

const config = loadConfig(readBackendConfig)
// The integration keys are redacted from every stored body and from what /logs serves.
const secrets = Object.values(config.external.targets).map((target) => target.key)
const deps = createServiceDeps(config, { secrets })
const client = new ExternalLogsClient(config.external, deps.logger)
await startService(createBackendApp({ ...deps, config, client }), deps, {
  longestRequestMs: longestRequestMs(config),
})
