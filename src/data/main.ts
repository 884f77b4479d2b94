import { loadConfig, readServiceConfig } from '../kit/config.ts'
import { createServiceDeps, startService } from '../kit/http/runtime.ts'
import { createDataApp } from './app.ts'

const config = loadConfig((env) => readServiceConfig(env, 'data-api'))
const deps = createServiceDeps(config)
await startService(createDataApp(deps), deps)
