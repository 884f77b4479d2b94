import { expect, test } from 'bun:test'
import { Elysia, getSchemaValidator } from 'elysia'
import { get, readJson } from '../../test/support/route-deps.ts'
import { DataRecord, recordsRoutes } from './records.ts'

const app = new Elysia().use(recordsRoutes)
const recordSchema = getSchemaValidator(DataRecord)

test('GET /records answers 10 schema-valid records by default, newest first', async () => {
  const body = await readJson(await app.handle(get('/records')))
  expect(body.count).toBe(10)
  for (const record of body.records) expect(recordSchema?.Check(record)).toBe(true)
  const times = body.records.map((r: { createdAt: string }) => Date.parse(r.createdAt))
  expect([...times].sort((a, b) => b - a)).toEqual(times)
  expect(new Set(body.records.map((r: { id: string }) => r.id)).size).toBe(10)
})

test('GET /records?limit=100 answers 100', async () => {
  expect((await readJson(await app.handle(get('/records?limit=100')))).count).toBe(100)
})

test.each(['0', '101', 'x'])('GET /records?limit=%s is a validation failure', async (limit) => {
  expect((await app.handle(get(`/records?limit=${limit}`))).status).toBe(422)
})
