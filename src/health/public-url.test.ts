import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { publicUrl } from './public-url.ts'

describe('publicUrl', () => {
  test('drops userinfo and hides secret-looking query values, keeps the rest', () => {
    expect(publicUrl('http://admin:hunter2@backend:5000/readyz')).toBe('http://backend:5000/readyz')
    expect(publicUrl('https://h/x?env=development&api_key=abc&Token=t&sig=1')).toBe(
      'https://h/x?env=development&api_key=redacted&Token=redacted&sig=redacted',
    )
  })

  test('no password or secret query value ever survives', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,20}$/)
    fc.assert(
      fc.property(secret, secret, (password, key) => {
        const shown = publicUrl(
          `http://user:${password}@127.0.0.1:1/p?integration_key=${key}&env=dev`,
        )
        return !shown.includes(password) && !shown.includes(key) && shown.includes('env=dev')
      }),
    )
  })
})
