import type { Logger } from '../logger.ts'
import type { Lifecycle } from './service.ts'

export interface ShutdownOptions {
  lifecycle: Lifecycle
  logger: Logger
  /** Stops accepting and resolves once in-flight requests are answered (Bun `server.stop()`). */
  stopServer: () => Promise<void>
  drainMs: number
  /** Longest wait for in-flight requests after the listener closes. */
  stopDeadlineMs: number
  exit?: (code: number) => void
}

/**
 * The SIGTERM/SIGINT handler. Readiness turns 503 at once so that the Service stops routing new
 * requests here; requests already routed keep being served for `drainMs`; then the listener
 * closes and in-flight requests finish (bounded by `stopDeadlineMs`) before exit 0. A second
 * signal exits at once.
 */
export function shutdownHandler(opts: ShutdownOptions): (signal: NodeJS.Signals) => Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  const { logger, lifecycle } = opts
  return async (signal) => {
    if (lifecycle.draining) {
      logger.warn({ signal }, 'second signal: exiting now')
      exit(signal === 'SIGINT' ? 130 : 143)
      return
    }
    lifecycle.draining = true
    logger.info({ signal, drainMs: opts.drainMs }, 'shutting down: readiness off, draining')
    await Bun.sleep(opts.drainMs)
    const stopped = await Promise.race([
      opts.stopServer().then(() => true),
      Bun.sleep(opts.stopDeadlineMs).then(() => false),
    ])
    if (stopped) {
      logger.info('all requests answered, exiting')
      exit(0)
    } else {
      logger.error(
        { stopDeadlineMs: opts.stopDeadlineMs },
        'requests still running at the deadline',
      )
      exit(1)
    }
  }
}

/** Installs `shutdownHandler` for SIGTERM (Kubernetes, docker stop) and SIGINT (Ctrl-C). */
export function handleShutdown(opts: ShutdownOptions): void {
  const onSignal = shutdownHandler(opts)
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}
