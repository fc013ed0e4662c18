import { describe, expect, it } from 'vitest'
import { middleEllipsis } from '../../utils/middleEllipsis'

describe('middleEllipsis', () => {
  it('leaves names up to the limit whole', () => {
    expect(middleEllipsis('video-2024-05-01-0012.mp4')).toBe('video-2024-05-01-0012.mp4')
    expect(middleEllipsis('a'.repeat(60))).toBe('a'.repeat(60))
  })

  it('cuts a long name in the middle, keeping the start and the end that tell files apart', () => {
    const one = `${'holiday-'.repeat(10)}clip-0001.mp4`
    const two = `${'holiday-'.repeat(10)}clip-0002.mp4`
    expect([...middleEllipsis(one)]).toHaveLength(60)
    expect(middleEllipsis(one)).toMatch(/^holiday-holiday-.*….*clip-0001\.mp4$/)
    expect(middleEllipsis(one)).not.toBe(middleEllipsis(two))
  })

  it('never splits a character made of two code units', () => {
    const name = `${'📷'.repeat(70)}.jpg`
    expect(middleEllipsis(name)).toBe(`${'📷'.repeat(35)}…${'📷'.repeat(20)}.jpg`)
  })
})
