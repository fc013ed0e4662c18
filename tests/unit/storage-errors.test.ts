import { describe, expect, it } from 'vitest'
import { describeStorageError } from '../../utils/directUpload'

const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`

describe('describeStorageError', () => {
  it('explains an expired link', () => {
    const error = describeStorageError(403, xml('ExpiredRequest', 'Request has expired'))
    expect(error.message).toMatch(/link expired/i)
    expect(error.code).toBe('ExpiredRequest')
  })

  it('explains a signature mismatch as a file that differs from what was announced', () => {
    const error = describeStorageError(403, xml('SignatureDoesNotMatch', 'The request signature we calculated does not match'))
    expect(error.message).toMatch(/does not match what was announced/i)
    expect(error.message).not.toMatch(/signature/i)
  })

  it('explains a network or CORS failure', () => {
    expect(describeStorageError(0, '').message).toMatch(/could not reach storage/i)
  })

  it('falls back to the status and code for anything else', () => {
    const error = describeStorageError(500, xml('InternalError', 'boom'))
    expect(error.message).toContain('HTTP 500')
    expect(error.message).toContain('InternalError')
    expect(error.status).toBe(500)
  })
})
