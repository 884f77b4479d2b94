import { loadConfig } from '../kit/config.ts'
import { createServiceDeps, startService } from '../kit/http/runtime.ts'
import { MIN_SECRET_LENGTH } from '../kit/logs/redact.ts'
import { createBackendApp } from './app.ts'
import { longestRequestMs, readBackendConfig } from './config.ts'
import { ExternalLogsClient } from './external/external-client.ts'

const config = loadConfig(readBackendConfig)
// The integration keys are redacted from every stored body and from what /logs serves.
const secrets = Object.values(config.external.targets).map((target) => target.key)
const deps = createServiceDeps(config, { secrets })
for (const { key, keyVariable } of Object.values(config.external.targets)) {
  if (key && key.length < MIN_SECRET_LENGTH) {
    deps.logger.warn(
      { variable: keyVariable },
      `${keyVariable} is shorter than ${MIN_SECRET_LENGTH} characters, too short to tell from ` +
        'ordinary text, so it is not redacted from stored bodies and /logs: use the full key',
    )
  }
}
const client = new ExternalLogsClient(config.external, deps.logger)
await startService(createBackendApp({ ...deps, config, client }), deps, {
  longestRequestMs: longestRequestMs(config),
})
