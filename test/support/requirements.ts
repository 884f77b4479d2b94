import { test } from 'bun:test'

const underCi = process.env.CI === 'true'
const announced = new Set<string>()

/**
 * A `test` for suites that need something the machine may lack (docker, chromium, root, promtool).
 * On a laptop the tests skip with one line saying why; under CI=true a missing requirement is a
 * failure, never a silent skip.
 */
export function testWhen(available: boolean, missing: string): typeof test {
  if (available) return test
  if (underCi) {
    const failing = (name: string) =>
      test(name, () => {
        throw new Error(`${missing} (CI=true requires it)`)
      })
    return failing as unknown as typeof test
  }
  if (!announced.has(missing)) {
    announced.add(missing)
    console.warn(`skip: ${missing}`)
  }
  return test.skip
}

export const hasCommand = (name: string): boolean => Bun.which(name) !== null

export const isRoot = (): boolean => process.getuid?.() === 0
