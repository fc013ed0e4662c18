import { describe, expect, it } from 'vitest'
import { multipartPartCount, multipartPartLength, multipartPartSize, multipartPolicy, multipartStoredBytes } from '../../shared/utils/policy'

const MiB = 1024 * 1024

describe('multipart part size', () => {
  it.each([1, 5 * MiB, 15 * MiB + 12_345, multipartPolicy.thresholdBytes, 200 * MiB + 1, 1024 * MiB, multipartPolicy.maxBytes])(
    'keeps R2\'s rules for %i bytes: parts ≥ 5 MiB but the last, ≤ 10,000 of them, adding up to the file', (fileSize) => {
      const partSize = multipartPartSize(fileSize)
      const count = multipartPartCount(fileSize)
      expect(partSize).toBeGreaterThanOrEqual(multipartPolicy.minPartBytes)
      expect(partSize % MiB).toBe(0)
      expect(count).toBeLessThanOrEqual(multipartPolicy.maxParts)
      const lengths = Array.from({ length: count }, (_, index) => multipartPartLength(fileSize, partSize, index + 1))
      expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(fileSize)
      expect(lengths.every(length => length > 0)).toBe(true)
      expect(lengths.slice(0, -1).every(length => length === partSize)).toBe(true)
    })

  it('uses the 5 MiB minimum for small files and grows the parts for large ones', () => {
    expect(multipartPartSize(15 * MiB + 12_345)).toBe(5 * MiB)
    expect(multipartPartCount(15 * MiB + 12_345)).toBe(4)
    expect(multipartPartSize(1024 * MiB)).toBe(32 * MiB)
    expect(multipartPartCount(multipartPolicy.maxBytes)).toBeLessThanOrEqual(multipartPolicy.targetParts)
  })
})

describe('bytes of the recorded parts', () => {
  const fileSize = 3 * 5 * MiB + 12_345 // three full parts and a short fourth
  const partSize = multipartPartSize(fileSize)

  it('counts full parts, and the short last part at its own length', () => {
    expect(multipartStoredBytes(fileSize, partSize, 0, false)).toBe(0)
    expect(multipartStoredBytes(fileSize, partSize, 2, false)).toBe(10 * MiB)
    expect(multipartStoredBytes(fileSize, partSize, 2, true)).toBe(5 * MiB + 12_345)
    expect(multipartStoredBytes(fileSize, partSize, 4, true)).toBe(fileSize)
  })
})
