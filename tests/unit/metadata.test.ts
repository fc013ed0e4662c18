import { describe, expect, it } from 'vitest'
import { filenameSchema } from '../../shared/utils/schemas'
import { decodeMetadataValue, encodeMetadataValue, normaliseFilename } from '../../server/utils/metadata'

describe('filename metadata', () => {
  it('encodes non-ASCII names into a value a browser can send as a header (ISO-8859-1)', () => {
    const encoded = encodeMetadataValue('café 😀.png')
    expect(encoded).toMatch(/^[\x20-\x7E]+$/)
    expect(decodeMetadataValue(encoded)).toBe('café 😀.png')
  })

  it('keeps only the last path segment and falls back when nothing is left', () => {
    expect(normaliseFilename('C:\\fakepath\\photo.png', 'x')).toBe('photo.png')
    expect(normaliseFilename('../../etc/passwd', 'x')).toBe('passwd')
    expect(normaliseFilename('   ', 'profile-image')).toBe('profile-image')
    expect(normaliseFilename(undefined, 'profile-image')).toBe('profile-image')
  })

  it('normalises to NFC so one name has one signed value', () => {
    expect(normaliseFilename('cafe\u0301.png', 'x')).toBe('caf\u00E9.png')
  })

  it('rejects CR/LF and over-long names', () => {
    const schema = filenameSchema(255)
    expect(schema.safeParse('a\r\nx-amz-meta-evil: 1').success).toBe(false)
    expect(schema.safeParse('x'.repeat(256)).success).toBe(false)
    expect(schema.safeParse('ok.png').success).toBe(true)
  })

  it('leaves a value that is not valid percent-encoding as it is', () => {
    expect(decodeMetadataValue('100%.png')).toBe('100%.png')
  })
})
