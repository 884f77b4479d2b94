import type { AnyElysia } from 'elysia'
import type { DestinationStream } from 'pino'
import type { ServiceConfig } from '../config.ts'
import { createLogger } from '../logger.ts'
import { LogStore, type StoreOptions } from '../logs/log-store.ts'
import { createMetrics } from '../metrics.ts'
import type { ServiceDeps } from './service.ts'
import { handleShutdown } from './shutdown.ts'

/** Logger, metrics, log store and lifecycle for one service, wired to each other. */
export function createServiceDeps(
  config: ServiceConfig,
  { logDestination, ...storeOptions }: StoreOptions & { logDestination?: DestinationStream } = {},
): ServiceDeps {
  const logger = createLogger(config.serviceName, config.logLevel, logDestination)
  const metrics = createMetrics(config.serviceName)
  const store = new LogStore(
    config.logDir,
    {
      written: () => metrics.filesWritten.inc(),
      failed: (reason) => {
        metrics.writeFailures.inc({ reason })
        logger.warn({ reason, logDir: config.logDir }, 'log write failed')
      },
    },
    config.logRetention,
    storeOptions,
  )
  return { config, logger, metrics, store, lifecycle: { draining: false } }
}

/**
 * No route takes a request body (other methods answer 405), so Bun refuses a larger one (413)
 * before buffering it; its default would let each request hold 128 MiB.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024

/** Time for the last steps of a request (writing its file, answering) after its longest wait. */
const STOP_MARGIN_MS = 5000

/** How long in-flight requests get once the listener has closed. */
const stopDeadlineMs = (config: ServiceConfig, longestRequestMs: number) =>
  Math.max(config.processingDelayMs, longestRequestMs) + STOP_MARGIN_MS

/**
 * The longest the program takes to exit after SIGTERM: the drain, then its longest request and
 * the margin. A pod's terminationGracePeriodSeconds must exceed it, or the kubelet's SIGKILL cuts
 * requests the program would have finished (checked by scripts/k8s/runtime-rules.ts).
 */
export const exitDeadlineMs = (config: ServiceConfig, longestRequestMs = 0): number =>
  config.shutdownDrainMs + stopDeadlineMs(config, longestRequestMs)

export interface StartOptions {
  /**
   * The longest a request can take: the processing delay, or longer when a route waits on
   * something else (the external API's total budget). In-flight requests get this plus a
   * margin after the listener closes before the process gives up on them.
   */
  longestRequestMs?: number
}

/** Prepares the log directory, listens on PORT and installs the SIGTERM/SIGINT handling. */
export async function startService(
  app: AnyElysia,
  deps: ServiceDeps,
  { longestRequestMs = 0 }: StartOptions = {},
): Promise<void> {
  const { config, logger, store, lifecycle } = deps
  const started = performance.now()
  const readiness = await store.init()
  if (!readiness.ready) {
    logger.warn(
      { logDir: config.logDir, reason: readiness.reason },
      'log directory not writable yet',
    )
  }
  try {
    // Elysia turns SO_REUSEPORT on by default: a second copy would share the port silently.
    app.listen({ port: config.port, reusePort: false, maxRequestBodySize: MAX_REQUEST_BODY_BYTES })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    process.stderr.write(
      `cannot listen on port ${config.port} (${code}): set PORT to a free port\n`,
    )
    process.exit(1)
  }
  handleShutdown({
    lifecycle,
    logger,
    stopServer: async () => {
      await app.stop()
    },
    drainMs: config.shutdownDrainMs,
    stopDeadlineMs: stopDeadlineMs(config, longestRequestMs),
  })
  logger.info(
    { port: config.port, logDir: config.logDir, startMs: Math.round(performance.now() - started) },
    'listening',
  )
}
