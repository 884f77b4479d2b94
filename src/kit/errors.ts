import { Elysia, type ValidationError } from 'elysia'
import type { Logger } from './logger.ts'

/** Turns every failure Elysia sees into `{ error, ... }` JSON with the right status, never a stack. */
export function jsonErrors(logger: Logger) {
  return new Elysia({ name: 'json-errors' }).onError(
    { as: 'global' },
    ({ code, error, path, set }) => {
      switch (code) {
        case 'NOT_FOUND':
          set.status = 404
          return { error: 'Not found', path, hint: 'GET /swagger lists the routes of this service' }
        case 'VALIDATION': {
          set.status = 422
          const details = (error as ValidationError).all.map((e) => ({
            field: 'path' in e && e.path ? e.path.replace(/^\//, '') : undefined,
            message: e.summary ?? ('message' in e ? e.message : 'invalid value'),
          }))
          return { error: 'Invalid request', details, hint: 'fix the listed fields; see /swagger' }
        }
        case 'PARSE':
          set.status = 400
          return { error: 'Malformed request', hint: 'send a well-formed request; see /swagger' }
        case 'INTERNAL_SERVER_ERROR':
        case 'UNKNOWN':
          logger.error({ err: error, path }, 'unhandled error')
          set.status = 500
          return { error: 'Internal error', hint: 'retry later; the service log has the details' }
        default:
          return undefined
      }
    },
  )
}
