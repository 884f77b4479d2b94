import { type TSchema, t } from 'elysia'

/**
 * Every error body: `error` says what went wrong, `hint` what to do next; the other fields appear
 * where they help (responses are normalised to this schema, so a field must be listed here).
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
  reason: t.Optional(t.String({ description: 'errno of a failed log write', examples: ['EROFS'] })),
  env: t.Optional(t.String({ examples: ['staging'] })),
  allowed: t.Optional(t.Array(t.String())),
  variable: t.Optional(t.String({ examples: ['EXTERNAL_INTEGRATION_KEY_STAGING'] })),
  upstreamStatus: t.Optional(t.Integer({ examples: [500] })),
  attempts: t.Optional(t.Integer({ examples: [3] })),
  retryAfterSeconds: t.Optional(
    t.Integer({ description: 'also sent as the Retry-After header', examples: [8] }),
  ),
})

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
