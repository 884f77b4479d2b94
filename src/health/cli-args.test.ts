import { expect, test } from 'bun:test'
import { parseCommand } from './cli-args.ts'

test('no arguments run the checks; show takes --lines N, --lines=N or -n N', () => {
  expect(parseCommand([])).toEqual({ name: 'run' })
  expect(parseCommand(['show'])).toEqual({ name: 'show', lines: 50 })
  expect(parseCommand(['show', '--lines', '7'])).toEqual({ name: 'show', lines: 7 })
  expect(parseCommand(['show', '--lines=8'])).toEqual({ name: 'show', lines: 8 })
  expect(parseCommand(['show', '-n', '9'])).toEqual({ name: 'show', lines: 9 })
  expect(parseCommand(['--help'])).toEqual({ name: 'help' })
})

test.each([
  [['status'], /unknown command "status"/],
  [['show', '--lines'], /--lines needs a whole number/],
  [['show', '--lines', '0'], /--lines needs a whole number/],
  [['show', '--lines', 'ten'], /--lines needs a whole number/],
  [['show', '--tail'], /unknown option "--tail"/],
])('%j is refused with what to type instead', (argv, message) => {
  expect(() => parseCommand(argv)).toThrow(message)
})
