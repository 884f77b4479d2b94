import { Elysia, t } from 'elysia'
import { listingsBusy } from '../http/errors.ts'
import { ErrorBody, LimitQuery, responses } from '../http/schemas.ts'
import type { ServiceDeps } from '../http/service.ts'
import type { LogEntry } from './log-store.ts'

const LogList = t.Object({
  entries: t.Array(
    t.Object({
      file: t.String({ examples: ['20261126T215244123Z-info-000001-a1b2c3d4.log'] }),
      content: t.String({ examples: ['{"message":"Success","level":"info"}\n'] }),
      truncated: t.Boolean({ description: 'content cut at 64 KiB' }),
    }),
  ),
  count: t.Integer({ examples: [1] }),
})

/**
 * Listings served at once. Each holds about one entry in memory (64 KiB of a file, up to six
 * times that as escaped JSON) while the client reads, so memory stays bounded; the cap keeps a
 * crowd of 500-entry listings from taking the CPU from the probes and `GET /`.
 */
export const LISTINGS_AT_ONCE = 4
/** A listing the client has not read to the end by then is cut, and its slot freed. */
export const LISTING_DEADLINE_MS = 30_000

/**
 * The listing as JSON, one entry at a time as the client reads: `{"entries":[...],"count":N}`.
 * `done` runs once, when the stream ends, fails, is cancelled or passes its deadline.
 */
function streamListing(entries: AsyncGenerator<LogEntry>, done: () => void): ReadableStream {
  const encoder = new TextEncoder()
  let count = 0
  let timer: Timer | undefined
  const finish = () => {
    clearTimeout(timer)
    void entries.return(undefined)
    done()
  }
  return new ReadableStream(
    {
      start(controller) {
        timer = setTimeout(() => {
          controller.error(new Error('listing deadline passed'))
          finish()
        }, LISTING_DEADLINE_MS)
        controller.enqueue(encoder.encode('{"entries":['))
      },
      async pull(controller) {
        try {
          const next = await entries.next()
          if (next.done) {
            controller.enqueue(encoder.encode(`],"count":${count}}`))
            controller.close()
            finish()
            return
          }
          controller.enqueue(encoder.encode((count++ > 0 ? ',' : '') + JSON.stringify(next.value)))
        } catch (error) {
          controller.error(error)
          finish()
        }
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  )
}

/** `GET /logs?limit=N`: the newest log files with their contents, for a person in a browser. */
export function logsRoutes({ store }: ServiceDeps) {
  let serving = 0
  return new Elysia({ name: 'logs' }).get(
    '/logs',
    ({ query, status, set }) => {
      if (serving >= LISTINGS_AT_ONCE) {
        set.headers['retry-after'] = '1'
        return status(503, listingsBusy(LISTINGS_AT_ONCE))
      }
      serving++
      let released = false
      const release = () => {
        if (!released) serving--
        released = true
      }
      const body = streamListing(store.entries(query.limit as number), release)
      return new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } })
    },
    {
      query: LimitQuery(500, 20),
      response: responses({ 200: LogList, 422: ErrorBody, 503: ErrorBody }),
      detail: {
        tags: ['work'],
        summary: 'The newest log files with their contents (streamed; a few listings at once)',
      },
    },
  )
}
