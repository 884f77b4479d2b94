import pkg from '../../package.json'

/** VERSION and GIT_COMMIT are baked in by scripts/build.ts; from source they fall back. */
export const buildInfo = {
  version: process.env.VERSION || pkg.version,
  commit: process.env.GIT_COMMIT || 'unknown',
  bun: Bun.version,
}
