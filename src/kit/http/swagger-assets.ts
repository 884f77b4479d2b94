import { Elysia } from 'elysia'
import css from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' }
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' }

/** Where /swagger loads Swagger UI from: this binary, never a CDN (clusters often have no internet). */
export const SWAGGER_ASSETS = {
  script: '/swagger/assets/swagger-ui-bundle.js',
  style: '/swagger/assets/swagger-ui.css',
}

/** One embedded file, its headers and file handle built once; each request gets a new Response. */
function asset(path: string, type: string) {
  const file = Bun.file(path)
  const headers = { 'content-type': type, 'cache-control': 'public, max-age=86400' }
  return () => new Response(file, { headers })
}

/** Serves the Swagger UI script and stylesheet embedded from swagger-ui-dist. */
export const swaggerAssets = new Elysia({ name: 'swagger-assets' })
  .get(SWAGGER_ASSETS.script, asset(bundle, 'text/javascript; charset=utf-8'), {
    detail: { hide: true },
  })
  .get(SWAGGER_ASSETS.style, asset(css, 'text/css; charset=utf-8'), { detail: { hide: true } })
