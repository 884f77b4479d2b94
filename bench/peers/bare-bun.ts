// The floor for our backend: Bun.serve with no framework, logging or metrics. `/healthz` is the
// ceiling for cheap routes; `/` does the least the job needs (sleep, then one plain file write,
// neither atomic nor synced), so its burst figures show what the machine and the client allow.
import { join } from 'node:path'

const delayMs = Number(process.env.PROCESSING_DELAY_MS ?? 3000)
const logDir = process.env.LOG_DIR ?? '/tmp/bare-bun-logs'
let written = 0

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  routes: {
    '/healthz': () => Response.json({ status: 'ok' }),
    '/': async () => {
      await Bun.sleep(delayMs)
      const file = `${Date.now()}-${process.pid}-${++written}.log`
      await Bun.write(join(logDir, file), `${JSON.stringify({ message: 'Success', file })}\n`)
      return Response.json({ message: 'Success', file })
    },
  },
  fetch: () => Response.json({ error: 'Not found' }, { status: 404 }),
})
console.log(`bare Bun.serve listening on ${server.url}`)
process.on('SIGTERM', () => {
  server.stop(true)
  process.exit(0)
})
