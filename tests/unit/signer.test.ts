import { describe, expect, it } from 'vitest'
import { checkTtl, createSigner } from '../../server/utils/r2'
import { storageConfig } from '../../server/utils/config'
import { conditionHeader } from '../../shared/utils/upload-contract'

const signer = createSigner({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  endpoint: 'https://account123.r2.cloudflarestorage.com',
  bucket: 'gallery',
})

describe('TTL configuration', () => {
  it('keeps the default lifetimes (24 h up, 1 h down) and stays within what SigV4 accepts', () => {
    expect(storageConfig.uploadUrlTtlSeconds).toBe(86_400)
    expect(storageConfig.downloadUrlTtlSeconds).toBe(3_600)
    for (const ttl of [storageConfig.uploadUrlTtlSeconds, storageConfig.downloadUrlTtlSeconds]) expect(checkTtl(ttl)).toBe(ttl)
  })

  it.each([0, -1, 604_801, 1.5, Number.NaN])('rejects a lifetime of %s seconds', (ttl) => {
    expect(() => checkTtl(ttl)).toThrow(RangeError)
  })

  it.each([1, 604_800])('accepts the bound %s', ttl => expect(checkTtl(ttl)).toBe(ttl))
})

describe('presignPut', () => {
  it.each([
    [{ ifNoneMatch: '*' as const }, 'if-none-match'],
    [{ ifMatch: '"0123abcd"' }, 'if-match'],
  ])('signs the write condition %o as a header', async (condition, header) => {
    const url = new URL(await signer.presignPut({ key: 'abc', contentType: 'text/plain', contentLength: 1, metadata: {}, condition }))
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';')).toContain(header)
  })

  it('quotes an ETag for If-Match once, however it arrives', () => {
    expect(conditionHeader({ ifMatch: '0123abcd' })).toEqual(['If-Match', '"0123abcd"'])
    expect(conditionHeader({ ifMatch: '"0123abcd"' })).toEqual(['If-Match', '"0123abcd"'])
    expect(conditionHeader({ ifNoneMatch: '*' })).toEqual(['If-None-Match', '*'])
  })

  it('signs content-type, content-length and every x-amz-meta header into the query', async () => {
    const url = new URL(await signer.presignPut({
      key: 'abc',
      contentType: 'image/png',
      contentLength: 1234,
      metadata: { 'original-filename': 'a.png', 'uploaded-by': 'u1', 'uploaded-at': '2026-01-01T00:00:00.000Z' },
    }))
    expect(url.origin + url.pathname).toBe('https://account123.r2.cloudflarestorage.com/gallery/abc')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('86400')
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host;x-amz-meta-original-filename;x-amz-meta-uploaded-at;x-amz-meta-uploaded-by')
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/auto\/s3\/aws4_request$/)
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    expect(url.toString()).not.toContain('wJalrXUtnFEMI')
  })

  it('gives a different signature when any signed value changes', async () => {
    const base = { key: 'abc', contentType: 'image/png', contentLength: 10, metadata: { 'uploaded-by': 'u1' } }
    const signature = async (input: typeof base) => new URL(await signer.presignPut(input)).searchParams.get('X-Amz-Signature')
    const reference = await signature(base)
    expect(await signature({ ...base, contentLength: 11 })).not.toBe(reference)
    expect(await signature({ ...base, contentType: 'image/gif' })).not.toBe(reference)
    expect(await signature({ ...base, metadata: { 'uploaded-by': 'u2' } })).not.toBe(reference)
    expect(await signature({ ...base, key: 'abd' })).not.toBe(reference)
  })

  it('refuses an out-of-range lifetime instead of signing it', async () => {
    await expect(signer.presignPut({ key: 'k', contentType: 'image/png', contentLength: 1, metadata: {}, expiresIn: 604_801 }))
      .rejects.toThrow(RangeError)
  })
})

describe('presignGet', () => {
  it('signs a GET for one hour by default, host only', async () => {
    const url = new URL(await signer.presignGet({ key: 'abc' }))
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600')
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host')
  })

  it('carries a response-content-disposition when asked', async () => {
    const url = new URL(await signer.presignGet({ key: 'abc', contentDisposition: 'attachment; filename="a.txt"', expiresIn: 60 }))
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="a.txt"')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60')
  })
})
