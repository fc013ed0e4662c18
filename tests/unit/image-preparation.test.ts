import { describe, expect, it } from 'vitest'
import { renameForType } from '../../utils/imagePreparation'

describe('renameForType', () => {
  it('gives the stored file the extension of what it now holds', () => {
    expect(renameForType('holiday.png', 'image/webp')).toBe('holiday.webp')
    expect(renameForType('scan.final.GIF', 'image/jpeg')).toBe('scan.final.jpg')
    expect(renameForType('no-extension', 'image/webp')).toBe('no-extension.webp')
    expect(renameForType('.hidden', 'image/webp')).toBe('.hidden.webp')
    expect(renameForType('', 'image/webp')).toBe('profile-image.webp')
  })
})
