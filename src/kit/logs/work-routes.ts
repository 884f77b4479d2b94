import { Elysia, t } from 'elysia'
import { sideEffects } from '../http/methods.ts'
import { responses, WriteFailureBody } from '../http/schemas.ts'
import type { ServiceDeps } from '../http/service.ts'

const MESSAGES = [
  { level: 'info', message: 'Success' },
  { level: 'info', message: 'Created' },
  { level: 'warn', message: 'Retried' },
  { level: 'error', message: 'Failed' },
] as const

const WorkResult = t.Object({
  message: t.String({ examples: ['Success'] }),
  level: t.String({ examples: ['info'] }),
  file: t.String({ examples: ['20261126T215244123Z-info-000001-a1b2c3d4.log'] }),
  service: t.String({ examples: ['backend-api'] }),
  timestamp: t.String({ format: 'date-time', examples: ['2026-11-26T21:52:44.123Z'] }),
})

/** `GET /`: the simulated work: wait, then record one random log message as one new file. */
export function workRoutes({ config, store }: ServiceDeps) {
  return new Elysia({ name: 'work' }).use(sideEffects).get(
    '/',
    async () => {
      await Bun.sleep(config.processingDelayMs)
      const pick = MESSAGES[Math.floor(Math.random() * MESSAGES.length)] ?? MESSAGES[0]
      const at = new Date()
      const timestamp = at.toISOString()
      const record = { timestamp, service: config.serviceName, ...pick }
      const file = await store.write(pick.level, `${JSON.stringify(record)}\n`, at)
      return { ...pick, file, service: config.serviceName, timestamp }
    },
    {
      sideEffects: true,
      response: responses({ 200: WorkResult, 503: WriteFailureBody }),
      detail: {
        tags: ['work'],
        summary: 'Simulated work: waits PROCESSING_DELAY_MS, then writes one log file',
      },
    },
  )
}
