// docs/DESIGN.md stays true: its layout table names exactly the files under src/, and its route
// table exactly the routes each app serves, each with files that exist.
import { expect, test } from 'bun:test'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { createDataApp } from '../../src/data/app.ts'
import { backendApp } from '../support/backend-app.ts'
import { testDeps } from '../support/route-deps.ts'

const root = join(import.meta.dir, '../..')
const design = await readFile(join(root, 'docs/DESIGN.md'), 'utf8')

/** The rows of the first table after `heading`, as lists of cells. */
function table(heading: string): string[][] {
  const lines = (design.split(`\n${heading}\n`)[1] ?? '').split('\n')
  const start = lines.findIndex((line) => line.startsWith('| '))
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'))
  return lines.slice(start + 2, end).map((line) =>
    line
      .slice(2, -2)
      .split(' | ')
      .map((cell) => cell.trim()),
  )
}

const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
}

test('the layout table names exactly the files under src/ (tests aside)', async () => {
  const named = table('## Layout').flatMap(([path = '']) => code(path))
  const listed = named.filter((path) => path.startsWith('src/'))
  expect(listed.length).toBeGreaterThan(30)
  expect(new Set(listed).size).toBe(listed.length)
  expect(listed.sort()).toEqual((await filesUnder(join(root, 'src'))).sort())
})

test("the route table is exactly each app's routes, and names files that exist", async () => {
  const ctx = await testDeps()
  const served = {
    backend: backendApp(ctx).routes.map((r) => `${r.method} ${r.path}`),
    data: createDataApp(ctx.deps).routes.map((r) => `${r.method} ${r.path}`),
  }
  const rows = table('## Routes')
  const documented = { backend: [] as string[], data: [] as string[] }
  for (const [route = '', service = '', handler = '', errors = '', bounds = ''] of rows) {
    const [name] = code(route)
    for (const app of service === 'both' ? (['backend', 'data'] as const) : [service]) {
      expect(['backend', 'data']).toContain(app)
      documented[app as 'backend' | 'data'].push(name as string)
    }
    const files = [handler, errors, bounds].flatMap(code).filter((c) => c.startsWith('src/'))
    expect(files.length, `${name}: no file named`).toBeGreaterThan(0)
    for (const file of files) expect(await Bun.file(join(root, file)).exists(), file).toBe(true)
    // The handler file holds the path itself, unless a plugin it configures serves it.
    const [handlerFile = ''] = code(handler)
    const path = (name as string).split(' ')[1] as string
    if (!handler.includes('@elysiajs/openapi')) {
      const text = await readFile(join(root, handlerFile), 'utf8')
      const asWritten = path.includes('/assets/') ? (path.split('/').at(-1) as string) : `'${path}'`
      expect(text, `${name} in ${handlerFile}`).toContain(asWritten)
    }
  }
  expect(documented.backend.sort()).toEqual([...new Set(served.backend)].sort())
  expect(documented.data.sort()).toEqual([...new Set(served.data)].sort())
})
