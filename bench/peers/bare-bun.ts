// The floor for our backend: Bun.serve with no framework, logging or metrics. `/healthz` is the
// ceiling for cheap routes; `/` does the least the job needs (sleep, then one plain file write,
// neither atomic nor synced), so its burst figures show what the machine and the client allow.
// With DURABLE=1 it pays for durability one request at a time, the cost group commit removes.
import { open, rename } from 'node:fs/promises'
import { join } from 'node:path'

const delayMs = Number(process.env.PROCESSING_DELAY_MS ?? 3000)
const logDir = process.env.LOG_DIR ?? '/tmp/bare-bun-logs'
let written = 0
/**
 * DURABLE=1: each request's file written as our log store did before group commit, one request
 * at a time: temp file, datasync, close, rename, then a sync of the directory.
 */
const durable = process.env.DURABLE === '1'

async function writeDurably(file: string, line: string) {
  const temp = join(logDir, `.${file}.tmp`)
  const handle = await open(temp, 'wx')
  try {
    await handle.writeFile(line)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  await rename(temp, join(logDir, file))
  const dir = await open(logDir, 'r')
  await dir.sync()
  await dir.close()
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  routes: {
    '/healthz': () => Response.json({ status: 'ok' }),
    '/': async () => {
      await Bun.sleep(delayMs)
      const file = `${Date.now()}-${process.pid}-${++written}.log`
      const line = `${JSON.stringify({ message: 'Success', file })}\n`
      if (durable) await writeDurably(file, line)
      else await Bun.write(join(logDir, file), line)
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
