import { Elysia } from 'elysia'
import css from 'swagger-ui-dist/swagger-ui.css' with { type: 'file' }
import bundle from 'swagger-ui-dist/swagger-ui-bundle.js' with { type: 'file' }

/** Where /swagger loads Swagger UI from: this binary, never a CDN (clusters often have no internet). */
export const SWAGGER_ASSETS = {
  script: '/swagger/assets/swagger-ui-bundle.js',
  style: '/swagger/assets/swagger-ui.css',
}

const headers = (type: string) => ({
  'content-type': type,
  'cache-control': 'public, max-age=86400',
})

/** Serves the Swagger UI script and stylesheet embedded from swagger-ui-dist. */
export const swaggerAssets = new Elysia({ name: 'swagger-assets' })
  .get(
    SWAGGER_ASSETS.script,
    () => new Response(Bun.file(bundle), { headers: headers('text/javascript; charset=utf-8') }),
    { detail: { hide: true } },
  )
  .get(
    SWAGGER_ASSETS.style,
    () => new Response(Bun.file(css), { headers: headers('text/css; charset=utf-8') }),
    { detail: { hide: true } },
  )
