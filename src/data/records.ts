import { Elysia, t } from 'elysia'
import { ErrorBody, LimitQuery, responses } from '../kit/http/schemas.ts'

const CATEGORIES = ['sensor', 'order', 'invoice', 'shipment'] as const

export const DataRecord = t.Object({
  id: t.String({ format: 'uuid', examples: ['0b8f5b1e-5c2b-4a36-9a5e-3c1f1f4a1d2e'] }),
  category: t.UnionEnum([...CATEGORIES], { examples: ['order'] }),
  value: t.Number({ minimum: 0, maximum: 1000, examples: [412.5] }),
  createdAt: t.String({ format: 'date-time', examples: ['2026-11-26T21:52:44.123Z'] }),
})

function generate(at: number, index: number) {
  return {
    id: crypto.randomUUID(),
    category: CATEGORIES[Math.floor(Math.random() * CATEGORIES.length)] ?? 'order',
    value: Math.round(Math.random() * 100_000) / 100,
    createdAt: new Date(at - index * 1000).toISOString(),
  }
}

/** `GET /records?limit=N`: generated mock records, newest first. */
export const recordsRoutes = new Elysia({ name: 'records' }).get(
  '/records',
  ({ query }) => {
    const now = Date.now()
    const records = Array.from({ length: query.limit as number }, (_, i) => generate(now, i))
    return { count: records.length, records }
  },
  {
    query: LimitQuery(100, 10),
    response: responses({
      200: t.Object({ count: t.Integer(), records: t.Array(DataRecord) }),
      422: ErrorBody,
    }),
    detail: { tags: ['work'], summary: 'Generated mock records, newest first' },
  },
)
