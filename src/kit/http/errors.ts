// Every error body the kit answers, one named constructor each: `error` says what went wrong,
// `hint` what to do next. The backend's download errors are in src/backend/external/
// download-answers.ts; the error handler that picks one is in service.ts (`jsonErrors`).
import type { ValidationError } from 'elysia'
import type { LogWriteError } from '../logs/log-store.ts'
import type { FieldRule } from './schemas.ts'

const isRule = (value: unknown): value is FieldRule =>
  typeof value === 'object' && value !== null && 'field' in value && 'message' in value

/**
 * Elysia words a coerced query number as a union of the same type twice ("should be one of:
 * 'integer', 'integer'"): say each type once.
 */
function readable(summary: string) {
  return summary.replace(/one of: (.+)$/, (_, list: string) => {
    const types = [...new Set(list.split(', '))]
    return types.length === 1 ? String(types[0]) : `one of: ${types.join(', ')}`
  })
}

/**
 * One `{ field, message }` per problem. A field with a `FieldRule` (see schemas.ts) says it in its
 * own words: Elysia reports coerced query numbers out of range without the field name.
 */
export function detailsOf(error: Readonly<ValidationError>) {
  if (isRule(error.customError)) return [error.customError]
  return error.all.map((issue) => ({
    field: 'path' in issue && issue.path ? issue.path.replace(/^\//, '') : undefined,
    message: readable(issue.summary ?? ('message' in issue ? issue.message : 'invalid value')),
  }))
}

/** 422: which query fields are wrong and how. */
export function invalidRequest(error: Readonly<ValidationError>) {
  const details = detailsOf(error)
  const fields = details.flatMap((d) => (d.field ? [d.field] : []))
  const what = fields.length > 0 ? fields.join(', ') : 'the request'
  return { error: 'Invalid request', details, hint: `fix ${what} as the details say; see /swagger` }
}

/** 500: our own failure; the details go to the service log, never to the client. */
export const internalError = () => ({
  error: 'Internal error',
  hint: 'retry later; the service log has the details',
})

/** The 503 a failed log write answers, whichever route wrote it. */
export function writeFailure(error: LogWriteError) {
  return {
    error: error.message,
    reason: error.reason,
    hint: 'make LOG_DIR writable (read-write volume, free disk space); the service recovers by itself',
  }
}

/** 404: no route has this path. */
export const notFound = (path: string) => ({
  error: 'Not found',
  path,
  hint: 'GET /swagger lists the routes of this service',
})

/** 405: `path` serves only the methods in `allow` (also sent as the Allow header). */
export const methodNotAllowed = (method: string, path: string, allow: readonly string[]) => ({
  error: `${method} is not allowed on ${path}`,
  hint: `use ${allow.join(' or ')} ${path}; GET /swagger lists the routes`,
})

/** 400: a request Elysia could not parse. */
export const malformedRequest = () => ({
  error: 'Malformed request',
  hint: 'send a well-formed request; see /swagger',
})

/** 503 of `/readyz` while draining after SIGTERM. */
export const shuttingDown = () => ({
  error: 'shutting down',
  hint: 'send traffic to another replica',
})

/** 503 of `/readyz` while LOG_DIR cannot be written. */
export const notReady = (dir: string, reason: string | undefined) => ({
  error: `log directory ${dir} is not writable (${reason})`,
  hint: 'mount LOG_DIR read-write and free disk space; readiness recovers by itself',
})

/** 503 of `/logs` when `atOnce` listings are being served (with Retry-After). */
export const listingsBusy = (atOnce: number) => ({
  error: `${atOnce} log listings are being served, as many as this service serves at once`,
  hint: 'retry in a second (Retry-After), or ask for fewer entries with ?limit=',
})
