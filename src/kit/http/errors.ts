import { Elysia, type ValidationError } from 'elysia'
import type { Logger } from '../logger.ts'
import { LogWriteError } from '../logs/log-store.ts'
import { allowedMethods, methodNotAllowed, type RouteInfo } from './methods.ts'
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
function detailsOf(error: Readonly<ValidationError>) {
  if (isRule(error.customError)) return [error.customError]
  return error.all.map((issue) => ({
    field: 'path' in issue && issue.path ? issue.path.replace(/^\//, '') : undefined,
    message: readable(issue.summary ?? ('message' in issue ? issue.message : 'invalid value')),
  }))
}

function invalidRequest(error: Readonly<ValidationError>) {
  const details = detailsOf(error)
  const fields = details.flatMap((d) => (d.field ? [d.field] : []))
  const what = fields.length > 0 ? fields.join(', ') : 'the request'
  return { error: 'Invalid request', details, hint: `fix ${what} as the details say; see /swagger` }
}

const internalError = {
  error: 'Internal error',
  hint: 'retry later; the service log has the details',
}

/** The 503 a failed log write answers, whichever route wrote it. */
export function writeFailure(error: LogWriteError) {
  return {
    error: error.message,
    reason: error.reason,
    hint: 'make LOG_DIR writable (read-write volume, free disk space); the service recovers by itself',
  }
}

/**
 * Turns every failure Elysia sees into `{ error, ... }` JSON with the right status, never a stack.
 * `routes` are the app's, read at the first unmatched request: a known path asked with a method
 * it does not serve answers 405 with `Allow`, an unknown path 404.
 */
export function jsonErrors(logger: Logger, routes: () => readonly RouteInfo[]) {
  let allowed: Map<string, string[]> | undefined
  return new Elysia({ name: 'json-errors' }).onError(
    { as: 'global' },
    ({ code, error, path, request, set }) => {
      if (error instanceof LogWriteError) {
        set.status = 503
        return writeFailure(error)
      }
      switch (code) {
        case 'NOT_FOUND': {
          allowed ??= allowedMethods(routes())
          const allow = allowed.get(path)
          if (allow) return methodNotAllowed({ request, path, set }, allow)
          set.status = 404
          return { error: 'Not found', path, hint: 'GET /swagger lists the routes of this service' }
        }
        case 'VALIDATION':
          // Our own answer broke its schema: a bug here, not a client mistake.
          if (error.type === 'response') {
            logger.error({ path, details: detailsOf(error) }, 'response failed its schema')
            set.status = 500
            return internalError
          }
          set.status = 422
          return invalidRequest(error)
        case 'PARSE':
          set.status = 400
          return { error: 'Malformed request', hint: 'send a well-formed request; see /swagger' }
        case 'INTERNAL_SERVER_ERROR':
        case 'UNKNOWN':
          logger.error({ err: error, path }, 'unhandled error')
          set.status = 500
          return internalError
        default:
          return undefined
      }
    },
  )
}
