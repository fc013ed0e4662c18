import { describe, expect, it } from 'vitest'
import { profileImagePolicy } from '../../shared/utils/policy'
import { profileImagePixelProblem, profileImageProblem, profileImageSourceProblem } from '../../utils/profileImageChecks'

const MiB = 1024 * 1024
const photo = (size: number, type = 'image/jpeg') => ({ name: 'phone.jpg', size, type })

describe('profile image limits', () => {
  it('accepts an original larger than the upload limit: only the prepared image is uploaded', () => {
    expect(profileImageSourceProblem(photo(6.5 * MiB))).toBeNull()
    expect(profileImageSourceProblem(photo(profileImagePolicy.maxSourceBytes))).toBeNull()
  })

  it('refuses an original beyond the decode limit, saying what can be used', () => {
    expect(profileImageSourceProblem(photo(profileImagePolicy.maxSourceBytes + 1))).toBe('phone.jpg is 40.0 MB; pictures up to 40.0 MB can be used. Choose a smaller picture.')
    expect(profileImageSourceProblem(photo(10, 'image/svg+xml'))).toMatch(/is not a supported image/)
    expect(profileImageSourceProblem(photo(0))).toBe('phone.jpg is empty.')
  })

  it('refuses an original of too many pixels', () => {
    expect(profileImagePixelProblem('phone.jpg', 12_000, 8_000)).toBeNull()
    expect(profileImagePixelProblem('pano.jpg', 20_000, 6_000)).toBe('pano.jpg is 20000 × 6000 pixels (120 megapixels); pictures up to 100 megapixels can be used. Choose a smaller picture.')
  })

  it('applies the server\'s limit to the prepared image', () => {
    expect(profileImageProblem({ name: 'phone.webp', size: profileImagePolicy.maxBytes, type: 'image/webp' })).toBeNull()
    expect(profileImageProblem({ name: 'phone.webp', size: profileImagePolicy.maxBytes + 1, type: 'image/webp' })).toMatch(/^The cropped image is 5\.0 MB; the limit is 5\.0 MB\./)
  })
})
