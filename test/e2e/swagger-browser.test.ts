import { afterAll, expect } from 'bun:test'
import { chromium } from 'playwright-core'
import { testWhen } from '../support/requirements.ts'
import { tempDir } from '../support/temp.ts'
import { startService } from './harness.ts'

const CHROMIUM = '/usr/bin/chromium'
const browserTest = testWhen(
  await Bun.file(CHROMIUM).exists(),
  `no ${CHROMIUM} (apt-get install chromium)`,
)
const cleanups: (() => Promise<unknown>)[] = []
afterAll(() => Promise.all(cleanups.map((c) => c())))

browserTest(
  '/swagger of the compiled binary renders every operation with no request leaving 127.0.0.1',
  async () => {
    const service = await startService('backend-api')
    cleanups.push(() => service.stop())
    const context = await chromium.launchPersistentContext(await tempDir('chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    cleanups.push(() => context.close())
    const page = await context.newPage()
    const blocked: string[] = []
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url())
      if (url.hostname === '127.0.0.1') return route.continue()
      blocked.push(url.href)
      return route.abort()
    })
    await page.goto(`${service.url}/swagger`)
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 })
    const paths = await page.$$eval('.opblock-summary-path', (nodes) =>
      nodes.map((n) => n.textContent?.trim()),
    )
    expect(paths.sort()).toEqual(
      [
        '/',
        '/download_external_logs',
        '/healthz',
        '/logs',
        '/metrics',
        '/readyz',
        '/version',
      ].sort(),
    )
    expect(await page.title()).toContain('Backend API')
    expect(blocked).toEqual([])
  },
  60_000,
)
