import { t } from 'elysia'

/**
 * Every error body: `error` says what went wrong, `hint` what to do next; the other fields appear
 * where they help (responses are normalised to this schema, so a field must be listed here).
 */
export const ErrorBody = t.Object({
  error: t.String({ examples: ['Not found'] }),
  hint: t.Optional(t.String()),
  reason: t.Optional(t.String({ description: 'errno of a failed log write', examples: ['EROFS'] })),
  env: t.Optional(t.String({ examples: ['staging'] })),
  allowed: t.Optional(t.Array(t.String())),
  variable: t.Optional(t.String({ examples: ['EXTERNAL_INTEGRATION_KEY_STAGING'] })),
  upstreamStatus: t.Optional(t.Integer({ examples: [500] })),
  attempts: t.Optional(t.Integer({ examples: [3] })),
})
