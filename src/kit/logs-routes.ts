import { Elysia, t } from 'elysia'
import { ErrorBody, LimitQuery, responses } from './schemas.ts'
import type { ServiceDeps } from './service.ts'

const LogList = t.Object({
  count: t.Integer({ examples: [1] }),
  entries: t.Array(
    t.Object({
      file: t.String({ examples: ['20261126T215244123Z-info-000001-a1b2c3d4.log'] }),
      content: t.String({ examples: ['{"message":"Success","level":"info"}\n'] }),
      truncated: t.Boolean({ description: 'content cut at 64 KiB' }),
    }),
  ),
})

/** `GET /logs?limit=N`: the newest log files with their contents, for a person in a browser. */
export function logsRoutes({ store }: ServiceDeps) {
  return new Elysia({ name: 'logs' }).get(
    '/logs',
    async ({ query }) => {
      const entries = await store.list(query.limit ?? 20)
      return { count: entries.length, entries }
    },
    {
      query: LimitQuery(500, 20),
      response: responses({ 200: LogList, 422: ErrorBody }),
      detail: { tags: ['work'], summary: 'The newest log files with their contents' },
    },
  )
}
