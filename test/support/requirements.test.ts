import { expect, test } from 'bun:test'
import { hasCommand, testWhen } from './requirements'

test('testWhen returns the real test when the requirement is met', () => {
  expect(testWhen(true, 'unused')).toBe(test)
})

test('hasCommand finds bun and not a made-up name', () => {
  expect(hasCommand('bun')).toBe(true)
  expect(hasCommand('no-such-command-4b1e')).toBe(false)
})
