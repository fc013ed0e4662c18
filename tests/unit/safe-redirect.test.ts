import { describe, expect, it } from 'vitest'
import { safeRedirect } from '../../utils/safeRedirect'

const origin = 'http://localhost:3000'

describe('safeRedirect', () => {
  it.each(['/profile', '/uploads?page=2', '/profile#image'])('keeps the same-origin path %s', (path) => {
    expect(safeRedirect(path, origin)).toBe(path)
  })

  it.each([
    '//evil.example', '/\\evil.example', '/\t/evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, ['/a'],
  ])('falls back for %j', (target) => {
    expect(safeRedirect(target, origin)).toBe('/profile')
  })
})
