import { type TSchema, t } from 'elysia'

/**
 * The error body every route can answer (404 with `path`, 405, 400, 422 with `details`, 500):
 * `error` says what went wrong, `hint` what to do next. A route whose errors say more declares
 * its own schema with `errorSchema` (responses are normalised to their schema: a field must be
 * listed to be sent).
 */
export const ErrorBody = t.Object({
  error: t.String({ examples: ['Not found'] }),
  hint: t.Optional(t.String()),
  path: t.Optional(t.String({ examples: ['/nope'] })),
  details: t.Optional(
    t.Array(
      t.Object({
        field: t.Optional(t.String({ examples: ['limit'] })),
        message: t.String({ examples: ['limit must be a whole number from 1 to 500'] }),
      }),
    ),
  ),
})

/** `ErrorBody` with the fields of one route's errors added. */
export const errorSchema = <P extends Record<string, TSchema>>(fields: P) =>
  t.Object({ ...ErrorBody.properties, ...fields })

/** The errno of a failed log write (503 of any route that writes a file). */
export const writeFailureFields = {
  reason: t.Optional(t.String({ description: 'errno of a failed log write', examples: ['EROFS'] })),
}

/** How long to wait before retrying (503 when every slot is taken, 502 passing the upstream's on). */
export const retryAfterFields = {
  retryAfterSeconds: t.Optional(
    t.Integer({ description: 'also sent as the Retry-After header', examples: [8] }),
  ),
}

export const WriteFailureBody = errorSchema(writeFailureFields)

/** `ErrorBody` documented with an example of one particular error. */
export const errorExample = (example: { error: string; hint: string }) =>
  t.Object(ErrorBody.properties, { examples: [example] })

/** What a field's 422 detail says; `errors.ts` reads it back (Elysia's own wording is garbled). */
export interface FieldRule {
  field: string
  message: string
}

/**
 * `?limit=N`, a whole number from 1 to `maximum`, with the message a 422 shows. Elysia fills in
 * `fallback` when the parameter is absent, so a handler reads `query.limit as number`: the default
 * is stated here only. (Optional in the schema, so that the OpenAPI document says so.)
 */
export function LimitQuery(maximum: number, fallback: number) {
  const rule: FieldRule = {
    field: 'limit',
    message: `limit must be a whole number from 1 to ${maximum}`,
  }
  return t.Object({
    limit: t.Optional(
      t.Integer({
        minimum: 1,
        maximum,
        default: fallback,
        description: `how many, newest first (1 to ${maximum})`,
        // a callback, because a plain object is not a valid `error` option
        error: () => rule,
      }),
    ),
  })
}

/** Answers any route can give: unknown path, wrong method, our own failure. */
const COMMON_ERRORS = { 404: ErrorBody, 405: ErrorBody, 500: ErrorBody }

/** A route's documented responses: its own plus the common errors, all as JSON `ErrorBody`. */
export const responses = <R extends Record<number, TSchema>>(own: R) => ({
  ...COMMON_ERRORS,
  ...own,
})
